"""Real gunicorn servers for tests: started on a free 127.0.0.1 port, waited for, stopped.

One helper for every fixture that serves a store over real HTTP. The wait tolerates a
slow first answer (the first request opens the store and starts query workers, which on
a busy CI machine can take seconds) and fails fast, with the server's output, if the
server dies.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 2, ready_path: str = "/", log: Path | None = None,
             extra_args: tuple[str, ...] = (), cwd: Path = ROOT):
    """Serve ``wsgi:app`` with ``env`` (``SVCAT_*`` settings) and yield its root URL.

    ``cwd``: the checkout whose ``wsgi.py`` and package are served (benchmarks serve an
    older checkout beside this one).

    The per-client limits are the defaults: they spare this machine's own clients, so the
    tests (and the conformance checkers) ask hundreds of queries a minute from 127.0.0.1
    unlimited; test_serving_guards.py sends other addresses through a trusted proxy header."""
    port = free_port()
    if log is None:  # a file, not a pipe: a chatty server must never block on a full pipe
        handle, name = tempfile.mkstemp(prefix="svcat-gunicorn-", suffix=".log")
        os.close(handle)
        log = Path(name)
    output = open(log, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", *extra_args, "wsgi:app"],
        cwd=cwd, env=dict(os.environ, **env), stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(proc, url + ready_path, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        output.close()


def _wait(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if requests.get(url, timeout=30).status_code < 500:
                return
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    said = log.read_bytes()
    raise RuntimeError(f"gunicorn did not answer {url}: " + said.decode(errors="replace")[-4000:])
