"""How many supplier lists and outcome tables, titled as other publishers title them, still
load as the same triples.

From the DEV files of a manifest (default ``../shared/data/real/manifest.csv``):

* **supplier lists**: each spend file made into the supplier list its council could publish
  (``tests.kind_variants.supplier_list``), written under each of
  ``SUPPLIER_LIST_TITLES``; counted as kept when the file is recognised as a supplier list
  and gives the very triples of the same list under the mapping's own titles;
* **long outcome tables**: each long outcome file retitled with each of
  ``LONG_OUTCOME_TITLES``, and reordered; kept when recognised as outcomes with the very
  triples of the original;
* **performance tables**: prompt payment and counter fraud retitled so that their own
  mappings do not apply; kept when recognised as outcomes with the same (period, value) of
  every observation as the original.

Prints kept / tried per group and the seconds taken (no store; the loaders only).

    .venv/bin/python bench/recognition_kinds.py [--manifest PATH]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.inspect import candidates, guess  # noqa: E402
from tests.conftest import BASE, SHARED_REAL, manifest  # noqa: E402
from tests.golden import loader_graph, row_triples  # noqa: E402
from tests.kind_variants import (  # noqa: E402
    LONG_OUTCOME_TITLES, OUTCOME_ORDER, PROMPT_PAYMENT_TITLES, SUPPLIER_LIST_CANONICAL, SUPPLIER_LIST_TITLES,
    observations, supplier_list, write, write_supplier_list,
)

KINDS = ["spend", "suppliers", "contracts", "grants", "outcomes", "framework"]


def kind_of(path: Path) -> str | None:
    return guess(candidates(path, KINDS))["kind"]


def safely(read, *args, **options):
    """What a loader gives, or ``None`` when it refuses the file (a variant not recognised)."""
    try:
        return read(*args, **options)
    except ValueError:
        return None


def observed(path: Path) -> Counter:
    return observations(loader_graph("outcomes", path))


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def supplier_lists(entries: list[dict], folder: Path, kept: Counter, tried: Counter) -> None:
    for n, entry in enumerate(entries):
        rows = supplier_list(entry["file"], entry["gss_code"], BASE)
        canonical = write_supplier_list(folder / f"{n}-original", SUPPLIER_LIST_CANONICAL, rows)
        original = row_triples("suppliers", canonical, publisher=entry["gss_code"])
        for name, titles in SUPPLIER_LIST_TITLES.items():
            path = write_supplier_list(folder / f"{n}-{name}", titles, rows)
            tried["supplier lists"] += 1
            if kind_of(path) == "suppliers" and safely(row_triples, "suppliers", path,
                                                       publisher=entry["gss_code"]) == original:
                kept["supplier lists"] += 1


def long_tables(entries: list[dict], folder: Path, kept: Counter, tried: Counter) -> None:
    for n, entry in enumerate(entries):
        rows = rows_of(entry["file"])
        if len(rows[0]) != 7:
            continue  # a performance table: below
        original = row_triples("outcomes", write(folder / f"{n}-original", "table.csv", rows))
        variants = {name: [titles] + rows[1:] for name, titles in LONG_OUTCOME_TITLES.items()}
        titles = LONG_OUTCOME_TITLES["ons-nomis"]
        variants["reordered"] = [[titles[i] for i in OUTCOME_ORDER]] + [[r[i] for i in OUTCOME_ORDER] for r in rows[1:]]
        for name, variant in variants.items():
            path = write(folder / f"{n}-{name}", "table.csv", variant)
            tried["long outcome tables"] += 1
            if kind_of(path) == "outcomes" and safely(row_triples, "outcomes", path) == original:
                kept["long outcome tables"] += 1


def performance_tables(entries: list[dict], folder: Path, kept: Counter, tried: Counter) -> None:
    for n, entry in enumerate(entries):
        rows = rows_of(entry["file"])
        if rows[0][0] != "OrganisationLabel":
            continue
        header = PROMPT_PAYMENT_TITLES if len(rows[0]) == len(PROMPT_PAYMENT_TITLES) else \
            [rows[0][0], rows[0][1], "Effective Date"] + [f"Measure {i} (count)" for i in range(3, len(rows[0]))]
        path = write(folder / f"{n}-table", "table.csv", [header] + rows[1:])
        tried["performance tables"] += 1
        if kind_of(path) == "outcomes" and safely(observed, path) == observed(entry["file"]):
            kept["performance tables"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=SHARED_REAL / "manifest.csv")
    args = parser.parse_args()
    started = time.perf_counter()
    kept, tried = Counter(), Counter()
    with tempfile.TemporaryDirectory() as folder:
        supplier_lists(manifest(args.manifest.parent, "spend"), Path(folder) / "s", kept, tried)
        outcomes = manifest(args.manifest.parent, "outcomes")
        long_tables(outcomes, Path(folder) / "l", kept, tried)
        performance_tables(outcomes, Path(folder) / "p", kept, tried)
    print(f"{args.manifest}: {time.perf_counter() - started:.1f} s")
    print(f"{'group':<22} {'kept':>5} {'tried':>6} {'share':>7}")
    for group in tried:
        print(f"{group:<22} {kept[group]:>5} {tried[group]:>6} {kept[group] / tried[group]:>7.1%}")


if __name__ == "__main__":
    main()
