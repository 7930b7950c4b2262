"""``svcat load`` killed with SIGKILL at random points leaves the old or the new version of
the dataset, never a mix, and a store that opens cleanly; backups round-trip exactly."""

from __future__ import annotations

import gzip
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue.backup import read_manifest, store_digest
from catalogue.cli import cli
from catalogue.store import open_store
from catalogue.store.sparql_text import iri
from tests.conftest import BASE, REAL, ROOT

DATASET = f"{BASE}id/dataset/E08000035/spend/2013-12"
TRIALS = 6
RECORD = f"""PREFIX sv: <https://w3id.org/svcat/def#> PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?g ?rows ?triples WHERE {{ GRAPH ?c {{ {iri(DATASET)} sv:namedGraph ?g ;
    sv:loadedRowCount ?rows ; void:triples ?triples }} }}"""


def _version(folder: Path, rows: int) -> Path:
    """The first ``rows`` payment lines of the real Leeds file, under its own name."""
    folder.mkdir(parents=True)
    lines = (REAL / "leeds" / "2013-12.csv").read_bytes().split(b"\r\n")
    (folder / "2013-12.csv").write_bytes(b"\r\n".join(lines[: rows + 1]) + b"\r\n")
    return folder / "2013-12.csv"


def _load_command(store: Path, file: Path) -> list[str]:
    return [sys.executable, "-m", "catalogue", "--store", str(store), "load", "spend", str(file), "-q",
            "--allow-shrink"]  # versions of 600 and 2,000 lines replace each other


def visible_version(store) -> int | None:
    """The number of lines of the dataset version the store shows, after checking it is whole."""
    rows = store.select(RECORD).rows
    if not rows:
        return None
    assert len(rows) == 1, rows  # one record, pointing at one graph
    graph = str(rows[0]["g"])
    lines = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH " + iri(graph) +
                         " { ?l <http://reference.data.gov.uk/def/payment#netAmount> [] } }").rows
    triples = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH " + iri(graph) + " { ?s ?p ?o } }").rows
    assert int(lines[0]["n"]) == int(rows[0]["rows"])  # every line of that version
    assert int(triples[0]["n"]) == int(rows[0]["triples"])  # and nothing more or less
    return int(lines[0]["n"])


def test_a_killed_load_leaves_the_old_or_the_new_version(tmp_path):
    old, new = _version(tmp_path / "old", 600), _version(tmp_path / "new", 2000)
    store = tmp_path / "store"
    assert subprocess.run(_load_command(store, old), capture_output=True).returncode == 0

    started = time.monotonic()  # how long a whole load of the new version takes
    assert subprocess.run(_load_command(store, new), capture_output=True).returncode == 0
    duration = time.monotonic() - started
    current = 2000
    rng = random.Random(7)
    seen = {"old": 0, "new": 0}
    for trial in range(TRIALS):
        target, other = (old, 600) if current == 2000 else (new, 2000)
        proc = subprocess.Popen(_load_command(store, target), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * (trial + rng.random()) / TRIALS * 1.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with open_store(str(store), "write") as writer:  # opens cleanly: lock and database recovered
            primary = visible_version(writer)
        with open_store(str(store), "read") as reader:
            published = visible_version(reader)
        assert primary in (current, other) and published in (current, other)
        seen["new" if primary == other else "old"] += 1
        current = primary if primary == published else current
        if primary != published:  # killed between the swap and the snapshot: the next load publishes
            assert subprocess.run(_load_command(store, new if primary == 600 else old),
                                  capture_output=True).returncode == 0
            current = 2000 if primary == 600 else 600
    print("kill outcomes", seen)
    assert seen["old"] and seen["new"], seen  # the kills landed both before and after the swap

    assert subprocess.run(_load_command(store, new), capture_output=True).returncode == 0
    with open_store(str(store), "read") as reader:
        assert visible_version(reader) == 2000
        dataset_graphs = [g for g in reader.graphs() if g.startswith(f"{BASE}graph/E08000035/")]
        assert len(dataset_graphs) == 1  # what killed loads left behind was collected


def test_a_first_load_killed_early_leaves_no_dataset(tmp_path):
    new = _version(tmp_path / "new", 2000)
    store = tmp_path / "store"
    proc = subprocess.Popen(_load_command(store, new), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open_store(str(store), "write") as writer:
        assert visible_version(writer) in (None, 2000)
    with open_store(str(store), "read") as reader:
        assert visible_version(reader) in (None, 2000)


# ------------------------------------------------------------------ backup and restore

@pytest.fixture(scope="module")
def source_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("backup") / "store"
    for folder in ("salford/2022-06.csv", "harrogate/2015-04.csv"):
        result = subprocess.run([sys.executable, "-m", "catalogue", "--store", str(path), "load", "spend",
                                 str(REAL / folder), "-q"], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr
    return path


def _svcat(store: Path, *args):
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def _counts(path: Path) -> dict:
    with open_store(str(path), "read") as store:
        rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        return {str(r["g"]): int(r["n"]) for r in rows}


def test_backup_and_restore_round_trip_the_whole_store(source_store, tmp_path):
    result = _svcat(source_store, "backup", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    manifest = read_manifest(tmp_path / "bk")
    assert manifest.graphs == {g: n for g, n in _counts(source_store).items()}

    result = _svcat(tmp_path / "restored", "restore", str(tmp_path / "bk"))
    assert result.exit_code == 0, result.output
    assert _counts(tmp_path / "restored") == _counts(source_store)
    with open_store(str(source_store), "read") as a, open_store(str(tmp_path / "restored"), "read") as b:
        assert store_digest(a).hex == store_digest(b).hex == manifest.digest


def test_a_damaged_backup_is_refused_and_changes_nothing(source_store, tmp_path):
    assert _svcat(source_store, "backup", str(tmp_path / "bk")).exit_code == 0
    dump = tmp_path / "bk" / "store.nq.gz"
    text = gzip.decompress(dump.read_bytes()).replace(b"Harrogate", b"Harrogat!", 1)
    dump.write_bytes(gzip.compress(text))
    result = _svcat(tmp_path / "target", "restore", str(tmp_path / "bk"))
    assert result.exit_code == 1 and "damaged" in result.output
    assert _counts(tmp_path / "target") == {}


def test_restore_replaces_a_store_only_when_asked_and_readers_follow(source_store, tmp_path):
    assert _svcat(source_store, "backup", str(tmp_path / "bk")).exit_code == 0
    target = tmp_path / "target"
    small = REAL / "calderdale" / "2022-08.csv"
    assert _svcat(target, "load", "spend", str(small), "-q").exit_code == 0
    reader = open_store(str(target), "read")  # a web worker reading the old store
    assert _svcat(target, "token", "create", "publisher-1", "--admin").exit_code == 0
    tokens = (target / "tokens.json").read_bytes()
    before = _counts(target)

    refused = _svcat(target, "restore", str(tmp_path / "bk"))
    assert refused.exit_code == 2 and "--replace" in refused.output and _counts(target) == before
    replaced = _svcat(target, "restore", str(tmp_path / "bk"), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert _counts(target) == _counts(source_store)
    graphs = reader.select("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    assert int(graphs[0]["n"]) == len(_counts(source_store))  # it now sees the restored store
    reader.close()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("target.replaced-")]
    assert len(kept) == 1 and not any(p.name.startswith("target.restoring") for p in tmp_path.iterdir())
    assert os.path.isdir(kept[0] / "primary")
    assert (target / "tokens.json").read_bytes() == tokens  # publishing tokens survive the restore
    assert (target / "tokens.json").stat().st_mode & 0o077 == 0
