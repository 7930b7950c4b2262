"""Shared fixtures: real sample files, stores loaded through the real pipeline, servers.

``loaded_store`` is an in-memory Oxigraph store holding every spend file shipped in
``tests/data/real`` (loaded once per session through ``catalogue.ingest``). ``served``
is the same data in an on-disk store served by a real gunicorn on 127.0.0.1.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import free_port, gunicorn  # noqa: F401 (free_port: used by test modules)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REAL = DATA / "real"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"
BASE = "https://data.example.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def manifest(folder: Path, kind: str | None = None) -> list[dict]:
    with open(folder / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [dict(r, file=folder / r["path"]) for r in rows if kind is None or r["kind"] == kind]


def real_files(kind: str) -> list[dict]:
    """Every file of a kind: ../shared/data/real when present, else the repository copies."""
    return manifest(SHARED_REAL if (SHARED_REAL / "manifest.csv").exists() else REAL, kind)


@pytest.fixture
def memory_store():
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    yield store
    store.close()


def load_samples(store) -> list:
    from catalogue.ingest import load_file

    outcomes = []
    for entry in manifest(REAL, "spend"):
        outcome = load_file(store, "spend", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
        outcomes.append(outcome)
    return outcomes


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A real OpenLink Virtuoso on 127.0.0.1 with a throw-away database (tests/virtuoso.py)."""
    from tests.virtuoso import start_virtuoso, stop_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    stop_virtuoso(server)


def remote_options(server):
    from catalogue.store.remote_http import RemoteOptions

    return RemoteOptions(user=server.user, password=server.password)


def drop_test_graphs(store) -> None:
    for graph in store.graphs():
        if graph.startswith(BASE):
            store.drop_graph(graph)


@pytest.fixture(params=["embedded", "virtuoso"])
def store(request, tmp_path):
    """An empty writable store of each backend: the store tests run against both.

    ``store.reader()`` opens a read-only view of the same data, as a web worker would.
    """
    from catalogue.store import open_store

    if request.param == "embedded":
        url, options = str(tmp_path / "store"), None
    else:
        server = request.getfixturevalue("virtuoso")
        url, options = server.sparql, remote_options(server)
    writer = open_store(url, "write", remote=options)
    writer.reader = lambda: open_store(url, "read", remote=options)
    yield writer
    if request.param == "virtuoso":
        drop_test_graphs(writer)
    writer.close()


@pytest.fixture(scope="session")
def loaded_store():
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    load_samples(store)
    return store


@pytest.fixture(scope="session")
def app(loaded_store):
    from catalogue.app import create_app

    return create_app({"TESTING": True, "SVCAT_STORE_OBJECT": loaded_store, "SVCAT_BASE_URI": BASE})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def disk_store_path(tmp_path_factory):
    """An on-disk store with the sample spend files, loaded by the real CLI."""
    path = tmp_path_factory.mktemp("store") / "svcat-store"
    env = dict(os.environ, SVCAT_STORE=str(path), SVCAT_BASE_URI=BASE)
    result = subprocess.run([sys.executable, "-m", "catalogue", "demo", "--no-serve"], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return path


@pytest.fixture(scope="session")
def served(disk_store_path):
    """gunicorn serving the disk store on 127.0.0.1 with 2 workers; yields its root URL."""
    with gunicorn({"SVCAT_STORE": str(disk_store_path), "SVCAT_BASE_URI": BASE}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (tests/browser.py), shared by the session's page tests."""
    from tests.browser import start_browser, stop_browser

    driver = start_browser()
    yield driver
    stop_browser(driver)


# ---------------------------------------------------------------- linking (issue 4)

def copy_store(source):
    """A new in-memory store holding everything ``source`` holds (fast: one dump, one load)."""
    import io

    from catalogue.store.embedded import EmbeddedStore

    buffer = io.BytesIO()
    source.dump(buffer)
    store = EmbeddedStore(None, mode="write")
    store.bulk_add([buffer.getvalue()])
    return store


@pytest.fixture(scope="session")
def linked_store(loaded_store):
    """The sample spend files (a copy of ``loaded_store``) plus the contracts register and
    the grants file, with every supplier record linked (``svcat link``)."""
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all

    store = copy_store(loaded_store)
    for entry in manifest(REAL):
        if entry["kind"] in ("contracts", "grants"):
            outcome = load_file(store, entry["kind"], entry["file"], base=BASE, publisher=entry["gss_code"],
                                licence=OGL)
            assert outcome.loaded, outcome.report.to_json()
    link_all(store, BASE, licence=OGL)
    return store


@pytest.fixture(scope="session")
def linked_app(linked_store):
    from catalogue.app import create_app

    return create_app({"TESTING": True, "SVCAT_STORE_OBJECT": linked_store, "SVCAT_BASE_URI": BASE})


@pytest.fixture
def linked_client(linked_app):
    return linked_app.test_client()


# ---------------------------------------------------------------- test lanes (issue 21)

#: Fixtures that start something outside the test process: a test that uses one (directly or
#: through another fixture) gets the marker, and every such test is also ``slow``, so the
#: fast lane (``python -m pytest -m "not slow"``) is the pure and in-process tests.
LANE_FIXTURES = {
    "browser": "browser", "plain_browser": "browser", "publish_site": "server",
    "served": "server", "disk_store_path": "server", "remote_served": "virtuoso", "virtuoso": "virtuoso",
    "remote": "virtuoso",
}
#: Tests that start processes themselves (svcat in a subprocess, killed loads, gunicorn).
SERVER_TESTS = {
    "test_serve_command.py", "test_crash_safety.py::test_a_killed_load_leaves_the_old_or_the_new_version",
    "test_concurrency.py::test_workers_see_the_old_or_the_new_store_while_svcat_load_writes",
    "test_load_chunks.py::test_every_chunk_size_writes_the_same_triples_on_real_files",
}
LANES = ("browser", "virtuoso", "server")
#: The modules that take longest (minutes: every DEV file into Virtuoso, the one-by-one link,
#: the Virtuoso-backed demo), collected first so that the two workers (pytest-xdist, one
#: module at a time) start them early and the short ones fill in beside them, instead of one
#: worker finishing alone. Measured with --durations on the full suite.
LONGEST_FIRST = ("test_virtuoso_loads.py", "test_incremental_link.py", "test_remote_served.py",
                 "test_registers_acceptance.py", "test_figures_consistency_dev.py", "test_summary_agreement.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, lane in LANE_FIXTURES.items():
            if fixture in names:
                item.add_marker(getattr(pytest.mark, lane))
        where = item.nodeid.split("/")[-1]
        if where.split("::")[0] in SERVER_TESTS or where.split("[")[0] in SERVER_TESTS:
            item.add_marker(pytest.mark.server)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "virtuoso" in {str(v) for v in callspec.params.values()}:
            item.add_marker(pytest.mark.virtuoso)
        if any(item.get_closest_marker(lane) for lane in LANES):
            item.add_marker(pytest.mark.slow)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0].split("/")[-1], len(rank)))
