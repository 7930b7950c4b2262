"""The researcher's pages: council dashboards, tables that page, sort and download, search."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from tests.conftest import BASE

LEEDS = "E08000035"
LEEDS_IRI = f"{BASE}id/council/{LEEDS}"
HTML = {"Accept": "text/html"}


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def line_totals(store, council_iri: str) -> dict[str, Decimal]:
    """Spend per month summed from the raw payment lines (what the cubes must agree with)."""
    rows = store.select(f"""PREFIX pay: <http://reference.data.gov.uk/def/payment#>
        PREFIX sv: <https://w3id.org/svcat/def#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?month (SUM(?amount) AS ?total) WHERE {{
          ?dataset sv:namedGraph ?g ; dcterms:publisher <{council_iri}> .
          GRAPH ?g {{ ?line pay:netAmount ?amount ; pay:date ?date }}
          BIND(SUBSTR(STR(?date), 1, 7) AS ?month) }} GROUP BY ?month""").rows
    return {str(r["month"]): Decimal(str(r["total"])) for r in rows}


def test_dashboard_is_the_html_of_the_council_iri_and_agrees_with_the_lines(client, loaded_store):
    soup = page(client, f"/doc/council/{LEEDS}")
    assert soup.h1.get_text(strip=True) == "Leeds City Council"
    assert LEEDS_IRI in soup.get_text()
    months = client.get(f"/council/{LEEDS}/months.json").get_json()
    from_cubes = {r["month"]: Decimal(r["spend"]) for r in months["rows"]}
    assert from_cubes == line_totals(loaded_store, LEEDS_IRI)
    headline = soup.select_one("dl.headline").get_text(" ", strip=True)
    assert "£104,758,471" in headline  # sum of the file's net amounts, whole pounds
    for heading in ("Spend by month", "Top suppliers", "Concentration"):
        assert soup.find("h2", string=lambda s, h=heading: s and h in s), heading
    # every panel: a captioned table, its downloads and the query that made it
    for table in soup.select("section.panel table"):
        assert table.caption and table.caption.get_text(strip=True)
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
    assert len(soup.select("section.panel details.query pre")) >= 6


def test_rdf_clients_still_get_rdf_from_the_council_document(client):
    response = client.get(f"/doc/council/{LEEDS}", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle" and LEEDS_IRI in response.get_data(as_text=True)


def test_charts_are_svg_drawn_from_the_same_table(client):
    for name in ("months", "suppliers", "expense-types", "service-areas", "classes"):
        response = client.get(f"/council/{LEEDS}/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        root = ET.fromstring(response.data)
        assert root.tag.endswith("svg")
    text = client.get(f"/council/{LEEDS}/suppliers.svg").get_data(as_text=True)
    top = client.get(f"/council/{LEEDS}/suppliers.json?_size=1").get_json()["rows"][0]
    assert top["supplier"] in text  # the chart labels the biggest supplier


def test_dashboard_charts_show_without_javascript(client):
    soup = page(client, f"/doc/council/{LEEDS}")
    images = soup.select("figure.chart img")
    assert len(images) == 5
    assert all(img.get("alt") and img["src"].endswith(".svg") for img in images)
    assert not soup.select("script[src]")  # no script needed for anything on the page


def test_tables_page_sort_and_count(client):
    first = client.get(f"/council/{LEEDS}/suppliers.json?_size=10").get_json()
    assert first["total"] > 2000 and first["pages"] == -(-first["total"] // 10)
    spends = [Decimal(r["spend"]) for r in first["rows"]]
    assert spends == sorted(spends, reverse=True)
    second = client.get(first["next"]).get_json()
    assert second["page"] == 2 and Decimal(second["rows"][0]["spend"]) <= spends[-1]
    by_name = client.get(f"/council/{LEEDS}/suppliers.json?_sort=supplier&_size=5").get_json()
    names = [r["supplier"].casefold() for r in by_name["rows"]]
    assert names == sorted(names)
    soup = page(client, f"/council/{LEEDS}/suppliers?_sort_desc=share")
    caption = soup.caption.get_text(" ", strip=True)
    assert f"of {first['total']:,}" in caption
    assert soup.select_one("th[aria-sort=descending]").get_text(strip=True).startswith("Share")
    assert soup.select_one("nav.pager a[rel=next]")


def test_every_table_is_also_csv_and_json_with_all_rows(client):
    for name in ("months", "expense-types", "service-areas", "suppliers", "classes", "concentration"):
        response = client.get(f"/council/{LEEDS}/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        body = client.get(f"/council/{LEEDS}/{name}.json").get_json()
        assert len(rows) == body["total"], name
        assert client.get(f"/council/{LEEDS}/{name}?_format=csv").data == response.data
    suppliers = list(csv.DictReader(io.StringIO(client.get(f"/council/{LEEDS}/suppliers.csv").get_data(as_text=True))))
    assert sum(Decimal(r["spend"]) for r in suppliers) == Decimal("104758470.89")
    assert all(r["payee"].startswith(BASE) for r in suppliers if r["supplier"] != "Not stated")


def test_social_value_shares_never_hide_unknown(client):
    body = client.get(f"/council/{LEEDS}/classes.json").get_json()
    labels = [r["label"] for r in body["rows"]]
    assert {"SME", "VCSE", "Public body", "Unknown"} <= set(labels)
    unknown = next(r for r in body["rows"] if r["label"] == "Unknown")
    # nothing is linked in the bare sample data, so every pound is unknown, and says why
    assert unknown["share"] == 1.0
    reasons = {r["label"]: r["share"] for r in body["rows"] if r["label"].startswith("Unknown:")}
    assert pytest.approx(sum(reasons.values())) == 1.0 and reasons["Unknown: payee withheld or not stated"] > 0


def test_concentration_figures(client):
    rows = {r["measure"]: r["value"] for r in client.get(f"/council/{LEEDS}/concentration.json").get_json()["rows"]}
    top = next(v for k, v in rows.items() if k.startswith("Share of spend to the top 10"))
    hhi = next(v for k, v in rows.items() if k.startswith("Herfindahl"))
    assert 0 < top < 1 and 0 < hhi < 10_000


def test_social_value_page_compares_councils(client):
    soup = page(client, "/social-value")
    table = soup.select_one("#table-shares table")
    assert len(table.select("tbody tr")) == 10
    headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert any(h.startswith("Unknown") for h in headers) and any(h.startswith("Known") for h in headers)
    assert len(soup.select("figure.chart img")) == 3
    for chart in ("shares", "sme-over-time", "vcse-over-time"):
        response = client.get(f"/social-value/{chart}.svg")
        assert response.status_code == 200 and ET.fromstring(response.data).tag.endswith("svg")
    by_month = client.get("/social-value/shares-by-month.json?_size=max").get_json()
    assert by_month["total"] >= 10 and len(by_month["queries"]) == 2  # totals, classes


def test_councils_list_and_unknown_council(client):
    body = client.get("/councils.json").get_json()
    assert body["total"] == 10 and {r["gss"] for r in body["rows"]} >= {LEEDS, "E10000008"}
    assert client.get("/council/E99999999/months.json").status_code == 404
    assert client.get("/council/not-a-code/months.json").status_code == 404
    assert client.get(f"/council/{LEEDS}/no-such-table").status_code == 404


def test_search_finds_councils_suppliers_and_datasets(client):
    rows = client.get("/search.json?q=mott&_size=max").get_json()["rows"]
    assert {r["kind"] for r in rows} == {"supplier"}
    assert any(r["label"] == "Mott MacDonald Ltd" for r in rows)
    rows = client.get("/search.json?q=leeds").get_json()["rows"]
    assert rows[0]["kind"] == "council" and rows[0]["thing"] == LEEDS_IRI
    assert any(r["kind"] == "dataset" for r in rows)
    by_id = client.get("/search.json?q=GB-COH-01243967").get_json()["rows"]
    assert by_id and all("mott macdonald" in r["label"].casefold() for r in by_id)
    soup = page(client, "/search?q=leeds&kind=council")
    assert soup.select_one("label[for=q]") and "1 row" in soup.caption.get_text(" ", strip=True)


def test_search_escapes_what_it_is_given(client):
    for text in ('a" } ; DROP ALL', "x\\y", "<script>alert(1)</script>"):
        response = client.get("/search", query_string={"q": text}, headers=HTML)
        assert response.status_code == 200
        assert "<script>alert" not in response.get_data(as_text=True)


def test_home_leads_to_everything(client):
    soup = page(client, "/")
    hrefs = {a["href"] for a in soup.select("a[href]")}
    assert {"/councils", "/social-value", "/query", "/catalogue"} <= hrefs
    assert soup.select_one("form[role=search] label")


class CuttingStore:
    """The sample store, but every SELECT comes back marked as cut (as issue 7's limits mark them)."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def select(self, sparql):
        result = self.store.select(sparql)
        result.truncated = True
        result.truncation_reason = "the query reached the 10,000-row limit"
        return result


def test_a_cut_table_says_so_in_the_page_and_in_a_header(loaded_store):
    from catalogue.app import create_app

    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": CuttingStore(loaded_store), "SVCAT_BASE_URI": BASE})
    client = app.test_client()
    response = client.get(f"/council/{LEEDS}/suppliers", headers=HTML)
    assert response.headers["X-SVCAT-Truncated"] == "the query reached the 10,000-row limit"
    notice = BeautifulSoup(response.data, "html.parser").select_one(".notice")
    assert "cut short" in notice.get_text() and notice.find("a", string=lambda s: s and "CSV" in s)
    assert client.get(f"/council/{LEEDS}/suppliers.json").get_json()["truncated"] is True
    response = client.get(f"/doc/council/{LEEDS}", headers=HTML)
    assert response.headers["X-SVCAT-Truncated"] and "ETag" not in response.headers
    assert len(BeautifulSoup(response.data, "html.parser").select(".notice")) >= 5


@pytest.mark.parametrize("client_name", ["client", "linked_client"])
def test_the_suppliers_table_pages_by_rank_as_the_whole_table_orders_it(request, client_name):
    """HTML and JSON pages of a council's suppliers come from its ranked summary, a page at a
    time; they hold exactly the rows of the whole table (the download), in order of spend."""
    from math import ceil

    from catalogue.vocab import SV

    client = request.getfixturevalue(client_name)
    whole = client.get(f"/council/{LEEDS}/suppliers.json?_size=max").get_json()
    assert "by-recipient/1>" not in " ".join(whole["queries"])  # the whole table: every payee summed
    rows = whole["rows"]
    assert len(rows) > 20
    ranked = sorted(rows, key=lambda r: (-Decimal(r["spend"]), r["payee"] or str(SV.notStated)))

    def key(r):
        return (r["payee"], r["supplier"], r["spend"], r["organisation"], r["classes"], r["share"])

    for number in (1, 2, ceil(len(rows) / 7)):
        got = client.get(f"/council/{LEEDS}/suppliers.json?_size=7&_page={number}").get_json()
        assert "by-recipient/1>" in " ".join(got["queries"]) or number > 1  # read by rank
        assert (got["total"], got["page"], got["pages"]) == (len(rows), number, ceil(len(rows) / 7))
        assert [key(r) for r in got["rows"]] == [key(r) for r in ranked[(number - 1) * 7: number * 7]]
    soup = page(client, f"/council/{LEEDS}/suppliers?_page=2")
    assert soup.select_one("#table-suppliers tbody tr") and "_page=3" in str(soup)
    download = client.get(f"/council/{LEEDS}/suppliers.csv?_size=7")
    assert len(list(csv.reader(io.StringIO(download.get_data(as_text=True))))) == len(rows) + 1  # CSV: all rows
    by_name = client.get(f"/council/{LEEDS}/suppliers.json?_sort=supplier&_size=7").get_json()
    assert [r["supplier"] for r in by_name["rows"]] == sorted((r["supplier"] for r in rows), key=str.casefold)[:7]
