"""NUL and other control characters in a file break no output (issue 20, item 7): XML, JSON,
HTML, N-Triples, N-Quads, Turtle and CSV read back with strict parsers.

Oxford's real October-December 2017 spend file with NUL, vertical tab, form feed and
escape bytes put inside its suppliers' names ("L\\x00TD\\x0b\\x0c\\x1b"): XML 1.0 cannot carry
any of them, and a JSON or N-Triples writer that passed them through raw would be invalid.
The loader removes them with a warning (tests/test_reading_defects.py); here every output a
user reaches is parsed as its format's strict reader would.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from catalogue.app import create_app
from catalogue.ingest import load_file
from catalogue.store.embedded import EmbeddedStore
from catalogue.store.sparql_text import iri
from catalogue.vocab import SV
from tests.conftest import BASE, OGL, REAL

OXFORD = REAL / "oxford" / "expenditure-over-500-oct-dec-2017.csv"
OXFORD_GSS = "E07000178"
CONTROLS = "\x00\x0b\x0c\x1b"
DATASET = "/dataset/E07000178/spend/expenditure-over-500-oct-dec-2017"
DUMP = "/dumps/E07000178/spend/expenditure-over-500-oct-dec-2017"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    raw = OXFORD.read_bytes()
    assert raw.count(b"LTD") > 50
    path = tmp_path_factory.mktemp("controls") / OXFORD.name
    path.write_bytes(raw.replace(b"LTD", b"L\x00TD" + CONTROLS[1:].encode()))
    store = EmbeddedStore(None, mode="write")
    outcome = load_file(store, "spend", path, base=BASE, publisher=OXFORD_GSS, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE, "SVCAT_CLIENT_RATE": 0})
    yield app.test_client(), store
    store.close()


def clean(text: str) -> None:
    assert not any(ch in text for ch in CONTROLS)


def test_sparql_results_in_every_format_parse(client):
    http, _ = client
    query = f"SELECT ?s ?name WHERE {{ ?s a {iri(SV.Supplier)} ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }}"
    answers = {fmt: http.get("/sparql", query_string={"query": query}, headers={"Accept": media})
               for fmt, media in (("xml", "application/sparql-results+xml"), ("json", "application/sparql-results+json"),
                                  ("csv", "text/csv"), ("tsv", "text/tab-separated-values"))}
    assert all(a.status_code == 200 for a in answers.values())
    names = [b.find("{*}literal").text for b in ET.fromstring(answers["xml"].data).iterfind(".//{*}binding")
             if b.get("name") == "name"]
    assert sum("LTD" in n for n in names) > 20 and all(n == n.strip() for n in names if "LTD" in n)
    rows = json.loads(answers["json"].data)["results"]["bindings"]
    assert sorted(r["name"]["value"] for r in rows) == sorted(names)
    assert len(list(csv.reader(io.StringIO(answers["csv"].get_data(as_text=True))))) == len(rows) + 1
    for answer in answers.values():
        clean(answer.get_data(as_text=True))


def test_dumps_parse_as_n_quads_turtle_and_csv(client):
    http, _ = client
    quads = list(ox.parse(gzip.decompress(http.get(DUMP + ".nq.gz").data), format=ox.RdfFormat.N_QUADS))
    triples = list(ox.parse(gzip.decompress(http.get(DUMP + ".ttl.gz").data), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(triples) > 30_000
    labels = [q.object.value for q in quads if isinstance(q.object, ox.Literal) and "LTD" in q.object.value]
    assert labels
    for label in labels:
        clean(label)
    text = gzip.decompress(http.get(DUMP + ".csv.gz").data).decode("utf-8")
    clean(text)
    assert any("LTD" in row.get("payee_label", "") for row in csv.DictReader(io.StringIO(text)))


def test_pages_and_linked_data_views_parse(client):
    http, store = client
    supplier = next(str(r["s"]) for r in store.select(
        f"SELECT ?s WHERE {{ ?s a {iri(SV.Supplier)} ; <http://www.w3.org/2000/01/rdf-schema#label> ?n "
        f"FILTER(CONTAINS(?n, 'LTD')) }} LIMIT 1").rows)
    doc = "/doc/" + supplier[len(BASE) + len("id/"):]
    views = {media: http.get(doc, headers={"Accept": media}) for media in (
        "text/html", "application/rdf+xml", "application/ld+json", "application/n-triples", "text/turtle")}
    assert all(v.status_code == 200 for v in views.values()), {m: v.status_code for m, v in views.items()}
    ET.fromstring(views["application/rdf+xml"].data)
    json.loads(views["application/ld+json"].data)
    assert list(ox.parse(views["application/n-triples"].data, format=ox.RdfFormat.N_TRIPLES))
    assert list(ox.parse(views["text/turtle"].data, format=ox.RdfFormat.TURTLE))
    for view in views.values():
        clean(view.get_data(as_text=True))
    for path in (DATASET + "/rows", DATASET + "/rows.json", DATASET + "/rows.csv", "/catalogue.ttl"):
        answer = http.get(path, headers={"Accept": "text/html"})
        assert answer.status_code == 200, path
        clean(answer.get_data(as_text=True))
    json.loads(http.get(DATASET + "/rows.json").data)
