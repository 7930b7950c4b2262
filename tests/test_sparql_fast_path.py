"""What the cheaper ``/sparql`` path must keep: threaded gunicorn workers still stop a query
at its time limit while the other thread answers, refusals are never remembered as passes,
big replies cross the query-worker pipe whole, and a view's own headers win."""

from __future__ import annotations

import threading

import pytest
import requests
from flask import Flask, Response

from catalogue.errors import FederationRefused, UpdateRefused
from catalogue.store import QueryLimits, open_store
from catalogue.store.policy import check_public_query
from tests.conftest import BASE
from tests.servers import gunicorn
from tests.test_query_limits import HARROGATE_LINES, LINES, PATHOLOGICAL
from tests.test_sparql_fast import store_path  # noqa: F401 (the Harrogate store both modules serve)

ACCEPT = {"Accept": "application/sparql-results+json"}


def count(response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_one_threaded_worker_answers_while_its_other_thread_is_stopped(store_path):
    """gunicorn.conf.py's gthread worker: a pathological query is stopped (503) at the
    limit, and meanwhile the same single web process answers simple queries."""
    env = {"SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE, "SVCAT_QUERY_TIMEOUT": "4"}
    with gunicorn(env, workers=1, ready_path="/sparql?query=ASK%7B%7D") as url:
        slow: list[requests.Response] = []
        runner = threading.Thread(target=lambda: slow.append(
            requests.get(url + "/sparql", params={"query": PATHOLOGICAL}, headers=ACCEPT, timeout=60)))
        runner.start()
        answers = []
        with requests.Session() as session:  # one kept-alive connection for all of them
            while runner.is_alive() and len(answers) < 200:
                answers.append(session.get(url + "/sparql", params={"query": LINES}, headers=ACCEPT, timeout=60))
        runner.join()
        assert answers and all(a.status_code == 200 and count(a) == HARROGATE_LINES for a in answers)
        assert all(a.headers.get("Connection", "").lower() != "close" for a in answers)
        assert slow[0].status_code == 503 and "SVCAT_QUERY_TIMEOUT" in slow[0].text
        after = requests.get(url + "/sparql", params={"query": LINES}, headers=ACCEPT, timeout=60)
        assert after.status_code == 200 and count(after) == HARROGATE_LINES
        assert after.headers["Access-Control-Allow-Origin"] == "*"


def test_refusals_are_not_remembered_and_passes_depend_on_the_settings():
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    check_public_query(service, ("http://example.org/sparql",), "http://a/sparql")  # allowed there
    for _ in range(2):
        with pytest.raises(FederationRefused):
            check_public_query(service, (), "http://a/sparql")
    relative = "SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }"
    check_public_query(relative, ("http://example.org/sparql",), "http://example.org/")
    with pytest.raises(FederationRefused):  # the same text resolves elsewhere under another base
        check_public_query(relative, ("http://example.org/sparql",), "http://b/")
    for _ in range(2):
        with pytest.raises(UpdateRefused):
            check_public_query("DELETE WHERE { ?s ?p ?o }")


def test_a_reply_of_megabytes_crosses_the_pipe_whole(store_path):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    inline = open_store(store_path, "read")
    guarded = open_store(store_path, "read", QueryLimits(timeout=60, result_limit=None, workers=1))
    try:
        kinds = {"results_type": "application/sparql-results+json", "graph_type": "application/n-triples"}
        expected = inline.query_raw(query, **kinds)[2]
        for _ in range(2):  # the second reply must not be mixed with what was left of the first
            body = guarded.query_raw(query, **kinds)[2]
            assert len(body) > 2 << 20
            assert sorted(body.splitlines()) == sorted(expected.splitlines())
        assert count_rows(guarded) == HARROGATE_LINES
    finally:
        guarded.close()
        inline.close()


def count_rows(store) -> int:
    return int(store.select(LINES).rows[0]["n"])


def test_headers_a_view_sets_itself_are_kept():
    from catalogue.web import _cors_and_security

    app = Flask(__name__)
    with app.test_request_context("/"):
        response = Response("x", mimetype="application/json")
        response.headers["access-control-allow-origin"] = "https://one.example"
        _cors_and_security(response)
        assert response.headers.getlist("Access-Control-Allow-Origin") == ["https://one.example"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "ETag" in response.headers["Access-Control-Expose-Headers"]
