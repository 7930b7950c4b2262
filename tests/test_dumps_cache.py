"""Dumps are built once per data version and dumped as files: ETag, 304, Range (206);
a reload of the dataset makes a new file and removes the old one (issue 20, item 4); the same
for its rows as CSV (``.csv.gz``)."""

from __future__ import annotations

import csv
import gzip
import io

import pyoxigraph as ox
import pytest

from catalogue.app import create_app
from catalogue.ingest import load_file
from catalogue.store.embedded import EmbeddedStore
from catalogue.store.sparql_text import iri
from catalogue.vocab import PAY
from tests.conftest import BASE, OGL, REAL

HARROGATE = REAL / "harrogate" / "2015-04.csv"
DUMP = "/dumps/E07000165/spend/2015-04"


@pytest.fixture
def dumped(tmp_path):
    """A writable in-memory store with one dataset, an app over it, the dumps folder."""
    store = EmbeddedStore(None, mode="write")
    assert load_file(store, "spend", HARROGATE, base=BASE, publisher="E07000165", licence=OGL).loaded
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE,
                      "SVCAT_CLIENT_RATE": 0})
    return store, app, app.test_client()


def dump_files(app, name: str = "E07000165-spend-2015-04") -> list:
    with app.app_context():
        from catalogue.web.dumps import dumps_dir

        return sorted((dumps_dir() / name).glob("*.gz"))


def test_second_request_is_served_from_the_file_built_by_the_first(dumped):
    _, app, client = dumped
    first = client.get(DUMP + ".nq.gz")
    assert first.status_code == 200 and first.mimetype == "application/gzip"
    [built] = dump_files(app)
    stamp = built.stat()
    second = client.get(DUMP + ".nq.gz")
    assert second.data == first.data
    assert app.extensions["svcat.dumps_built"] == 1
    [again] = dump_files(app)
    assert again == built and again.stat().st_mtime_ns == stamp.st_mtime_ns and again.stat().st_ino == stamp.st_ino
    assert first.headers["ETag"] and first.headers["Last-Modified"] and first.headers["Accept-Ranges"] == "bytes"


def test_revalidation_gets_304_and_a_range_gets_exactly_those_bytes(dumped):
    _, _, client = dumped
    whole = client.get(DUMP + ".nq.gz")
    etag = whole.headers["ETag"]
    assert client.get(DUMP + ".nq.gz", headers={"If-None-Match": etag}).status_code == 304
    part = client.get(DUMP + ".nq.gz", headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206 and part.data == whole.data[100:1100]
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(whole.data)}"
    tail = client.get(DUMP + ".nq.gz", headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.data == whole.data[-50:]
    assert client.get(DUMP + ".nq.gz", headers={"Range": f"bytes={len(whole.data) + 10}-"}).status_code == 416


def test_a_reload_builds_a_new_dump_and_removes_the_old_one(dumped):
    store, app, client = dumped
    before = client.get(DUMP + ".nq.gz")
    [old] = dump_files(app)
    assert load_file(store, "spend", HARROGATE, base=BASE, publisher="E07000165", licence=OGL).loaded
    after = client.get(DUMP + ".nq.gz")
    [new] = dump_files(app)
    assert new != old and not old.exists()
    assert after.headers["ETag"] != before.headers["ETag"]
    graphs_before = {q.graph_name.value for q in ox.parse(gzip.decompress(before.data), format=ox.RdfFormat.N_QUADS)}
    graphs_after = {q.graph_name.value for q in ox.parse(gzip.decompress(after.data), format=ox.RdfFormat.N_QUADS)}
    assert len(graphs_before) == len(graphs_after) == 1 and graphs_before != graphs_after
    assert app.extensions["svcat.dumps_built"] == 2


def test_turtle_dump_holds_the_same_triples_as_the_n_quads_one(dumped):
    _, _, client = dumped
    quads = client.get(DUMP + ".nq.gz")
    turtle = client.get(DUMP + ".ttl.gz")
    assert turtle.status_code == 200 and turtle.headers["X-SVCAT-Content-Type"] == "text/turtle"
    from_quads = {q.triple for q in ox.parse(gzip.decompress(quads.data), format=ox.RdfFormat.N_QUADS)}
    from_turtle = {q.triple for q in ox.parse(gzip.decompress(turtle.data), format=ox.RdfFormat.TURTLE)}
    assert from_turtle == from_quads and len(from_turtle) > 20_000


def test_whole_store_dump_is_built_once_per_data_version(dumped):
    _, app, client = dumped
    first = client.get("/dumps/all.nq.gz")
    second = client.get("/dumps/all.nq.gz", headers={"Range": "bytes=0-9"})
    assert first.status_code == 200 and second.status_code == 206 and second.data == first.data[:10]
    assert len(dump_files(app, "all")) == 1


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(data).decode("utf-8"), newline="")))


def test_csv_dump_is_every_row_built_once_and_sent_with_ranges(dumped):
    store, app, client = dumped
    first = client.get(DUMP + ".csv.gz")
    assert first.status_code == 200 and first.headers["X-SVCAT-Content-Type"] == "text/csv"
    [built] = [f for f in dump_files(app) if f.name.endswith(".csv.gz")]
    stamp = built.stat()
    rows = csv_rows(first.data)
    loaded = store.select(f"""SELECT (COUNT(?line) AS ?n) WHERE {{ GRAPH ?g {{ ?line {iri(PAY.netAmount)} [] }}
        FILTER(STRSTARTS(STR(?g), "{BASE}")) }}""").rows[0]["n"]
    assert len(rows) == int(loaded) > 1000  # every line, not a page of them
    assert [int(r["row"]) for r in rows] == sorted(int(r["row"]) for r in rows)
    assert {"row", "date", "payee_label", "amount", "line"} <= set(rows[0])
    second = client.get(DUMP + ".csv.gz", headers={"Range": "bytes=10-209"})
    assert second.status_code == 206 and second.data == first.data[10:210]
    assert client.get(DUMP + ".csv.gz", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    [again] = [f for f in dump_files(app) if f.name.endswith(".csv.gz")]
    assert again == built and again.stat().st_mtime_ns == stamp.st_mtime_ns and again.stat().st_ino == stamp.st_ino
    assert app.extensions["svcat.dumps_built"] == 1


def test_a_reload_makes_a_new_csv_dump_and_removes_the_old_one(dumped):
    store, app, client = dumped
    before = client.get(DUMP + ".csv.gz")
    [old] = [f for f in dump_files(app) if f.name.endswith(".csv.gz")]
    assert load_file(store, "spend", HARROGATE, base=BASE, publisher="E07000165", licence=OGL).loaded
    after = client.get(DUMP + ".csv.gz")
    [new] = [f for f in dump_files(app) if f.name.endswith(".csv.gz")]
    assert new != old and not old.exists() and after.headers["ETag"] != before.headers["ETag"]
    assert app.extensions["svcat.dumps_built"] == 2
    # the same file's rows, now pointing at the new version's lines
    assert [r["row"] for r in csv_rows(after.data)] == [r["row"] for r in csv_rows(before.data)]


def test_the_dataset_page_and_the_catalogue_offer_the_csv_dump(dumped):
    _, _, client = dumped
    page = client.get("/doc/dataset/E07000165/spend/2015-04", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert DUMP + ".csv.gz" in page
    catalogue = client.get("/catalogue.ttl").get_data(as_text=True)
    assert f"{BASE}dumps/E07000165/spend/2015-04.csv.gz" in catalogue
