"""The public endpoint cannot write, cannot be made to call other hosts, and refuses
non-SPARQL pragmas; a listener on 127.0.0.1 proves that no request ever leaves."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.errors import BadQuery, FederationRefused, UpdateRefused
from catalogue.store.policy import check_public_query


class Listener:
    """A TCP server on 127.0.0.1 that counts who connects (and answers nothing)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.hits = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


def service_queries(url: str) -> list[str]:
    """SERVICE written every way Oxigraph accepts (it matches keywords without a word boundary)."""
    p = f"PREFIX : <{url}> PREFIX service: <{url}s/> "
    return [
        f"SELECT * WHERE {{ SERVICE <{url}a> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}b> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{url}c>{{ ?s ?p ?o }} }}",
        p + "SELECT * WHERE { SERVICE:d{ ?s ?p ?o } }",
        p + "SELECT * WHERE { service:e { ?s ?p ?o } }",
        p + "SELECT * WHERE { SERVICE SILENT:f { ?s ?p ?o } }",
        p + "SELECT * WHERE { SERVICESILENT:g { ?s ?p ?o } }",
        p + "SELECT * WHERE { ?x ?y ?z FILTER EXISTS { SERVICE :h { ?s ?p ?o } } }",
        p + "SELECT * WHERE { { SELECT * WHERE { SERVICE :i { ?s ?p ?o } } } }",
        p + "DESCRIBE ?s WHERE { SERVICE :j { ?s ?p ?o } }",
        p + "ASK { OPTIONAL { SERVICE :k { ?s ?p ?o } } }",
        f"BASE <{url}> SELECT * WHERE {{ SERVICE <l> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}m> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        p + "SELECT * WHERE { ?s ?p ?o . # comment\nSERVICE :n { ?s ?p ?o } }",
        p + "SELECT * WHERE { ?s :p\\#x ?o . SERVICE :o { ?s ?p ?o } }",
    ]


@pytest.fixture(scope="module")
def data():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("o"), ox.NamedNode("http://example.org/g")))
    return store


def _run(store, query: str) -> None:
    try:
        result = store.query(query, use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass


def test_every_spelling_of_service_is_refused_and_nothing_leaves(listener, data):
    for query in service_queries(listener.url):
        with pytest.raises(FederationRefused):
            check_public_query(query)
    # Without the check the engine would have called out: the listener would have counted it.
    assert listener.hits == 0
    _run(data, service_queries(listener.url)[0])
    assert listener.hits == 1


def test_federation_allows_only_the_listed_endpoints(listener):
    allowed = (listener.url + "a",)
    check_public_query(service_queries(listener.url)[0], allowed)
    for query in service_queries(listener.url)[1:]:
        with pytest.raises(FederationRefused):
            check_public_query(query, allowed)


def test_service_text_inside_strings_iris_and_comments_is_just_text():
    check_public_query('SELECT * WHERE { ?s ?p "SERVICE <http://10.0.0.1/> { }" }')
    check_public_query("SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://x/>")
    check_public_query("PREFIX sv: <https://w3id.org/svcat/def#> SELECT * WHERE { ?s sv:serviceArea ?o }")
    check_public_query("SELECT ?service WHERE { ?service ?p ?o }")


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://169.254.169.254/latest/meta-data/>",
    "DROP ALL", "CLEAR DEFAULT", "CREATE GRAPH <http://a/g>", "COPY DEFAULT TO <http://a/g>",
    "WITH <http://a/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; insert data { <http://a/b> <http://a/c> 1 }",
])
def test_updates_are_refused_whatever_way_they_come(client, query):
    with pytest.raises(UpdateRefused):
        check_public_query(query)
    for response in (
        client.get("/sparql", query_string={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", data=query, content_type="application/sparql-query"),
        client.post("/sparql", data=query, content_type="application/sparql-update"),
        client.post("/sparql", data={"update": query}),
    ):
        assert response.status_code == 403, (query, response.data)
        assert response.get_json()["ok"] is False


@pytest.mark.parametrize("query", [
    'DEFINE get:soft "replace" SELECT * FROM <http://10.0.0.1/> WHERE { ?s ?p ?o }',
    "SELECT * WHERE { ?s ?p ?o FILTER(bif:contains(?o, 'x')) }",
    "SELECT (sql:read_file('/etc/passwd') AS ?x) WHERE { }",
])
def test_virtuoso_pragmas_and_undeclared_prefixes_are_refused(client, query):
    with pytest.raises(BadQuery):
        check_public_query(query)
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and response.get_json()["error"]


def test_the_endpoint_refuses_service_with_403_and_a_reason(client, listener):
    response = client.get("/sparql", query_string={"query": service_queries(listener.url)[0]})
    assert response.status_code == 403 and "SERVICE" in response.get_json()["error"]
    assert listener.hits <= 1  # only the engine call made on purpose in the test above


def test_a_sandboxed_query_worker_has_no_network(listener):
    """Where Linux allows it, workers run with no network at all (a second line of defence)."""
    script = ("import socket, sys\nfrom catalogue.store.worker import isolate_network\n"
              f"isolated = isolate_network()\ns = socket.socket()\ns.settimeout(5)\n"
              f"try:\n    s.connect(('127.0.0.1', {listener.port}))\n    reached = True\n"
              "except OSError:\n    reached = False\nprint(isolated, reached)\n")
    before = listener.hits
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    isolated, reached = out.stdout.split()
    assert (isolated, reached) in {("True", "False"), ("False", "True")}, out.stdout + out.stderr
    assert listener.hits - before == (1 if reached == "True" else 0)


# ------------------------------------------------------------------ differential fuzzing

FRAGMENTS = [
    "SERVICE", "service", "SILENT", "SERVICESILENT", "Service:", ":x", "<{url}>", "<{url}q>", "?e", "{", "}",
    "{ ?s ?p ?o }", ".", "#", "\n", " ", '"', "'", '"""', "\\", "\\#", "<", ">", "?s ?p ?o", "FILTER EXISTS",
    "OPTIONAL", "BIND(<{url}> AS ?e)", "GRAPH ?g", "UNION", "a", ":p\\#", "'SERVICE'", "<x#>", "\u00a0",
    "<a\u00a0'b>", "# SERVICE <{url}>", "BASE <{url}>", "\"\"\"SERVICE\"\"\"",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12))
def test_whatever_passes_the_check_never_calls_out(listener, data, parts):
    """Random queries: if the check lets one through, the engine must not contact anyone."""
    body = " ".join(parts).replace("{url}", listener.url)
    query = f"PREFIX : <{listener.url}> PREFIX service: <{listener.url}> SELECT * WHERE {{ ?s ?p ?o . {body} }}"
    for text in (query, query.replace(" ", "")):
        before = listener.hits
        try:
            check_public_query(text)
        except (FederationRefused, BadQuery, UpdateRefused):
            continue
        _run(data, text)
        assert listener.hits == before, text
