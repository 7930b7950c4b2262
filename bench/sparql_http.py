"""``/sparql`` under load: our gunicorn with 1 and 2 workers beside the Oxigraph server.

    python bench/sparql_http.py                        # builds a store from two real files
    python bench/sparql_http.py --store PATH --seconds 10 --rounds 3

The same simple query (one council's first ten properties, as ``bench/compare.py``
sends) goes to three servers in turn, all reading the very same published snapshot:
``gunicorn wsgi:app`` with 1 worker and with 2 (settings from ``gunicorn.conf.py``, query
workers as in production), and ``oxigraph serve-read-only``, the engine alone behind
its own Rust HTTP server. Each round runs the three one after the other; the table
gives the median over the rounds of requests/s, p50 and p99 (``bench/http_load.py``: wrk
when installed, else Python threads), and the CPU the server's processes spent per
request (all of them: gunicorn, its workers and their query workers), which is the
steadiest figure on a shared machine, where others' load moves the wall-clock ones.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_load import Load, hammer  # noqa: E402
from measure import OUT, report  # noqa: E402
from peers import OxigraphServer  # noqa: E402

from catalogue.store.snapshots import Layout  # noqa: E402
from tests.servers import gunicorn  # noqa: E402

BASE = "https://data.example.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
COUNCIL = "E08000035"
QUERY = f"SELECT ?p ?o WHERE {{ <{BASE}id/council/{COUNCIL}> ?p ?o }} LIMIT 10"
ACCEPT = "application/sparql-results+json"
TICK = os.sysconf("SC_CLK_TCK")


def build(path: Path) -> None:
    from catalogue.ingest import load_file
    from catalogue.store import open_store
    from tests.conftest import REAL

    with open_store(str(path), "write") as writer:
        for name in ("2013-12.csv", "2020-06.csv"):
            load_file(writer, "spend", REAL / "leeds" / name, base=BASE, licence=OGL, publisher=COUNCIL)


def tree(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo += [int(c) for c in handle.read().split()]
        except OSError:
            pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def measured(url: str, root_pid: int, args) -> tuple[Load, float]:
    """Warm up, then load ``url``; returns the load and server CPU ms per request."""
    hammer(url, seconds=2, connections=args.connections, accept=ACCEPT)
    pids = tree(root_pid)
    before = cpu_seconds(pids)
    load = hammer(url, seconds=args.seconds, connections=args.connections, accept=ACCEPT)
    spent = cpu_seconds(pids) - before
    return load, spent * 1000 / max(1, load.requests)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", help="an on-disk store with Leeds City Council loaded (default: build one)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    store = Path(args.store) if args.store else OUT / "sparql-http" / "store"
    if not args.store and not store.exists():
        build(store)
    snapshot = Layout(store).current()
    query = "?" + urlencode({"query": QUERY})
    results: dict[str, list[tuple[Load, float]]] = {}
    for _ in range(args.rounds):
        with OxigraphServer(snapshot) as endpoint:
            results.setdefault("Oxigraph server", []).append(
                measured(endpoint + query, _pid_of(endpoint), args))
        for workers in (1, 2):
            with gunicorn({"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE}, workers=workers,
                          ready_path="/sparql" + query) as url:
                results.setdefault(f"ours, {workers} worker{'s' * (workers > 1)}", []).append(
                    measured(url + "/sparql" + query, _pid_of(url), args))
    lines = [f"/sparql under load: {args.connections} connections, {args.seconds:g} s a cell, "
             f"median of {args.rounds} rounds; query {QUERY!r}",
             f"{'server':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'errors':>8}  tool"]
    for name, runs in results.items():
        loads = [load for load, _ in runs]
        lines.append(f"{name:<18}{statistics.median(x.requests_per_s for x in loads):>9.0f}"
                     f"{statistics.median(x.p50_ms for x in loads):>9.2f}"
                     f"{statistics.median(x.p99_ms for x in loads):>9.1f}"
                     f"{statistics.median(cpu for _, cpu in runs):>12.2f}"
                     f"{sum(x.errors for x in loads):>8}  {loads[0].tool}")
    report(lines, "sparql-http")


def _pid_of(url: str) -> int:
    """The process listening on ``url``'s port (the server's root process)."""
    port = int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                for row in handle.read().splitlines()[1:]:
                    fields = row.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                        inodes.add(fields[9])
        except OSError:
            pass
    holders = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}").removeprefix("socket:[").rstrip("]") in inodes:
                    holders.append(int(pid))
                    break
        except OSError:
            continue
    # gunicorn's workers share the master's listening socket: the root is the lowest
    # holder whose parent does not hold it too.
    held = set(holders)
    roots = [pid for pid in holders if _parent(pid) not in held]
    if not roots:
        raise RuntimeError(f"no process listens on port {port}")
    return min(roots)


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


if __name__ == "__main__":
    main()
