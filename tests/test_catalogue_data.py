"""The machine-readable catalogue: DCAT 3, VoID, dumps, sitemap, validators and CORS."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

from bs4 import BeautifulSoup
from rdflib import Dataset, Graph, Literal, URIRef

from catalogue.vocab import DCAT, DCTERMS, RDF, SV, VOID
from tests.conftest import BASE, OGL, REAL

LEEDS_DATASET = "dataset/E08000035/spend/2013-12"
OXFORD_DATASET = "dataset/E07000178/spend/expenditure-over-500-oct-dec-2017"


def test_catalogue_is_dcat_in_turtle_and_json_ld(client):
    graphs = {}
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        response = client.get("/catalogue", headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        graphs[fmt] = Graph().parse(data=response.data, format=fmt)
    graph = graphs["turtle"]
    assert len(graph) == len(graphs["json-ld"])
    catalogue = URIRef(f"{BASE}id/catalogue")
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert len(datasets) == 10
    service = graph.value(catalogue, DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{BASE}sparql")
    for dataset in datasets:
        assert (service, DCAT.servesDataset, dataset) in graph
        assert graph.value(dataset, DCTERMS.license) == URIRef(OGL)
        assert graph.value(dataset, DCTERMS.publisher) is not None
        downloads = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)}
        assert f"{BASE}dumps/{str(dataset)[len(BASE) + len('id/dataset/'):]}.nq.gz" in downloads
    # validation issue details stay on each dataset's own record
    assert not list(graph.subjects(RDF.type, SV.ValidationIssue))
    by_suffix = Graph().parse(data=client.get("/catalogue.ttl").data, format="turtle")
    assert len(by_suffix) == len(graph)


def test_catalogue_page_lists_every_dataset_with_its_facts(client):
    soup = BeautifulSoup(client.get("/catalogue", headers={"Accept": "text/html"}).data, "html.parser")
    headers = [th.get_text(" ", strip=True).rstrip(" ▲▼") for th in soup.select("thead th")]
    for wanted in ("Dataset", "Publisher", "From", "To", "Rows", "Licence", "Validation", "Download"):
        assert wanted in headers
    assert len(soup.select("tbody tr")) == 10
    oxford = next(tr for tr in soup.select("tbody tr") if "Oxford" in tr.get_text())
    assert "36 warnings" in oxford.get_text()
    rows = client.get("/catalogue.json").get_json()["rows"]
    assert all(r["dump"].endswith(".nq.gz") for r in rows)


def test_dataset_page_shows_record_history_report_rows_and_downloads(client):
    soup = BeautifulSoup(client.get(f"/doc/{OXFORD_DATASET}", headers={"Accept": "text/html"}).data, "html.parser")
    text = soup.get_text(" ", strip=True)
    assert "Oxford City Council" in text and "Open Government Licence" in text
    for heading in ("Record", "Downloads", "Change history", "Validation report", "A sample of rows"):
        assert soup.find("h2", string=heading), heading
    issues = client.get(f"/{OXFORD_DATASET}/issues.json?_size=max").get_json()
    assert issues["total"] == 36 and all(r["row"] and r["message"] for r in issues["rows"])
    rows = client.get(f"/{OXFORD_DATASET}/rows.json?_size=10&_page=3").get_json()
    assert rows["page"] == 3 and [r["row"] for r in rows["rows"]] == list(range(22, 32))
    assert soup.find("a", href=f"/dumps/{OXFORD_DATASET[len('dataset/'):]}.nq.gz")


def test_dataset_dump_is_gzipped_n_quads_of_its_graph(client, loaded_store):
    response = client.get(f"/dumps/{LEEDS_DATASET[len('dataset/'):]}.nq.gz")
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    data = Dataset()
    data.parse(data=gzip.decompress(response.data), format="nquads")
    graphs = {str(g.identifier) for g in data.graphs() if len(g)}
    assert len(graphs) == 1 and graphs.pop().startswith(f"{BASE}graph/E08000035/spend/2013-12/")
    triples = int(loaded_store.select(f"""SELECT ?t WHERE {{ <{BASE}id/{LEEDS_DATASET}>
        <{VOID.triples}> ?t }}""").rows[0]["t"])
    assert sum(len(g) for g in data.graphs()) == triples
    assert client.get("/dumps/E99999999/spend/x.nq.gz").status_code == 404


def test_whole_store_dump(client, loaded_store):
    response = client.get("/dumps/all.nq.gz")
    lines = gzip.decompress(response.data).splitlines()
    total = int(loaded_store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]["n"])
    assert len(lines) == total


def test_void_describes_the_store_and_its_linksets(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 303 and response.headers["Location"].endswith("/void")
    graph = Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    whole = URIRef(f"{BASE}void#catalogue")
    assert graph.value(whole, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    assert graph.value(whole, VOID.dataDump) == URIRef(f"{BASE}dumps/all.nq.gz")
    linksets = {s: graph.value(s, VOID.linkPredicate) for s in graph.subjects(RDF.type, VOID.Linkset)}
    assert SV.canonicalOrganisation in linksets.values() and SV.area in linksets.values()
    areas = next(s for s, p in linksets.items() if p == SV.area)
    assert graph.value(areas, VOID.triples) == Literal(10)
    suppliers = URIRef(f"{BASE}void#suppliers")
    assert int(graph.value(suppliers, VOID.entities)) > 1000


def test_sitemap_lists_councils_and_datasets(client):
    root = ET.fromstring(client.get("/sitemap.xml").data)
    urls = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert f"{BASE}doc/council/E08000035" in urls and f"{BASE}doc/{LEEDS_DATASET}" in urls
    assert f"{BASE}catalogue" in urls and len(urls) >= 27


def test_conditional_get_on_pages_and_data(client):
    for url in ("/", "/catalogue", "/catalogue.ttl", "/council/E08000035/months.csv", "/doc/council/E08000035",
                "/council/E08000035/months.svg", "/void"):
        first = client.get(url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag, url
        since = client.get(url, headers={"If-Modified-Since": modified})
        assert since.status_code == 304, url
        old = format_datetime(datetime.now(timezone.utc) - timedelta(days=3650), usegmt=True)
        assert client.get(url, headers={"If-Modified-Since": old}).status_code == 200
    html = client.get("/catalogue", headers={"Accept": "text/html"}).headers["ETag"]
    turtle = client.get("/catalogue", headers={"Accept": "text/turtle"}).headers["ETag"]
    assert html != turtle  # one tag per representation


def test_a_new_load_changes_the_validators(memory_store):
    from catalogue.app import create_app
    from catalogue.ingest import load_file

    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": memory_store, "SVCAT_BASE_URI": BASE})
    client = app.test_client()
    before = client.get("/catalogue.json")
    load_file(memory_store, "spend", REAL / "calderdale" / "2022-08.csv", base=BASE, publisher="E08000033",
              licence=OGL)
    after = client.get("/catalogue.json", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["total"] == before.get_json()["total"] + 1


def test_cors_on_data_urls(client):
    for url in ("/catalogue.ttl", "/void", "/dumps/all.nq.gz", "/council/E08000035/suppliers.csv",
                "/council/E08000035/months.json", "/doc/council/E08000035.ttl", "/sitemap.xml"):
        response = client.get(url, headers={"Origin": "https://example.org"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_dataset_history_lists_loads_and_reloads(memory_store):
    from catalogue.app import create_app
    from catalogue.ingest import load_file

    for _ in range(2):
        load_file(memory_store, "spend", REAL / "calderdale" / "2022-08.csv", base=BASE, publisher="E08000033",
                  licence=OGL)
    client = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": memory_store, "SVCAT_BASE_URI": BASE}).test_client()
    history = client.get("/dataset/E08000033/spend/2022-08/history.json").get_json()
    assert [r["what"] for r in history["rows"]] == ["reload", "firstLoad"]
    assert history["rows"][0]["rowsAdded"] == 0 and history["rows"][0]["rowsRemoved"] == 0
    assert history["rows"][1]["rowsAdded"] == 1956
    soup = BeautifulSoup(client.get("/doc/dataset/E08000033/spend/2022-08", headers={"Accept": "text/html"}).data,
                         "html.parser")
    assert "reload" in soup.select_one("#table-history").get_text()
