"""Tables in other shapes: a header over two rows, periods as columns, a day as a year and a month.

Every file of a manifest (default ``../shared/data/real/manifest.csv``) is rewritten
(``tests/table_shapes.py``) and read and validated by the loaders (no store):

* **header over two rows** (every spend, contracts, grants and outcomes file), *cut*: each
  title's first word above the rest; *merged*: that first word written once over the
  titles that share it, as a workbook with merged cells saves it. *kept* when the variant
  gives the original's fields, rows and violations; else *lost*;
* **periods as columns** (every long outcome file: one value a row), pivoted to a row per
  area and indicator and a column per period, under four ways of titling a period
  (``2016/17``, ``Outturn 2016-17``, ``2016/17 Actual``, ``Year 2016/17``), with a
  *Target* column beside them. *kept* when every observation says what the original's
  does (area, period, value, indicator, measure, unit) and no target is read; *wrong*
  when it validates with other observations; *refused* when it does not load;
* **a year and a month** (every spend file dated by days): the payment-date column as
  *Financial Year* and *Month* (``June``), *Year* and *Month* (``6``), *Fin Yr* and *Qtr*.
  *kept* when it loads as many lines as the original and each line dated by a day gets
  that day's month (or quarter); *wrong* when one gets another period; *refused* when it
  does not load;
* **debit and credit** (every spend file with a negative amount): the amount column as
  *Debit* and *Credit* (a negative amount a positive credit). *kept* when each line's
  amount is the original's.

Prints the counts and the seconds taken.

    .venv/bin/python bench/table_shapes.py [--manifest PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.ingest import validate_file  # noqa: E402
from tests.conftest import BASE, SHARED_REAL, manifest  # noqa: E402
from tests.golden import loader_graph  # noqa: E402
from tests.kind_variants import write  # noqa: E402
from loaders import open_source  # noqa: E402
from tests.table_shapes import (  # noqa: E402
    PERIOD_TITLES, YEAR_AND_PART, by_period, debit_and_credit, header_over_two_rows, long_rows, row_facts,
    year_and_part,
)
from tests.test_periods_as_columns import said  # noqa: E402

KINDS = ("spend", "contracts", "grants", "outcomes")


def two_rows(entries: list[dict], folder: Path) -> Counter:
    counts = Counter()
    for entry in entries:
        original = validate_file(entry["kind"], entry["file"], base=BASE, publisher=entry["gss_code"])
        for merged in (False, True):
            try:
                path, _ = header_over_two_rows(entry, folder, merged)
            except AssertionError:
                continue  # no title to cut (one-word titles)
            report = validate_file(entry["kind"], path, base=BASE, publisher=entry["gss_code"])
            same = (report.violations == original.violations and report.rows_loaded == original.rows_loaded
                    and set(report.columns) == set(original.columns))
            counts["merged" if merged else "cut", "kept" if same else "lost"] += 1
            if not same:
                print(f"  header over two rows ({'merged' if merged else 'cut'}): {entry['path']} lost "
                      f"{sorted(set(original.columns) - set(report.columns))}")
    return counts


def wide(entries: list[dict], folder: Path) -> Counter:
    counts = Counter()
    for entry in entries:
        rows = long_rows(entry["file"])
        if not rows or not {"area_code", "period", "indicator", "value"} <= set(rows[0]):
            continue  # not a long table (a performance table: a column per measure already)
        want = said(loader_graph("outcomes", entry["file"], publisher=entry["gss_code"]))
        for form, title in PERIOD_TITLES.items():
            path = write(folder / form, entry["file"].name, by_period(entry["file"], title, extra=("2030/31 Target",)))
            report = validate_file("outcomes", path, base=BASE, publisher=entry["gss_code"])
            if not report.loadable:
                result = "refused"
            else:
                result = "kept" if said(loader_graph("outcomes", path, publisher=entry["gss_code"])) == want else "wrong"
            counts[form, result] += 1
            if result != "kept":
                print(f"  periods as columns ({form}): {entry['path']} {result}")
    return counts


def year_and_month(entries: list[dict], folder: Path) -> Counter:
    counts = Counter()
    for entry in entries:
        original = validate_file("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
        for form in YEAR_AND_PART:
            made = year_and_part(entry, folder / form.replace(" ", "-").replace(",", ""), form)
            if made is None:
                counts[form, "no days"] += 1
                continue
            path, want = made
            report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
            if not report.loadable or report.rows_loaded != original.rows_loaded:
                result = "refused"
            else:
                got = row_facts(open_source("spend", path, base=BASE, publisher=entry["gss_code"]), "period")
                result = "kept" if all(got.get(n) == period for n, period in want.items()) else "wrong"
            counts[form, result] += 1
            if result != "kept":
                print(f"  a year and a month ({form}): {entry['path']} {result}")
    return counts


def debits_and_credits(entries: list[dict], folder: Path) -> Counter:
    counts = Counter()
    for entry in entries:
        made = debit_and_credit(entry, folder / "debit-credit" / entry["path"].split("/")[0])
        if made is None:
            counts["no credits"] += 1
            continue
        path, want = made
        report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
        if not report.loadable:
            result = "refused"
        else:
            got = {row: Decimal(a) for row, a in row_facts(open_source("spend", path, base=BASE,
                                                                         publisher=entry["gss_code"]), "amount").items()}
            result = "kept" if got == want else "wrong"
        counts[result] += 1
        counts["credits"] += sum(a < 0 for a in want.values())
        if result != "kept":
            print(f"  debit and credit: {entry['path']} {result}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=SHARED_REAL / "manifest.csv")
    args = parser.parse_args()
    entries = [e for e in manifest(args.manifest.parent) if e["kind"] in KINDS]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        headers = two_rows(entries, Path(folder))
        periods = wide([e for e in entries if e["kind"] == "outcomes"], Path(folder))
        split = year_and_month([e for e in entries if e["kind"] == "spend"], Path(folder))
        ledger = debits_and_credits([e for e in entries if e["kind"] == "spend"], Path(folder))
    print(f"{args.manifest}: {len(entries)} files, {time.perf_counter() - started:.1f} s")
    print(f"{'header over two rows':<24} {'kept':>5} {'lost':>5}")
    for form in ("cut", "merged"):
        print(f"{form:<24} {headers[form, 'kept']:>5} {headers[form, 'lost']:>5}")
    print(f"{'periods as columns':<24} {'kept':>5} {'refused':>8} {'wrong':>6}")
    for form in PERIOD_TITLES:
        print(f"{form:<24} {periods[form, 'kept']:>5} {periods[form, 'refused']:>8} {periods[form, 'wrong']:>6}")
    print(f"{'a year and a month':<24} {'kept':>5} {'refused':>8} {'wrong':>6} {'no days':>8}")
    for form in YEAR_AND_PART:
        print(f"{form:<24} {split[form, 'kept']:>5} {split[form, 'refused']:>8} {split[form, 'wrong']:>6} "
              f"{split[form, 'no days']:>8}")
    print(f"{'debit and credit':<24} {'kept':>5} {'refused':>8} {'wrong':>6} {'no credits':>11} {'credits':>8}")
    print(f"{'Debit, Credit':<24} {ledger['kept']:>5} {ledger['refused']:>8} {ledger['wrong']:>6} "
          f"{ledger['no credits']:>11} {ledger['credits']:>8}")


if __name__ == "__main__":
    main()
