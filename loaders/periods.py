"""Reference periods as councils write them -> reference.data.gov.uk interval IRIs.

Outcome indicators and performance tables give periods as financial years (``2017/18``),
months (``April 2021``), calendar years (``2021``), quarters (``2021 Q1``,
``Q2 2021/22``) or the date a period ends (``2018-03-31``). Each becomes the UK
government's interval IRI (``{intervals}government-year/2017-2018``,
``.../month/2021-04``, ``.../year/2021``, ``.../quarter/2021-Q1``,
``.../government-quarter/2021-2022/Q2``, ``.../day/2018-03-31``) with its first and
last day, so observations from different files line up and sort.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from catalogue import iris
from loaders.converters import payment_date

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_FINANCIAL_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})[\s\-]+(\d{4}|\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*[\-\s]?\s*Q([1-4])|Q([1-4])\s*[\-\s]?\s*(\d{4}))$", re.IGNORECASE)
_GOV_QUARTER = re.compile(
    r"^(?:Q([1-4])\s+(\d{4})\s*/\s*(\d{2}|\d{4})|(\d{4})\s*/\s*(\d{2}|\d{4})\s+Q([1-4]))$", re.IGNORECASE)


class Interval(NamedTuple):
    iri: str
    label: str  # the period as the file wrote it, tidied
    start: str  # ISO date of the first day
    end: str  # ISO date of the last day


def _second_year(first: int, text: str) -> int | None:
    second = int(text) if len(text) == 4 else (first // 100) * 100 + int(text)
    if len(text) == 2 and second < first:
        second += 100
    return second if second == first + 1 else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def government_year(first: int, label: str | None = None) -> Interval:
    return Interval(iris.interval("government-year", f"{first}-{first + 1}"),
                    label or f"{first}/{str(first + 1)[2:]}",
                    date(first, 4, 1).isoformat(), date(first + 1, 3, 31).isoformat())


@lru_cache(maxsize=4096)
def interval(raw: str) -> Interval | None:
    """The interval a period cell names, or ``None`` when it is not a period we know."""
    text = " ".join(raw.split())
    if (m := _FINANCIAL_YEAR.match(text)) and _second_year(int(m[1]), m[2]) is not None:
        return government_year(int(m[1]), text)
    if m := _GOV_QUARTER.match(text):
        q, first, tail = (int(m[1]), int(m[2]), m[3]) if m[1] else (int(m[6]), int(m[4]), m[5])
        if _second_year(first, tail) is None:
            return None
        start = date(first, 4 + 3 * (q - 1), 1) if q < 4 else date(first + 1, 1, 1)
        end = _month_end(start.year, start.month + 2)
        return Interval(iris.interval("government-quarter", f"{first}-{first + 1}/Q{q}"), text,
                        start.isoformat(), end.isoformat())
    if m := _QUARTER.match(text):
        year, q = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        start = date(year, 3 * (q - 1) + 1, 1)
        return Interval(iris.interval("quarter", f"{year}-Q{q}"), text, start.isoformat(),
                        _month_end(year, start.month + 2).isoformat())
    if m := _MONTH_YEAR.match(text):
        month = _MONTHS.get(m[1].lower())
        if not month:
            return None
        year = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
        return Interval(iris.interval("month", f"{year}-{month:02d}"), text, date(year, month, 1).isoformat(),
                        _month_end(year, month).isoformat())
    if m := _YEAR.match(text):
        year = int(m[1])
        return Interval(iris.interval("year", str(year)), text, f"{year}-01-01", f"{year}-12-31")
    parsed = payment_date(text)
    if parsed and parsed[1] == "gYearMonth":
        year, month = int(parsed[0][:4]), int(parsed[0][5:7])
        return Interval(iris.interval("month", parsed[0]), text, date(year, month, 1).isoformat(),
                        _month_end(year, month).isoformat())
    if parsed:
        return Interval(iris.interval("day", parsed[0]), text, parsed[0], parsed[0])
    return None


@lru_cache(maxsize=4096)
def period_ending(raw: str) -> Interval | None:
    """The period a table's 'effective date' closes: 31 March ends a financial year."""
    parsed = payment_date(raw)
    if not parsed or parsed[1] != "date":
        return None
    day = date.fromisoformat(parsed[0])
    if (day.month, day.day) == (3, 31):
        return government_year(day.year - 1)
    if (day.month, day.day) == (12, 31):
        return interval(str(day.year))
    if day == _month_end(day.year, day.month):
        return interval(f"{day.year}-{day.month:02d}")
    return interval(parsed[0])
