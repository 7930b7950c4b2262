"""Date columns written otherwise than the converters' default, found as a whole column.

A cell alone cannot say how it was meant: "44713" is a number, "04/05/2022" is 4 May to a
UK reader and 5 April to a spreadsheet set to US English. The column can. Under a date's
title (``recognise.DAY_FIELDS``), from the sample rows the columns were recognised on:

* **spreadsheet day numbers**: at least ``DAY_NUMBERS`` of the cells are whole numbers in
  Excel's 1970-2069 range and hardly any are dates (a date column saved as "General");
* **month first**: at least ``MONTH_FIRST`` of the cells are dates of numbers, some of
  them (``04/13/2022``) can only be read month first and none (``13/04/2022``) only day
  first. Where no cell of those rows tells (every day 12 or under, as a file sorted by
  date often starts), the rows further on are read as the file is opened
  (``settle_order``, up to ``SETTLE_ROWS``): the first cell that reads only one way decides;
  past that, day first stays, as UK publishers write.

Each such column gets a parser (a dialect column's ``format``, applied as a mapping's
``datatype.format`` is) and its decision says what was found, so the load report shows it.
A cell that contradicts its column is left unreadable for the validator to report: a file
is refused whole rather than loaded half one way.
"""

from __future__ import annotations

from dataclasses import replace

from loaders import converters as cv
from loaders.recognise import DAY_FIELDS, Decision, profiles

DAY_NUMBERS = 0.8  # the share of a column's cells that must be day numbers
MONTH_FIRST = 0.8  # the share of a column's cells that must be dates of numbers
#: How many rows past the first ones ``settle_order`` holds while a date column's order is
#: still untold (a month's payments sorted by date reach the 13th within this, in DEV files).
SETTLE_ROWS = 50_000


def read_dates(dialect, header: list[str], sample: list[list[str]], fields: dict[str, int],
               decisions: list[Decision]) -> tuple[object, list[Decision]]:
    """The dialect with a parser on each date field whose column is day numbers or month
    first, and the decisions saying so."""
    found = profiles(header, sample, dialect.nulls)
    parsers: dict[str, tuple[object, str]] = {}
    for name, index in fields.items():
        column = dialect.column(name)
        if name not in DAY_FIELDS or not column or column.format is not None:
            continue
        cells = [c for r in sample if index < len(r) and (c := r[index].strip()) and c.lower() not in dialect.nulls]
        p = found[index]
        if p.day_number >= DAY_NUMBERS and p.date + p.period < 0.2:
            parsers[name] = (_day_or_raw, "spreadsheet day numbers, read as the dates they stand for "
                                          f"({_day_example(cells)})")
        elif example := _month_first(cells):
            parsers[name] = (_month_first_or_unread, f"dates written month first, read so ({example}; "
                                                     "no cell of the rows looked at is day first)")
    if not parsers:
        return dialect, decisions
    columns = tuple(replace(c, format=parsers[c.name][0]) if c.name in parsers else c for c in dialect.columns)
    said = [replace(d, why=f"{d.why}; {parsers[d.field][1]}", noted=True) if d.field in parsers else d
            for d in decisions]
    return replace(dialect, columns=columns), said


def settle_order(table, ahead: list, stream, limit: int | None = None):
    """``(table, rows read ahead)``: a date column whose first rows did not tell its order
    (every day 12 or under, as a file sorted by date often starts) read on, past the rows
    already looked at, until a cell tells: one only month first can read, before any that
    only day first can, makes the column month first. The rows read on are returned with
    ``ahead`` to be loaded in order (at most ``limit`` of them are held); a UK file stops at
    its first day over 12, mostly within the rows already read."""
    dialect, limit = table.dialect, limit or SETTLE_ROWS
    columns = {name: index for name, index in table.fields.items() if name in DAY_FIELDS
               and (c := dialect.column(name)) and c.format is None and any(d.field == name for d in table.decisions)}
    if not columns:
        return table, ahead
    rows = list(ahead)
    told: dict[str, str | None] = {}
    numbered = dict.fromkeys(columns, 0)
    filled = dict.fromkeys(columns, 0)
    position = 0
    while len(told) < len(columns):
        if position == len(rows):
            if len(rows) >= limit or (record := next(stream, None)) is None:
                break
            rows.append(record)
        cells = rows[position][1]
        position += 1
        for name, index in columns.items():
            if name in told or index >= len(cells) or not (cell := cells[index].strip()) \
                    or cell.lower() in dialect.nulls:
                continue
            order = cv.date_order(cell)
            filled[name] += 1
            numbered[name] += order is not None
            if order in ("day", "month", "neither"):
                told[name] = f"{cell} = {cv.month_first_date(cell)}" if order == "month" else None
            elif filled[name] >= 100 and numbered[name] < MONTH_FIRST * filled[name]:
                told[name] = None  # ISO dates, month names: written so, the order is never in doubt
    month_first = {name for name, example in told.items()
                   if example and numbered[name] >= MONTH_FIRST * filled[name]}
    if not month_first:
        return table, rows
    formats = tuple(replace(c, format=_month_first_or_unread) if c.name in month_first else c for c in dialect.columns)
    said = [replace(d, why=f"{d.why}; dates written month first, read so ({told[d.field]}, on row "
                           f"{_row_of(rows, columns[d.field], told[d.field])}; no cell before it is day first)",
                    noted=True) if d.field in month_first else d for d in table.decisions]
    return replace(table, dialect=replace(dialect, columns=formats), decisions=said), rows


def _row_of(rows: list, index: int, example: str) -> int:
    cell = example.split(" = ")[0]
    return next(number for number, cells in rows if index < len(cells) and cells[index].strip() == cell)


def _month_first(cells: list[str]) -> str | None:
    """An example (``"04/13/2022 = 2022-04-13"``) when the cells are a month-first column."""
    orders = [cv.date_order(c) for c in cells]
    numbered = [o for o in orders if o]
    if not cells or len(numbered) < MONTH_FIRST * len(cells) or "day" in numbered or "month" not in numbered:
        return None
    cell = next(c for c, o in zip(cells, orders) if o == "month")
    return f"{cell} = {cv.month_first_date(cell)}"


def _month_first_or_unread(raw: str) -> str:
    """A month-first cell as its ISO date; one that reads only day first (``13/04/2022``) is
    kept, marked, so the validator refuses it rather than read it the other way."""
    order = cv.date_order(raw)
    if order in ("day", "neither"):
        return f"{raw.strip()} (not a month-first date, as the column's others are)"
    return cv.month_first_date(raw) if order else raw


def _day_or_raw(raw: str) -> str:
    return cv.excel_day(raw) or raw


def _day_example(cells: list[str]) -> str:
    cell = next((c for c in cells if cv.excel_day(c)), "")
    return f"{cell} = {cv.excel_day(cell)}" if cell else "none in the rows looked at"
