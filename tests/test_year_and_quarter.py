"""The year in one column, the quarter or month in the next: each row's period is both.

Councils' performance tables often split the period: *Financial Year* ``2021/22`` beside
*Quarter* ``Q1``, *Year* ``2022`` beside *Month* ``April``. Before, the year column was
read as the period and the quarter column listed as not loaded, so four quarters' values
became four values for one year: a figure nobody could trust. Trafford's claimant count
(monthly) is split so, by calendar year and by financial year, and must say exactly what
the original says; quarters are read in a financial year (Q1 = April-June) and in a
calendar year (Q1 = January-March); a month given by its number is refused, named, beside a
financial year (period 1 may be April or January) and read beside a calendar year.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from catalogue import iris
from catalogue.ingest import validate_file
from catalogue.vocab import SDMX_DIMENSION
from loaders.periods import interval, within
from tests.conftest import BASE, REAL
from tests.golden import loader_graph
from tests.kind_variants import write
from tests.test_periods_as_columns import said

CLAIMANTS = REAL / "trafford" / "outcome_claimant_count.csv"


def split_months(how: str) -> list[list[str]]:
    """The claimant count with its period ("April 2021") as a year column and a month column."""
    with open(CLAIMANTS, encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    at = header.index("period")
    out = [header[:at] + (["Year", "Month"] if how == "calendar" else ["Financial Year", "Month"]) + header[at + 1:]]
    for row in rows:
        month = interval(row[at])
        day = date.fromisoformat(month.start)
        first = day.year if how == "calendar" or day.month >= 4 else day.year - 1
        year = str(first) if how == "calendar" else f"{first}/{str(first + 1)[2:]}"
        out.append(row[:at] + [year, day.strftime("%B" if how == "calendar" else "%b")] + row[at + 1:])
    return out


@pytest.mark.parametrize("how", ["calendar", "financial"])
def test_a_year_and_a_month_column_say_what_the_month_column_said(how, tmp_path):
    path = write(tmp_path, "claimants.csv", split_months(how))
    report = validate_file("outcomes", path, base=BASE, publisher="E08000009")
    assert report.valid and report.columns["sub_period"] == "Month", report.to_json()
    assert "columns-not-loaded" not in {n.kind for n in report.notes}
    want = said(loader_graph("outcomes", CLAIMANTS))
    assert said(loader_graph("outcomes", path)) == want and sum(want.values()) > 1000


QUARTERS = [["Financial Year", "Quarter", "Indicator", "Measure", "Value"]] + [
    [year, quarter, "Calls answered within 20 seconds", "Percentage", f"{80 + n}.5"]
    for n, (year, quarter) in enumerate((y, q) for y in ("2021/22", "2022/23") for q in ("Q1", "Q2", "Q3", "Q4"))]


def periods_of(path) -> Counter:
    return Counter(str(p) for p in loader_graph("outcomes", path, publisher="E08000035")
                   .objects(None, SDMX_DIMENSION.refPeriod))


def test_quarters_of_a_financial_year_are_its_quarters_never_the_year(tmp_path):
    got = periods_of(write(tmp_path, "calls.csv", QUARTERS))
    want = {iris.interval("government-quarter", f"{y}-{y + 1}/Q{q}") for y in (2021, 2022) for q in (1, 2, 3, 4)}
    assert set(got) == want and set(got.values()) == {1}


def test_a_performance_table_with_year_and_quarter_columns(tmp_path):
    rows = [["Year", "Quarter", "Council tax collected (%)", "Complaints received"]] + [
        ["2022", str(q), f"{q * 24}.1", str(40 + q)] for q in (1, 2, 3, 4)]
    got = periods_of(write(tmp_path, "kpi.csv", rows))
    assert set(got) == {iris.interval("quarter", f"2022-Q{q}") for q in (1, 2, 3, 4)}
    assert set(got.values()) == {2}  # one observation of each measure in each quarter


def test_a_month_given_by_its_number_is_refused_named(tmp_path):
    rows = [["Financial Year", "Month", "Indicator", "Value"], ["2021/22", "1", "Missed bins", "130"]]
    report = validate_file("outcomes", write(tmp_path, "bins.csv", rows), base=BASE, publisher="E08000035")
    assert not report.valid
    (issue,) = [i for i in report.issues if i.kind == "bad-period"]
    assert (issue.row, issue.column, issue.value) == (2, "Month", "1")  # the year alone reads: the month is at fault
    assert "month name" in issue.fix


def test_a_month_number_beside_a_calendar_year_is_that_month(tmp_path):
    rows = [["Year", "Month", "Indicator", "Value"]] + [["2022", str(m), "Missed bins", str(100 + m)] for m in (1, 6, 12)]
    got = periods_of(write(tmp_path, "bins.csv", rows))
    assert set(got) == {iris.interval("month", f"2022-{m:02d}") for m in (1, 6, 12)}


@pytest.mark.parametrize(("outer", "part", "quarters", "start", "end"), [
    ("2021/22", "Q1", False, "2021-04-01", "2021-06-30"), ("2021/22", "Quarter 4", False, "2022-01-01", "2022-03-31"),
    ("2021/22", "January", False, "2022-01-01", "2022-01-31"), ("2021/22", "Apr", False, "2021-04-01", "2021-04-30"),
    ("2022", "Q1", False, "2022-01-01", "2022-03-31"), ("2022", "April", False, "2022-04-01", "2022-04-30"),
    ("2021/22", "3", True, "2021-10-01", "2021-12-31"), ("2021/22", "Q1 2021/22", False, "2021-04-01", "2021-06-30"),
    ("2021/22", "3", False, None, None), ("2021/22", "Q1 2022/23", False, None, None), ("2022", "13", False, None, None),
])
def test_a_part_of_a_year(outer, part, quarters, start, end):
    found = within(interval(outer), part, quarters)
    assert ((found.start, found.end) if found else (None, None)) == (start, end)
