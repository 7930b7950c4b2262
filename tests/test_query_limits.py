"""Query limits with real worker processes: a query past its time limit is stopped, its
CPU freed and the next query answered; long results are cut and say so."""

from __future__ import annotations

import csv
import io
import json
import signal
import time

import pyoxigraph as ox
import pytest

from catalogue.app import create_app
from catalogue.ingest import load_file
from catalogue.store import QueryLimits, open_store
from catalogue.store.pool import QueryWorker
from tests import procs
from tests.conftest import BASE, OGL, REAL

#: A cross product of the whole store, five deep: it would run for hours.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j }"
LINES = "SELECT (COUNT(*) AS ?n) WHERE { ?l <http://reference.data.gov.uk/def/payment#netAmount> [] }"
HARROGATE_LINES = 2168


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("limits") / "store")
    with open_store(path, "write") as writer:
        outcome = load_file(writer, "spend", REAL / "harrogate" / "2015-04.csv", base=BASE, licence=OGL)
        assert outcome.loaded
    return path


@pytest.fixture
def app(store_path):
    app = create_app({"TESTING": True, "SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE,
                      "SVCAT_QUERY_TIMEOUT": 2.0, "SVCAT_RESULT_LIMIT": 50, "SVCAT_QUERY_WORKERS": 2})
    yield app
    with app.app_context():
        from catalogue.web import get_store

        get_store().close()


def _idle(pids) -> bool:
    """No process in ``pids`` uses CPU over a short look."""
    before = {pid: procs.cpu_ticks(pid) for pid in pids}
    time.sleep(0.5)
    return all(procs.cpu_ticks(pid) == ticks for pid, ticks in before.items())


def _count(response) -> int:
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_query_past_the_time_limit_is_killed_and_the_next_one_answers(app, store_path):
    client = app.test_client()
    assert _count(client.get("/sparql", query_string={"query": LINES})) == HARROGATE_LINES
    before = procs.query_workers(store_path)
    assert len(before) == 1

    response = client.get("/sparql", query_string={"query": PATHOLOGICAL}, headers={"Accept": "application/json"})
    assert response.status_code == 503
    body = response.get_json()
    assert body["ok"] is False and "SVCAT_QUERY_TIMEOUT" in body["error"] and body["title"] == "Query timed out"

    # The worker that ran it is gone, not left burning CPU; its replacement is idle.
    assert not any(procs.exists(pid) for pid in before)
    assert _count(client.get("/sparql", query_string={"query": LINES})) == HARROGATE_LINES
    after = procs.query_workers(store_path)
    assert after and not (after & before) and _idle(after)


def test_pages_are_held_to_the_time_limit_too(store_path):
    app = create_app({"TESTING": True, "SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE,
                      "SVCAT_QUERY_TIMEOUT": 0.000001, "SVCAT_QUERY_WORKERS": 1})
    response = app.test_client().get("/", headers={"Accept": "text/html"})
    assert response.status_code == 503 and "Query timed out" in response.get_data(as_text=True)
    with app.app_context():
        from catalogue.web import get_store

        store = get_store()
        assert store.pool.killed == 1
        store.close()
    assert procs.query_workers(store_path) == set()


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_long_select_results_are_cut_at_the_limit_and_say_so(app, fmt):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 80"
    response = app.test_client().get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200
    assert response.headers["X-SVCAT-Truncated"] == "true" and response.headers["X-SVCAT-Result-Limit"] == "50"
    assert "SVCAT_RESULT_LIMIT" in response.headers["X-SVCAT-Message"]
    if fmt == "csv":  # lossy: pyoxigraph does not read it back
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    else:
        rows = list(ox.parse_query_results(response.data, format=ox.QueryResultsFormat.from_media_type(
            response.mimetype)))
    assert len(rows) == 50


def test_results_within_the_limit_are_whole_and_unmarked(app):
    response = app.test_client().get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"})
    assert response.status_code == 200 and "X-SVCAT-Truncated" not in response.headers
    assert len(response.get_json()["results"]["bindings"]) == 50


def test_long_construct_results_are_cut_too(app):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = app.test_client().get("/sparql", query_string={"query": query},
                                     headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.headers["X-SVCAT-Truncated"] == "true"
    assert len(response.data.decode().strip().splitlines()) == 50


def test_a_worker_that_dies_mid_query_is_replaced(app, store_path):
    client = app.test_client()
    client.get("/sparql", query_string={"query": LINES})
    (victim,) = procs.query_workers(store_path)
    import os
    import threading

    threading.Timer(0.5, os.kill, (victim, signal.SIGKILL)).start()
    response = client.get("/sparql", query_string={"query": PATHOLOGICAL}, headers={"Accept": "application/json"})
    assert response.status_code == 503 and "replaced" in response.get_json()["error"]
    assert _count(client.get("/sparql", query_string={"query": LINES})) == HARROGATE_LINES


def test_a_worker_whose_parent_is_gone_stops_itself(store_path):
    """Its own timer ends a query if the parent cannot (SIGALRM); an idle one exits on EOF."""
    busy = QueryWorker(store_path, sandbox=False)
    busy.start(time.monotonic() + 60)
    from catalogue.store import worker as wire

    wire.send(busy.proc.stdin.fileno(), {"op": "answer", "sparql": PATHOLOGICAL, "hard_limit": 1.0})
    assert busy.proc.wait(timeout=120) == -signal.SIGALRM

    idle = QueryWorker(store_path, sandbox=False)
    idle.start(time.monotonic() + 60)
    idle.proc.stdin.close()
    assert idle.proc.wait(timeout=60) == 0
    idle.proc.stdout.close()
    busy.proc.stdin.close()
    busy.proc.stdout.close()


def test_pool_store_answers_like_the_store_itself(store_path):
    guarded = open_store(store_path, "read", QueryLimits(timeout=30, result_limit=None, workers=1))
    plain = open_store(store_path, "read")
    try:
        query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s"
        assert guarded.select(query).rows == plain.select(query).rows
        describe = f"DESCRIBE <{BASE}id/council/E07000165>"
        assert sorted(guarded.construct(describe)) == sorted(plain.construct(describe))
        kind, media_type, body = guarded.query_raw(LINES, results_type="application/sparql-results+json",
                                                   graph_type="text/turtle")
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(HARROGATE_LINES)
        assert guarded.graphs() == plain.graphs()
    finally:
        guarded.close()
        plain.close()


def test_a_query_past_the_memory_limit_is_stopped(store_path):
    """A sorted cross product would fill the machine's memory; it is stopped at the limit."""
    app = create_app({"TESTING": True, "SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE,
                      "SVCAT_QUERY_TIMEOUT": 300.0, "SVCAT_QUERY_MEMORY_MB": 300, "SVCAT_QUERY_WORKERS": 1})
    client = app.test_client()
    hungry = "SELECT ?a ?c WHERE { ?a ?p ?b . ?c ?q ?d } ORDER BY ?b ?d LIMIT 1"
    response = client.get("/sparql", query_string={"query": hungry}, headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.get_json()["title"] == "Query used too much memory"
    assert _count(client.get("/sparql", query_string={"query": LINES})) == HARROGATE_LINES
    with app.app_context():
        from catalogue.web import get_store

        store = get_store()
        assert store.pool.killed == 1
        store.close()
    assert procs.query_workers(store_path) == set()
