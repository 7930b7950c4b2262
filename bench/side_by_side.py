"""Loading side by side in one run: ours end to end against the engine and two bulk loaders.

    python bench/side_by_side.py                       # DEV set and ten 10,000-line files
    python bench/side_by_side.py --sets dev,10x10k,1x1m --sparql-seconds 8
    python bench/side_by_side.py --sets 10x10k --skip virtuoso --jobs 1

For each set of files (``dev``: ``../shared/data/real/manifest.csv``, else the repository
copy ``tests/data/real/manifest.csv``; ``10x10k``: ten 10,000-line synthetic files, one a
council; ``1x1m``: one 1,000,000-line file; synthetic files come from ``bench/synth.py``):

1. *ours*: one ``svcat load --manifest`` child process, end to end: CSV read, validated,
   written to disk, linked, summaries refreshed, published (``--jobs`` as given, else
   the default). Lines/s over its wall time; peak RSS of its largest process (the
   writer or a worker: ``wait4`` reports the largest of the tree it waited for).
2. The store is exported as N-Quads (every graph: data, summaries, links, catalogue), and
   every other engine loads those very quads: the *engine floor* (pyoxigraph's
   ``bulk_load`` in a bare child process: what our own store engine needs for the same
   quads with no Python of ours); the same with *a thread a part* (one ``bulk_load`` call
   for each export part at once, on its own thread: the engine with every core, as
   Virtuoso's loaders run one a core), *Virtuoso*'s bulk loader (``ld_dir`` + one
   ``rdf_loader_run()`` per core, then a checkpoint; ``bench/peers.py``) and the
   *oxigraph CLI* (``oxigraph load``, the ``bench`` extra). Their lines/s is the set's CSV
   lines over their load time: less work than ours (no parsing, validating, linking).

Then, with ``--sparql-seconds`` (on the first set's store), ``/sparql``'s CPU per request on
a simple query mix: ``gunicorn wsgi:app`` with one worker against ``oxigraph
serve-read-only`` on the same published snapshot, as ``bench/sparql_http.py`` measures.

The table is printed and kept in ``bench/out/side-by-side-*.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import peers  # noqa: E402
from measure import OUT, ROOT, dir_size, machine_note, python, run_child, table  # noqa: E402
from synth import synthetic_files  # noqa: E402

BASE = "https://data.example.gov.uk/"
SETS = {"dev": None, "10x10k": (100_000, 10), "1x1m": (1_000_000, 1)}
FLOOR = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[1])
started = time.perf_counter()
for part in sys.argv[2:]:
    store.bulk_load(path=part, format=ox.RdfFormat.N_QUADS, lenient=True)
store.flush()
print(time.perf_counter() - started)
"""
#: The engine floor with a thread a part: ``bulk_load`` releases the GIL, so the parts load at once.
FLOOR_THREADS = """
import sys, threading, time, pyoxigraph as ox
store = ox.Store(sys.argv[1])
started = time.perf_counter()
threads = [threading.Thread(target=store.bulk_load, kwargs={"path": part, "format": ox.RdfFormat.N_QUADS,
                                                              "lenient": True}) for part in sys.argv[2:]]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
store.flush()
print(time.perf_counter() - started, len(store))
"""
#: The simple query mix for /sparql: a resource's properties, a count in one graph, an ASK.
MIX = [
    "SELECT ?p ?o WHERE {{ <{council}> ?p ?o }} LIMIT 10",
    "SELECT ?dataset ?title WHERE {{ ?dataset a <http://www.w3.org/ns/dcat#Dataset> ; "
    "<http://purl.org/dc/terms/title> ?title }} LIMIT 5",
    "ASK {{ <{council}> ?p ?o }}",
]


def manifest_for(name: str, folder: Path) -> Path:
    """The manifest CSV of a set (synthetic files are made once and reused)."""
    if name == "dev":
        for up in (ROOT.parent, ROOT.parent.parent):  # the main checkout, or a worktree under /work/wt
            shared = up / "shared" / "data" / "real" / "manifest.csv"
            if shared.exists():
                return shared
        return ROOT / "tests" / "data" / "real" / "manifest.csv"
    lines, files = SETS[name]
    made = synthetic_files(OUT / "synth", lines, files)
    manifest = folder / "manifest.csv"
    manifest.write_text("path,kind,gss_code\n" + "".join(f"{path},spend,{council.gss}\n" for council, path in made),
                        encoding="utf-8")
    return manifest


def load_ours(manifest: Path, store: Path, jobs: int | None) -> dict:
    shutil.rmtree(store, ignore_errors=True)
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    run = run_child(python("-m", "catalogue", "load", "--manifest", str(manifest), "--quiet", "--format", "json",
                           *(["--jobs", str(jobs)] if jobs else [])), env=env)
    if run.returncode not in (0, 1):
        raise SystemExit(f"svcat load --manifest failed:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    start = run.stdout.find("[")
    files = json.loads(run.stdout[start:run.stdout.rfind("]") + 1])
    lines = sum(f["rows"]["loaded"] for f in files if f["loaded"])
    refused = [f["file"] for f in files if not f["loaded"]]
    return {"lines": lines, "seconds": run.seconds, "rss": run.max_rss, "size": dir_size(store / "primary"),
            "files": len(files), "refused": refused}


def floor(data: list[Path], folder: Path, script: str = FLOOR) -> dict:
    target = folder / "floor"
    shutil.rmtree(target, ignore_errors=True)
    run = run_child(python("-c", script, str(target), *map(str, data)))
    if run.returncode:
        raise RuntimeError(run.stderr[-2000:])
    printed = run.stdout.split()
    result = {"seconds": float(printed[0]), "rss": run.max_rss, "size": dir_size(target)}
    if len(printed) > 1:
        result["quads"] = int(printed[1])
    shutil.rmtree(target, ignore_errors=True)
    return result


def floor_threads(data: list[Path], folder: Path) -> dict:
    """The engine floor with every part on its own thread at once (the quads it holds after
    are counted, and ``run_set`` checks them against the export: a loader thread that failed
    would otherwise pass for a fast one)."""
    return floor(data, folder, FLOOR_THREADS)


def virtuoso(data: list[Path], folder: Path) -> dict:
    from tests.virtuoso import stop_virtuoso

    loaded = peers.start_loaded_virtuoso(data, folder / "virtuoso")
    stop_virtuoso(loaded.server)
    shutil.rmtree(folder / "virtuoso", ignore_errors=True)
    return {"seconds": loaded.load_seconds, "rss": loaded.rss, "size": loaded.size}


def oxigraph_cli(data: list[Path], folder: Path) -> dict:
    run, size = peers.oxigraph_load(data, folder / "oxigraph")
    shutil.rmtree(folder / "oxigraph", ignore_errors=True)
    return {"seconds": run.seconds, "rss": run.max_rss, "size": size}


def run_set(name: str, args) -> tuple[list[list[str]], str, Path]:
    from catalogue.store import open_store

    folder = OUT / "side-by-side" / name
    folder.mkdir(parents=True, exist_ok=True)
    manifest = manifest_for(name, folder)
    say(name, f"ours: svcat load --manifest {manifest}")
    ours = load_ours(manifest, folder / "store", args.jobs)
    reader = open_store(str(folder / "store"), "read")
    data, quads = peers.export_parts(reader, folder)
    reader.close()
    engines = {"ours (end to end)": ours}
    for engine, measure in (("engine floor (pyoxigraph bulk_load)", floor),
                            ("engine, a thread a part (bulk_load)", floor_threads), ("Virtuoso bulk loader", virtuoso),
                            ("oxigraph CLI load", oxigraph_cli)):
        if engine.split()[0].strip(",").lower() in args.skip:
            continue
        say(name, engine)
        try:
            engines[engine] = measure(data, folder)
            if engines[engine].get("quads", quads) != quads:
                engines[engine] = {"error": f"holds {engines[engine]['quads']:,} of the {quads:,} quads"}
        except (RuntimeError, SystemExit, OSError) as exc:
            engines[engine] = {"error": str(exc).splitlines()[0][:80]}
    for path in data:
        path.unlink()
    rows = []
    for engine, got in engines.items():
        if "error" in got:
            rows.append([name, engine, "-", "-", "-", "-", "-", got["error"]])
            continue
        rate = ours["lines"] / got["seconds"]
        rows.append([name, engine, f"{got['seconds']:.1f}", f"{rate:,.0f}", f"{got['rss'] / 1e6:,.0f}",
                     f"{got['size'] / 1e6:,.0f}", f"{rate / (ours['lines'] / ours['seconds']):.2f}", ""])
    note = (f"{name}: {ours['files']} files, {ours['lines']:,} lines loaded, {quads:,} quads "
            f"({quads / max(1, ours['lines']):.1f} a line)"
            + (f"; refused: {', '.join(ours['refused'])}" if ours["refused"] else ""))
    return rows, note, folder / "store"


def sparql_overhead(store: Path, seconds: float) -> list[str]:
    """CPU ms per request, ours (gunicorn, 1 worker) against ``oxigraph serve-read-only``."""
    from sparql_http import _pid_of, measured

    from catalogue.store import open_store
    from catalogue.store.snapshots import Layout
    from catalogue.vocab import DCTERMS
    from tests.servers import gunicorn

    with open_store(str(store), "read") as reader:
        council = str(reader.select(f"SELECT ?c WHERE {{ ?d <{DCTERMS.publisher}> ?c "
                                    f"FILTER(STRSTARTS(STR(?c), '{BASE}id/council/')) }} LIMIT 1").rows[0]["c"])
    queries = ["?" + urlencode({"query": text.format(council=council)}) for text in MIX]
    args = argparse.Namespace(seconds=seconds / len(queries), connections=8)
    found: dict[str, list[tuple]] = {}
    with peers.OxigraphServer(Layout(store).current()) as endpoint:
        found["oxigraph serve-read-only"] = [measured(endpoint + q, _pid_of(endpoint), args) for q in queries]
    with gunicorn({"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE}, workers=1,
                  ready_path="/sparql" + queries[0]) as url:
        found["ours, 1 worker"] = [measured(url + "/sparql" + q, _pid_of(url), args) for q in queries]
    lines = [f"/sparql, simple query mix ({len(MIX)} queries, {args.seconds:g} s each, 8 connections)",
             f"{'server':<26}{'req/s':>9}{'CPU ms/req':>12}{'errors':>8}"]
    for name, runs in found.items():
        requests = sum(load.requests for load, _ in runs)
        cpu = sum(ms * load.requests for load, ms in runs) / max(1, requests)
        rate = sum(load.requests_per_s for load, _ in runs) / len(runs)
        lines.append(f"{name:<26}{rate:>9.0f}{cpu:>12.2f}{sum(load.errors for load, _ in runs):>8}")
    return lines


def say(name: str, what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} [{name}] {what}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="dev,10x10k", help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--jobs", type=int, help="svcat load --jobs (default: its own default)")
    parser.add_argument("--skip", default="", help="engines to leave out: engine, virtuoso, oxigraph")
    parser.add_argument("--sparql-seconds", type=float, default=0, help="measure /sparql too (0: not)")
    parser.add_argument("--sparql-store", help="measure /sparql on this store (default: the first set's)")
    args = parser.parse_args(argv)
    args.skip = {s.strip().lower() for s in args.skip.split(",") if s.strip()}
    rows, notes, stores = [], [], []
    for name in filter(None, args.sets.split(",")):
        got, note, store = run_set(name.strip(), args)
        rows += got
        notes.append(note)
        stores.append(store)
    text = [f"Loading side by side ({time.strftime('%Y-%m-%d %H:%M')} UTC, svcat load --manifest"
            f"{f' --jobs {args.jobs}' if args.jobs else ''})",
            table(rows, ["set", "engine", "seconds", "lines/s", "peak RSS MB", "store MB", "vs ours", "note"]),
            *(f"  - {n}" for n in notes)]
    if args.sparql_seconds:
        say("sparql", "ours against oxigraph serve-read-only")
        text += [""] + sparql_overhead(Path(args.sparql_store) if args.sparql_store else stores[0], args.sparql_seconds)
    text.append(machine_note())
    print("\n".join(text))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"side-by-side-{time.strftime('%Y%m%d-%H%M%S')}.txt").write_text("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
