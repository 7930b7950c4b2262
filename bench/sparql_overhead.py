"""``/sparql`` CPU per request, before and after a change, beside ``oxigraph serve-read-only``, in one run.

    python bench/sparql_overhead.py --store STORE --before /tmp/before --seconds 15 --rounds 2

The simple query mix of ``bench/side_by_side.py --sparql-seconds`` (a council's properties
with LIMIT 10, five dataset titles, an ASK) goes, round after round, to: the Oxigraph
server on the store's published snapshot; ``gunicorn wsgi:app`` (1 worker, settings from
``gunicorn.conf.py``) from this checkout; the same with ``SVCAT_QUERY_INPROCESS_MS=0``
(every query through a query worker, as before ``catalogue.store.cheap``); and, with
``--before``, from another checkout (e.g. ``git worktree add /tmp/before main``), served by
this checkout's Python. CPU is of all the server's processes over the requests answered
(``bench/sparql_http.py``); the ratio is to the Oxigraph server of the same round.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import report  # noqa: E402
from peers import OxigraphServer  # noqa: E402
from side_by_side import BASE, MIX  # noqa: E402
from sparql_http import _pid_of, measured  # noqa: E402

from catalogue.store import open_store  # noqa: E402
from catalogue.store.snapshots import Layout  # noqa: E402
from catalogue.vocab import DCTERMS  # noqa: E402
from tests.servers import gunicorn  # noqa: E402


def mix_urls(store: Path) -> list[str]:
    with open_store(str(store), "read") as reader:
        council = str(reader.select(f"SELECT ?c WHERE {{ ?d <{DCTERMS.publisher}> ?c "
                                    f"FILTER(STRSTARTS(STR(?c), '{BASE}id/council/')) }} LIMIT 1").rows[0]["c"])
    return ["?" + urlencode({"query": text.format(council=council)}) for text in MIX]


def ours(store: Path, queries: list[str], args, *, cwd: Path | None = None, **env) -> tuple[float, float]:
    """(requests/s, CPU ms a request) of gunicorn with 1 worker over the mix."""
    extra = {"cwd": cwd} if cwd else {}
    with gunicorn({"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE, **env}, workers=1,
                  ready_path="/sparql" + queries[0], **extra) as url:
        return summed([measured(url + "/sparql" + q, _pid_of(url), args) for q in queries])


def summed(runs) -> tuple[float, float]:
    requests = sum(load.requests for load, _ in runs)
    errors = sum(load.errors for load, _ in runs)
    if errors:
        raise RuntimeError(f"{errors} requests failed")
    return (sum(load.requests_per_s for load, _ in runs) / len(runs),
            sum(ms * load.requests for load, ms in runs) / max(1, requests))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="an on-disk store (published) with councils loaded")
    parser.add_argument("--before", help="another checkout to serve as 'before' (its wsgi.py and catalogue/)")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds a server gets per round (the mix)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    store = Path(args.store)
    queries = mix_urls(store)
    load_args = argparse.Namespace(seconds=args.seconds / len(queries), connections=8)
    found: dict[str, list[tuple[float, float, float]]] = {}
    for _ in range(args.rounds):
        with OxigraphServer(Layout(store).current()) as endpoint:
            rate, cpu = summed([measured(endpoint + q, _pid_of(endpoint), load_args) for q in queries])
        found.setdefault("oxigraph serve-read-only", []).append((rate, cpu, cpu))
        servers = [("ours, this checkout", {}), ("ours, every query via a worker", {"SVCAT_QUERY_INPROCESS_MS": "0"})]
        if args.before:
            servers.append(("ours, before", {"cwd": Path(args.before)}))
        for name, options in servers:
            got = ours(store, queries, load_args, **options)
            found.setdefault(name, []).append((*got, cpu))
    lines = [f"/sparql, simple query mix ({len(MIX)} queries, {load_args.seconds:g} s each, 8 connections, "
             f"{args.rounds} rounds, medians; {time.strftime('%Y-%m-%d %H:%M')} UTC)",
             f"{'server':<34}{'req/s':>9}{'CPU ms/req':>12}{'x oxigraph':>12}"]
    for name, runs in found.items():
        lines.append(f"{name:<34}{statistics.median(r for r, _, _ in runs):>9.0f}"
                     f"{statistics.median(c for _, c, _ in runs):>12.2f}"
                     f"{statistics.median(c / o for _, c, o in runs):>12.1f}")
    report(lines, "sparql-overhead")


if __name__ == "__main__":
    main()
