"""Pages escape what councils publish, carry security headers, and refuse oversized bodies.

``script-in-supplier-name.csv`` is a spend file (Leeds's dialect) whose supplier names are
HTML and SPARQL injections; it goes through the real loader and store and is rendered."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from catalogue.app import create_app
from catalogue.ingest import load_file
from catalogue.store.embedded import EmbeddedStore
from tests.conftest import BASE, DATA, OGL

HOSTILE = DATA / "spend" / "script-in-supplier-name.csv"
NAMES = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)> LTD',
         'ACME } ; INSERT DATA { <http://x/a> <http://x/b> "c" } #', 'Multi\nline > "quoted" } supplier',
         "javascript:alert(1)"]
SUPPLIERS = ("PREFIX sv: <https://w3id.org/svcat/def#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?s ?name WHERE { ?s a sv:Supplier ; rdfs:label ?name }")


class Tags(HTMLParser):
    """Every start tag and attribute of a page, as a browser's parser sees them."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_app():
    store = EmbeddedStore(None, mode="write")
    assert load_file(store, "spend", HOSTILE, base=BASE, licence=OGL).loaded
    return create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE})


def _doc_path(iri: str) -> str:
    return "/doc/" + iri[len(BASE) + 3:]


def _assert_inert(page: str) -> Tags:
    parsed = Tags(page)
    assert not [t for t, _ in parsed.tags if t in ("script", "img", "iframe", "object")]
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").lower().startswith("javascript:"), (tag, attrs)
    return parsed


def test_supplier_names_are_stored_exactly_and_nothing_else_is_written(hostile_app):
    store = hostile_app.config["SVCAT_STORE_OBJECT"]
    names = {str(r["name"]) for r in store.select(SUPPLIERS).rows}
    assert names == set(NAMES)
    assert not store.select("ASK { <http://x/a> ?p ?o }").boolean


def test_supplier_pages_escape_the_names(hostile_app):
    client = hostile_app.test_client()
    store = hostile_app.config["SVCAT_STORE_OBJECT"]
    for row in store.select(SUPPLIERS).rows:
        response = client.get(_doc_path(str(row["s"])), headers={"Accept": "text/html"})
        assert response.status_code == 200
        parsed = _assert_inert(response.get_data(as_text=True))
        assert str(row["name"]) in "".join(parsed.text)  # shown, as text


def test_line_pages_and_home_escape_them_too(hostile_app):
    client = hostile_app.test_client()
    for n in range(2, 7):
        response = client.get(f"/doc/dataset/E08000035/spend/script-in-supplier-name/line/{n}",
                              headers={"Accept": "text/html"})
        assert response.status_code == 200
        _assert_inert(response.get_data(as_text=True))
    _assert_inert(client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True))


def test_rdf_views_carry_the_names_unchanged(hostile_app):
    from rdflib import Graph

    client = hostile_app.test_client()
    store = hostile_app.config["SVCAT_STORE_OBJECT"]
    for row in store.select(SUPPLIERS).rows:
        body = client.get(_doc_path(str(row["s"])), headers={"Accept": "text/turtle"}).get_data(as_text=True)
        graph = Graph().parse(data=body, format="turtle")
        assert str(row["name"]) in {str(o) for o in graph.objects()}


PAGES = [
    ("/", "text/html"), ("/doc/council/E08000035", "text/html"), ("/sparql", "text/html"),
    ("/no-such-page", "text/html"), ("/doc/council/E99999999", "text/html"),
    ("/", "application/json"), ("/doc/council/E08000035", "text/turtle"),
    ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"), ("/sparql?query=SELEC", "application/json"),
]


@pytest.mark.parametrize("path,accept", PAGES)
def test_every_page_type_carries_security_headers(client, path, accept):
    response = client.get(path, headers={"Accept": accept})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if response.mimetype == "text/html":
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_oversized_query_bodies_are_refused_with_413(app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    client = app.test_client()
    padding = "#" * (limit + 10) + "\nASK {}"
    for kwargs in ({"data": padding, "content_type": "application/sparql-query"},
                   {"data": {"query": padding}}):
        response = client.post("/sparql", headers={"Accept": "application/json"}, **kwargs)
        assert response.status_code == 413
        body = json.loads(response.data)
        assert body["ok"] is False and body["status"] == 413
    small = client.post("/sparql", data="ASK {}", content_type="application/sparql-query")
    assert small.status_code == 200


def test_oversized_chunked_bodies_are_refused_by_the_real_server(served):
    """Without a Content-Length (chunked), the limit still holds under gunicorn."""
    import requests

    def chunks():
        for _ in range(2_000):
            yield b"#" * 1_000 + b"\n"
        yield b"ASK {}"

    response = requests.post(served + "/sparql", data=chunks(), timeout=60,
                             headers={"Content-Type": "application/sparql-query", "Accept": "application/json"})
    assert response.status_code == 413 and response.json()["status"] == 413
