"""``replace_graph`` writes the same graph through the bulk loader as through SPARQL updates.

The embedded store takes a summary graph's triples (SPARQL term text) as N-Triples through
its bulk loader instead of as INSERT DATA updates (``catalogue.store.replace_graph``): the
graph must be the very same, for every kind of term the summaries write, on disk as in
memory, and what was in the graph before must be gone.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalogue.store import open_store, replace_graph
from catalogue.store import sparql_text as q

GRAPH = "https://data.example.gov.uk/graph/summary/council/E08000003"
S = "https://data.example.gov.uk/id/summary/E08000003/by-payee/1"
P = "https://example.org/ns#p"

#: Terms as the summaries write them: IRIs (one that needed percent-encoding), plain,
#: typed and language-tagged literals with quotes, backslashes, line breaks and non-ASCII text.
OBJECTS = [
    q.iri("https://data.example.gov.uk/id/payee/acme"),
    q.iri("https://data.example.gov.uk/id/payee/a b<c>{d}"),
    q.literal("Spend by payee, ranked"),
    q.literal('a "quoted" name, a back\\slash,\na new line\tand a tab, it\'s'),
    q.literal("Société Générale ✓ Œuvre"),
    q.literal("Council", lang="en-GB"),
    q.decimal(Decimal("1234.50")),
    q.decimal(Decimal("-0.01")),
    q.integer(42),
    q.literal("2024-04", "http://www.w3.org/2001/XMLSchema#gYearMonth"),
    q.literal("true", "http://www.w3.org/2001/XMLSchema#boolean"),
    q.literal(repr(0.1234), "http://www.w3.org/2001/XMLSchema#double"),
]


def triples(n: int = 1):
    return [(q.iri(f"{S}/{i}"), q.iri(P), o) for i in range(n) for o in OBJECTS]


def graph_of(store) -> set[str]:
    return {f"{r['s']} {r['p']} {r['o']!r}" for r in store.select(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {q.iri(GRAPH)} {{ ?s ?p ?o }} }}").rows}


def by_updates(written) -> set[str]:
    """The graph as INSERT DATA updates write it (the remote servers' path)."""
    store = open_store("memory:", "write")
    for update in q.insert_data(GRAPH, written, 400):
        store.update(update)
    return graph_of(store)


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_bulk_written_graph_equals_the_updates_graph(where, tmp_path):
    url = "memory:" if where == "memory" else f"oxigraph:{tmp_path / 'store'}"
    store = open_store(url, "write")
    try:
        store.update(f"INSERT DATA {{ GRAPH {q.iri(GRAPH)} {{ {q.iri(S)} {q.iri(P)} \"stale\" }} }}")
        written = triples(5)
        replace_graph(store, GRAPH, iter(written))
        got = graph_of(store)
    finally:
        store.close()
    assert got == by_updates(written)
    assert len(got) == 5 * len(OBJECTS)
    assert not any("stale" in t for t in got)


def test_bulk_chunks_cover_every_triple(monkeypatch):
    """Triples past one bulk chunk are written too (the chunks are made as they are read)."""
    import catalogue.store as store_module

    monkeypatch.setattr(store_module, "BULK_TRIPLES", 7)
    store = open_store("memory:", "write")
    written = triples(4)
    replace_graph(store, GRAPH, (t for t in written))
    assert graph_of(store) == by_updates(written)


def test_an_empty_summary_leaves_the_graph_empty():
    store = open_store("memory:", "write")
    replace_graph(store, GRAPH, iter(triples(2)))
    replace_graph(store, GRAPH, iter([]))
    assert graph_of(store) == set()
