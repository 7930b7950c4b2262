"""Datasets over time: series, change records on reload, withdrawal, and a failed load that
leaves the on-disk store exactly as it was."""

from __future__ import annotations

import io
import shutil

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from catalogue.history import changes
from catalogue.ingest import load_file
from catalogue.store.embedded import EmbeddedStore
from tests.conftest import BASE, DATA, OGL, REAL

EXCERPT = DATA / "spend" / "leeds-2010-excerpt.csv"
DCAT = "http://www.w3.org/ns/dcat#"
SV = "https://w3id.org/svcat/def#"


def catalogue_rows(store, query: str) -> list[dict]:
    return store.select(f"PREFIX dcat: <{DCAT}> PREFIX sv: <{SV}> "
                        f"SELECT * WHERE {{ GRAPH <{BASE}graph/catalogue> {{ {query} }} }}").rows


def test_a_councils_files_of_a_kind_form_a_dataset_series(memory_store):
    for path in (REAL / "salford/2022-06.csv", REAL / "salford/contracts-register-2022-07.csv",
                 DATA / "samples/salford/suppliers-2022-06.csv"):
        kind = "contracts" if "contracts" in path.name else "suppliers" if "suppliers" in path.name else "spend"
        assert load_file(memory_store, kind, path, base=BASE, publisher="E08000006", licence=OGL).loaded
    assert load_file(memory_store, "spend", EXCERPT, base=BASE, licence=OGL).loaded  # Leeds
    rows = catalogue_rows(memory_store, "?d dcat:inSeries ?s . ?s a dcat:DatasetSeries")
    series = {str(r["d"]).rsplit("/id/dataset/", 1)[1]: str(r["s"]).rsplit("/id/dataset/", 1)[1] for r in rows}
    assert series == {
        "E08000006/spend/2022-06": "E08000006/spend",
        "E08000006/contracts/contracts-register-2022-07": "E08000006/contracts",
        "E08000006/suppliers/suppliers-2022-06": "E08000006/suppliers",
        "E08000035/spend/leeds-2010-excerpt": "E08000035/spend",
    }


def test_reload_keeps_a_change_record_with_rows_added_and_removed(memory_store, tmp_path):
    first = load_file(memory_store, "spend", EXCERPT, base=BASE, licence=OGL)
    lines = EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = tmp_path / EXCERPT.name  # same name: same dataset
    lines[2] = lines[2].replace("1532.57", "1532.75")  # one payment corrected
    del lines[4]  # one payment withdrawn
    edited.write_text("".join(lines), encoding="utf-8")
    second = load_file(memory_store, "spend", edited, base=BASE, licence=OGL)
    assert second.dataset == first.dataset and second.replaced_graph == first.graph
    found = changes(memory_store, BASE, first.dataset)
    assert [(c["type"], c["rows_added"], c["rows_removed"], c["rows_after"]) for c in found] == [
        ("firstLoad", 5, 0, 5), ("reload", 1, 2, 4)]
    assert found[0]["sha256"] != found[1]["sha256"] and len(found[1]["sha256"]) == 64
    assert first.graph not in memory_store.graphs()


def test_remove_withdraws_record_and_graph_and_keeps_history(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(cli, ["--store", store, "load", "spend", str(EXCERPT), "-q"]).exit_code == 0
    assert runner.invoke(cli, ["--store", store, "load", "outcomes", str(REAL / "trafford/prompt_payment.csv"),
                               "-q"]).exit_code == 0
    result = runner.invoke(cli, ["--store", store, "remove", "E08000035/spend/leeds-2010-excerpt"])
    assert result.exit_code == 0 and "5 rows" in result.output
    with EmbeddedStore(store, mode="read") as reader:
        graphs = reader.graphs()
        assert not any("/E08000035/" in g for g in graphs)
        assert not catalogue_rows(reader, f"<{BASE}id/dataset/E08000035/spend/leeds-2010-excerpt> ?p ?o")
        assert not catalogue_rows(reader, f"<{BASE}id/dataset/E08000035/spend> ?p ?o")  # series had one member
        assert catalogue_rows(reader, f"<{BASE}id/dataset/E08000009/outcomes> a dcat:DatasetSeries")
        assert [c["type"] for c in changes(reader, BASE, f"{BASE}id/dataset/E08000035/spend/leeds-2010-excerpt")] \
            == ["firstLoad", "withdrawal"]
    again = runner.invoke(cli, ["--store", store, "remove", "E08000035/spend/leeds-2010-excerpt"])
    assert again.exit_code == 1 and "no dataset" in again.output
    history = runner.invoke(cli, ["--store", store, "history", "E08000035/spend/leeds-2010-excerpt"])
    assert history.exit_code == 0 and "withdrawal" in history.output


def ten_thousand_rows(path, bad_row: int | None) -> None:
    out = io.StringIO()
    out.write("Body,Date paid,Supplier name,Net amount,Transaction number\n")
    for row in range(2, 10_002):
        amount = "TBC" if row == bad_row else f"{row % 997}.{row % 100:02d}"
        out.write(f"http://statistics.data.gov.uk/doc/local-authority/00DA,{1 + row % 28:02d}/06/2023,"
                  f"SUPPLIER {row % 313} LTD,{amount},T{row}\n")
    path.write_text(out.getvalue(), encoding="utf-8")


def dump(store) -> bytes:
    out = io.BytesIO()
    store.dump(out)
    return b"".join(sorted(out.getvalue().splitlines()))


@pytest.mark.parametrize("previous", [True, False], ids=["replacing-a-version", "first-load"])
def test_a_file_failing_at_row_9000_of_10000_leaves_the_store_exactly_as_before(tmp_path, previous):
    folder = tmp_path / "store"
    path = tmp_path / "big.csv"
    if previous:
        ten_thousand_rows(path, bad_row=None)
        with EmbeddedStore(str(folder), mode="write") as store:
            assert load_file(store, "spend", path, base=BASE, licence=OGL).loaded
    ten_thousand_rows(path, bad_row=9_000)
    with EmbeddedStore(str(folder), mode="write") as store:
        before, graphs_before = dump(store), store.graphs()
        snapshot_before = (folder / "CURRENT").read_text()
        written = []
        bulk_add = store.bulk_add

        def counting(chunks, graph=None):  # prove that rows were written before the bad one was met
            def spy():
                for chunk in chunks:
                    written.append(chunk.count(b"\n"))
                    yield chunk
            bulk_add(spy(), graph)
        store.bulk_add = counting
        outcome = load_file(store, "spend", path, base=BASE, licence=OGL, chunk_rows=1_000)
        assert not outcome.loaded
        assert [(i.row, i.kind) for i in outcome.report.issues] == [(9_000, "bad-amount")]
        assert len(written) == 8 and sum(written) > 32_000  # 8,000 rows (4 quads or more each) went into the new graph first
        assert dump(store) == before and store.graphs() == graphs_before
    assert (folder / "CURRENT").read_text() == snapshot_before  # readers never saw anything new
    shutil.rmtree(folder)
