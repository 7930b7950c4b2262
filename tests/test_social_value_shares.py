"""Shares by social-value class, once suppliers are linked: they agree with the payment lines.

Linking is another part of the catalogue (``svcat link``); here a few supplier records are
linked by hand, in the shape linking writes (``sv:canonicalOrganisation`` from the record,
``sv:socialValueClass`` on the organisation, in their own graph), and the social-value
and council summaries refreshed as linking refreshes them, so that the pages' sums can be checked
against the raw lines.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalogue.vocab import DCTERMS, PAY, SV
from tests.conftest import BASE, OGL, REAL

LINKS = f"{BASE}graph/test-links"
ORG = f"{BASE}id/organisation/"


@pytest.fixture(scope="module")
def linked_client():
    from catalogue.summaries import councils as council_summary, social_value as class_summary
    from catalogue.app import create_app
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    for folder, gss in (("calderdale/2022-08.csv", "E08000033"), ("salford/2022-06.csv", "E08000006")):
        load_file(store, "spend", REAL / folder, base=BASE, publisher=gss, licence=OGL)
    # the ten suppliers Calderdale paid most: the first five SMEs, two of them also VCSE,
    # the next three a public body, two linked with no class evidence
    rows = store.select(f"""SELECT ?payee (SUM(?a) AS ?t) WHERE {{ ?dataset <{SV.namedGraph}> ?g ;
        <{DCTERMS.publisher}> <{BASE}id/council/E08000033> . GRAPH ?g {{ ?line <{PAY.payee}> ?payee ;
        <{PAY.netAmount}> ?a }} ?payee a <{SV.Supplier}> }} GROUP BY ?payee ORDER BY DESC(?t)
        LIMIT 10""").rows
    payees = [str(r["payee"]) for r in rows]
    classes = [["sme"], ["sme", "vcse"], ["sme"], ["sme", "vcse"], ["sme"], ["publicBody"], ["publicBody"],
               ["publicBody"], ["unknownClass"], ["unknownClass"]]
    triples = []
    for n, (payee, found) in enumerate(zip(payees, classes)):
        triples.append(f"<{payee}> <{SV.canonicalOrganisation}> <{ORG}test-{n}> .")
        triples += [f"<{ORG}test-{n}> <{SV.socialValueClass}> <{SV[c]}> ." for c in found]
    store.update(f"INSERT DATA {{ GRAPH <{LINKS}> {{ {' '.join(triples)} }} }}")
    class_summary.refresh(store, BASE)  # as linking does once it has written links
    council_summary.refresh(store, BASE)
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE})
    return app.test_client(), store, dict(zip(payees, classes))


def from_lines(store, payees: list[str]) -> Decimal:
    values = " ".join(f"<{p}>" for p in payees)
    rows = store.select(f"""SELECT (SUM(?a) AS ?t) WHERE {{ VALUES ?payee {{ {values} }}
        ?line <{PAY.payee}> ?payee ; <{PAY.netAmount}> ?a }}""").rows
    return Decimal(str(rows[0]["t"]))


def test_council_shares_agree_with_the_lines(linked_client):
    client, store, links = linked_client
    total = Decimal("15901508.75")
    rows = {r["label"]: r for r in client.get("/council/E08000033/classes.json").get_json()["rows"]}
    for label, cls in (("SME", "sme"), ("VCSE", "vcse"), ("Public body", "publicBody")):
        expected = from_lines(store, [p for p, c in links.items() if cls in c])
        assert Decimal(rows[label]["spend"]) == expected, label
        assert rows[label]["share"] == pytest.approx(float(expected / total))
    known = from_lines(store, [p for p, c in links.items() if c != ["unknownClass"]])
    assert Decimal(rows["Unknown"]["spend"]) == total - known
    linked_unknown = from_lines(store, [p for p, c in links.items() if c == ["unknownClass"]])
    assert Decimal(rows["Unknown: linked, no class evidence"]["spend"]) == linked_unknown
    suppliers = client.get("/council/E08000033/suppliers.json?_size=10").get_json()["rows"]
    assert [s["classes"] for s in suppliers[:2]] == ["SME", "SME, VCSE"]
    assert suppliers[0]["organisation"] == f"{ORG}test-0"


def test_social_value_page_agrees_and_keeps_unknown(linked_client):
    client, store, links = linked_client
    rows = {r["council_name"]: r for r in client.get("/social-value/shares.json").get_json()["rows"]}
    calderdale, salford = rows["Calderdale Council"], rows["Salford City Council"]
    sme = from_lines(store, [p for p, c in links.items() if "sme" in c])
    assert Decimal(calderdale["sme"]) == sme
    known = from_lines(store, [p for p, c in links.items() if c != ["unknownClass"]])
    assert calderdale["known_share"] == pytest.approx(float(known / Decimal(calderdale["total"])))
    assert calderdale["unknownClass_share"] == pytest.approx(1 - calderdale["known_share"])
    assert salford["known_share"] == 0 and salford["unknownClass_share"] == 1  # nothing of Salford's linked
    months = client.get("/social-value/shares-by-month.json?_size=max").get_json()["rows"]
    by_month = sum(Decimal(r["sme"]) for r in months if r["council_name"] == "Calderdale Council")
    assert by_month == sme
    assert client.get("/social-value/sme-over-time.svg").status_code == 200
