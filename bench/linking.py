"""How good and how fast supplier linking is, on every real file.

    python bench/linking.py [--store PATH] [--mistakes]

Loads every file of ../shared/data/real (spend, contracts, grants, suppliers) into a
fresh on-disk store (``--store``: a folder to load them into, or that already holds
them from an earlier run), then:

1. times a full link from scratch (the links removed first) and a re-link with nothing
   changed (the usual case: only changed organisations are rewritten);
2. scores the links on the labelled pairs in tests/data/linking/pairs.csv: precision,
   recall and F1 overall, by the method that linked each predicted pair, and by where
   the label came from; ``--mistakes`` lists every pair it gets wrong.

Times are wall-clock seconds on whatever else the machine is doing: run it twice.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue import iris  # noqa: E402
from catalogue.linking import crosswalk  # noqa: E402
from catalogue.linking.evaluation import evaluate, from_crosswalk, read_pairs, table  # noqa: E402
from catalogue.linking.records import linkset_graph  # noqa: E402
from catalogue.store.paging import csv_rows
from catalogue.linking.run import link_all  # noqa: E402
from catalogue.store import open_store  # noqa: E402
from catalogue.vocab import SV  # noqa: E402

BASE = "https://data.example.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
SHARED = Path(os.environ.get("SVCAT_REAL_DATA", ROOT.parent / "shared" / "data" / "real"))
PAIRS = ROOT / "tests" / "data" / "linking" / "pairs.csv"
KINDS = ("spend", "contracts", "grants", "suppliers")


def build_store(path: str) -> float:
    from catalogue.ingest import load_file
    from tests.conftest import manifest

    started = time.perf_counter()
    with open_store(path, "write") as writer:
        for entry in manifest(SHARED):
            if entry["kind"] in KINDS:
                outcome = load_file(writer, entry["kind"], entry["file"], base=BASE, publisher=entry["gss_code"],
                                    licence=OGL)
                print(f"  {'loaded' if outcome.loaded else 'REFUSED'} {entry['path']}", flush=True)
    return time.perf_counter() - started


def unlink(store) -> None:
    """Remove the links (graph and record), so that the next link starts from nothing."""
    graph = linkset_graph(store, BASE)
    if graph:
        store.drop_graph(graph)
    cat, node = iris.catalogue_graph(BASE), iris.linkset(BASE)
    store.update(f"DELETE WHERE {{ GRAPH <{cat}> {{ <{node}> ?p ?o }} }}")
    store.publish()


def timed(label: str, action, rows: list) -> object:
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    result = action()
    rows.append((label, time.perf_counter() - started_wall, time.process_time() - started_cpu))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a store folder holding the real files (loaded into it if it is new)")
    parser.add_argument("--mistakes", action="store_true", help="list every labelled pair the links get wrong")
    args = parser.parse_args()
    path = args.store or tempfile.mkdtemp(prefix="svcat-bench-linking-")
    if not (Path(path) / "CURRENT").exists():
        print(f"Loading {SHARED} into {path} ...")
        print(f"  loaded in {build_store(path):.0f}s")
    times: list = []
    with open_store(path, "write") as store:
        timed("remove previous links", lambda: unlink(store), times)
        outcome = timed("full link from scratch", lambda: link_all(store, BASE, licence=OGL), times)
        timed("re-link, nothing changed", lambda: link_all(store, BASE, licence=OGL), times)
        rows = crosswalk.rows(store, BASE)
        suppliers = csv_rows(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SV.Supplier}> }}")[0]["n"]
    organisation, method = from_crosswalk(rows)
    pairs = read_pairs(PAIRS)
    result = evaluate(pairs, organisation, method)

    print(f"\nSupplier records: {suppliers}; organisations: {outcome.organisations:,} "
          f"({outcome.multi_council:,} paid by more than one council); links by method: "
          + ", ".join(f"{m} {n:,}" for m, n in outcome.methods.most_common()))
    print(f"\n{'step':32} {'wall s':>8} {'cpu s':>8}")
    for label, wall, cpu in times:
        print(f"{label:32} {wall:>8.1f} {cpu:>8.1f}")
    print(f"\nLabelled pairs: {len(pairs)} ({dict(result.labels)}); not in this store: {len(result.missing)}")
    print(table(result))
    if args.mistakes:
        print("\nMistakes:")
        for kind, pair, how in result.mistakes:
            print(f"  {kind:12} {how:13} {pair.source:15} {pair.a[0]} {pair.a[1]!r} | {pair.b[0]} {pair.b[1]!r}"
                  + (f"  ({pair.note})" if pair.note else ""))
    print(f"\nStore: {path} (IRIs under {iris.organisation(BASE, '')})")


if __name__ == "__main__":
    main()
