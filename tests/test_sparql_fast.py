"""The ``/sparql`` fast path (``catalogue.web.sparql_fast``) answers exactly as the Flask view.

Every request below goes once through the app as served (fast path in front) and once
straight to Flask's own WSGI callable (``SparqlFastPath.flask``), on a store loaded from a
real council file: the status, every header (the request id aside, which is new each
time unless the client sends one) and the body bytes must be the same, in every result
format, for the refusals and errors too. The plain queries must really take the fast
path (Flask's ``request_started`` signal is not sent for them).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from flask import request_started
from rdflib import Graph
from rdflib.compare import isomorphic
from werkzeug.test import Client

from catalogue.app import create_app
from catalogue.ingest import load_file
from catalogue.store import UNION, open_store
from catalogue.store.embedded import EmbeddedStore
from catalogue.store.sparql_text import row_bound
from catalogue.web.sparql_fast import SparqlFastPath
from tests.conftest import BASE, OGL, REAL

PAY = "http://reference.data.gov.uk/def/payment#"
SELECT = f"SELECT ?line ?amount WHERE {{ ?line <{PAY}netAmount> ?amount }} ORDER BY ?line LIMIT 7"
UNCAPPED = f"SELECT ?line ?amount WHERE {{ ?line <{PAY}netAmount> ?amount }} ORDER BY ?line"
ASK = f"ASK {{ ?line <{PAY}netAmount> ?amount }}"
CONSTRUCT = f"CONSTRUCT {{ ?line <{PAY}netAmount> ?amount }} WHERE {{ ?line <{PAY}netAmount> ?amount }} LIMIT 4"
RELATIVE = "SELECT (<x> AS ?u) (STR(?amount) AS ?text) WHERE { ?l <" + PAY + "netAmount> ?amount } LIMIT 2"
RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json", "*/*", "text/html"]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("fast") / "store")
    with open_store(path, "write") as writer:
        assert load_file(writer, "spend", REAL / "harrogate" / "2015-04.csv", base=BASE, licence=OGL).loaded
    return path


def make_app(store_path: str, **config):
    # werkzeug's bare Client sends no REMOTE_ADDR (not the loopback the limits spare), and
    # this module asks hundreds of queries: the limits are on only where a test sets them
    config.setdefault("SVCAT_CLIENT_RATE", 0)
    app = create_app({"TESTING": True, "SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE,
                      "SVCAT_RESULT_LIMIT": 50, **config})
    assert isinstance(app.wsgi_app, SparqlFastPath)
    return app


@pytest.fixture(scope="module")
def app(store_path):
    app = make_app(store_path)
    yield app
    app.extensions["svcat.store"].popitem()[1].close()


def both(app, method: str, query_string: str = "", **kwargs):
    """(served answer, Flask's answer, whether the served one went through Flask)."""
    flask_seen: list = []

    def seen(sender, **extra):
        flask_seen.append(sender)

    with request_started.connected_to(seen, app):
        served = Client(app).open("/sparql", method=method, query_string=query_string, **kwargs)
    through_flask = bool(flask_seen)
    plain = Client(app.wsgi_app.flask).open("/sparql", method=method, query_string=query_string, **kwargs)
    return served, plain, through_flask


def same(served, plain, request_id_given: bool = False) -> None:
    assert served.status == plain.status
    drop = set() if request_id_given else {"X-Request-Id"}
    assert [h for h in served.headers if h[0] not in drop] == [h for h in plain.headers if h[0] not in drop]
    assert served.get_data() == plain.get_data()
    assert served.headers.get("X-Request-Id")


@pytest.mark.parametrize("accept", RESULT_TYPES)
@pytest.mark.parametrize("query", [SELECT, ASK, RELATIVE], ids=["select", "ask", "relative-iri"])
def test_select_and_ask_in_every_result_format(app, query, accept):
    served, plain, through_flask = both(app, "GET", urlencode({"query": query}), headers={"Accept": accept})
    assert served.status_code == 200 and not through_flask
    same(served, plain)


@pytest.mark.parametrize("accept", GRAPH_TYPES)
def test_construct_in_every_graph_format(app, accept):
    served, plain, through_flask = both(app, "GET", urlencode({"query": CONSTRUCT}), headers={"Accept": accept})
    assert served.status_code == 200 and not through_flask
    same(served, plain)


def test_a_truncated_result_says_so_on_both_paths(app):
    served, plain, through_flask = both(app, "GET", urlencode({"query": UNCAPPED}))
    assert served.status_code == 200 and not through_flask
    assert served.headers["X-SVCAT-Truncated"] == "true" and served.headers["X-SVCAT-Result-Limit"] == "50"
    assert len(served.get_json()["results"]["bindings"]) == 50
    same(served, plain)


@pytest.mark.parametrize("params", [
    {"query": SELECT, "format": "csv"}, {"query": SELECT, "output": "tsv"}, {"query": CONSTRUCT, "format": "nt"},
    {"query": SELECT, "default-graph-uri": BASE + "nowhere"},
    {"query": f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{PAY}netAmount> ?o }} }} GROUP BY ?g",
     "named-graph-uri": BASE + "nowhere"},
], ids=["format-csv", "output-tsv", "format-nt", "default-graph", "named-graph"])
def test_protocol_parameters(app, params):
    served, plain, through_flask = both(app, "GET", urlencode(params))
    assert served.status_code == 200 and not through_flask
    same(served, plain)


@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", urlencode({"query": SELECT}).encode()),
    ("application/x-www-form-urlencoded; charset=UTF-8", urlencode({"query": ASK, "format": "xml"}).encode()),
    ("application/sparql-query", SELECT.encode()),
])
def test_posts(app, content_type, body):
    served, plain, through_flask = both(app, "POST", data=body, headers={"Content-Type": content_type})
    assert served.status_code == 200 and not through_flask
    same(served, plain)


@pytest.mark.parametrize("method, query_string, kwargs, status", [
    ("GET", urlencode({"query": "SELECT * WHERE { ?s ?p }"}), {}, 400),
    ("GET", urlencode({"query": "   "}), {}, 400),
    ("GET", urlencode({"query": SELECT, "format": "yaml"}), {}, 400),
    ("GET", urlencode([("query", SELECT), ("query", ASK)]), {}, 400),
    ("GET", "query=%FF", {}, 400),
    ("GET", urlencode({"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}), {}, 403),
    ("GET", urlencode({"update": "CLEAR ALL"}), {}, 403),
    ("GET", urlencode({"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}), {}, 403),
    ("GET", urlencode({"query": "SELECT * WHERE { ?s bif:contains ?o }"}), {}, 400),
    ("GET", urlencode({"query": SELECT}), {"headers": {"Accept": "text/html"}}, 200),
    ("POST", "", {"data": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}, 403),
    ("POST", "", {"data": b"query=x", "headers": {"Content-Type": "text/plain"}}, 415),
    ("POST", "", {"data": b"query=x"}, 415),
    ("POST", urlencode({"query": ASK}), {"data": SELECT.encode(),
                                         "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ("POST", "", {"data": b"\xff", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ("POST", "", {"data": b"x" * 70_000, "headers": {"Content-Type": "application/sparql-query"}}, 413),
], ids=["syntax", "empty", "unknown-format", "two-queries", "not-utf8", "insert", "update-param", "service",
        "undeclared-prefix", "html-accept", "post-update", "post-text", "post-no-type", "body-and-param",
        "post-not-utf8", "too-large"])
def test_refusals_and_errors_are_answered_by_the_app(store_path, method, query_string, kwargs, status):
    app = make_app(store_path, MAX_CONTENT_LENGTH=65_536)
    try:
        served, plain, _ = both(app, method, query_string, **kwargs)
        assert served.status_code == status
        same(served, plain)
        if status >= 400:
            assert served.get_json()["status"] == status
    finally:
        for store in app.extensions.get("svcat.store", {}).values():
            store.close()


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_no_query_is_the_apps_query_page_or_service_description(app, accept):
    served, plain, through_flask = both(app, "GET", headers={"Accept": accept})
    assert served.status_code == 200 and through_flask
    if accept == "text/turtle":  # the description's blank nodes get new labels each time
        assert isomorphic(Graph().parse(data=served.get_data(), format="turtle"),
                          Graph().parse(data=plain.get_data(), format="turtle"))
        served.set_data(plain.get_data())
    same(served, plain)


def test_a_form_post_without_a_query_is_handed_to_flask_whole(app):
    served, plain, through_flask = both(app, "POST", data=b"format=json",
                                        headers={"Content-Type": "application/x-www-form-urlencoded",
                                                 "Accept": "text/turtle"})
    assert served.status_code == 200 and through_flask
    assert isomorphic(Graph().parse(data=served.get_data(), format="turtle"),
                      Graph().parse(data=plain.get_data(), format="turtle"))


def test_a_clients_request_id_comes_back(app):
    headers = {"X-Request-Id": "client-42", "Accept": "text/csv"}
    served, plain, _ = both(app, "GET", urlencode({"query": SELECT}), headers=headers)
    assert served.headers["X-Request-Id"] == "client-42"
    same(served, plain, request_id_given=True)
    served, plain, _ = both(app, "GET", urlencode({"query": "SELECT"}), headers=headers)
    assert served.status_code == 400 and served.headers["X-Request-Id"] == "client-42"
    same(served, plain, request_id_given=True)


def test_the_per_client_rate_counts_each_request_once(store_path):
    """Burst of 3: three answers, then 429 with Retry-After, on the fast path as in Flask;
    a refused request (400) counts once, not once per path it went through."""
    app = make_app(store_path, SVCAT_CLIENT_RATE=1, SVCAT_CLIENT_BURST=3, SVCAT_CLIENT_LIMIT_LOCAL=True)
    try:
        client = Client(app)
        query = urlencode({"query": SELECT})
        assert client.get("/sparql", query_string=query).status_code == 200
        assert client.get("/sparql", query_string=urlencode({"query": "SELECT"})).status_code == 400
        assert client.get("/sparql", query_string=query).status_code == 200
        refused = client.get("/sparql", query_string=query)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.get_json()["status"] == 429
        assert refused.headers["Access-Control-Allow-Origin"] == "*" and refused.headers["X-Request-Id"]
        assert Client(app).get("/sparql", query_string=query, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code \
            == 200  # another client
    finally:
        for store in app.extensions.get("svcat.store", {}).values():
            store.close()


@pytest.mark.parametrize("query, bound", [
    ("SELECT * { ?s ?p ?o } LIMIT 10", 10),
    ("select * { ?s ?p ?o } limit\n 7 offset 3", 7),
    ("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 5 VALUES ?s { <a:b> }", 5),
    ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } }", None),  # a sub-select's LIMIT bounds nothing outside
    ("SELECT * { ?s ?p ?o } # LIMIT 3", None),
    ("SELECT * { ?s ?p ?o } LIMIT # a comment\n 3", None),  # not plain: counts as none
    ('SELECT ?limit { ?s ?p "LIMIT 3" }', None),
    ("SELECT * { ?s ?p ?o }", None),
])
def test_row_bound_reads_only_the_outermost_limit(query, bound):
    assert row_bound(query) == bound


def test_the_engines_json_is_byte_identical_to_ours_on_a_real_file(store_path):
    """Every triple of a real council file as SPARQL JSON (IRIs, typed and plain literals,
    dates, amounts): written by the engine when the query's LIMIT fits under the cap, by
    ``write_json`` when it does not; the bytes are the same."""
    store = EmbeddedStore(store_path, mode="read")
    try:
        query = "SELECT ?g ?s ?p ?o ?none WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o LIMIT 100000"
        json_type = "application/sparql-results+json"
        native = store.answer(query, UNION, limit=100_000, results_type=json_type)
        ours = store.answer(query, UNION, limit=99_999, results_type=json_type)  # cap below the LIMIT: our writer
        assert not native.truncated and not ours.truncated
        assert native.body == ours.body
        assert len(json.loads(native.body)["results"]["bindings"]) > 30_000
    finally:
        store.close()


def test_a_repeated_get_is_read_the_same_and_a_refused_one_is_refused_again(app):
    """The fast path keeps well-formed GETs' parameters; refusals are never kept."""
    good, bad = urlencode({"query": SELECT, "format": "csv"}), urlencode({"query": "INSERT DATA { <a:b> <a:c> 1 }"})
    first = Client(app).get("/sparql", query_string=good)
    for _ in range(2):
        again = Client(app).get("/sparql", query_string=good)
        assert again.status_code == 200 and again.get_data() == first.get_data()
        assert Client(app).get("/sparql", query_string=bad).status_code == 403


def test_formats_remembered_by_accept_and_format_follow_each_request(app):
    """The (format, Accept) -> formats memo: each pair keeps its own answer, in any order,
    and an unknown ?format= is refused every time (never remembered)."""
    csv, xml = "text/csv", "application/sparql-results+xml"
    json_results = "application/sparql-results+json"
    for _ in range(2):
        for accept, wanted, expected in [(csv, None, "text/csv"), (xml, None, xml), (csv, "json", json_results),
                                         (xml, "tsv", "text/tab-separated-values"), ("*/*", None, json_results)]:
            params = {"query": SELECT, **({"format": wanted} if wanted else {})}
            answer = Client(app).get("/sparql", query_string=urlencode(params), headers={"Accept": accept})
            assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(expected), (accept, wanted)
        refused = Client(app).get("/sparql", query_string=urlencode({"query": SELECT, "format": "bogus"}))
        assert refused.status_code == 400 and b"unknown format" in refused.get_data()


def test_made_request_ids_are_32_hex_digits_and_new_each_time(app):
    ask = urlencode({"query": ASK})
    made = {Client(app).get("/sparql", query_string=ask).headers["X-Request-Id"] for _ in range(5)}
    assert len(made) == 5 and all(len(rid) == 32 and int(rid, 16) >= 0 for rid in made)
