"""The fast load path writes exactly what the loaders produce, and removes it in bounded steps."""

from __future__ import annotations

import pytest

import catalogue.ingest.load as ingest
import catalogue.ingest.stream as stream
from catalogue.store import open_store
from catalogue.store import embedded
from catalogue.vocab import VOID
from tests.conftest import BASE, DATA, OGL, REAL

EXCERPT = DATA / "spend" / "leeds-2010-excerpt.csv"
LEEDS = REAL / "leeds" / "2013-12.csv"


def graph_size(store, graph: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows[0]["n"])


def recorded_triples(store, dataset: str) -> int:
    cat = f"{BASE}graph/catalogue"
    rows = store.select(f"SELECT ?n WHERE {{ GRAPH <{cat}> {{ <{dataset}> <{VOID.triples}> ?n }} }}").rows
    return int(rows[0]["n"])


@pytest.mark.parametrize("seen_limit,count_limit", [(stream.SEEN_LIMIT, stream.COUNT_LIMIT), (5, stream.COUNT_LIMIT),
                                                     (5, 50)])
def test_recorded_triple_count_is_the_graph_size(tmp_path, monkeypatch, seen_limit, count_limit):
    """Counted while writing, exactly, whether every shared description is remembered or
    (``SEEN_LIMIT`` 5) most are forgotten and written again: repeats are not counted twice;
    and counted by the store when there are too many to remember (``COUNT_LIMIT`` 50)."""
    monkeypatch.setattr(stream, "SEEN_LIMIT", seen_limit)
    monkeypatch.setattr(stream, "COUNT_LIMIT", count_limit)
    scans = []
    monkeypatch.setattr(ingest, "count_triples", lambda store, graph: scans.append(graph) or graph_size(store, graph))
    with open_store(str(tmp_path / "store"), "write") as store:
        outcome = ingest.load_file(store, "spend", LEEDS, base=BASE, licence=OGL, publisher="E08000035")
        assert outcome.loaded
        size = graph_size(store, outcome.graph)
        assert outcome.report.triples == size == recorded_triples(store, outcome.dataset)
    assert scans == ([outcome.graph] if count_limit == 50 else [])


def test_a_graph_bigger_than_a_drop_batch_is_removed_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(embedded, "DROP_BATCH", 40)
    with open_store(str(tmp_path / "store"), "write") as store:
        first = ingest.load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
        assert graph_size(store, first.graph) > 3 * 40
        second = ingest.load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
        assert first.graph not in store.graphs()
        assert graph_size(store, second.graph) == first.report.triples


def test_n_triples_chunks_go_into_the_named_graph(tmp_path):
    graph = f"{BASE}graph/E1/spend/x/v1"
    with open_store(str(tmp_path / "store"), "write") as store:
        store.bulk_add([f"<{BASE}id/a> <{BASE}id/p> <{BASE}id/b> .\n".encode(),
                        f'<{BASE}id/a> <{BASE}id/q> "x" .\n'.encode()], graph)
        assert store.graphs() == [graph] and graph_size(store, graph) == 2
