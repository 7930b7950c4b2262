"""``svcat serve`` (and so ``svcat demo``) serves through real gunicorn, as production does.

Run from a folder other than the repository's, so nothing can come from ``gunicorn.conf.py``:
the settings are ``catalogue.server``'s own. ``--dev`` keeps Flask's development server
for those who want its reloader.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import requests

from catalogue.vocab import sparql_prologue
from tests.conftest import BASE
from tests.servers import free_port

LINES = sparql_prologue("pay") + "SELECT (COUNT(?line) AS ?n) WHERE { ?line pay:netAmount [] }"


def interruptible() -> None:
    """Ctrl-C as in a user's terminal: a test run started in the background (``nohup ... &``,
    as CI may be) passes SIGINT on ignored, and Python then installs no handler for it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(store, tmp_path, *args, command: str = "serve", wait: float = 120) -> tuple[subprocess.Popen, str, object]:
    port = free_port()
    log = open(tmp_path / f"{command}-{port}.log", "w+b")
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    proc = subprocess.Popen([sys.executable, "-m", "catalogue", command, "--port", str(port), *args],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                            preexec_fn=interruptible)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        assert proc.poll() is None, said(log)
        try:
            requests.get(url + "/", timeout=30)
            return proc, url, log
        except requests.ConnectionError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError(f"svcat {command} did not answer: " + said(log))


def said(log) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_serve_runs_gunicorn_workers_with_the_production_settings(disk_store_path, tmp_path):
    proc, url, log = start(disk_store_path, tmp_path, "--workers", "2")
    try:
        home = requests.get(url + "/", timeout=60)
        assert home.status_code == 200
        assert home.headers["Server"].startswith("gunicorn"), home.headers["Server"]
        answer = requests.get(url + "/sparql", params={"query": LINES},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
        # The gevent worker and two of them: the settings came from catalogue.server,
        # not from a gunicorn.conf.py (there is none in this folder).
        # (a worker writes its access line just after the client has the answer)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
                said(log).count("Booting worker with pid") >= 2 and '"path": "/sparql"' in said(log)):
            time.sleep(0.2)
        output = said(log)
        assert "Using worker: gevent" in output, output[-2000:]
        assert output.count("Booting worker with pid") == 2, output[-2000:]
        assert '"method": "GET", "path": "/sparql"' in output  # the JSON access log line
        assert "Control socket listening" not in output
    finally:
        code = stop(proc)
    assert code == 0, said(log)[-3000:]
    assert "Shutting down" in said(log)


def test_serve_dev_keeps_the_flask_development_server(disk_store_path, tmp_path):
    proc, url, log = start(disk_store_path, tmp_path, "--dev")
    try:
        home = requests.get(url + "/", timeout=60)
        assert home.status_code == 200
        assert home.headers["Server"].startswith("Werkzeug"), home.headers["Server"]
    finally:
        stop(proc)


def test_demo_loads_the_samples_then_serves_them_with_gunicorn(tmp_path):
    """The README's first command: the same process loads, then a fresh one serves (gunicorn
    workers forked from the process that wrote the store died with SIGSEGV on exit)."""
    proc, url, log = start(tmp_path / "store", tmp_path, command="demo", wait=900)
    try:
        assert "full link:" in said(log)  # loaded and linked before it served
        councils = requests.get(url + "/councils", timeout=60)
        assert councils.status_code == 200 and councils.headers["Server"].startswith("gunicorn")
        assert "Leeds City Council" in councils.text
    finally:
        code = stop(proc)
    output = said(log)
    assert code == 0, output[-3000:]
    assert "Booting worker with pid" in output and "Shutting down" in output
    assert "SIGSEGV" not in output and "Traceback" not in output, output[-3000:]
