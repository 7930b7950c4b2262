"""Reference periods as councils write them -> reference.data.gov.uk interval IRIs.

Spend files, outcome indicators and supplier lists give a period where a day would go:
a financial year (``2017/18``, ``2021-22``, ``FY2021``), a month (``April 2021``,
``Apr-21``, ``2021-04``, ``04/2021``, ``202104``), a calendar year (``2021``), a quarter
(``2021 Q1``, ``Q2 2021/22``, ``Jan-Mar 2014``), a range of months (``April 2021-June
2021``) or the date a period ends (``2018-03-31``). Each becomes the UK government's
interval IRI with its first and last day, so lines and observations from different files
line up and sort, and no day is ever invented:

- a month: ``{intervals}month/2021-04``; a calendar year: ``.../year/2021``;
- a quarter written with one calendar year (``2021 Q1``, ``Q3 2021``) is a *calendar*
  quarter (Q1 = January-March): ``.../quarter/2021-Q1``; one written with a financial
  year (``Q1 2021/22``, ``2021-22 Q1``) is a *financial-year* quarter (Q1 = April-June):
  ``.../government-quarter/2021-2022/Q1``;
- a financial year: ``.../government-year/2021-2022``. ``FY2021`` (one year) is the
  financial year that *begins* in April 2021, as councils name years by their start
  (``2021/22``);
- a range of months is named by what it covers: one month, a calendar quarter
  (``Jan-Mar 2014`` is ``quarter/2014-Q1``), a calendar year, a financial year, or else
  ``.../gregorian-interval/2021-05-01T00:00:00/P4M`` (first day and length in months).
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

_YY = r"(\d{4}|\d{2})"
_FINANCIAL_YEAR = re.compile(r"^(?:FY\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_FY_SHORT = re.compile(r"^FY\s*(\d{2})\s*[/\-–]\s*(\d{2})$", re.IGNORECASE)
_FY_ONE = re.compile(r"^FY\s*[\-]?\s*(\d{4})$", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?[\s\-/,]+" + _YY + "$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*[\-\s]?\s*Q([1-4])|Q([1-4])\s*[\-\s]?\s*(\d{4}))$", re.IGNORECASE)
_GOV_QUARTER = re.compile(
    r"^(?:Q([1-4])\s*[\-\s,]?\s*(?:FY\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})"
    r"|(?:FY\s*)?(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*[\-\s,]?\s*Q([1-4]))$", re.IGNORECASE)
_RANGE = re.compile(
    r"^([A-Za-z]{3,9})\.?(?:[\s\-/,]+" + _YY + r")?\s*(?:-|–|—|to)\s*([A-Za-z]{3,9})\.?[\s\-/,]+" + _YY + "$",
    re.IGNORECASE)


class Interval(NamedTuple):
    iri: str
    label: str  # the period as the file wrote it, tidied
    start: str  # ISO date of the first day
    end: str  # ISO date of the last day

    @property
    def months(self) -> int:
        """How many calendar months the period spans (0 for a single day)."""
        if self.start == self.end:
            return 0
        return (int(self.end[:4]) - int(self.start[:4])) * 12 + int(self.end[5:7]) - int(self.start[5:7]) + 1

    @property
    def key(self) -> str:
        """The summaries' month key: ``2021-04`` for a day or a month, else ``2021-04/2021-06``
        (first and last month), so a quarter's spend is counted in its quarter, never spread."""
        if self.months <= 1:
            return self.start[:7]
        return f"{self.start[:7]}/{self.end[:7]}"


def _second_year(first: int, text: str) -> int | None:
    second = int(text) if len(text) == 4 else (first // 100) * 100 + int(text)
    if len(text) == 2 and second < first:
        second += 100
    return second if second == first + 1 else None


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def government_year(first: int, label: str | None = None) -> Interval:
    return Interval(iris.interval("government-year", f"{first}-{first + 1}"),
                    label or f"{first}/{str(first + 1)[2:]}",
                    date(first, 4, 1).isoformat(), date(first + 1, 3, 31).isoformat())


def month(year: int, number: int, label: str) -> Interval:
    return Interval(iris.interval("month", f"{year}-{number:02d}"), label, date(year, number, 1).isoformat(),
                    _month_end(year, number).isoformat())


def months(first: tuple[int, int], last: tuple[int, int], label: str) -> Interval | None:
    """The months ``first`` to ``last`` (``(year, month)`` each), named as the government's
    intervals name them: a month, a calendar quarter or year, a financial year, or a
    gregorian interval of so many months."""
    count = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if count < 1 or count > 120:
        return None
    (year, start), end = first, _month_end(*last).isoformat()
    if count == 1:
        return month(year, start, label)
    if count == 3 and start in (1, 4, 7, 10):
        return Interval(iris.interval("quarter", f"{year}-Q{(start - 1) // 3 + 1}"), label,
                        date(year, start, 1).isoformat(), end)
    if count == 12 and start == 1:
        return Interval(iris.interval("year", str(year)), label, f"{year:04d}-01-01", end)
    if count == 12 and start == 4:
        return government_year(year, label)
    first_day = date(year, start, 1).isoformat()
    return Interval(iris.interval("gregorian-interval", f"{first_day}T00:00:00/P{count}M"), label, first_day, end)


def _range(m: re.Match, text: str) -> Interval | None:
    first, last = _MONTHS.get(m[1].lower()), _MONTHS.get(m[3].lower())
    if not first or not last:
        return None
    last_year = _year(m[4])
    first_year = _year(m[2]) if m[2] else (last_year if first <= last else last_year - 1)
    return months((first_year, first), (last_year, last), text)


@lru_cache(maxsize=4096)
def interval(raw: str) -> Interval | None:
    """The interval a period cell names, or ``None`` when it is not a period we know."""
    text = " ".join(raw.split())
    if (m := _FINANCIAL_YEAR.match(text)) and _second_year(int(m[1]), m[2]) is not None:
        return government_year(int(m[1]), text)
    if (m := _FY_SHORT.match(text)) and _second_year(2000 + int(m[1]), m[2]) is not None:
        return government_year(2000 + int(m[1]), text)
    if m := _FY_ONE.match(text):
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
        number = _MONTHS.get(m[1].lower())
        return month(_year(m[2]), number, text) if number else None
    if (m := _NUMERIC_MONTH.match(text)) and 1 <= int(m[1]) <= 12:
        return month(int(m[2]), int(m[1]), text)
    if m := _RANGE.match(text):
        return _range(m, text)
    if m := _YEAR.match(text):
        year = int(m[1])
        return Interval(iris.interval("year", str(year)), text, f"{year:04d}-01-01", f"{year:04d}-12-31")
    parsed = payment_date(text)
    if parsed and parsed[1] == "gYearMonth":
        return month(int(parsed[0][:4]), int(parsed[0][5:7]), text)
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


_PART_QUARTER = re.compile(r"^(?:q|qtr|quarter)\s*\.?\s*([1-4])$", re.IGNORECASE)


def within(outer: Interval, part: str, quarters: bool = False, months: bool = False) -> Interval | None:
    """The quarter or month ``part`` names inside the year ``outer``, or ``None``.

    Councils' performance tables often give the year in one column and the quarter or month
    in the next (*Financial Year* ``2021/22``, *Quarter* ``Q1``; *Year* ``2022``, *Month*
    ``April``): each row's period is the two together, never the year alone (four quarters'
    values would be four values for one year). In a financial year, ``Q1`` is April-June and
    ``January`` falls in its second calendar year; in a calendar year, ``Q1`` is January-March.
    ``part`` may also be a whole period inside ``outer`` (``Q1 2021/22``); a bare ``1``-``4``
    is a quarter only when its column says so (``quarters``); a month's number only in a
    calendar year and when its column says months (``months``: *Year* ``2022``, *Month* ``6``
    is June 2022). In a financial year a number is never read: ledgers count periods from
    April (period 1 = April), but a month column may count from January."""
    text = " ".join(part.split())
    if (found := interval(text)) is not None:
        inside = outer.start <= found.start and found.end <= outer.end and found.months < outer.months
        return found if inside else None
    if outer.months != 12 or outer.start[5:] not in ("01-01", "04-01"):
        return None  # only a calendar or a financial year has quarters and months by name
    financial = outer.start[5:] == "04-01"
    first = int(outer.start[:4])
    quarter = _PART_QUARTER.match(text)
    if quarter or (quarters and text in ("1", "2", "3", "4")):
        number = int(quarter[1]) if quarter else int(text)
        return interval(f"Q{number} {first}/{str(first + 1)[2:]}" if financial else f"{first} Q{number}")
    number = _MONTHS.get(text.lower().rstrip("."))
    if number is None and months and not financial and text.isdigit() and 1 <= int(text) <= 12:
        number = int(text)
    if number:
        year = first + 1 if financial and number < 4 else first
        return month(year, number, f"{calendar.month_name[number]} {year}")
    return None


# A column's *title* may name a period too: a table published with a column per year
# ("Indicator, 2019/20, 2020/21, 2022/23 Target"; ``loaders.period_columns``).

#: Title words that say the column holds the figure observed for its period.
OBSERVED = frozenset({"actual", "actuals", "outturn", "result", "results", "value", "values", "performance",
                      "data", "figure", "figures", "out", "turn", "total", "rate", "percentage", "percent",
                      "number", "count", "amount", "year", "fy", "financial", "quarter", "month"})
#: Title words of a figure *about* another ("Target", "Rank", "Lower quartile"): never an
#: observation of its own (nor, in a performance table, a measure: ``loaders.measures``).
ABOUT_ANOTHER = frozenset({"target", "targets", "forecast", "forecasts", "projected", "projection", "tolerance",
                           "threshold", "rank", "ranking", "quartile", "rag", "polarity", "benchmark", "baseline",
                           "ambition"})
#: Title words of figures that are not a period's observation: such a column is never a period column.
NOT_OBSERVED = ABOUT_ANOTHER | {"budget", "budgets", "estimate", "estimated", "plan", "planned", "profile", "change",
                                "difference", "variance", "trend", "direction", "status", "comment", "comments",
                                "note", "notes", "average", "median", "mean"}
_BRACKETS = re.compile(r"[\(\[][^\)\]]*[\)\]]")
_WORDS = re.compile(r"[a-z]+")


@lru_cache(maxsize=1024)
def title_period(title: str) -> Interval | None:
    """The period a column's title names, or ``None`` when the title is anything else.

    ``"2021/22"``, ``"2021/22 Actual"``, ``"Outturn 2020-21"``, ``"Q1 2022/23"``,
    ``"Apr-22"``, ``"2022/23 (%)"`` name periods; ``"2022/23 Target"``, ``"Spend 2021"``,
    ``"Supplier"`` do not."""
    text = " ".join(_BRACKETS.sub(" ", title).split())
    if not text or set(_WORDS.findall(text.casefold())) & NOT_OBSERVED:
        return None
    if found := interval(text):
        return found if _plausible(found) else None
    kept = [w for w in text.split() if w.casefold().strip(".:,") not in OBSERVED]
    if not kept or len(kept) == len(text.split()):
        return None
    found = interval(" ".join(kept))
    return found if found and _plausible(found) else None


def _plausible(found: Interval) -> bool:
    """A period of public data: a year 1990-2099, never a single day (a date as a title is a
    snapshot, and a column of days is more likely a ledger's than a table's)."""
    return 1990 <= int(found.start[:4]) <= 2099 and found.start != found.end
