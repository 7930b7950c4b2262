"""The store contract, run against both backends: the embedded Oxigraph store on disk and a
real Virtuoso over HTTP (``store`` fixture in conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import threading

import pytest

from catalogue.errors import BadQuery, ReadOnlyStore
from catalogue.ingest import collect_orphans, load_file
from catalogue.store import remote
from catalogue.vocab import SV, VOID
from tests.conftest import BASE, DATA, OGL, REAL

EXCERPT = DATA / "spend" / "leeds-2010-excerpt.csv"
LEEDS = REAL / "leeds" / "2013-12.csv"
PAY = "http://reference.data.gov.uk/def/payment#"
LINES = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?l <{PAY}netAmount> [] }}"
CATALOGUE = f"{BASE}graph/catalogue"


def count(store, query: str = LINES) -> int:
    return int(store.select(query).rows[0]["n"])


def graph_size(store, graph: str) -> int:
    return count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def lines_through_the_record(dataset: str) -> str:
    """What a page reads: the lines of the graph the dataset's record points at."""
    return (f"SELECT (COUNT(?l) AS ?n) WHERE {{ GRAPH <{CATALOGUE}> {{ <{dataset}> <{SV.namedGraph}> ?g }} "
            f"GRAPH ?g {{ ?l <{PAY}netAmount> [] }} }}")


def test_a_loaded_file_is_queryable_and_counted_exactly(store):
    outcome = load_file(store, "spend", LEEDS, base=BASE, licence=OGL, publisher="E08000035")
    assert outcome.loaded
    assert count(store) == outcome.report.rows_loaded == 9574
    recorded = store.select(f"SELECT ?n WHERE {{ GRAPH <{CATALOGUE}> {{ <{outcome.dataset}> <{VOID.triples}> ?n }} }}")
    assert int(recorded.rows[0]["n"]) == graph_size(store, outcome.graph) == outcome.report.triples


def test_reload_replaces_the_dataset_graph(store):
    first = load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
    second = load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
    assert second.replaced_graph == first.graph != second.graph
    graphs = store.graphs()
    assert first.graph not in graphs and second.graph in graphs
    assert count(store) == 5


def test_orphan_graphs_from_a_killed_load_are_collected(store):
    load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
    orphan = f"{BASE}graph/E08000035/spend/leeds-2010-excerpt/19990101T000000-deadbeef"
    store.bulk_add([f"<{BASE}id/x> <{BASE}id/p> <{BASE}id/y> <{orphan}> .\n".encode()])
    assert orphan in store.graphs()
    assert collect_orphans(store, BASE) == [orphan]
    assert orphan not in store.graphs() and count(store) == 5


def test_n_triples_chunks_go_into_the_named_graph_and_drop_removes_it(store):
    graph = f"{BASE}graph/E1/spend/x/v1"
    store.bulk_add([f'<{BASE}id/a> <{BASE}id/p> <{BASE}id/b> .\n<{BASE}id/a> <{BASE}id/q> "caf\\u00E9 \\"x\\"" .\n'
                    .encode()], graph)
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{BASE}id/a> <{BASE}id/q> ?o }} }}").rows
    assert [str(r["o"]) for r in rows] == ['café "x"'] and graph_size(store, graph) == 2
    store.drop_graph(graph)
    assert graph not in store.graphs()


def test_export_dumps_n_quads_of_our_graphs(store):
    outcome = load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
    whole, one = io.BytesIO(), io.BytesIO()
    store.dump(whole)
    store.dump(one, outcome.graph)
    whole_lines = whole.getvalue().decode().splitlines()
    one_lines = one.getvalue().decode().splitlines()
    assert len(one_lines) == graph_size(store, outcome.graph)
    assert all(line.endswith(f"<{outcome.graph}> .") for line in one_lines)
    assert set(one_lines) < set(whole_lines)
    assert all(f"<{BASE}graph/" in line for line in whole_lines)  # data only, not the server's own graphs


def test_queries_in_every_result_format(store):
    load_file(store, "spend", EXCERPT, base=BASE, licence=OGL)
    kind, media_type, body = store.query_raw(LINES, results_type="application/sparql-results+json",
                                             graph_type="text/turtle")
    assert (kind, media_type) == ("bindings", "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"
    kind, media_type, body = store.query_raw(LINES, results_type="text/csv", graph_type="text/turtle")
    assert media_type.split(";")[0] == "text/csv"
    assert list(csv.reader(io.StringIO(body.decode()))) == [["n"], ["5"]]
    ask = store.query_raw(f"ASK {{ ?l <{PAY}netAmount> [] }}", results_type="application/sparql-results+xml",
                          graph_type="text/turtle")
    assert ask[0] == "boolean" and b"true" in ask[2]
    construct = f"CONSTRUCT {{ ?l <{PAY}netAmount> [] }} WHERE {{ ?l <{PAY}netAmount> [] }}"
    kind, media_type, body = store.query_raw(construct, results_type="application/sparql-results+json",
                                             graph_type="application/n-triples")
    assert kind == "graph" and len(body.decode().strip().splitlines()) == 5
    assert len(store.construct(construct)) == 5


def test_a_syntax_error_is_a_bad_query(store):
    with pytest.raises(BadQuery):
        store.select("SELECT ?x WHERE { ?x ?y }")


def test_a_reader_cannot_write(store):
    reader = store.reader()
    with pytest.raises(ReadOnlyStore):
        reader.update(f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{BASE}id/a> <{BASE}id/p> 1 }} }}")
    reader.close()


def test_graph_listing_pages_past_the_servers_result_cap(store, monkeypatch):
    monkeypatch.setattr(remote, "PAGE", 3)  # as if the server cut every result at 3 rows
    graphs = [f"{BASE}graph/E1/spend/page/v{n}" for n in range(8)]
    store.bulk_add([f"<{BASE}id/a> <{BASE}id/p> \"{n}\" <{g}> .\n".encode() for n, g in enumerate(graphs)])
    assert [g for g in store.graphs() if "/page/" in g] == graphs


def test_readers_see_the_old_or_the_new_version_during_reloads(store):
    """Pages follow the dataset's record: while reloads swap it, they never see half a file."""
    first = load_file(store, "spend", LEEDS, base=BASE, licence=OGL, publisher="E08000035")
    reader = store.reader()
    query = lines_through_the_record(first.dataset)
    seen, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            seen.append(count(reader, query))
    thread = threading.Thread(target=read)
    thread.start()
    try:
        for _ in range(2):
            assert load_file(store, "spend", LEEDS, base=BASE, licence=OGL, publisher="E08000035").loaded
    finally:
        stop.set()
        thread.join()
    reader.close()
    assert len(seen) > 3 and set(seen) == {9574}
