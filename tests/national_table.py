"""A national outcome table made from the real Trafford Data Lab outcome files.

National bodies publish one table for every area: one row per area code, period and
measure, with a value and extra figures of their own (a region, the median of all
areas, each area's rank). ``tests/data/outcomes/national-table-measure-is-indicator-
median-rank-region.csv`` is that shape, made by ``python -m tests.national_table`` from
``tests/data/real/trafford/outcome_*.csv`` (OGL v3.0, Trafford Data Lab; see
tests/data/real/SOURCES.md): every row of the three files (38 area codes: councils,
wards, England), the indicator written in a ``Measure`` column (no indicator column),
the files' measure type as ``Unit``, and ``Region``, ``Median`` and ``Rank`` computed
here from the values themselves (the median and rank among the areas with the same
measure, period and unit)."""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = [HERE / "data" / "real" / "trafford" / f"outcome_{name}.csv"
           for name in ("household_waste_recycling", "neet", "claimant_count")]
TABLE = HERE / "data" / "outcomes" / "national-table-measure-is-indicator-median-rank-region.csv"
HEADER = ["Region", "Area Code", "Area Name", "Period", "Measure", "Unit", "Value", "Median", "Rank"]


def rows() -> list[dict]:
    out = []
    for path in SOURCES:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for r in csv.DictReader(handle):
                out.append({"Region": "England", "Area Code": r["area_code"], "Area Name": r["area_name"],
                            "Period": r["period"], "Measure": r["indicator"], "Unit": r["measure"],
                            "Value": r["value"]})
    groups = defaultdict(list)
    for r in out:
        groups[(r["Measure"], r["Period"], r["Unit"])].append(r)
    for members in groups.values():
        values = [Decimal(r["Value"]) for r in members]
        median = statistics.median(values)
        ordered = sorted(values, reverse=True)
        for r in members:
            r["Median"] = str(median)
            r["Rank"] = str(ordered.index(Decimal(r["Value"])) + 1)
    return out


def text() -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())
    return buffer.getvalue()


if __name__ == "__main__":
    TABLE.write_text(text(), encoding="utf-8")
