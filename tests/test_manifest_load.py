"""``svcat load --manifest`` (issue 22): many files in one process, each its own atomic
dataset, refused files listed while the others load, one link, one refresh, one publish."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from catalogue.store import open_store
from catalogue.store.embedded import EmbeddedStore
from catalogue.vocab import sparql_prologue
from tests.conftest import DATA, REAL
from tests.test_summaries_once import publishes, summed  # noqa: F401 (fixtures)

LINES_PER_DATASET = sparql_prologue("pay", "dcterms", "sv") + """
SELECT ?dataset (COUNT(?line) AS ?n) WHERE {
  ?dataset sv:namedGraph ?g . GRAPH ?g { ?line pay:netAmount [] } } GROUP BY ?dataset"""


@pytest.fixture
def run(tmp_path):
    store = str(tmp_path / "store")

    def invoke(*args):
        return CliRunner().invoke(cli, ["--store", store, *args], catch_exceptions=False)
    invoke.store = store
    return invoke


def write_manifest(folder, rows):
    lines = ["path,kind,gss_code,council"] + [",".join(r) + ",ignored column" for r in rows]
    path = folder / "manifest.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lines_per_dataset(store_path) -> dict:
    store = EmbeddedStore(store_path, mode="read")
    try:
        return {str(r["dataset"]).rsplit("/", 1)[-1]: int(r["n"]) for r in store.select(LINES_PER_DATASET).rows}
    finally:
        store.close()


def test_a_manifest_loads_every_file_as_its_own_dataset_with_one_link(run, tmp_path, publishes, summed):
    folder = tmp_path / "files"
    shutil.copytree(REAL / "salford", folder / "salford")
    shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", folder / "leeds.csv")
    manifest = write_manifest(folder, [("salford/2022-06.csv", "spend", "E08000006"),
                                       ("leeds.csv", "spend", "E08000035")])
    open_store(run.store, "write").close()  # a new store publishes its empty first snapshot on opening
    publishes.clear()
    result = run("load", "--manifest", str(manifest), "-q")
    assert result.exit_code == 0, result.output
    assert "2 of 2 files loaded." in result.output
    assert result.output.count("full link:") == 1  # one link for both files
    assert len(publishes) == 1  # one publish at the end
    assert sorted(summed) == sorted(set(summed)) and len(summed) == 2  # each council summed once
    counts = lines_per_dataset(run.store)
    assert counts["leeds"] == 5 and counts["2022-06"] > 1000 and len(counts) == 2


def test_a_refused_file_is_listed_and_the_others_load(run, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", folder / "good.csv")
    shutil.copy(DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv", folder / "bad.csv")
    manifest = write_manifest(folder, [("good.csv", "spend", "E08000035"), ("bad.csv", "spend", "E08000035")])
    result = run("load", "--manifest", str(manifest), "-q")
    assert result.exit_code == 1
    assert "REFUSED bad.csv" in result.output and "1 of 2 files loaded; refused: bad.csv." in result.output
    assert "'31/02/2010'" in result.output  # the refused file's report names its bad value
    assert lines_per_dataset(run.store) == {"good": 5}


def test_a_folder_or_a_glob_loads_with_one_kind_and_publisher(run, tmp_path):
    folder = tmp_path / "monthly"
    folder.mkdir()
    for month in ("2010-11", "2010-12"):
        shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", folder / f"{month}.csv")
    result = run("load", "--manifest", str(folder), "--kind", "spend", "--publisher", "E08000035", "-q")
    assert result.exit_code == 0, result.output
    assert lines_per_dataset(run.store) == {"2010-11": 5, "2010-12": 5}
    again = run("load", "--manifest", str(folder / "*.csv"), "--kind", "spend", "--publisher", "E08000035", "-q")
    assert again.exit_code == 0 and "2 of 2 files loaded" in again.output


def test_manifest_problems_name_the_row_and_column_and_load_nothing(run, tmp_path):
    bad_path = write_manifest(tmp_path, [("missing.csv", "spend", "E08000035")])
    result = run("load", "--manifest", str(bad_path))
    assert result.exit_code == 2 and "row 2, column path: 'missing.csv' is not a file" in result.output
    (tmp_path / "no-kind.csv").write_text("path\nx.csv\n", encoding="utf-8")
    result = run("load", "--manifest", str(tmp_path / "no-kind.csv"))
    assert result.exit_code == 2 and "no column kind" in result.output
    shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", tmp_path / "x.csv")
    (tmp_path / "odd-kind.csv").write_text("path,kind\nx.csv,payments\n", encoding="utf-8")
    result = run("load", "--manifest", str(tmp_path / "odd-kind.csv"))
    assert result.exit_code == 2 and "unknown kind 'payments'" in result.output
    assert run("load", "spend", str(tmp_path / "x.csv"), "--manifest", str(bad_path)).exit_code == 2


def test_load_with_the_kind_left_out_reads_the_file_as_the_kind_it_fits(run):
    result = run("load", str(DATA / "spend" / "leeds-2010-excerpt.csv"), "-q", "--no-link")
    assert result.exit_code == 0, result.output
    assert "id/dataset/E08000035/spend/leeds-2010-excerpt" in result.output
