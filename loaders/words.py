"""The two kinds of evidence about a column: the words of its title and what its cells hold.

A person opening a council file knows the amount column because its title says "Value"
or "Net Amount" *and* its cells are sums of money; the supplier column because it says
"Payee" or "Creditor Name", or, when it says only "Name", because its cells read
"ACME SERVICES LTD". This module measures both, for ``loaders.recognise`` to weigh.

Title words come from one data file, ``data/column_words.csv`` (field, form, weight and
where the form is seen in public council data), so adding a finance system's wording is
a data change. Content is measured on a sample of data rows: the share of filled cells
that read as money, as a date, as a month or other period, as an organisation's name,
as a code; how many values are distinct; how many words a cell has.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders import converters as cv
from loaders import periods
from loaders.councils import area_named, register

WORDS_FILE = Path(__file__).resolve().parent / "data" / "column_words.csv"

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
#: Units and currency in brackets say nothing about which field a column is.
_UNIT = re.compile(r"[\(\[]\s*(£|gbp|\$|€|eur|pounds?|£s)\s*[\)\]]", re.IGNORECASE)


@lru_cache(maxsize=1)
def word_table() -> dict[str, list[tuple[tuple[str, ...], float]]]:
    """field -> [(form as words, weight)]; the ``*generic*`` entry lists titles that say little."""
    table: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    with WORDS_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["field"], []).append((tuple(row["form"].split()), float(row["weight"])))
    return table


@lru_cache(maxsize=4096)
def title_words(title: str) -> tuple[str, ...]:
    """``"IrrecoverableVATAmount"`` -> ``("irrecoverable", "vat", "amount")``; ``"Total (£)"`` -> ``("total",)``."""
    value = _UNIT.sub(" ", cv.text(title))
    value = value.replace("£", " gbp ").replace("&", " and ")
    # Welsh titles' accented letters (Tŷ'r Cwmnïau) are their letters, not word breaks.
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    value = _CAMEL.sub(" ", value).casefold()
    return tuple(w for w in _NON_WORD.split(value) if w)


def _has(words: tuple[str, ...], form: tuple[str, ...]) -> bool:
    n = len(form)
    return any(words[i:i + n] == form for i in range(len(words) - n + 1))


@lru_cache(maxsize=8192)
def word_score(field: str, title: str, kind: str | None = None) -> tuple[float, tuple[str, ...]]:
    """(score, the forms that counted) of a title for a field: positive words minus qualifiers.

    Rows for ``kind:field`` count as well, for that kind only: in a grants register
    "Organisation" is the recipient, in a spend file usually the publishing council."""
    words = title_words(title)
    score, used = 0.0, []
    table = word_table()
    for form, weight in table.get(field, []) + (table.get(f"{kind}:{field}", []) if kind else []):
        if _has(words, form):
            score += weight
            used.append(("" if weight > 0 else "-") + " ".join(form))
    return score, tuple(used)


def is_generic(title: str) -> bool:
    """A title that says nothing about the field: empty, or one generic word ("Name", "Value")."""
    words = title_words(title)
    generic = {form for form, _ in word_table().get("*generic*", ())}
    return not words or (tuple(words[:1]) in generic and all(w.isdigit() for w in words[1:]))


# ---------------------------------------------------------------- content

#: Words that end or mark an organisation's name (or a withheld payee).
_ORG = re.compile(
    r"\b(ltd|limited|plc|llp|lp|cic|cio|inc|llc|co|company|trust|association|charity|society|foundation|"
    r"partnership|nhs|council|academy|university|college|school|church|club|ccg|"
    r"& sons|and sons|t/a)\b\.?|redact|personal data|withheld",
    re.IGNORECASE,
)
_PERIOD_TEXT = re.compile(
    r"^((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s\-/]*\d{2,4}"
    r"|q[1-4]\b.*|\d{4}\s*[/\-]\s*\d{2,4}|(fy|financial year)\s*\d{2,4}.*|p\d{1,2}\s.*|\d{4}\s*p\d{1,2})$",
    re.IGNORECASE,
)
#: A code or reference: one token, or tokens joined by a spaced dash or slash ("1040187 - 2",
#: a document and its line, as Oxford writes its transaction numbers).
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_\-.]*(?:\s*[-/]\s*[A-Za-z0-9][A-Za-z0-9/_\-.]*)*$")
#: Dates in forms the converters may not read yet (a time after the day, a full month
#: name, US order): still a date to the eye, so the column is placed and each odd cell
#: is reported by the validator rather than the column going unread.
_DATELIKE = re.compile(
    r"^(\d{1,4}[/\-. ]\d{1,2}[/\-. ]\d{2,4}|\d{1,2}(st|nd|rd|th)?[\- ]?[A-Za-z]{3,9}[\-, ]+\d{2,4}"
    r"|[A-Za-z]{3,9} \d{1,2},? \d{4})([T ]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*(am|pm)?)?$", re.IGNORECASE)
#: A bare number of four digits outside 1900-2099 is a sum, not a year ("2266" awarded).
_IMPLAUSIBLE_YEAR = re.compile(r"^(?!19\d\d$|20\d\d$)\d{4}$")
_DECIMAL = re.compile(r"\.\d{1,2}\s*\)?-?\s*$")
#: An ONS GSS area code (E08000009 Trafford, E92000001 England, W06000015 Cardiff).
#: A UK postcode (outward and inward code, the space optional).
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$", re.IGNORECASE)
#: The words a statistic's kind is written in ("Percentage", "Count", "Rate per 1,000"):
#: what a long table's measure column holds, as opposed to its indicator's description.
_STATISTIC = re.compile(
    r"^(%|percent(age)?s?|proportions?|rates?|ratios?|counts?|numbers?|totals?|means?|medians?|averages?|"
    r"index|scores?|ranks?|amounts?|values?|per ?cent|£|gbp|pounds?( sterling)?|"
    r"(crude |age[- ]standardised |directly standardised )?rate( per [\d,]+.*)?|[a-z ]*per [\d,]+.*)$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """What a column's sample cells hold, as shares of its filled cells."""

    filled: int = 0
    money: float = 0.0
    decimal: float = 0.0
    long_integer: float = 0.0  # 5+ digits, no point: looks like an identifier
    date: float = 0.0
    period: float = 0.0
    org: float = 0.0
    text: float = 0.0
    code: float = 0.0
    distinct: float = 0.0  # distinct values / filled cells
    distinct_count: int = 0
    mean_words: float = 0.0
    gss: float = 0.0  # ONS area codes
    postcode: float = 0.0  # UK postcodes
    percent: float = 0.0  # numbers with a per cent sign ("87.5%")
    day_number: float = 0.0  # whole numbers a spreadsheet writes for a date ("44713" for 2022-06-01)
    statistic: float = 0.0  # the kind of a statistic: "Percentage", "Count", "Rate per 1,000"
    place: float = 0.0  # names of councils, nations or English regions ("Trafford", "North West")

    @property
    def number(self) -> float:
        """Cells that are numbers, with or without a per cent sign (an outcome's value)."""
        return self.money + self.percent

    def describe(self) -> str:
        """``"98% money, 40% distinct"``: the shares that say what the column holds."""
        if not self.filled:
            return "empty in the rows looked at"
        parts = [f"{share:.0%} {name}" for name, share in (
            ("money", self.money), ("dates", self.date), ("periods", self.period),
            ("organisation names", self.org), ("text", self.text), ("codes", self.code),
            ("ONS area codes", self.gss), ("postcodes", self.postcode), ("percentages", self.percent),
            ("kinds of statistic", self.statistic), ("spreadsheet day numbers", self.day_number),
            ("council or area names", self.place)) if share >= 0.1]
        parts.append(f"{self.distinct_count} distinct of {self.filled}")
        return ", ".join(parts)


def profile(cells: list[str], nulls: frozenset[str] = frozenset({""})) -> Profile:
    """Measure a column's sample cells (nulls and blanks left out)."""
    values = [c.strip() for c in cells if c.strip() and c.strip().lower() not in nulls]
    n = len(values)
    if not n:
        return Profile()
    counts = dict.fromkeys(("money", "decimal", "long", "date", "period", "org", "text", "code", "gss",
                            "postcode", "statistic", "percent", "day_number", "place"), 0)
    words = 0
    for value in values:
        is_money = cv.money(value) is not None
        parsed = cv.payment_date(value) if not (is_money and "." in value) else None
        if parsed is None and not is_money and _DATELIKE.match(value):
            parsed = (value, "date")
        counts["money"] += is_money
        counts["decimal"] += is_money and bool(_DECIMAL.search(value))
        counts["long"] += value.isdigit() and len(value) >= 5
        if parsed and parsed[1] == "date":
            counts["date"] += 1
        elif parsed or _PERIOD_TEXT.match(value) or (not _IMPLAUSIBLE_YEAR.match(value)
                                                     and periods.interval(value) is not None):
            counts["period"] += 1
        elif not is_money:
            letters = sum(ch.isalpha() for ch in value)
            counts["text"] += letters >= 2 and " " in value or letters >= 4 and not any(ch.isdigit() for ch in value)
            counts["org"] += bool(_ORG.search(value))
        counts["code"] += (not is_money and not parsed and bool(_CODE.match(value))
                           and any(ch.isdigit() for ch in value))
        counts["gss"] += bool(cv.AREA_CODE.match(value))
        counts["postcode"] += bool(_POSTCODE.match(value))
        counts["percent"] += not is_money and cv.percentage(value) is not None
        counts["day_number"] += is_money and cv.excel_day(value) is not None
        counts["statistic"] += bool(_STATISTIC.match(value))
        counts["place"] += not is_money and _is_place(value)
        words += len(value.split())
    distinct = len(set(values))
    share = {k: v / n for k, v in counts.items()}
    return Profile(n, share["money"], share["decimal"], share["long"], share["date"], share["period"],
                   share["org"], share["text"], share["code"], distinct / n, distinct, words / n, gss=share["gss"],
                   postcode=share["postcode"], percent=share["percent"], day_number=share["day_number"],
                   statistic=share["statistic"], place=share["place"])


def _is_place(value: str) -> bool:
    """A council's, nation's or English region's name as tables of areas write it (codes
    and URIs are counted apart)."""
    if cv.AREA_CODE.match(value) or "://" in value or not any(ch.isalpha() for ch in value):
        return False
    return register().find(value) is not None or area_named(value) is not None

def content_score(field: str, p: Profile) -> float:
    """How much a column's cells look like the field's values (about 0 to 4.5)."""
    if not p.filled:
        return 0.0
    constant = p.distinct_count == 1 and p.filled > 5
    if field in ("net_amount", "gross_amount", "irrecoverable_vat", "amount", "total_value", "annual_value",
                 "total_amount"):
        score = 3 * p.money + (1 if p.decimal >= 0.3 else 0) - 3 * (p.date + p.period)
        if p.long_integer >= 0.8 and p.decimal < 0.05:
            score -= 2  # whole numbers of five digits and more: references, not sums
        return score - (1 if constant else 0)
    if field == "date":  # a spreadsheet's day numbers count under a date's title only (see DAY_FIELDS)
        return 3 * p.date + 1.5 * p.period + 1.5 * p.day_number - (1 if constant else 0)
    if field in ("start_date", "end_date", "current_expiry", "award_date"):
        return 3 * p.date - 2 * (p.money - p.day_number) + 1.5 * p.day_number
    if field == "period":
        return 3 * p.period + 0.5 * p.date
    if field == "supplier_name":
        if p.text < 0.5:
            return p.text - 2 * (p.money + p.date + p.period)
        # Names of organisations, many different ones, a few words each.
        score = p.text * (1 + 3 * min(p.org * 3, 1)) * (0.4 + 0.6 * min(p.distinct_count / min(30, p.filled), 1))
        return (score - (3 if p.distinct_count <= 2 and p.filled > 5 else 0)
                - 0.5 * max(0.0, p.mean_words - 5))
    if field == "title":  # a contract's title: a few words, nearly every one its own, not a company's
        return p.text + (0.5 if p.distinct >= 0.5 else 0) - p.org - 2 * p.money - 2 * p.date
    if field in ("supplier_id", "transaction", "invoice", "contract_reference", "grant_id"):
        ident = max(p.code, p.long_integer, p.money - p.decimal)
        # A payment's or an invoice's reference is nearly always its own: one a line.
        own = 0.5 if field != "supplier_id" and p.distinct >= 0.9 and p.filled >= 10 else 0
        return 1.5 * ident + min(p.distinct * 2, 1) + own - 2 * (p.date + p.period) - 2 * p.decimal
    if field in ("expense_type", "service_area", "expense_category", "procurement_process", "grant_programme"):
        # A handful of labels repeated down the file ("Operational Materials", "Adult Social
        # Care"): the shape of a ledger's categories, more so when each is a few words and
        # none names an organisation (suppliers paid again and again repeat too).
        repeated = 1 if p.distinct < 0.3 else 0.5 if p.distinct < 0.5 else 0
        labels = 0.5 if repeated and p.text >= 0.9 and p.mean_words <= 6 else 0
        return p.text + repeated + labels - 2 * p.code - 2 * p.money - p.org
    if field in ("narrative", "description"):
        return p.text + (0.5 if p.mean_words >= 3 else 0) - 2 * p.money
    if field == "payments":  # how many payments: small whole numbers, never pence
        return 3 * p.money - 3 * p.decimal - 2 * p.long_integer - 3 * (p.date + p.period)
    if field == "postcode":
        return 4 * p.postcode
    return _outcome_score(field, p, constant)


def _outcome_score(field: str, p: Profile, constant: bool) -> float:
    """A long outcome table's columns: a number per row, the area's ONS code, what is
    measured (a description repeated down the file), the kind of statistic and its unit
    (a handful of words such as "Percentage" and "Persons")."""
    if field == "value":
        return 3 * p.number + (0.5 if p.decimal >= 0.3 else 0) - 3 * (p.date + p.period) - 3 * p.gss \
            - (1 if constant else 0)
    if field == "area_code":
        return 4 * p.gss - 2 * p.money
    if field == "area_name":
        return p.text + 2 * p.place - 2 * p.gss - 2 * p.money - p.statistic
    few = 0.5 if p.distinct_count <= 12 else 0
    not_text = 2 * (p.money + p.date + p.period + p.gss)
    if field == "indicator":
        return p.text + (0.5 if p.mean_words >= 3 else 0) + (0.5 if p.distinct < 0.5 else 0) - p.statistic - not_text
    if field == "measure":
        return p.text + 1.5 * p.statistic + few - not_text
    if field == "unit":
        return p.text + few - 0.5 * p.statistic - (0.5 if p.mean_words > 3 else 0) - not_text
    return 0.0
