"""Organisation pages, the crosswalk over HTTP and the CLI, and the reconciliation service."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from bs4 import BeautifulSoup
from click.testing import CliRunner

from catalogue import iris
from catalogue.cli import cli
from catalogue.linking import crosswalk
from catalogue.linking.profile import profile
from catalogue.store.paging import csv_rows
from catalogue.vocab import PAY, SV
from catalogue.web.formatting import money
from tests.conftest import BASE, REAL

MOTT_KEY = "GB-COH-01243967"
MOTT = iris.organisation(BASE, MOTT_KEY)
HTML = {"Accept": "text/html"}


def test_the_crosswalk_has_one_row_per_supplier_as_published(linked_client, linked_store):
    response = linked_client.get("/organisations/crosswalk.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == ["council", "supplier_name", "supplier_id", "organisation", "method", "score", "sme", "vcse",
                        "public_body", "size_evidence", "vcse_evidence", "postcode", "local_authority", "local",
                        "register_match", "register_score", "register_evidence"]
    records = csv_rows(linked_store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SV.Supplier}> }}")
    assert len(table) - 1 == int(records[0]["n"])
    assert [tuple(r) for r in table[1:]] == crosswalk.rows(linked_store, BASE)
    mott = [r for r in table if r[3] == MOTT]
    assert ["E08000033", "Mott MacDonald Ltd", "S52429", MOTT, "company-number", "1"] in [r[:6] for r in mott]
    assert all(r[3] and r[4] and r[5] for r in table[1:])


def test_svcat_export_crosswalk_writes_the_same_csv(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    args = ["--store", str(store), "--base-uri", BASE]
    assert runner.invoke(cli, [*args, "load", "spend", str(REAL / "salford/2022-06.csv"), "--publisher",
                               "E08000006", "-q"]).exit_code == 0
    result = runner.invoke(cli, [*args, "export", "crosswalk", "-o", str(tmp_path / "crosswalk.csv")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(open(tmp_path / "crosswalk.csv", encoding="utf-8")))
    assert len(rows) > 300 and all(r["organisation"].startswith(f"{BASE}id/organisation/") for r in rows)
    assert {r["council"] for r in rows} == {"E08000006"}


def test_an_organisation_page_shows_councils_totals_names_classes_and_links(linked_client, linked_store):
    response = linked_client.get(f"/id/organisation/{MOTT_KEY}", headers=HTML)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/doc/organisation/{MOTT_KEY}")
    page = linked_client.get(f"/doc/organisation/{MOTT_KEY}", headers=HTML)
    assert page.status_code == 200
    soup = BeautifulSoup(page.data, "html.parser")
    assert soup.h1.get_text() == "Mott MacDonald Ltd"
    text = soup.get_text(" ")
    for council in ("Calderdale Council", "Wakefield Council", "Leeds City Council", "Salford City Council"):
        assert council in text
    assert "MOTT MACDONALD LTD" in text and "Mott Macdonald Limited" in text  # names the councils used
    assert "2022/23" in text and "2018/19" in text  # financial years
    assert "company-number" in text and "exact-name" in text  # methods
    assert "registered charity GB-CHC-275040" in text  # evidence, as Wakefield publishes it
    # The totals (from the summary cubes) agree with the payment lines themselves.
    data = profile(linked_store, BASE, MOTT)
    lines = csv_rows(linked_store, f"""SELECT (SUM(?a) AS ?total) (COUNT(?line) AS ?n) WHERE {{
        ?rec <{SV.canonicalOrganisation}> <{MOTT}> . ?line <{PAY.payee}> ?rec ; <{PAY.netAmount}> ?a }}""")
    assert sum(c["total"] for c in data.councils) == sum(t["total"] for t in data.totals) == Decimal(lines[0]["total"])
    assert sum(c["lines"] for c in data.councils) == int(lines[0]["n"])
    assert all(money(c["total"]) in text for c in data.councils)


def test_organisation_iris_give_rdf_and_unknown_ones_are_404(linked_client):
    turtle = linked_client.get(f"/doc/organisation/{MOTT_KEY}", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    assert MOTT in turtle.get_data(as_text=True) and "GB-COH-01243967" in turtle.get_data(as_text=True)
    assert linked_client.get("/doc/organisation/GB-COH-99999999", headers=HTML).status_code == 404


def queries(client, batch, method="post"):
    payload = {"queries": json.dumps(batch)}
    response = client.post("/reconcile", data=payload) if method == "post" else client.get("/reconcile",
                                                                                        query_string=payload)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_the_reconciliation_manifest_announces_every_service(linked_client):
    manifest = linked_client.get("/reconcile").json
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == f"{BASE}id/organisation/"
    assert manifest["view"]["url"] == f"{BASE}id/organisation/{{{{id}}}}"
    assert set(manifest["suggest"]) == {"entity", "type", "property"} and "propose_properties" in manifest["extend"]


def test_reconciliation_matches_only_when_it_is_safe(linked_client):
    result = queries(linked_client, {
        "name": {"query": "Mott Macdonald Limited"},
        "number": {"query": "Mott", "properties": [{"pid": "companyNumber", "v": "1243967"}]},
        "wrong": {"query": "Mott MacDonald", "properties": [{"pid": "companyNumber", "v": "99999999"}]},
        "fuzzy": {"query": "Mot MacDonald"},
        "shared": {"query": "Citizens Advice Bureau"},
    })
    name, number = result["name"]["result"][0], result["number"]["result"][0]
    wrong = next(c for c in result["wrong"]["result"] if c["id"] == MOTT_KEY)  # demoted, not dropped
    assert name["id"] == MOTT_KEY and name["match"] is True and name["score"] == 100
    assert number["id"] == MOTT_KEY and number["match"] is True
    assert {f["id"]: f["value"] for f in number["features"]}["identifier_match"] is True
    assert wrong["match"] is False and wrong["score"] <= 50
    assert {f["id"]: f["value"] for f in wrong["features"]}["identifier_contradicted"] is True
    assert result["fuzzy"]["result"][0]["id"] == MOTT_KEY and result["fuzzy"]["result"][0]["match"] is False
    shared = result["shared"]["result"]  # three councils pay three different local charities of that name
    assert len([c for c in shared if c["name"].upper() == "CITIZENS ADVICE BUREAU"]) >= 2
    assert not any(c["match"] for c in shared)


def test_types_and_council_conditions_narrow_and_rank(linked_client):
    sv = "https://w3id.org/svcat/def#"
    result = queries(linked_client, {
        "vcse": {"query": "Mott MacDonald", "type": f"{sv}publicBody"},
        "council": {"query": "Kirklees Council", "type": ["http://www.w3.org/ns/org#Organization"],
                    "properties": [{"pid": "council", "v": "Calderdale Council"}]},
    }, method="get")
    assert all(f"{sv}publicBody" in [t["id"] for t in c["type"]] for c in result["vcse"]["result"])
    top = result["council"]["result"][0]
    assert top["id"] == "council-E08000034" and {f["id"]: f["value"] for f in top["features"]}["council_match"]


def test_bad_batches_are_refused_with_a_json_error(linked_client):
    response = linked_client.post("/reconcile", data={"queries": "{not json"})
    assert response.status_code == 400 and response.json["ok"] is False
    assert linked_client.post("/reconcile", data={"queries": '{"q0": {"query": 3}}'}).status_code == 400


def test_preview_suggest_flyout_and_extension(linked_client):
    preview = linked_client.get(f"/reconcile/preview?id={MOTT_KEY}")
    assert preview.status_code == 200 and b"Mott MacDonald Ltd" in preview.data
    assert "frame-ancestors *" in preview.headers["Content-Security-Policy"]  # OpenRefine frames it
    assert "X-Frame-Options" not in preview.headers
    suggested = linked_client.get("/reconcile/suggest/entity?prefix=mott mac").json["result"]
    assert suggested[0]["id"] == MOTT_KEY
    assert {t["name"] for t in linked_client.get("/reconcile/suggest/type?prefix=vc").json["result"]} == {"VCSE"}
    assert "companyNumber" in [p["id"] for p in linked_client.get("/reconcile/suggest/property?prefix=comp").json["result"]]
    flyout = linked_client.get(f"/reconcile/flyout/entity?id={MOTT_KEY}").json
    assert flyout["id"] == MOTT_KEY and "Mott MacDonald Ltd" in flyout["html"]
    proposed = linked_client.get("/reconcile/propose_properties?type=x").json["properties"]
    assert {"identifiers", "classes", "councils"} <= {p["id"] for p in proposed}
    extended = linked_client.post("/reconcile", data={"extend": json.dumps(
        {"ids": [MOTT_KEY], "properties": [{"id": "companyNumber"}, {"id": "councils"}, {"id": "councilCount"}]})}).json
    row = extended["rows"][MOTT_KEY]
    assert row["companyNumber"] == [{"str": "01243967"}] and row["councilCount"][0]["int"] >= 5
    assert {"str": "Calderdale Council"} in row["councils"]


def test_jsonp_and_cors_preflight(linked_client):
    jsonp = linked_client.get("/reconcile?callback=handle")
    assert jsonp.mimetype == "application/javascript" and jsonp.get_data(as_text=True).startswith("/**/handle(")
    assert linked_client.get("/reconcile?callback=alert(1)").status_code == 400
    preflight = linked_client.options("/reconcile", headers={"Origin": "http://openrefine.example",
                                                             "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
