"""Where a manifest load's time goes: wall seconds of each step, in one real run.

    python bench/phases.py --store /tmp/phases-store --manifest ../shared/data/real/manifest.csv

Runs ``svcat load --manifest`` in this process (the worker processes read the files as
usual) with the steps below timed as they return, and prints each step's total seconds,
calls and when its last call ended (seconds from the start). The store folder is removed
first. Steps: the files' load (read, validate, write), the link (reading the records and
registers, its inputs' digest, clustering, building and writing the organisations: ``save``),
and the summaries (social value, council figures, graph rewrites, the cube
across councils).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEPS = [("catalogue.ingest.manifest", "load_all"), ("catalogue.linking.run", "_link_all"),
         ("catalogue.linking.records", "read_records"), ("catalogue.linking.registers", "read_registers"),
         ("catalogue.linking.inputs", "input_digest"), ("catalogue.linking.cluster", "cluster_records"),
         ("catalogue.linking.linkset", "save"),
         ("catalogue.summaries.social_value", "refresh"), ("catalogue.summaries.councils", "figures"),
         ("catalogue.store", "replace_graph"), ("catalogue.store", "replace_graphs"),
         ("catalogue.summaries.organisations", "refresh"),
         ("catalogue.summaries.councils", "Plan"), ("catalogue.summaries.payee_links", "PayeeLinks"),
         ("catalogue.heap", "give_back")]
#: Modules that imported a step by name: their name is pointed at the timed function too.
USERS = {("catalogue.linking.run", "read_records"), ("catalogue.linking.run", "cluster_records"),
         ("catalogue.linking.run", "read_registers"), ("catalogue.linking.run", "input_digest"),
         ("catalogue.linking.run", "save"),
         ("catalogue.summaries.councils", "replace_graphs"), ("catalogue.summaries.organisations", "replace_graph"),
         ("catalogue.summaries", "PayeeLinks"),
         ("catalogue.summaries.councils", "PayeeLinks"), ("catalogue.summaries", "give_back"),
         ("catalogue.summaries.councils", "give_back"), ("catalogue.linking.run", "give_back")}


def timed(started: float, totals: dict) -> None:
    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args, __original=original, __key=f"{module_name.rsplit('.', 1)[-1]}.{name}", **kwargs):
            clock = time.perf_counter()
            try:
                return __original(*args, **kwargs)
            finally:
                entry = totals[__key]
                entry[0] += time.perf_counter() - clock
                entry[1] += 1
                entry[2] = time.perf_counter() - started
        setattr(module, name, wrapper)
        for user, used in USERS:
            if used == name and getattr(importlib.import_module(user), used, None) is original:
                setattr(importlib.import_module(user), used, wrapper)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="a folder for the store (removed first)")
    parser.add_argument("--manifest", required=True)
    args = parser.parse_args(argv)
    shutil.rmtree(args.store, ignore_errors=True)
    started = time.perf_counter()
    totals: dict = defaultdict(lambda: [0.0, 0, 0.0])
    timed(started, totals)
    from catalogue.cli import cli

    try:
        cli.main(["--store", args.store, "load", "--manifest", args.manifest, "-q"], standalone_mode=False)
    finally:
        print(f"{'step':<34}{'seconds':>9}{'calls':>7}{'last ended at':>15}")
        for key, (seconds, calls, ended) in totals.items():
            print(f"{key:<34}{seconds:>9.2f}{calls:>7}{ended:>15.2f}")
        print(f"{'total':<34}{time.perf_counter() - started:>9.2f}")


if __name__ == "__main__":  # the load's worker processes import this module: they must not run it
    main()
