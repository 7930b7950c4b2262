"""Serving that survives slow and greedy clients, and stops work nobody waits for (issue 20).

Real servers only: ``svcat serve`` (gunicorn, the production settings) for idle and slow
connections; gunicorn ``wsgi:app`` (tests/servers.py) with one web process for greedy
clients and for a client that hangs up mid-query. No timings are asserted beyond the
issue's own generous bounds (an answer within 5 s; a stopped worker gone within 3 s).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from urllib.parse import quote

import pytest
import requests

from bench.slow_clients import Crowd, time_home
from catalogue.ingest import load_file
from catalogue.store import open_store
from tests.conftest import BASE, OGL, REAL
from tests.servers import gunicorn
from tests.test_query_limits import PATHOLOGICAL
from tests.test_serve_command import start, said, stop

pytestmark = [pytest.mark.server, pytest.mark.slow]
TICKS = os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("guards") / "store")
    with open_store(path, "write") as writer:
        assert load_file(writer, "spend", REAL / "harrogate" / "2015-04.csv", base=BASE, licence=OGL).loaded
    return path


def query_workers(store_path: str) -> dict[int, float]:
    """pid -> CPU seconds of every query worker process serving ``store_path``."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                args = handle.read().split(b"\0")
            if b"catalogue.store.worker" not in args or store_path.encode() not in args:
                continue
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if fields[0] != b"Z":
                found[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError):
            continue
    return found


def test_home_answers_within_5_s_with_16_idle_and_8_slow_connections_open(store_path, tmp_path):
    proc, url, log = start(store_path, tmp_path, "--workers", "2")
    try:
        with Crowd(url, idle=16, slow=8, byte_every=0.5):
            time.sleep(6)  # past gunicorn's 5 s wait for a first byte, and keep-alive's 5 s
            took = time_home(url, tries=3, timeout=5)  # requests raises if an answer takes longer
            assert len(took) == 3
            assert requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200
    finally:
        assert stop(proc) == 0, said(log)[-3000:]


def test_a_query_whose_client_hung_up_is_stopped_and_burns_no_more_cpu(store_path):
    env = {"SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE, "SVCAT_QUERY_TIMEOUT": "120"}
    with gunicorn(env, workers=1, ready_path="/sparql?query=ASK%7B%7D") as url:
        port = int(url.rsplit(":", 1)[1])
        before = query_workers(store_path)
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(f"GET /sparql?query={quote(PATHOLOGICAL)} HTTP/1.1\r\nHost: x\r\n"
                       "Accept: application/sparql-results+json\r\n\r\n".encode())
        busy = None
        deadline = time.monotonic() + 60
        while busy is None and time.monotonic() < deadline:
            time.sleep(0.3)
            now = query_workers(store_path)
            busy = next((pid for pid, cpu in now.items() if cpu - before.get(pid, 0.0) > 0.5), None)
        assert busy is not None, "no query worker started on the heavy query"
        client.close()
        gone_by = time.monotonic() + 3
        while busy in query_workers(store_path) and time.monotonic() < gone_by:
            time.sleep(0.1)
        assert busy not in query_workers(store_path), "the worker kept running after its client left"
        settled = query_workers(store_path)
        time.sleep(2)
        later = query_workers(store_path)
        burned = sum(later[pid] - settled.get(pid, 0.0) for pid in later)
        assert burned < 0.5, f"query workers used {burned:.2f} s of CPU with no query running"
        # and the server goes on answering (the killed worker was replaced)
        assert requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60).status_code == 200


def test_a_fifth_client_is_answered_while_four_greedy_ones_get_429_with_retry_after(store_path):
    env = {"SVCAT_STORE": store_path, "SVCAT_BASE_URI": BASE, "SVCAT_QUERY_TIMEOUT": "3",
           "SVCAT_PROXIES": "1", "SVCAT_CLIENT_RATE": "120"}
    with gunicorn(env, workers=1, ready_path="/sparql?query=ASK%7B%7D") as url:
        stop_at = time.monotonic() + 12
        outcomes: list[tuple[int, str | None]] = []

        def greedy(n: int) -> None:
            headers = {"X-Forwarded-For": f"203.0.113.{n}", "Accept": "application/sparql-results+json"}
            while time.monotonic() < stop_at:
                answer = requests.get(url + "/sparql", params={"query": PATHOLOGICAL}, headers=headers, timeout=60)
                outcomes.append((answer.status_code, answer.headers.get("Retry-After")))

        threads = [threading.Thread(target=greedy, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        fifth = []
        while time.monotonic() < stop_at - 1:
            fifth.append(requests.get(url + "/", headers={"X-Forwarded-For": "198.51.100.5"}, timeout=30).status_code)
            time.sleep(0.3)
        for thread in threads:
            thread.join()
    assert fifth and set(fifth) == {200}, fifth
    refused = [retry for status, retry in outcomes if status == 429]
    assert refused and all(retry and int(retry) >= 1 for retry in refused), outcomes[:20]
    assert any(status == 503 for status, _ in outcomes), "no greedy query ran to its time limit"
