"""Load benchmark: ``svcat load`` on a synthetic spend file, then the canonical queries.

    python bench/load.py                       # 1,000,000 lines, 3 loads, prints a table
    python bench/load.py --lines 100000 --repeat 5
    python bench/load.py --lines 5000000 --repeat 1 --no-queries   # memory stays flat?
    python bench/load.py --lines 100000 1000000 --repeat 1         # a scaling table too

Each load is a real ``svcat load`` child process into a fresh on-disk store; its wall
time gives lines/s and its own rusage the peak RSS. For scale, the same quads, exported
as ready-made N-Quads, are bulk-loaded by pyoxigraph alone (``engine only``): the
ceiling that reading, mapping and validating in Python is measured against. Then the
canonical queries run against the loaded store, 5 times each after one warm-up.
Everything lands in ``bench/out/`` (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import (  # noqa: E402
    OUT, Figure, dir_size, fmt, machine_note, print_figures, python, run_child, table, timed,
)
from synth import synthetic_files  # noqa: E402

BASE = "https://data.example.gov.uk/"

ENGINE_ONLY = """
import sys, time, pyoxigraph as ox
store = ox.Store(sys.argv[2])
started = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS, lenient=True)
store.flush()
print(time.perf_counter() - started)
"""


def canonical_queries(gss: str) -> dict[str, str]:
    """Issue 2's canonical questions, over raw lines and over the summary cubes."""
    from catalogue.vocab import sparql_prologue

    p = sparql_prologue("pay", "rdfs", "sv", "qb", "dcterms")
    return {
        "spend per council (lines)": p + """SELECT ?council (SUM(?a) AS ?total) (COUNT(*) AS ?lines) WHERE {
            ?dataset sv:namedGraph ?g ; dcterms:publisher ?council . GRAPH ?g { ?line pay:netAmount ?a } }
            GROUP BY ?council""",
        "spend per council (summaries)": p + """SELECT ?council (SUM(?t) AS ?total) (SUM(?n) AS ?lines) WHERE {
            ?obs sv:council ?council ; qb:dataSet ?cube ; sv:spendTotal ?t ; sv:lineCount ?n .
            ?cube qb:structure sv:spendByPayee } GROUP BY ?council""",
        "top 10 suppliers (summaries)": p + """SELECT ?payee (SUM(?t) AS ?total) WHERE {
            ?obs sv:payeeRecord ?payee ; sv:spendTotal ?t . ?payee a sv:Supplier }
            GROUP BY ?payee ORDER BY DESC(?total) LIMIT 10""",
        "one supplier's payments": p + f"""SELECT ?line ?date ?amount WHERE {{
            {{ SELECT ?payee WHERE {{ ?payee a sv:Supplier ; sv:recordedBy <{BASE}id/council/{gss}> }}
               ORDER BY ?payee LIMIT 1 OFFSET 7 }}
            ?line pay:payee ?payee ; pay:date ?date ; pay:netAmount ?amount }} ORDER BY ?date""",
    }


def load_once(path: Path, store: Path, publisher: str) -> tuple:
    shutil.rmtree(store, ignore_errors=True)
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    run = run_child(python("-m", "catalogue", "load", "spend", str(path), "--publisher", publisher,
                           "--quiet", "--format", "json"), env=env)
    if run.returncode != 0:
        raise SystemExit(f"svcat load failed ({run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return run, json.loads(run.stdout)


def engine_only(store: Path, repeat: int) -> tuple[list, int]:
    """pyoxigraph alone bulk-loading the dataset's quads: its runs (wall, CPU, peak RSS)
    and the number of quads."""
    dump = OUT / "engine-only.nq"
    env = dict(os.environ, SVCAT_STORE=str(store))
    with open(dump, "wb") as handle:
        from catalogue.store import open_store

        reader = open_store(str(store), "read")
        graph = next(g for g in reader.graphs() if "/spend/" in g)
        reader.dump(handle, graph)
        reader.close()
    quads = sum(1 for _ in open(dump, "rb"))
    runs = []
    for _ in range(repeat):
        target = OUT / "engine-only-store"
        shutil.rmtree(target, ignore_errors=True)
        run = run_child(python("-c", ENGINE_ONLY, str(dump), str(target)), env=env)
        if run.returncode:
            raise SystemExit(run.stderr)
        run.seconds = float(run.stdout.strip())  # the load itself, not the interpreter's start
        runs.append(run)
    shutil.rmtree(OUT / "engine-only-store", ignore_errors=True)
    dump.unlink()
    return runs, quads


def measure_size(args, lines: int) -> list[str]:
    """Load a synthetic file of ``lines`` lines ``args.repeat`` times (and, unless told
    not to, time the engine alone and the queries); print its tables; return its row of
    the scaling table."""
    (council, path), = synthetic_files(OUT, lines, 1, args.seed)
    store = OUT / f"store-{lines}"
    rate = Figure("svcat load, end to end", "lines/s")
    rss = Figure("svcat load, peak RSS", "MB")
    cpu = Figure("svcat load, CPU time (all threads)", "s")
    for _ in range(args.repeat):
        run, report = load_once(path, store, council.gss)
        rate.values.append(report["rows"]["loaded"] / run.seconds)
        rss.values.append(run.max_rss / 1e6)
        cpu.values.append(run.cpu)
    triples = report["triples"]
    size = Figure("store size on disk", "MB", [dir_size(store / "primary") / 1e6],
                  note=f"{triples:,} triples, {triples / lines:.1f} a line")
    figures = [rate, rss, cpu, size]
    engine = None
    if not args.no_engine:
        runs, quads = engine_only(store, args.repeat)
        engine = Figure("pyoxigraph bulk load alone, same quads", "lines/s",
                        [lines / r.seconds for r in runs], note=f"{quads:,} ready-made N-Quads")
        figures += [engine, Figure("pyoxigraph bulk load alone, peak RSS", "MB", [r.max_rss / 1e6 for r in runs]),
                    Figure("pyoxigraph bulk load alone, CPU time", "s", [r.cpu for r in runs])]
    print(f"\nSynthetic spend file: {lines:,} lines in Leeds City Council's dialect, "
          f"{path.stat().st_size / 1e6:.0f} MB ({path.relative_to(OUT.parent.parent)})")
    print_figures(f"Load ({lines:,} lines)", figures)

    if not args.no_queries:
        from catalogue.store import open_store

        reader = open_store(str(store), "read")
        figures = []
        for name, sparql in canonical_queries(council.gss).items():
            rows = len(reader.select(sparql).rows)
            seconds = timed(lambda: reader.select(sparql), repeat=5)
            figures.append(Figure(name, "ms", [s * 1000 for s in seconds], note=f"{rows} rows"))
        reader.close()
        print_figures(f"Queries on the loaded store ({lines:,} lines)", figures)
    if args.drop_store:
        shutil.rmtree(store, ignore_errors=True)
    ratio = f"{rate.median / engine.median:.0%}" if engine else "-"
    return [f"{lines:,}", fmt(rate.median), fmt(rss.median), fmt(cpu.median), fmt(size.median),
            fmt(engine.median) if engine else "-", ratio]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000],
                        help="file sizes to load, one table each and a scaling table (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="loads to time (default 3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--no-engine", action="store_true", help="skip the pyoxigraph-alone ceiling")
    parser.add_argument("--drop-store", action="store_true", help="delete each store once measured (disk)")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    rows = [measure_size(args, lines) for lines in args.lines]
    print("\nScaling (medians): memory must stay flat as files grow")
    print(table(rows, ["lines", "lines/s", "peak RSS MB", "CPU s", "store MB", "engine alone lines/s",
                       "ours / engine"]))
    print(f"\n{machine_note()}; shared with other users, so expect spread.")


if __name__ == "__main__":
    main()
