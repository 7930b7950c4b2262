"""A council's table in another shape: its header over two rows, its periods as columns, its
days as a year and a month, its amounts as debits and credits.

Shared by ``tests/test_header_two_rows.py``, ``tests/test_periods_as_columns.py`` and
``bench/table_shapes.py``, which rewrite the real files these ways and check that the
loader reads what the original says.

* ``header_over_two_rows``: each title cut in two, its first word above the rest
  (``"Payment Date"``, ``"payment_date"``, ``"PaymentDate"`` -> ``"Payment"`` over
  ``"Date"``), as a workbook with merged title cells saves it; with ``merged``, a first
  word shared by the titles beside it written once, over the first of them.
* ``by_period``: a long outcome table (``area_code, area_name, period, indicator,
  measure, unit, value``) as a wide one, a row per area and indicator and a column per
  period, its titles written by ``title(period)``.
* ``year_and_part``: a spend file's payment day as a year column and a month or quarter
  column (*Financial Year* ``2021/22``, *Month* ``June``), as some ledgers export it.
* ``debit_and_credit``: a spend file's amount as a ledger's *Debit* and *Credit* columns.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from catalogue import iris
from tests.variants import csv_text

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def cut(title: str) -> tuple[str, str]:
    """``"Payment Date"``, ``"payment_date"``, ``"PaymentDate"`` -> ``("Payment", "Date")``."""
    for mark in (" ", "_"):
        if mark in title:
            first, _, rest = title.partition(mark)
            return first, rest
    found = _CAMEL.search(title)
    return (title[:found.start()], title[found.start():]) if found else (title, "")


def two_rows(header: list[str], merged: bool) -> tuple[list[str], list[str]]:
    """The header as two rows of titles (see the module's docstring)."""
    top, bottom, last = [], [], None
    for title in header:
        first, rest = cut(title.strip())
        top.append("" if merged and rest and first == last else first)
        bottom.append(rest)
        last = first if rest else None
    return top, bottom


def header_over_two_rows(entry: dict, folder: Path, merged: bool) -> tuple[Path, int]:
    """A manifest entry's file with its header over two rows: the new file and the row
    the header was on."""
    from loaders import open_source

    source = open_source(entry["kind"], entry["file"], base="https://variants.example.test/",
                         publisher=entry["gss_code"])
    with open(entry["file"], encoding=source.info.encoding, newline="") as handle:
        records = list(csv.reader(handle, delimiter=source.info.delimiter))
    row = source.table.header_row
    top, bottom = two_rows(records[row - 1], merged)
    assert top != records[row - 1], "no title could be cut"
    path = folder / entry["file"].name
    path.write_text(csv_text(records[:row - 1] + [top, bottom] + records[row:]), encoding="utf-8", newline="")
    return path, row


KEYS = ["area_code", "area_name", "indicator", "measure"]

#: How councils title a column of one period's values.
PERIOD_TITLES = {
    "as-is": lambda p: p,
    "outturn": lambda p: f"Outturn {p.replace('/', '-')}",
    "actual": lambda p: f"{p} Actual",
    "year-word": lambda p: f"Year {p}",
}


def long_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def by_period(path: Path, title=lambda period: period, extra: tuple[str, ...] = ()) -> list[list[str]]:
    """The long table at ``path`` as a wide one (see the module's docstring), then the
    ``extra`` columns: ``99`` under a title ending *Target*, ``Green`` under any other."""
    rows = long_rows(path)
    unit = next(u for u in ("unit", "units") if u in rows[0])
    periods = sorted({r["period"] for r in rows})
    table: dict[tuple, dict] = {}
    for r in rows:
        table.setdefault(tuple(r[k] for k in KEYS) + (r[unit],), {})[r["period"]] = r["value"]
    header = KEYS + ["unit"] + [title(p) for p in periods] + list(extra)
    return [header] + [list(key) + [values.get(p, "") for p in periods] + ["99" if e.endswith("Target") else "Green"
                                                                         for e in extra]
                       for key, values in table.items()]


# ---------------------------------------------------------------- a payment day as a year and a month

def row_facts(source, fact: str) -> dict[int, object]:
    """Each line's ``fact`` (``RowEvent.facts``: its ``period``, ``amount``, ``dates``) as the
    loader reads it from ``source`` (``loaders.open_source``), by row; lines without it left out."""
    from loaders import RowEvent

    return {e.row: e.facts[fact] for e in source.events() if isinstance(e, RowEvent) and e.facts.get(fact) is not None}


def _financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


#: How ledgers split a payment day into two columns: (titles, cells of a day, the period it gives)
YEAR_AND_PART = {
    "financial year, month": (["Financial Year", "Month"],
                              lambda d: [f"{_financial_year(d)}/{str(_financial_year(d) + 1)[2:]}", d.strftime("%B")],
                              lambda d: iris.interval("month", f"{d.year}-{d.month:02d}")),
    "year, month number": (["Year", "Month"], lambda d: [str(d.year), str(d.month)],
                           lambda d: iris.interval("month", f"{d.year}-{d.month:02d}")),
    "fin yr, qtr": (["Fin Yr", "Qtr"],
                    lambda d: [f"{_financial_year(d)}/{str(_financial_year(d) + 1)[2:]}",
                               f"Q{(d.month - 4) % 12 // 3 + 1}"],
                    lambda d: iris.interval("government-quarter", f"{_financial_year(d)}-{_financial_year(d) + 1}"
                                                                  f"/Q{(d.month - 4) % 12 // 3 + 1}")),
}


def year_and_part(entry: dict, folder: Path, form: str) -> tuple[Path, dict[int, str]] | None:
    """A spend file with its payment-date column as a year and a month (or quarter) column
    (``YEAR_AND_PART[form]``): the new file and, for each row the original dated by a day,
    the period that row should now get. ``None`` for a file with no day-dated column."""
    from loaders import open_source

    titles, cells, period = YEAR_AND_PART[form]
    source = open_source("spend", entry["file"], base="https://variants.example.test/", publisher=entry["gss_code"])
    at = source.table.fields.get("date")
    days = {row: date.fromisoformat(dates[0]) for row, dates in row_facts(source, "dates").items() if len(dates) == 1}
    if at is None or not days:
        return None
    with open(entry["file"], encoding=source.info.encoding, newline="") as handle:
        records = list(csv.reader(handle, delimiter=source.info.delimiter))
    row = source.table.header_row
    out = records[:row - 1] + [records[row - 1][:at] + titles + records[row - 1][at + 1:]]
    for number, record in enumerate(records[row:], start=row + 1):
        split = cells(days[number]) if number in days else [record[at] if at < len(record) else "", ""]
        out.append(record[:at] + split + record[at + 1:])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / entry["file"].name
    path.write_text(csv_text(out), encoding="utf-8", newline="")
    return path, {number: period(day) for number, day in days.items()}


# ---------------------------------------------------------------- an amount as a debit and a credit

def debit_and_credit(entry: dict, folder: Path) -> tuple[Path, dict[int, Decimal]] | None:
    """A spend file with its amount column as a ledger's *Debit* and *Credit* columns (a
    negative amount a positive credit): the new file and each line's amount, as the original
    reads it. ``None`` for a file without negative amounts or an amount column."""
    from loaders import open_source

    source = open_source("spend", entry["file"], base="https://variants.example.test/", publisher=entry["gss_code"])
    at = source.table.fields.get("net_amount")
    amounts = {row: Decimal(amount) for row, amount in row_facts(source, "amount").items()}
    if at is None or not any(a < 0 for a in amounts.values()):
        return None
    with open(entry["file"], encoding=source.info.encoding, newline="") as handle:
        records = list(csv.reader(handle, delimiter=source.info.delimiter))
    row = source.table.header_row
    out = records[:row - 1] + [records[row - 1][:at] + ["Debit", "Credit"] + records[row - 1][at + 1:]]
    for number, record in enumerate(records[row:], start=row + 1):
        amount = amounts.get(number)
        cells = ([record[at] if at < len(record) else "", ""] if amount is None
                 else [format(amount, "f"), ""] if amount >= 0 else ["", format(-amount, "f")])
        out.append(record[:at] + cells + record[at + 1:])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / entry["file"].name
    path.write_text(csv_text(out), encoding="utf-8", newline="")
    return path, amounts
