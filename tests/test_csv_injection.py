"""Formula-safe CSV (issue 20 item 6): a supplier named ``=HYPERLINK(...)`` in a real council
file never reaches a CSV export as a live formula, whichever export it is.

The file is Salford's June 2022 spend file with one supplier renamed and two cells made
formula-like (the classic payloads from OWASP's CSV injection page). It is loaded and
linked through the real pipeline; the site is then crawled for every ``.csv`` link, and the
SPARQL CSV results, the crosswalk export and ``svcat query`` are read as a spreadsheet would.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from catalogue import csv_safe
from tests.conftest import BASE, OGL, REAL

SUPPLIER = '=HYPERLINK("http://x","y")'
SERVICE = "@SUM(1+1)*cmd|' /C calc'!A0"
DESCRIPTION = "-2+3+cmd|' /C calc'!A0"
RENAMED = "Clare And Andrew Murdoch Limited"
SALFORD = "E08000006"


def formula_variant(folder):
    """Salford 2022-06 with the formula payloads in a supplier, a service area and a description."""
    with open(REAL / "salford" / "2022-06.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    vendor, area, gl = header.index("Vendor Name"), header.index("Service Area"), header.index("GL Description")
    hits = 0
    for row in rows[1:]:
        if row[vendor] == RENAMED:
            row[vendor], row[area], row[gl] = SUPPLIER, SERVICE, DESCRIPTION
            hits += 1
    assert hits, "the real file no longer names the supplier this test renames"
    path = folder / "salford-formula.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def cells(text: str) -> set[str]:
    return {cell for row in csv.reader(io.StringIO(text)) for cell in row}


def live_formulas(text: str) -> list[str]:
    """Cells a spreadsheet would run: starting with = + - @ tab or CR and not a number."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row
            if cell.startswith(csv_safe.FORMULA_STARTS) and not csv_safe.is_number(cell)]


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory):
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    path = formula_variant(tmp_path_factory.mktemp("formula"))
    outcome = load_file(store, "spend", path, base=BASE, publisher=SALFORD, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    link_all(store, BASE, licence=OGL)
    yield store
    store.close()


@pytest.fixture(scope="module")
def formula_client(formula_store):
    from catalogue.app import create_app

    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": formula_store, "SVCAT_BASE_URI": BASE})
    return app.test_client()


def test_safe_cell_follows_owasp_and_leaves_numbers_alone():
    assert csv_safe.safe_cell(SUPPLIER) == "'" + SUPPLIER
    for payload in ("+1+1", "-cmd", "@SUM(A1)", "\t=1", "\r=1", "=1"):
        assert csv_safe.safe_cell(payload) == "'" + payload
    for number in ("-12.50", "+3", "1e6", "-.5", "42"):
        assert csv_safe.safe_cell(number) == number
    assert csv_safe.safe_cell(-12.5) == -12.5
    assert csv_safe.safe_cell(None) == ""
    assert csv_safe.safe_cell("Acme Ltd") == "Acme Ltd"
    assert live_formulas(csv_safe.text(["a", "b"], [[SUPPLIER, "-7"], ["x", DESCRIPTION]])) == []


def crawl_csv_links(client, start=("/", "/datasets", "/organisations", "/councils", f"/council/{SALFORD}",
                                   "/catalogue", "/social-value", "/outcomes"), most=400) -> set[str]:
    """Every ``.csv`` link reachable from the main pages (HTML pages only, within the site)."""
    seen, queue, found = set(), list(start), set()
    while queue and len(seen) < most:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, headers={"Accept": "text/html"})
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        for link in BeautifulSoup(response.get_data(as_text=True), "html.parser").find_all("a", href=True):
            parts = urlsplit(link["href"])
            if parts.netloc and not link["href"].startswith(BASE):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.endswith(".csv"):
                found.add(target)
            elif (parts.path.startswith(("/supplier", "/organisation", "/council", "/dataset", "/social-value",
                                         "/outcomes", "/doc/"))
                  and "_page" not in parts.query and "_sort" not in parts.query):
                queue.append(target)
    return found


def test_every_csv_export_of_a_formula_supplier_is_inert(formula_client):
    links = crawl_csv_links(formula_client)
    assert len(links) >= 5, links
    carried = 0
    for link in sorted(links):
        if link.startswith("/file/"):
            continue  # the publisher's own file, served byte for byte with its checksum (SECURITY.md)
        response = formula_client.get(link)
        if response.status_code != 200 or response.mimetype != "text/csv":
            continue
        text = response.get_data(as_text=True)
        assert live_formulas(text) == [], link
        carried += ("'" + SUPPLIER) in cells(text)
    assert carried, f"no CSV export carried the supplier at all: {sorted(links)}"


def test_sparql_csv_results_are_inert(formula_client):
    query = "SELECT DISTINCT ?name WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name } }"
    response = formula_client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert ("'" + SUPPLIER) in cells(text)
    assert live_formulas(text) == []


def test_crosswalk_and_cli_query_csv_are_inert(formula_store, formula_client):
    from catalogue.linking.crosswalk import as_csv, rows

    exported = "".join(as_csv(rows(formula_store, BASE)))
    assert ("'" + SUPPLIER) in cells(exported) and live_formulas(exported) == []
    served = formula_client.get("/organisations/crosswalk.csv").get_data(as_text=True)
    assert ("'" + SUPPLIER) in cells(served) and live_formulas(served) == []
    _, _, body = formula_store.query_raw("SELECT ?n WHERE { GRAPH ?g { ?s ?p ?n FILTER(isLiteral(?n)) } }",
                                  results_type="text/csv", graph_type="text/turtle")
    body = body.decode("utf-8")
    assert ("'" + SUPPLIER) in cells(body) and live_formulas(body) == []


def test_sparql_csv_results_are_inert_on_both_backends(store, tmp_path):
    """The remote store writes CSV results itself (asked of the server as JSON), so a
    Virtuoso or Fuseki behind the catalogue cannot hand a spreadsheet a live formula."""
    from catalogue.ingest import load_file

    outcome = load_file(store, "spend", formula_variant(tmp_path), base=BASE, publisher=SALFORD, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    query = ("SELECT DISTINCT ?name WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name "
             "FILTER(STRSTARTS(?name, '=')) } }")
    _, media_type, body = store.query_raw(query, results_type="text/csv", graph_type="text/turtle")
    text = body.decode("utf-8")
    assert media_type.startswith("text/csv")
    assert ("'" + SUPPLIER) in cells(text) and live_formulas(text) == []


def test_the_csv_dump_of_a_formula_supplier_is_inert(formula_client):
    import gzip

    page = BeautifulSoup(formula_client.get("/catalogue", headers={"Accept": "text/html"}).data, "html.parser")
    [doc] = {a["href"] for a in page.find_all("a", href=True) if "/doc/dataset/" in a["href"]}
    dataset = BeautifulSoup(formula_client.get(urlsplit(doc).path, headers={"Accept": "text/html"}).data, "html.parser")
    [dump] = [a["href"] for a in dataset.find_all("a", href=True) if a["href"].endswith(".csv.gz")]
    response = formula_client.get(dump)
    assert response.status_code == 200 and response.headers["X-SVCAT-Content-Type"] == "text/csv"
    text = gzip.decompress(response.data).decode("utf-8")
    assert live_formulas(text) == []
    assert ("'" + SUPPLIER) in cells(text) and ("'" + SERVICE) in cells(text)


def test_the_store_holds_the_names_as_published_never_with_the_exports_quote(formula_store):
    """The quote is for spreadsheets only: linking and the summaries read the store's own answers
    (``results.EXACT_CSV``), so the organisation, its records and the summaries carry the name
    exactly as the council published it (they used to carry ``'=HYPERLINK(...)``)."""
    from catalogue.store.paging import csv_rows

    quoted = csv_rows(formula_store, """SELECT DISTINCT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER(isLiteral(?o) && STRSTARTS(STR(?o), "'")) }""")
    assert quoted == []
    named = csv_rows(formula_store, f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p {json.dumps(SUPPLIER)} }} }}""")
    graphs = {row["g"] for row in named}
    assert any("/linkset" in g for g in graphs), graphs  # the organisation made by the link is named so
    assert len(graphs) >= 2, graphs


def test_internal_reads_are_exact_on_every_path(formula_store):
    """Unlimited (the engine writes the CSV) and row-limited (paged, written by us) alike."""
    from catalogue.store.embedded import EmbeddedStore
    from catalogue.store.paging import all_rows, csv_rows

    values = [SUPPLIER, SERVICE, DESCRIPTION, "-", "+44 161", 'a "quoted", \n two-line name']
    query = "SELECT ?v WHERE { VALUES ?v { " + " ".join(json.dumps(v) for v in values) + " } }"
    assert [r["v"] for r in csv_rows(formula_store, query)] == values
    capped = EmbeddedStore(None, mode="write", result_limit=2)
    try:
        assert sorted(r["v"] for r in all_rows(capped, query, "?v", page=2)) == sorted(values)
    finally:
        capped.close()


def test_every_backend_answers_the_catalogues_own_readers_exactly(store):
    """The embedded store and Virtuoso (its JSON, written here as exact CSV) alike."""
    from catalogue.store.paging import csv_rows

    values = [SUPPLIER, SERVICE, DESCRIPTION, "-", "Plain Ltd"]
    query = "SELECT ?v WHERE { VALUES ?v { " + " ".join(json.dumps(v) for v in values) + " } }"
    assert sorted(r["v"] for r in csv_rows(store, query)) == sorted(values)
