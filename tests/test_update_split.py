"""Updates cut to fit a remote server's limits (catalogue.store.update_split) do what the
whole update does: run both on Oxigraph and compare the quads."""

from __future__ import annotations

import pyoxigraph as ox

from catalogue.store import update_split
from catalogue.store.sparql_text import iri, literal

G = "https://example.test/graph/links"


def lines(n: int, start: int = 0) -> str:
    return "\n".join(f"{iri(f'https://example.test/s{i}')} {iri('https://example.test/p')} "
                     f"{literal(f'v {i}. ; {{ }} # not a comment')} ." for i in range(start, start + n))


def relink_update() -> str:
    """Shaped as catalogue.linking.write writes one: deletes by a long VALUES list, then inserts."""
    values = " ".join(iri(f"https://example.test/s{i}") for i in range(0, 3000, 2))
    return ";\n".join([
        "PREFIX ex: <https://example.test/>",
        f"DELETE {{ GRAPH {iri(G)} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} GRAPH {iri(G)} {{ ?s ?p ?o }} }}",
        f"INSERT DATA {{ GRAPH {iri(G)} {{\n{lines(2500, 5000)}\n}} }}",
        f"DELETE WHERE {{ GRAPH {iri(G)} {{ ex:s1 ?p ?o }} }}",
        f"INSERT DATA {{ GRAPH {iri(G)} {{ ex:s1 ex:p \"again\" . }} }}",
    ]).replace("PREFIX ex: <https://example.test/>;", "PREFIX ex: <https://example.test/>")


def seeded() -> ox.Store:
    store = ox.Store()
    store.update(f"INSERT DATA {{ GRAPH {iri(G)} {{\n{lines(3000)}\n}} }}")
    return store


def test_a_cut_update_leaves_the_same_quads_as_the_whole_one():
    update = relink_update()
    whole, cut = seeded(), seeded()
    whole.update(update)
    requests = update_split.split(update)
    assert len(requests) > 3
    for text in requests:
        cut.update(text)
    assert set(cut) == set(whole) and len(set(whole)) == 3000 - 1500 - 1 + 2500 + 1


def test_every_request_fits_the_limits():
    for text in update_split.split(relink_update()):
        ops = list(update_split.operations(text))
        data = sum(op.count("\n") for _, op, _ in ops if op.startswith("INSERT DATA"))
        values = sum(len(t) for _, op, toks in ops for t in [[x for x in toks if x.kind == "iri"]]
                     if "VALUES" in op)
        assert data + values <= update_split.MAX_WEIGHT + 10
        assert len(text) <= update_split.MAX_BYTES
        assert text.startswith("PREFIX ex:")  # the prologue goes with every request


def test_a_small_update_is_sent_as_it_is():
    small = f"INSERT DATA {{ GRAPH {iri(G)} {{\n{lines(10)}\n}} }}"
    assert update_split.split(small) == [small]
    assert update_split.split("") == []


def test_blank_nodes_are_never_cut_apart():
    update = "INSERT DATA { " + " ".join(f"_:b <https://example.test/p> \"{i}\" ." for i in range(900)) + " }"
    [op] = [piece for _, piece, _ in update_split.operations(update)]
    assert update_split.split(update, max_triples=100, max_weight=10_000) == [op]
