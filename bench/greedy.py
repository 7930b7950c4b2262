"""A light page's latency while four greedy clients run heavy queries or download dumps.

Starts gunicorn (``wsgi:app``, the production settings of ``catalogue.server``, 2 web
processes) on an existing store, then for each scenario runs 4 greedy clients (each its
own address through ``X-Forwarded-For``, the server trusting one proxy) for the whole
measurement while a fifth client asks for the light page, one request at a time, and
prints p50/p95/max and what the greedy clients got::

    python bench/greedy.py --store /path/to/store             # the production set-up
    python bench/greedy.py --store /path/to/store --before    # gthread, 2 threads, no limits

Figures are in docs/serving.md.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.servers import gunicorn  # noqa: E402

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(url: str, scenario: str, light: str, requests_: int) -> str:
    stop = threading.Event()
    got: collections.Counter = collections.Counter()

    def greedy(n: int) -> None:
        session = requests.Session()
        headers = {"X-Forwarded-For": f"203.0.113.{n}", "Accept": "application/sparql-results+json"}
        while not stop.is_set():
            try:
                if scenario == "sparql":
                    answer = session.get(url + "/sparql", params={"query": HEAVY}, headers=headers, timeout=120)
                else:
                    answer = session.get(url + "/dumps/all.nq.gz", headers=headers, timeout=300)
                got[answer.status_code] += 1
                if answer.status_code == 429:
                    time.sleep(float(answer.headers.get("Retry-After", 1)))
            except requests.RequestException as exc:
                got[type(exc).__name__] += 1

    threads = [threading.Thread(target=greedy, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    took = []
    session = requests.Session()
    for _ in range(requests_):
        began = time.monotonic()
        answer = session.get(url + light, headers={"X-Forwarded-For": "198.51.100.5"}, timeout=300)
        took.append(time.monotonic() - began)
        assert answer.status_code == 200, answer.status_code
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=130)
    return (f"{scenario:6} 4 greedy clients: {light} p50 {statistics.median(took) * 1000:.0f} ms, "
            f"p95 {percentile(took, 0.95) * 1000:.0f} ms, max {max(took) * 1000:.0f} ms over {len(took)}; "
            f"greedy got {dict(got)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--base-uri", default="https://data.example.gov.uk/")
    parser.add_argument("--light", default="/")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--scenarios", default="sparql,dumps")
    parser.add_argument("--before", action="store_true", help="the old set-up: gthread, 2 threads, no limits")
    args = parser.parse_args()
    env = {"SVCAT_STORE": args.store, "SVCAT_BASE_URI": args.base_uri, "SVCAT_PROXIES": "1", "SVCAT_CLIENT_RATE": "120"}
    extra: tuple[str, ...] = ()
    if args.before:
        env["SVCAT_CLIENT_RATE"] = "0"
        extra = ("-k", "gthread", "--threads", "2")
    with gunicorn(env, workers=2, extra_args=extra) as url:
        requests.get(url + "/dumps/all.nq.gz", timeout=600)  # built once, before measuring
        for scenario in args.scenarios.split(","):
            print(("before: " if args.before else "") + run(url, scenario, args.light, args.requests), flush=True)


if __name__ == "__main__":
    main()
