"""What query limits cost, and how fast a stopped query gives its CPU back.

    python bench/query_limits.py [--store PATH] [--seconds 10] [--clients 8]

Loads the sample spend files into a fresh on-disk store (unless ``--store`` names one),
then prints three tables:

1. per-query latency of simple queries in-process versus through a query worker
   (``GuardedStore``): the overhead of the pipe hop;
2. simple queries per second on ``/sparql`` served by gunicorn with 2 workers, with the
   worker processes (``SVCAT_QUERY_TIMEOUT=30``) and without (``SVCAT_QUERY_TIMEOUT=0``);
3. a pathological query stopped at a 2 s limit: when its worker is gone, and how long the
   next simple query takes.

Figures on a shared machine are noisy; run it twice and compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.store import QueryLimits, open_store  # noqa: E402

BASE = "https://data.example.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SIMPLE = {
    "ask": "ASK { ?s ?p ?o }",
    "council label": "SELECT ?l WHERE { <https://data.example.gov.uk/id/council/E08000035> "
                     "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    "10 lines": "SELECT ?l ?a WHERE { ?l <http://reference.data.gov.uk/def/payment#netAmount> ?a } LIMIT 10",
}
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def build_store(path: str) -> None:
    from catalogue.ingest import load_file
    from tests.conftest import REAL, manifest

    with open_store(path, "write") as writer:
        for entry in manifest(REAL, "spend"):
            load_file(writer, "spend", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)


def per_query(store, query: str, n: int) -> float:
    store.select(query)
    started = time.perf_counter()
    for _ in range(n):
        store.select(query)
    return (time.perf_counter() - started) / n * 1e6


def latency_table(path: str) -> None:
    plain = open_store(path, "read")
    guarded = open_store(path, "read", QueryLimits(timeout=30, workers=1))
    print("\n1. Latency per simple query (microseconds, mean of 2000)")
    print(f"{'query':<16}{'in-process':>12}{'worker':>10}{'overhead':>10}")
    for name, query in SIMPLE.items():
        a, b = per_query(plain, query, 2000), per_query(guarded, query, 2000)
        print(f"{name:<16}{a:>12.0f}{b:>10.0f}{b - a:>10.0f}")
    plain.close()
    guarded.close()


def start_gunicorn(path: str, timeout: str, port: int) -> subprocess.Popen:
    env = dict(os.environ, SVCAT_STORE=path, SVCAT_BASE_URI=BASE, SVCAT_QUERY_TIMEOUT=timeout)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=10)
            return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def throughput(url: str, seconds: float, clients: int) -> tuple[float, float, int]:
    counts, latencies, errors = [0] * clients, [], [0]
    stop = time.monotonic() + seconds

    def client(i):
        session = requests.Session()
        queries = list(SIMPLE.values())
        while time.monotonic() < stop:
            t = time.perf_counter()
            response = session.get(url, params={"query": queries[counts[i] % len(queries)]},
                                   headers={"Accept": "application/sparql-results+json"})
            latencies.append(time.perf_counter() - t)
            counts[i] += 1
            errors[0] += response.status_code != 200

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, statistics.median(latencies) * 1000, errors[0]


def throughput_table(path: str, seconds: float, clients: int) -> None:
    from tests.conftest import free_port

    print(f"\n2. /sparql under gunicorn -w 2, {clients} client threads, {seconds:g} s each")
    print(f"{'mode':<34}{'queries/s':>10}{'median ms':>11}{'errors':>8}")
    for label, timeout in (("in-process (SVCAT_QUERY_TIMEOUT=0)", "0"), ("query workers (timeout 30 s)", "30")):
        port = free_port()
        proc = start_gunicorn(path, timeout, port)
        try:
            rate, median, errors = throughput(f"http://127.0.0.1:{port}/sparql", seconds, clients)
        finally:
            proc.terminate()
            proc.wait()
        print(f"{label:<34}{rate:>10.0f}{median:>11.1f}{errors:>8}")


def timeout_table(path: str) -> None:
    from tests import procs

    store = open_store(path, "read", QueryLimits(timeout=2, workers=1))
    store.select(SIMPLE["ask"])
    (victim,) = store.pool.pids()
    started = time.perf_counter()
    try:
        store.select(PATHOLOGICAL)
    except Exception as exc:  # QueryTimeout
        answered = time.perf_counter() - started
        kind = type(exc).__name__
    gone = not procs.exists(victim)
    t = time.perf_counter()
    store.select(SIMPLE["council label"])
    next_ms = (time.perf_counter() - t) * 1000
    idle = {pid: procs.cpu_ticks(pid) for pid in procs.query_workers(path)}
    time.sleep(1)
    burning = [pid for pid, ticks in idle.items() if procs.exists(pid) and procs.cpu_ticks(pid) != ticks]
    print("\n3. A pathological query at a 2 s limit")
    print(f"answered {kind} after {answered:.2f} s; its worker gone: {gone}; "
          f"next simple query (fresh worker) {next_ms:.0f} ms; workers using CPU a second later: {len(burning)}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or str(Path(tmp) / "store")
        if not args.store:
            print("loading the sample files ...", flush=True)
            build_store(path)
        latency_table(path)
        throughput_table(path, args.seconds, args.clients)
        timeout_table(path)


if __name__ == "__main__":
    main()
