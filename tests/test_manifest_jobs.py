"""``svcat load --manifest --jobs N`` (issue 22): files read and validated in worker
processes, written by one, end in the same store as a load one file after another."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from catalogue.cli import cli
from catalogue.store.embedded import EmbeddedStore
from catalogue.vocab import sparql_prologue
from tests.conftest import DATA, REAL

pytestmark = [pytest.mark.server, pytest.mark.slow]  # worker processes

RECORDS = sparql_prologue("sv", "dcterms") + """
SELECT ?dataset ?graph ?rows ?triples WHERE { ?dataset sv:namedGraph ?graph ;
  sv:loadedRowCount ?rows . OPTIONAL { ?dataset sv:tripleCount ?triples } }"""
VERSION = re.compile(r"/\d{8}T\d{6}-[0-9a-f]{8}$")  # a graph's load version, fresh each load
FILES = [("salford/2022-06.csv", "spend", "E08000006"), ("leeds.csv", "spend", "E08000035"),
         ("bad.csv", "spend", "E08000035"), ("salford/contracts-register-2022-07.csv", "contracts", "E08000006"),
         ("trafford/trafford_council_voluntary_sector_grants.csv", "grants", "E08000009"),
         ("trafford/outcome_neet.csv", "outcomes", "E08000009")]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    for council in ("salford", "trafford"):
        shutil.copytree(REAL / council, folder / council)
    shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", folder / "leeds.csv")
    shutil.copy(DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv", folder / "bad.csv")
    path = folder / "manifest.csv"
    path.write_text("path,kind,gss_code\n" + "".join(",".join(row) + "\n" for row in FILES), encoding="utf-8")
    return path


def load(store: str, manifest, jobs: int):
    return CliRunner().invoke(cli, ["--store", store, "load", "--manifest", str(manifest), "-q", "--jobs", str(jobs)],
                              catch_exceptions=False)


def contents(path: str) -> tuple[dict, dict, dict]:
    """Each dataset's record figures and graph, and every other graph's size (summaries,
    organisations, links, the catalogue)."""
    store = EmbeddedStore(path, mode="read")
    try:
        records = {str(r["dataset"]): (int(r["rows"]), int(r["triples"]) if r.get("triples") else None,
                                       str(r["graph"])) for r in store.select(RECORDS).rows}
        graphs = {}
        for dataset, (_, _, graph) in records.items():
            graphs[dataset] = Graph()
            for triple in store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
                graphs[dataset].add(triple)
        owned = {graph for _, _, graph in records.values()}
        sizes = {VERSION.sub("", g): store.triple_count(g) for g in store.graphs() if g not in owned}
        return {d: v[:2] for d, v in records.items()}, graphs, sizes
    finally:
        store.close()


def test_two_jobs_load_what_one_job_loads(tmp_path, manifest):
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    serial, parallel = load(one, manifest, 1), load(two, manifest, 2)
    for result in (serial, parallel):
        assert result.exit_code == 1, result.output  # bad.csv is refused, the others load
        assert "REFUSED bad.csv" in result.output and "5 of 6 files loaded; refused: bad.csv." in result.output
    assert "'31/02/2010'" in parallel.output  # the refused file's report still names its bad value
    records_one, graphs_one, sizes_one = contents(one)
    records_two, graphs_two, sizes_two = contents(two)
    assert len(records_one) == 5 and records_two == records_one
    for dataset, graph in graphs_one.items():
        assert len(graph) > 0 and isomorphic(graph, graphs_two[dataset]), dataset
    assert len(sizes_one) > 3 and sizes_two == sizes_one  # summaries, organisations, links, catalogue


def test_a_spool_loaded_whole_equals_one_loaded_chunk_by_chunk(tmp_path, manifest, monkeypatch):
    """The writer bulk-loads a small spool in one call of the engine's loader and a big one
    chunk by chunk (``spool.SPOOL_FILE_BYTES``): the store ends the same either way."""
    from catalogue.ingest import spool

    whole, chunked = str(tmp_path / "whole"), str(tmp_path / "chunked")
    calls: list[str] = []
    real = EmbeddedStore.bulk_add_file
    monkeypatch.setattr(EmbeddedStore, "bulk_add_file", lambda self, path, graph: (calls.append(graph),
                                                                                     real(self, path, graph))[1])
    assert load(whole, manifest, 2).exit_code == 1
    assert len(calls) == 5  # every loadable file went whole (the refused one was never spooled)
    monkeypatch.setattr(spool, "SPOOL_FILE_BYTES", 0)
    assert load(chunked, manifest, 2).exit_code == 1
    assert len(calls) == 5
    records_whole, graphs_whole, sizes_whole = contents(whole)
    records_chunked, graphs_chunked, sizes_chunked = contents(chunked)
    assert len(records_whole) == 5 and records_chunked == records_whole
    for dataset, graph in graphs_whole.items():
        assert len(graph) > 0 and isomorphic(graph, graphs_chunked[dataset]), dataset
    assert sizes_chunked == sizes_whole


WHOLE = sparql_prologue("sv", "void") + """
SELECT ?dataset ?graph ?rows ?triples (COUNT(?s) AS ?n) WHERE {
  GRAPH ?c { ?dataset sv:namedGraph ?graph ; sv:loadedRowCount ?rows ; void:triples ?triples }
  OPTIONAL { GRAPH ?graph { ?s ?p ?o } } } GROUP BY ?dataset ?graph ?rows ?triples"""


def whole_datasets(path: str) -> int:
    """How many datasets the store shows, after checking each one's graph is all there."""
    store = EmbeddedStore(path, mode="write")  # opens cleanly: lock and database recovered
    try:
        rows = store.select(WHOLE).rows
        for row in rows:
            assert int(row["n"]) == int(row["triples"]) > 0, row  # every triple of that load, no more
        return len(rows)
    finally:
        store.close()


def test_a_killed_parallel_load_leaves_each_file_loaded_whole_or_not_at_all(tmp_path):
    months = [f"2022-{month:02}.csv" for month in range(1, 9)]  # one real file under eight names
    for name in months:
        shutil.copy(REAL / "salford" / "2022-06.csv", tmp_path / name)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,kind,gss_code\n" + "".join(f"{m},spend,E08000006\n" for m in months), encoding="utf-8")
    command = [sys.executable, "-m", "catalogue", "--store", str(tmp_path / "store"), "load", "--manifest",
               str(manifest), "-q", "--jobs", "2", "--no-link"]
    started = time.monotonic()
    whole = subprocess.run(command, capture_output=True, text=True)
    duration = time.monotonic() - started
    assert whole.returncode == 0 and "8 of 8 files loaded." in whole.stdout, whole.stdout + whole.stderr
    seen = set()
    for trial in range(8):  # until kills have landed between files (0 < loaded < 8)
        store = str(tmp_path / f"killed-{trial}")
        proc = subprocess.Popen([*command[:4], store, *command[5:]], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(duration * (0.5 + 0.06 * trial))
        os.killpg(proc.pid, signal.SIGKILL)  # the writer, its forkserver and its workers at once
        proc.wait()
        seen.add(whole_datasets(store))
        if seen & set(range(1, 8)):
            break
    assert seen <= set(range(9)) and seen & set(range(1, 8)), seen


def test_two_spools_are_bulk_loaded_at_once_and_each_file_is_finished_in_order(tmp_path, manifest, monkeypatch):
    """The writer bulk-loads the next file's spool while the one before it loads
    (``spool.LOADING_AT_ONCE``): the engine's loader keeps about one core busy a call. The
    loads overlap, and the records are still switched file after file, in the manifest's order."""
    from catalogue.ingest import spool

    spans: list[tuple[float, float]] = []
    real_bulk, real_finish = EmbeddedStore.bulk_add_file, spool.finish
    finished: list[str] = []

    def bulk(self, path, graph):
        started = time.monotonic()
        real_bulk(self, path, graph)
        time.sleep(0.3)  # long enough that the next file's load starts before this one returns
        spans.append((started, time.monotonic()))

    def finish(store, report, done, **kwargs):
        finished.append(done.path.name)
        return real_finish(store, report, done, **kwargs)

    monkeypatch.setattr(EmbeddedStore, "bulk_add_file", bulk)
    monkeypatch.setattr(spool, "finish", finish)
    assert load(str(tmp_path / "store"), manifest, 2).exit_code == 1
    assert len(spans) == 5
    spans.sort()
    assert any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:])), spans  # two at once
    assert finished == [path.rsplit("/", 1)[-1] for path, _, _ in FILES]  # the refused one too, in its turn
