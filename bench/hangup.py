"""How soon a query worker stops once its client hangs up (issue 20, item 5: within a second).

    python bench/hangup.py --store STORE [--tries 5]

Serves ``STORE`` with gunicorn (``wsgi:app``, one web process, a 120 s query limit so only
the hang-up can stop the query), then, each try: sends a pathological ``/sparql`` query over
a raw socket, waits until a query worker is burning CPU on it, closes the socket, and times
how long that worker process takes to disappear (the pool kills it and starts another).
Prints each time and the CPU the query workers used in the 2 s after. The test of the same
thing (``tests/test_serving_guards.py``) asserts no time; this prints it.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import gunicorn  # noqa: E402
from tests.test_query_limits import PATHOLOGICAL  # noqa: E402
from tests.test_serving_guards import query_workers  # noqa: E402


def one_try(port: int, store: str) -> tuple[float, float]:
    """(seconds from close to the worker gone, CPU seconds used by the workers in 2 s after)."""
    before = query_workers(store)
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(f"GET /sparql?query={quote(PATHOLOGICAL)} HTTP/1.1\r\nHost: x\r\n"
                   "Accept: application/sparql-results+json\r\n\r\n".encode())
    busy, deadline = None, time.monotonic() + 60
    while busy is None and time.monotonic() < deadline:
        time.sleep(0.05)
        busy = next((pid for pid, cpu in query_workers(store).items() if cpu - before.get(pid, 0.0) > 0.3), None)
    if busy is None:
        raise RuntimeError("no query worker started on the heavy query")
    closed = time.monotonic()
    client.close()
    while busy in query_workers(store) and time.monotonic() < closed + 30:
        time.sleep(0.01)
    gone = time.monotonic() - closed
    settled = query_workers(store)
    time.sleep(2)
    later = query_workers(store)
    return gone, sum(later[pid] - settled.get(pid, 0.0) for pid in later)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--base-uri", default="https://data.example.gov.uk/")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    env = {"SVCAT_STORE": args.store, "SVCAT_BASE_URI": args.base_uri, "SVCAT_QUERY_TIMEOUT": "120"}
    with gunicorn(env, workers=1, ready_path="/sparql?query=ASK%7B%7D") as url:
        port = int(url.rsplit(":", 1)[1])
        for n in range(1, args.tries + 1):
            gone, cpu = one_try(port, args.store)
            print(f"try {n}: worker gone {gone:.2f} s after the client closed; query workers' CPU in the 2 s "
                  f"after: {cpu:.2f} s", flush=True)


if __name__ == "__main__":
    main()
