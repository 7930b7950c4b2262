"""Queries proven cheap run in the web process (``catalogue.store.cheap``); nothing else does.

A query a worker answered quickly on the published snapshot is answered in-process the
next time, with the same bytes; a slow query keeps going to a worker and is still stopped
at the time limit every time; SERVICE queries never run in-process; a new snapshot forgets
every proof; ``inprocess_ms=0`` turns it off.
"""

from __future__ import annotations

import pytest

from catalogue.errors import QueryTimeout
from catalogue.ingest import load_file
from catalogue.store import QueryLimits, open_store
from catalogue.store.cheap import CheapQueries
from tests.conftest import BASE, OGL, REAL
from tests.test_query_limits import PATHOLOGICAL

PAY = "http://reference.data.gov.uk/def/payment#"
SMALL = f"SELECT ?line ?amount WHERE {{ ?line <{PAY}netAmount> ?amount }} ORDER BY ?line LIMIT 5"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("cheap") / "store")
    with open_store(path, "write") as writer:
        assert load_file(writer, "spend", REAL / "harrogate" / "2015-04.csv", base=BASE, licence=OGL).loaded
    return path


class Counted:
    """The store's own pool, counting the queries sent to its workers."""

    def __init__(self, pool):
        self.pool, self.calls = pool, 0

    def run(self, request, timeout):
        self.calls += 1
        return self.pool.run(request, timeout)

    def __getattr__(self, name):
        return getattr(self.pool, name)


def guarded(path: str, **limits):
    store = open_store(path, "read", limits=QueryLimits(**{"timeout": 30.0, **limits}))
    store.pool = Counted(store.pool)
    return store


def raw(store, query: str):
    return store.query_raw(query, results_type=JSON, graph_type="text/turtle", base_iri=BASE + "sparql")


def test_a_quick_query_is_answered_in_process_the_second_time_with_the_same_bytes(store_path):
    with guarded(store_path, inprocess_ms=2000) as store:  # generous: a loaded test machine is slow
        first = raw(store, SMALL)
        assert store.pool.calls == 1
        again = [raw(store, SMALL) for _ in range(3)]
        assert store.pool.calls == 1  # no worker hop any more
        assert all(tuple(a) == tuple(first) for a in again)
        assert len(first[2]) > 100
        rows = store.select(SMALL)  # a page's query (rows, not bytes) is a different key: a worker first
        assert store.pool.calls == 2 and len(rows) == 5
        assert [r["line"] for r in store.select(SMALL)] == [r["line"] for r in rows] and store.pool.calls == 2


def test_a_slow_query_is_never_learned_and_is_stopped_every_time(store_path):
    with guarded(store_path, timeout=2.0, inprocess_ms=2000) as store:
        for _ in range(2):
            with pytest.raises(QueryTimeout):
                store.select(PATHOLOGICAL)
        assert store.pool.calls == 2 and store.pool.killed == 2


def test_service_queries_and_a_zero_setting_always_take_a_worker(store_path):
    assert CheapQueries.key("SELECT * { service <http://x/> { ?s ?p ?o } }", {}, {}) is None
    with guarded(store_path, inprocess_ms=0) as store:
        for _ in range(3):
            raw(store, SMALL)
        assert store.pool.calls == 3


def test_a_new_snapshot_forgets_every_proof(store_path):
    with guarded(store_path, inprocess_ms=2000) as store:
        raw(store, SMALL)
        raw(store, SMALL)
        assert store.pool.calls == 1
        with open_store(store_path, "write") as writer:
            writer.publish()
        raw(store, SMALL)
        assert store.pool.calls == 2  # the new snapshot: a worker answers it first
        raw(store, SMALL)
        assert store.pool.calls == 2


def test_only_quick_small_answers_on_one_snapshot_are_learned():
    cheap = CheapQueries(0.005)

    class Answer:
        body, rows, triples = b"x" * 10, [], []

    key = CheapQueries.key(SMALL, {"union": True}, {"results_type": JSON})
    cheap.learn(key, (1, 1), 0.010, Answer(), (1, 1))  # too slow
    assert not cheap.known(key, (1, 1))
    cheap.learn(key, (1, 1), 0.001, Answer(), (1, 2))  # a snapshot was published meanwhile
    assert not cheap.known(key, (1, 1)) and not cheap.known(key, (1, 2))
    big = Answer()
    big.body = b"x" * (1 << 20)
    cheap.learn(key, (1, 1), 0.001, big, (1, 1))  # too big to hold in the web process
    assert not cheap.known(key, (1, 1))
    cheap.learn(key, (1, 1), 0.001, Answer(), (1, 1))
    assert cheap.known(key, (1, 1)) and not cheap.known(key, (1, 2))
