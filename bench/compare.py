"""Us against peers, the same work side by side: load, canonical queries, HTTP under load.

    python bench/compare.py                              # 100k and 1M synthetic lines + the real files
    python bench/compare.py --lines 100000 --skip real   # the quick run: a few minutes
    python bench/compare.py --skip rdflib --seconds 20   # peers: rdflib, virtuoso, oxigraph; also http

For each data set (synthetic spend files in Leeds' dialect over 10 councils,
``bench/synth.py``; and every real spend file in ``../shared/data/real/manifest.csv``):

1. *ours*: each file through a real ``svcat load --no-link`` (lines/s end to end from CSV,
   the children's peak RSS), then ``svcat link``; store size on disk. The store is exported
   as N-Quads, and every peer loads that file, so all hold exactly the same quads (with
   the summary cubes and the links): (a) rdflib's in-memory ``Dataset``, in a child process,
   only up to ``--rdflib-max-lines`` (it keeps every triple as Python objects); (b) Virtuoso
   with its bulk loader; (c) the Oxigraph server (``oxigraph load``). Peers' lines/s is CSV
   lines over the time to load our ready-made quads: less work than ours.
2. the canonical questions as the catalogue's own SPARQL texts (``bench/workload.py``), each
   timed ``--repeat`` times after a warm-up: ours in-process (``EmbeddedStore``), rdflib
   in-process, Virtuoso and the Oxigraph server over HTTP on 127.0.0.1 (a form POST).
3. HTTP for ``--seconds`` per cell at ``--connections`` concurrent connections
   (``bench/http_load.py``): a simple ``/sparql`` query and a council page, from ``gunicorn
   wsgi:app`` with 1 and 2 workers. Peers' ``/sparql`` is their own endpoint (their own
   threads, measured once); their council page is our app with that server as its store.

Ratios are peer / ours, so above 1 is better for us where lower is better (times, memory,
size) and worse where higher is better (lines/s, requests/s). Output is also kept in
``bench/out/compare-*.txt``; while it runs, ``compare-*.partial.txt`` holds the table so far
after each engine (ours first), so a run stopped midway keeps what it measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import peers  # noqa: E402
import workload  # noqa: E402
from http_load import hammer  # noqa: E402
from measure import OUT, dir_size, fmt, machine_note, python, run_child, table  # noqa: E402

from tests.servers import gunicorn  # noqa: E402

BASE = workload.BASE
ENGINES = ("ours", "rdflib", "Virtuoso", "Oxigraph server")
SKIPPABLE = ("real", "rdflib", "virtuoso", "oxigraph", "http")


class Bench:
    """One data set's figures: rows of (measure, unit, better, {engine: value or text})."""

    def __init__(self, name: str, lines: int):
        self.name, self.lines, self.rows, self.notes = name, lines, [], []

    def add(self, measure: str, unit: str, better: str, **cells) -> None:
        self.rows.append((measure, unit, better, {k.replace("_", " "): v for k, v in cells.items()}))

    def render(self) -> str:
        header = ["measure", "unit", "better", "ours"]
        for peer in ENGINES[1:]:
            header += [peer, f"{peer.split()[0]}/ours"]
        out = []
        for measure, unit, better, cells in self.rows:
            ours = cells.get("ours")
            row = [measure, unit, better, _cell(ours)]
            for peer in ENGINES[1:]:
                value = cells.get(peer, "-")
                ratio = value / ours if isinstance(value, float) and isinstance(ours, float) and ours else None
                ratio = None if ratio is not None and math.isnan(ratio) else ratio
                row += [_cell(value), f"{ratio:.2f}x" if ratio is not None else ""]
            out.append(row)
        notes = "".join(f"\n  - {n}" for n in self.notes)
        return f"\n{self.name}: {self.lines:,} lines\n{table(out, header)}{notes}"


def _cell(value) -> str:
    return fmt(value) if isinstance(value, float) else str(value if value is not None else "-")


def say(name: str, what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} [{name}] {what}", file=sys.stderr, flush=True)


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


# ---------------------------------------------------------------- ours

def load_ours(bench: Bench, files: list[tuple[str, Path]], store: Path) -> None:
    shutil.rmtree(store, ignore_errors=True)
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    seconds, rss, loaded = 0.0, 0, 0
    for gss, path in files:
        run = run_child(python("-m", "catalogue", "load", "spend", str(path), "--publisher", gss, "--no-link",
                               "--quiet", "--format", "json"), env=env)
        if run.returncode:
            raise SystemExit(f"svcat load {path} failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
        seconds, rss = seconds + run.seconds, max(rss, run.max_rss)
        loaded += json.loads(run.stdout)["rows"]["loaded"]
    link = run_child(python("-m", "catalogue", "link", "--quiet"), env=env)
    if link.returncode:
        raise SystemExit(f"svcat link failed:\n{link.stdout[-2000:]}{link.stderr[-2000:]}")
    bench.lines = loaded
    bench.add("load (ours: CSV end to end)", "lines/s", "higher", ours=loaded / seconds)
    bench.add("load, peak RSS", "MB", "lower", ours=rss / 1e6)
    bench.add("store size on disk", "MB", "lower", ours=dir_size(store / "primary") / 1e6)
    bench.notes.append(f"ours: {len(files)} x svcat load --no-link in {seconds:.0f} s, then svcat link in "
                       f"{link.seconds:.0f} s (peak RSS {link.max_rss / 1e6:.0f} MB); peers load the result")


def time_queries(run_one, queries: dict[str, list[str]], repeat: int) -> dict:
    """{question: {"seconds": [...], "rows": [...], "error": ...}} for one engine."""
    out = {}
    for name, texts in queries.items():
        try:
            rows = [run_one(text) for text in texts]  # the warm-up, and the row counts
            seconds = []
            for _ in range(repeat):
                started = time.perf_counter()
                for text in texts:
                    run_one(text)
                seconds.append(time.perf_counter() - started)
            out[name] = {"seconds": seconds, "rows": rows, "error": None}
        except Exception as exc:  # the engine's answer, shown in the table
            out[name] = {"seconds": [], "rows": None, "error": f"{type(exc).__name__}: {str(exc)[:50]}"}
    return out


def query_rows(bench: Bench, results: dict[str, dict]) -> None:
    """One table row per question; a peer that found other row counts is noted."""
    for name in results["ours"]:
        cells = {}
        for engine, found in results.items():
            got = found.get(name, {})
            cells[engine] = median_ms(got["seconds"]) if got.get("seconds") else (got.get("error") or "-")
            if engine != "ours" and got.get("rows") is not None and got["rows"] != results["ours"][name]["rows"]:
                bench.notes.append(f"{engine} found {got['rows']} rows for '{name}', ours {results['ours'][name]['rows']}")
        bench.add(name, "ms", "lower", **{k.replace(" ", "_"): v for k, v in cells.items()})


# ---------------------------------------------------------------- HTTP

def first_and_load(url: str, page: str, args) -> tuple[float, object]:
    started = time.perf_counter()
    answer = requests.get(url + page, timeout=600)
    first = (time.perf_counter() - started) * 1000
    if answer.status_code != 200:
        raise RuntimeError(f"{url + page} answered {answer.status_code}")
    return first, hammer(url + page, seconds=args.seconds, connections=args.connections, accept="text/html")


def http_rows(bench: Bench, args, simple: str, page: str, cells: dict) -> None:
    """cells: {(target, workers): {engine: Load}}, with the pages' first requests under 'first'."""
    tool = set()
    for target in ("/sparql", "council page"):
        for workers in (1, 2):
            loads = cells.get((target, workers), {})
            label = f"{target}, ours {workers} worker{'s' if workers > 1 else ''}"
            for measure, unit, better, attr in (("req/s", "req/s", "higher", "requests_per_s"),
                                                ("p50", "ms", "lower", "p50_ms"), ("p99", "ms", "lower", "p99_ms")):
                bench.add(f"{label}: {measure}", unit, better,
                          **{k.replace(" ", "_"): getattr(v, attr) for k, v in loads.items()})
            for engine, load in loads.items():
                tool.add(load.tool)
                if load.errors:
                    bench.notes.append(f"{engine}, {label}: {load.errors} of {load.requests} answers were not 200")
    if cells.get("first"):
        bench.add("council page, first request (runs its queries)", "ms", "lower",
                  **{k.replace(" ", "_"): v for k, v in cells["first"].items()})
    bench.notes.append(f"HTTP: {', '.join(sorted(tool))}, {args.connections} connections, {args.seconds:.0f} s a cell; "
                       f"/sparql runs {simple!r}; the page is {page}")


def measure_http(app_store: str, engine: str, direct_sparql: str | None, simple: str, page: str, args,
                 cells: dict) -> None:
    """Our app (``gunicorn -w 1`` and ``-w 2``) over ``app_store``; the peer's own endpoint when given."""
    from urllib.parse import urlencode

    query = "?" + urlencode({"query": simple})
    if direct_sparql:
        load = hammer(direct_sparql + query, seconds=args.seconds, connections=args.connections,
                      accept="application/sparql-results+json")
        cells.setdefault(("/sparql", 1), {})[engine] = cells.setdefault(("/sparql", 2), {})[engine] = load
    for workers in (1, 2):
        with gunicorn({"SVCAT_STORE": app_store, "SVCAT_BASE_URI": BASE}, workers=workers, ready_path="/sparql"
                      + query) as url:
            first, load = first_and_load(url, page, args)
            cells.setdefault(("council page", workers), {})[engine] = load
            if workers == 1:
                cells.setdefault("first", {})[engine] = first
            if direct_sparql is None:
                cells.setdefault(("/sparql", workers), {})[engine] = hammer(
                    url + "/sparql" + query, seconds=args.seconds, connections=args.connections,
                    accept="application/sparql-results+json")


# ---------------------------------------------------------------- one data set

def run_dataset(name: str, files: list[tuple[str, Path]], args) -> Bench:
    from catalogue.store import open_store

    bench = Bench(name, 0)
    folder = OUT / "compare" / name.replace(",", "").replace(" ", "-")
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store"
    say(name, f"loading {len(files)} files with svcat load")
    load_ours(bench, files, store)
    say(name, "exporting N-Quads, timing our queries")
    reader = open_store(str(store), "read")
    data, quads = peers.export_parts(reader, folder)
    queries, simple = workload.canonical(reader)
    council = simple.split("<", 1)[1].split(">", 1)[0]
    page = f"/doc/council/{council.rsplit('/', 1)[-1]}"
    results = {"ours": time_queries(lambda t: len(reader.select(t).rows), queries, args.repeat)}
    reader.close()
    bench.notes.append(f"{quads:,} quads ({quads / bench.lines:.1f} a line) exported as N-Quads for the peers")
    load_cells, cells = {}, {}

    def checkpoint(phase: str) -> None:
        """The table so far, in a file: a run stopped midway still leaves what it measured."""
        partial = compose(bench, load_cells, results, cells, args, simple, page).render()
        args.partial.write_text("\n".join([*args.done, partial, f"\n(partial: {phase} done at "
                                           f"{time.strftime('%H:%M:%S')}; {machine_note()})"]) + "\n")
    checkpoint("our load and questions")
    if "http" not in args.skip:  # ours first, so that a run stopped midway has the ratios' base
        say(name, "ours over HTTP")
        measure_http(str(store), "ours", None, simple, page, args, cells)
        checkpoint("our HTTP")

    if "rdflib" in args.skip:
        pass
    elif bench.lines > args.rdflib_max_lines:
        bench.notes.append(f"rdflib not run: {bench.lines:,} lines is over --rdflib-max-lines "
                           f"{args.rdflib_max_lines:,} (it holds every triple as Python objects in memory)")
        load_cells["rdflib"] = f"cap {args.rdflib_max_lines:,}"
    else:
        say(name, "rdflib")
        with noted(bench, "rdflib"):
            found = peers.run_rdflib(data, queries, folder, args.rdflib_timeout, 1)
            results["rdflib"] = found["queries"]
            load_cells["rdflib"] = (bench.lines / found["load_seconds"], found["rss"] / 1e6, "in memory")
            bench.notes.append("rdflib: each question timed once (after no warm-up), stopped after "
                               f"{args.rdflib_timeout} s")
        checkpoint("rdflib")

    if "virtuoso" not in args.skip:
        say(name, "Virtuoso")
        from tests.virtuoso import stop_virtuoso

        with noted(bench, "Virtuoso"):
            loaded = peers.start_loaded_virtuoso(data, folder / "virtuoso")
            try:
                load_cells["Virtuoso"] = (bench.lines / loaded.load_seconds, loaded.rss / 1e6, loaded.size / 1e6)
                results["Virtuoso"] = time_queries(lambda t: peers.http_select(loaded.server.sparql, t), queries,
                                                   args.repeat)
                if "http" not in args.skip:
                    measure_http(loaded.server.sparql, "Virtuoso", loaded.server.sparql, simple, page, args, cells)
            finally:
                stop_virtuoso(loaded.server)
        bench.notes.append(f"Virtuoso: bulk loader, {peers.LOADERS} rdf_loader_run() at once, "
                           f"{peers.VIRTUOSO_BUFFERS:,} buffers; RSS is the server's peak (VmHWM)")
        checkpoint("Virtuoso")
    if "oxigraph" not in args.skip:
        say(name, "Oxigraph server")
        with noted(bench, "Oxigraph server"):
            run, size = peers.oxigraph_load(data, folder / "oxigraph")
            load_cells["Oxigraph server"] = (bench.lines / run.seconds, run.max_rss / 1e6, size / 1e6)
            with peers.OxigraphServer(folder / "oxigraph") as endpoint:
                results["Oxigraph server"] = time_queries(lambda t: peers.http_select(endpoint, t), queries,
                                                          args.repeat)
                if "http" not in args.skip:
                    measure_http(endpoint, "Oxigraph server", endpoint, simple, page, args, cells)
        checkpoint("Oxigraph server")
    bench = compose(bench, load_cells, results, cells, args, simple, page)
    for path in data:
        path.unlink()
    if not args.keep:  # a 1M-line data set takes gigabytes in each engine
        for leftover in ("store", "virtuoso", "oxigraph"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
    return bench


def compose(bench: Bench, load_cells: dict, results: dict, cells: dict, args, simple: str, page: str) -> Bench:
    """A new Bench: ``bench``'s load rows and notes with the peers' load figures, the
    questions' rows and the HTTP rows added (``bench`` itself is left as it is)."""
    out = Bench(bench.name, bench.lines)
    out.rows = [(m, u, b, dict(c)) for m, u, b, c in bench.rows]
    out.notes = list(bench.notes)
    for index, row in enumerate(out.rows[:3]):  # load lines/s, peak RSS, size
        for engine, values in load_cells.items():
            row[3][engine] = values[index] if isinstance(values, tuple) else values
    query_rows(out, results)
    if "http" not in args.skip:
        http_rows(out, args, simple, page, cells)
    return out


@contextlib.contextmanager
def noted(bench: Bench, engine: str):
    """A peer that fails is a note in the table, not the end of the run."""
    try:
        yield
    except Exception as exc:
        bench.notes.append(f"{engine} failed: {type(exc).__name__}: {str(exc)[:300]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="synthetic data sets to run, by lines (none: only the real files)")
    parser.add_argument("--councils", type=int, default=10, help="synthetic councils (files) per data set")
    parser.add_argument("--skip", action="append", default=[], choices=SKIPPABLE,
                        help="leave out the real files, a peer, or the HTTP figures (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each query (default 3)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of load per HTTP cell (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent HTTP connections (default 8)")
    parser.add_argument("--rdflib-max-lines", type=int, default=100_000,
                        help="largest data set given to rdflib (default 100,000 lines: about 5 GB of RAM)")
    parser.add_argument("--rdflib-timeout", type=int, default=120, help="seconds before an rdflib question is stopped")
    parser.add_argument("--keep", action="store_true", help="keep the stores in bench/out/compare/ afterwards")
    args = parser.parse_args(argv)

    from synth import synthetic_files

    from tests.conftest import real_files

    sets = [(f"synthetic {n:,}", [(c.gss, p) for c, p in synthetic_files(OUT / "synthetic", n, args.councils)])
            for n in args.lines]
    if "real" not in args.skip:
        sets.append(("real sample files", [(e["gss_code"], Path(e["file"])) for e in real_files("spend")]))
    started = time.strftime("%Y%m%d-%H%M%S")
    text = [f"bench/compare.py {' '.join(argv if argv is not None else sys.argv[1:])}".strip()]
    args.partial, args.done = OUT / f"compare-{started}.partial.txt", text
    for name, files in sets:
        bench = run_dataset(name, files, args)
        text.append(bench.render())
        print(text[-1], flush=True)
    text.append(f"\n{machine_note()}; the machine is shared, so expect spread.")
    print(text[-1])
    (OUT / f"compare-{started}.txt").write_text("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
