"""``/publish`` loads in-process (``catalogue.ingest.upload``), not in a child ``svcat``:
the same report JSON as ``svcat load --format json``; a load past ``SVCAT_UPLOAD_TIMEOUT``
is refused whole with the previous version still served; and under gunicorn's gevent
worker the load runs on a native thread, so the worker answers other requests meanwhile."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from click.testing import CliRunner

from catalogue.app import create_app
from catalogue.cli import cli
from catalogue.ingest import load_file
from catalogue.ingest.load import OVERDUE
from catalogue.store import open_store
from catalogue.store.embedded import EmbeddedStore
from catalogue.vocab import SV
from tests.conftest import BASE, DATA, REAL
from tests.servers import gunicorn

SMALL = DATA / "spend" / "leeds-2010-excerpt.csv"
LEEDS = REAL / "leeds" / "2013-12.csv"  # 9,575 rows: seconds of loading
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
#: What differs between two loads of the same file: where it was read from, and when.
VOLATILE = ("file",)


def _site(tmp_path, **config):
    store = tmp_path / "store"
    EmbeddedStore(str(store), mode="write").close()
    made = CliRunner().invoke(cli, ["--store", str(store), "token", "create", "leeds", "--publisher", "E08000035"])
    assert made.exit_code == 0
    app = create_app({"TESTING": True, "SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE,
                      "SVCAT_MAX_UPLOAD_BYTES": 5_000_000, **config})
    return app.test_client(), store, made.stdout.strip().splitlines()[0]


def _publish(client, token, path, name=None):
    return client.post("/publish", data={"kind": "spend", "file": (open(path, "rb"), name or path.name)},
                       headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})


def _live(store) -> dict:
    """Each dataset's live graph and loaded rows, as readers see them."""
    with open_store(str(store), "read") as reader:
        rows = reader.select(f"SELECT ?ds ?g ?n WHERE {{ GRAPH ?c {{ ?ds <{SV.namedGraph}> ?g ; "
                             f"<{SV.loadedRowCount}> ?n }} }}").rows
        return {str(r["ds"]): (str(r["g"]), int(r["n"])) for r in rows}


def test_the_report_is_the_one_svcat_load_prints(tmp_path):
    """The JSON /publish answers with is ``svcat load --format json``'s, field for field."""
    client, _, token = _site(tmp_path)
    published = _publish(client, token, SMALL)
    assert published.status_code == 201, published.json
    cli_store = tmp_path / "cli-store"
    done = CliRunner().invoke(cli, ["--store", str(cli_store), "--base-uri", BASE, "load", "spend", str(SMALL),
                                    "--format", "json", "--quiet", "--publisher", "E08000035"])
    assert done.exit_code == 0, done.output
    printed, answered = json.loads(done.stdout), published.json["report"]
    assert set(answered) == set(printed)
    assert {k: v for k, v in answered.items() if k not in VOLATILE} == \
        {k: v for k, v in printed.items() if k not in VOLATILE}
    assert answered["file"] == SMALL.name and answered["loaded"] is True and answered["rows"]["loaded"] > 0


def test_a_publish_past_its_deadline_is_refused_whole(tmp_path):
    """A deadline already passed: the new version is refused (422, refusal ``overdue``), the
    previous version is still the one served, and no half-written graph is left behind."""
    client, store, token = _site(tmp_path, SVCAT_UPLOAD_TIMEOUT=1e-9)
    with open_store(str(store), "write") as writer:
        first = load_file(writer, "spend", SMALL, base=BASE, publisher="E08000035", licence=OGL)
        assert first.loaded
        graphs = set(writer.graphs())
    before = _live(store)
    refused = _publish(client, token, SMALL)
    assert refused.status_code == 422
    body = refused.json
    assert body["published"] is False and body["report"]["refusal"] == OVERDUE
    assert "SVCAT_UPLOAD_TIMEOUT" in body["report"]["fatal"] and "nothing changed" in body["report"]["fatal"]
    assert _live(store) == before
    with open_store(str(store), "write") as writer:
        assert set(writer.graphs()) == graphs


def test_a_load_stops_between_rows_at_its_deadline(tmp_path):
    """The deadline is looked at while rows stream, not only at the end: a file of 9,575 rows
    given a deadline already past stops at its first look, and the old version stays."""
    with open_store(str(tmp_path / "store"), "write") as writer:
        first = load_file(writer, "spend", SMALL, base=BASE, publisher="E08000035", licence=OGL)
        graphs = set(writer.graphs())
        late = load_file(writer, "spend", LEEDS, base=BASE, licence=OGL, deadline=time.monotonic() - 1)
        assert not late.loaded and late.refusal == OVERDUE
        assert late.report.rows_read < 1000  # stopped at the first look, not after the whole file
        assert set(writer.graphs()) == graphs and first.loaded


@pytest.mark.server
@pytest.mark.slow
def test_other_requests_are_answered_while_gunicorn_loads_an_upload(tmp_path):
    """One gevent worker: while it loads a 9,575-row file, pages and /sparql still answer."""
    client, store, token = _site(tmp_path)  # the store and the token; the server is gunicorn's
    env = {"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE, "SVCAT_MAX_UPLOAD_BYTES": "5000000",
           "TMPDIR": str(tmp_path)}
    answered, results = [], {}
    with gunicorn(env, workers=1, ready_path="/publish") as url:
        def publish():
            with open(LEEDS, "rb") as handle:
                results["publish"] = requests.post(
                    url + "/publish", files={"file": (LEEDS.name, handle, "text/csv")}, data={"kind": "spend"},
                    headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}, timeout=600)
        worker = threading.Thread(target=publish)
        worker.start()
        while worker.is_alive():
            page = requests.get(url + "/", timeout=600)
            ask = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                               headers={"Accept": "application/sparql-results+json"}, timeout=600)
            if worker.is_alive():  # answered while the publish was still running
                answered.append((page.status_code, ask.status_code))
        worker.join()
    assert results["publish"].status_code == 201, results["publish"].text
    # A worker whose event loop the load held would answer nothing until the publish ended.
    assert len(answered) >= 3
    assert all(codes == (200, 200) for codes in answered)
    assert _live(store)  # and the upload is the store's
