"""The embedded store's own behaviour: snapshots for readers (the contract both backends
share is in test_store_backends.py)."""

from __future__ import annotations

from catalogue.ingest import load_file
from catalogue.store import open_store
from tests.conftest import BASE, DATA, OGL, REAL

EXCERPT = DATA / "spend" / "leeds-2010-excerpt.csv"
LEEDS = REAL / "leeds" / "2013-12.csv"
LINES = "PREFIX pay: <http://reference.data.gov.uk/def/payment#> SELECT (COUNT(*) AS ?n) WHERE { ?l pay:netAmount [] }"


def count(store) -> int:
    return int(store.select(LINES).rows[0]["n"])


def test_readers_see_published_data_without_restart(tmp_path):
    path = str(tmp_path / "store")
    with open_store(path, "write"):
        pass  # creates an empty store and its first snapshot
    reader = open_store(path, "read")
    assert count(reader) == 0
    with open_store(path, "write") as writer:
        load_file(writer, "spend", EXCERPT, base=BASE, licence=OGL)
    assert count(reader) == 5
    reader.close()


def test_a_load_in_progress_is_invisible_to_readers(tmp_path):
    path = str(tmp_path / "store")
    writer = open_store(path, "write")
    reader = open_store(path, "read")
    writer.bulk_add([f"<{BASE}id/x> <http://reference.data.gov.uk/def/payment#netAmount> \"1\" <{BASE}graph/E1/spend/x/v1> .\n".encode()])
    assert count(writer) == 1
    assert count(reader) == 0  # not published
    writer.close()
    reader.close()


def test_export_dumps_n_quads(tmp_path, memory_store):
    import io

    load_file(memory_store, "spend", EXCERPT, base=BASE, licence=OGL)
    out = io.BytesIO()
    memory_store.dump(out)
    text = out.getvalue().decode()
    assert text.count("\n") > 100 and "payment#netAmount" in text


def test_one_graph_dump_is_the_graph_quad_for_quad(tmp_path):
    """The engine-serialised dump of a real file's graph holds exactly the quads that the
    graph has, as the old quad-by-quad writer formatted them, and parses as N-Quads."""
    import io

    import pyoxigraph as ox

    path = str(tmp_path / "store")
    with open_store(path, "write") as writer:
        outcome = load_file(writer, "spend", LEEDS, base=BASE, licence=OGL, publisher="E08000035")
    with open_store(path, "read") as reader:
        out = io.BytesIO()
        reader.dump(out, outcome.graph)
        node = ox.NamedNode(outcome.graph)
        engine = reader._reader()
        expected = {f"{q.subject} {q.predicate} {q.object} {q.graph_name} ."
                    for q in engine.quads_for_pattern(None, None, None, node)}
    lines = out.getvalue().decode().splitlines()
    assert len(lines) == len(expected) == outcome.report.triples > 100_000
    assert set(lines) == expected
    parsed = set(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(lines) and {q.graph_name for q in parsed} == {node}
    assert any(line.startswith("_:") for line in lines) or any('"' in line for line in lines)


def test_a_line_split_between_writes_still_gets_its_graph():
    """The engine writes in blocks that may end mid-line; each line is completed once."""
    import io

    from catalogue.store.embedded import _GraphSuffix

    out = io.BytesIO()
    suffix = _GraphSuffix(out, "http://ex/g")
    text = b'<http://ex/a> <http://ex/p> "x .\\n y" .\n<http://ex/a> <http://ex/q> <http://ex/b> .\n'
    for i in range(0, len(text), 7):
        suffix.write(text[i:i + 7])
    suffix.finish()
    assert out.getvalue() == (b'<http://ex/a> <http://ex/p> "x .\\n y" <http://ex/g> .\n'
                              b'<http://ex/a> <http://ex/q> <http://ex/b> <http://ex/g> .\n')


def test_small_chunks_are_joined_into_few_bulk_loads_and_all_land(tmp_path, monkeypatch):
    """``bulk_add`` joins consecutive chunks into calls of ``BULK_CALL_BYTES`` or more (each call
    is one more ingestion for RocksDB to compact), and every triple of every chunk lands."""
    from catalogue.store import bulk

    calls: list[int] = []
    joined = bulk.joined

    def counted(chunks, size):
        for piece in joined(chunks, size):
            calls.append(len(piece))
            yield piece
    monkeypatch.setattr(bulk, "joined", counted)
    monkeypatch.setattr(bulk, "BULK_CALL_BYTES", 20_000)
    chunks = [b"".join(f"<{BASE}id/{n}-{i}> <{BASE}def/p> \"{n} {i}\" .\n".encode() for i in range(10))
              for n in range(500)]
    writer = open_store(str(tmp_path / "store"), "write")
    writer.bulk_add(iter(chunks), f"{BASE}graph/joined")
    assert 1 < len(calls) < len(chunks) // 10  # joined, yet still more than one call
    assert all(size >= 20_000 for size in calls[:-1]) and sum(calls) == sum(map(len, chunks))
    rows = writer.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/joined> {{ ?s ?p ?o }} }}").rows
    assert int(rows[0]["n"]) == 5000
    writer.close()
