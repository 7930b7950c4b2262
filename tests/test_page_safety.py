"""Pages escape what councils publish, carry security headers, and refuse oversized bodies.

``script-in-supplier-name.csv`` is a spend file (Leeds's dialect) whose supplier names are
HTML and SPARQL injections; it goes through the real loader and store and is rendered."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from catalogue.app import create_app
from catalogue.ingest import load_file
from catalogue.store.embedded import EmbeddedStore
from tests.conftest import BASE, DATA, OGL

HOSTILE = DATA / "spend" / "script-in-supplier-name.csv"
NAMES = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)> LTD',
         'ACME } ; INSERT DATA { <http://x/a> <http://x/b> "c" } #', 'Multi\nline > "quoted" } supplier',
         "javascript:alert(1)", "Cost $5 and $x^{$ ltd"]
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
    """Only the app's own scripts and images: nothing the data could have written runs."""
    parsed = Tags(page)
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "xlink:href"):
            assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:text")), (tag, attrs)
        if tag == "script":  # our own files, or inert JSON data
            assert (attrs.get("src") or "").startswith("/static/") or attrs.get("type") == "application/json", attrs
        if tag in ("img", "iframe", "object", "embed"):
            assert (attrs.get("src") or "").startswith("/") and tag == "img", (tag, attrs)
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
    for n in range(2, 8):
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


def test_every_page_reachable_from_home_escapes_them(hostile_app):
    """Crawl the site built on the hostile file (and search for the names): all inert."""
    from urllib.parse import urljoin, urlsplit

    client = hostile_app.test_client()
    todo = ["/", "/search?q=script", "/search?q=%3Cscript%3E", "/search?q=onerror", "/search?q=javascript", "/council/E08000035/suppliers"]
    seen, pages, charts = set(todo), 0, 0
    while todo and pages < 200:
        url = todo.pop(0)
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code < 500, (url, response.status_code)
        if response.mimetype == "image/svg+xml":
            _assert_inert(response.get_data(as_text=True))
            charts += 1
        if response.mimetype != "text/html":
            continue
        pages += 1
        parsed = _assert_inert(response.get_data(as_text=True))
        for _, attrs in parsed.tags:
            href = urljoin(url, attrs.get("href") or "")
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith(("/doc/", "/council", "/dataset", "/search", "/social",
                                                            "/outcomes", "/catalogue", "/queries", "/query")):
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if local not in seen:
                    seen.add(local)
                    todo.append(local)
    assert pages > 20 and charts > 0


SAMPLE_ARGS = {"path": "council/E08000035", "gss": "E08000035", "kind": "spend", "key": "2013-12",
               "suffix": "html", "name": "spend", "filename": "style.css", "indicator": "neet"}


def _every_route(app) -> list[str]:
    """One URL for every GET route of the app (arguments filled with sample values)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            path = rule.rule
            for argument in rule.arguments:
                path = re.sub(r"<(?:[^<>:]+:)?%s>" % argument, SAMPLE_ARGS.get(argument, "x"), path)
            urls.append(re.sub(r"<any\([^)]*\):(\w+)>", "html", path))
    return sorted(set(urls)) + ["/sparql?query=ASK%7B%7D", "/sparql?query=SELEC", "/no-such-page"]


@pytest.mark.parametrize("accept", ["text/html", "*/*", "application/json"])
def test_every_page_type_carries_security_headers(app, accept):
    client = app.test_client()
    urls = _every_route(app)
    assert len(urls) > 20
    for url in urls:
        response = client.get(url, headers={"Accept": accept})
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        if response.mimetype == "text/html":
            csp = response.headers.get("Content-Security-Policy", "")
            assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
            assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
            assert response.headers.get("X-Frame-Options") == "DENY", url
            assert response.headers.get("Referrer-Policy") == "same-origin", url


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
