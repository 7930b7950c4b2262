"""The embedded store's own behaviour: snapshots for readers (the contract both backends
share is in test_store_backends.py)."""

from __future__ import annotations

from catalogue.ingest import load_file
from catalogue.store import open_store
from tests.conftest import BASE, DATA, OGL

EXCERPT = DATA / "spend" / "leeds-2010-excerpt.csv"
LINES = "PREFIX pay: <http://reference.data.gov.uk/def/payment#> SELECT (COUNT(*) AS ?n) WHERE { ?l a pay:ExpenditureLine }"


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
    writer.bulk_add([f"<{BASE}id/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://reference.data.gov.uk/def/payment#ExpenditureLine> <{BASE}graph/E1/spend/x/v1> .\n".encode()])
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
    assert text.count("\n") > 100 and "ExpenditureLine" in text
