"""What a council page's shares cost to read: every organisation's facts, or its payees' only.

    python bench/linking_facts.py --store PATH

On a store that ``bench/linking.py`` filled and linked, times
``crosswalk_classes.organisation_facts`` reading every organisation (what the council
page did before: once per data version, shared by all councils) against reading only
the organisations one council's supplier records are linked to (what it does now), for
each council, and counts the facts read. Wall-clock seconds under whatever else runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue import iris  # noqa: E402
from catalogue.linking.crosswalk_classes import council_organisations, organisation_facts  # noqa: E402
from catalogue.linking.records import linkset_graph  # noqa: E402
from catalogue.store import open_store  # noqa: E402
from catalogue.store.paging import csv_rows  # noqa: E402
from catalogue.vocab import SV  # noqa: E402

BASE = "https://data.example.gov.uk/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a store bench/linking.py loaded and linked")
    args = parser.parse_args()
    with open_store(args.store, "read") as store:
        graph = linkset_graph(store, BASE)
        councils = sorted({r["c"] for r in csv_rows(store, f"SELECT DISTINCT ?c WHERE {{ ?s <{SV.recordedBy}> ?c }}")})
        started = time.perf_counter()
        everything = organisation_facts(store, graph)
        whole = time.perf_counter() - started
        print(f"every organisation: {len(everything):,} organisations' facts in {whole:.2f}s")
        print(f"\n{'council':12} {'organisations':>13} {'seconds':>8} {'same facts':>10}")
        total = 0.0
        for council in councils:
            started = time.perf_counter()
            orgs = council_organisations(store, graph, council)
            facts = organisation_facts(store, graph, orgs)
            seconds = time.perf_counter() - started
            total += seconds
            same = all(everything.get(o) == facts.get(o) for o in orgs)
            print(f"{council.removeprefix(iris.council(BASE, '')):12} {len(orgs):>13,} {seconds:>8.2f} {str(same):>10}")
        print(f"\nall {len(councils)} councils one by one: {total:.2f}s; one council on average "
              f"{total / max(len(councils), 1):.2f}s against {whole:.2f}s for every organisation")


if __name__ == "__main__":
    main()
