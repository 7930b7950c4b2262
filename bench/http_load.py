"""A bounded concurrent HTTP load on 127.0.0.1: throughput and p50/p99 latency of one URL.

``wrk`` (Debian package ``wrk``: a small C load generator, so the client takes little
of the 2 CPUs the servers share) when it is installed; otherwise Python threads, one
``requests`` session each, which cost more CPU themselves (the table says which ran).
Every answer other than 200 counts as an error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass

import requests
from latency import summary

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    tool: str


def hammer(url: str, *, seconds: float, connections: int, accept: str = "*/*") -> Load:
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections, accept)
    return _threads(url, seconds, connections, accept)


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def _wrk(url: str, seconds: float, connections: int, accept: str) -> Load:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{max(1, int(seconds))}s", "--latency",
                          "--timeout", "30s", "-H", f"Accept: {accept}", url],
                         capture_output=True, text=True, timeout=seconds + 120).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))  # "1.31s " has a space
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    nan = float("nan")  # no answer came back within the run: no latency to give
    return Load(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                _ms(latency["50"]) if "50" in latency else nan, _ms(latency["99"]) if "99" in latency else nan,
                errors, total, "wrk")


def _threads(url: str, seconds: float, connections: int, accept: str) -> Load:
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client():
        session = requests.Session()
        mine, bad = [], 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                ok = session.get(url, headers={"Accept": accept}, timeout=30).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append((time.perf_counter() - started) * 1000)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad
    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    stats = summary(latencies)
    return Load(len(latencies) / elapsed, stats["p50"], stats["p99"], errors[0], len(latencies), "python threads")
