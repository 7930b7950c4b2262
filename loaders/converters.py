"""Named, pure cell converters: text in, value (or ``None`` when unreadable) out.

Each converter handles the forms councils actually write (see ``../shared/data/real/
SOURCES.md``) and nothing clever beyond them: an unreadable cell is reported by the
validator with its raw value, never guessed. Results are memoised because a file
repeats the same dates, codes and names thousands of times.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache

#: An ONS GSS area code: nine characters, a letter for the nation (E, W, S, N; K for the
#: United Kingdom, Great Britain, England and Wales) then eight digits (ONS, "Code History
#: Database user guide", the GSS coding and naming policy). One pattern for every loader
#: that reads area codes; ``loaders.councils`` keeps its own for councils (never K).
AREA_CODE = re.compile(r"^[EWSNK]\d{8}$")


# ---------------------------------------------------------------- text

#: C1 control characters that are really cp1252 punctuation double-encoded into UTF-8
#: (Harrogate writes "REDACTED \u0096 PERSONAL DATA" for an en dash).
_C1 = {chr(b): bytes([b]).decode("cp1252", errors="ignore") or " " for b in range(0x80, 0xA0)}
_C1_TABLE = str.maketrans(_C1)
_SPACES = re.compile(r"\s+")
#: A UTF-8 punctuation mark (E2 80 xx: dashes, quotes, ellipsis) whose lead byte was lost
#: on the way (Salford writes "Council\x80\x99s" for "Council’s").
_HEADLESS_PUNCTUATION = re.compile("\u0080([\u0080-\u00bf])")


def _restore_punctuation(match: re.Match) -> str:
    return bytes([0xE2, 0x80, ord(match[1])]).decode("utf-8")


def text(raw: str) -> str:
    """A cell as published, after decoding: outer whitespace off, stray C1 codes mapped."""
    value = raw.strip()
    if value and not value.isascii():
        if "\u0080" in value:
            value = _HEADLESS_PUNCTUATION.sub(_restore_punctuation, value)
        value = value.translate(_C1_TABLE).replace("\u00a0", " ").strip()
    return value


def header_key(title: str) -> str:
    """Compare column titles ignoring case, spacing and punctuation.

    ``"Capital /Revenue"``, ``"Capital / Revenue"`` and ``"capital_revenue"`` all
    become ``"capitalrevenue"``.
    """
    folded = unicodedata.normalize("NFKD", text(title)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


#: Between the two languages of a bilingual title ("Supplier Name / Enw'r Cyflenwr", as
#: Welsh councils write them): a slash with spaces, a bar or a line break.
_BILINGUAL = re.compile(r"\s+/\s+|\s*\|\s*|\s*\n\s*")


def title_keys(title: str) -> tuple[str, ...]:
    """``header_key`` of a title, then of each of its two halves when it reads as one title
    in two languages: ``"Date / Dyddiad"`` -> ``("datedyddiad", "date", "dyddiad")``."""
    key = header_key(title)
    parts = [part for part in _BILINGUAL.split(title.strip()) if part.strip()]
    return (key, *(header_key(part) for part in parts)) if len(parts) == 2 else (key,)


@lru_cache(maxsize=65536)
def slug(value: str, limit: int = 60) -> str:
    """A readable IRI path segment: ``"A & A Electrical Ltd"`` -> ``"a-a-electrical-ltd"``."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].strip("-")
    return out or "x" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]


def short_hash(*parts: str, length: int = 8) -> str:
    """Stable hex digest of the parts, for IRIs that must not collide."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


# ---------------------------------------------------------------- money

#: Commas grouping thousands, and a decimal comma (dots, if any, grouping thousands).
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_DECIMAL_COMMA = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+),\d{1,2}")
_MONEY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def percentage(raw: str) -> str | None:
    """``"87.5%"``, ``"87.5 %"`` -> ``"87.5"``: a number written with a per cent sign, as
    council performance tables often write a rate; ``None`` when the cell has no sign or
    is not a number before it."""
    value = raw.strip()
    if not value.endswith("%"):
        return None
    number = money(value[:-1])
    return number if number is not None and "£" not in value else None


@lru_cache(maxsize=65536)
def money(raw: str) -> str | None:
    """``" 1,234.50 "``, ``"£-12"``, ``"(3.00)"``, ``"12.00-"``, ``"1616.23 "``, ``"GBP 50"``,
    ``"50.00 CR"`` (a credit), ``"50.00 DR"`` (a debit) -> decimal text.

    The digits stay exactly as published (``"3499.1"`` stays ``"3499.1"``); credits
    come out with a leading minus. ``None`` when the cell is not an amount.

    A comma is a thousands separator only where it groups three digits (``1,234,567.89``);
    a comma before one or two last digits can only be a decimal comma (``1.234,56``,
    ``1 234,56``, ``12,5``: a European locale's export), read as such. Any other comma
    (``12,34.00``, ``1234,567``) makes the cell not an amount: reported, never read as
    the digits with the commas dropped (``12,5`` is not 125).
    """
    value = raw.strip().replace("£", "").replace(" ", "").replace("\u00a0", "")
    if value[:3].upper() == "GBP":  # the currency's ISO 4217 code, as ledgers print it
        value = value[3:]
    elif value[-3:].upper() == "GBP":
        value = value[:-3]
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    elif value.endswith("-") and len(value) > 1:
        negative, value = True, value[:-1]
    elif value.upper().endswith("CR"):
        negative, value = True, value[:-2]
    elif value.upper().endswith("DR"):  # a debit: the payment itself
        value = value[:-2]
    value = value.replace("£", "")
    if "," in value:
        body = value.lstrip("+-")
        if _THOUSANDS.fullmatch(body):
            value = value.replace(",", "")
        elif _DECIMAL_COMMA.fullmatch(body):
            value = value.replace(".", "").replace(",", ".")
        else:
            return None
    if not _MONEY.match(value):
        return None
    if value[0] == "+":
        value = value[1:]
    if value.startswith("."):
        value = "0" + value
    elif value.startswith("-."):
        value = "-0" + value[1:]
    if value.endswith("."):
        value = value[:-1]
    if negative:
        value = value[1:] if value.startswith("-") else "-" + value
    return value


# ---------------------------------------------------------------- dates

#: A time after a day, as finance-system and spreadsheet exports write it ("01/04/2021
#: 00:00:00", "01/04/2021 12:00:00 AM", "01 Apr 2021 10:15"): the day is the payment's date.
_TIME = r"(?:(?:[ T]|, )(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})" + _TIME + "$")
_D_MON_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\- ]([A-Za-z]{3,9})\.?,?[\- ](\d{2}|\d{4})" + _TIME + "$",
                      re.IGNORECASE)
#: "April 1, 2022", "Apr 1st 2022": the month named first, never ambiguous.
_MON_D_Y = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})" + _TIME + "$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_YYYYMMDD = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})" + _TIME + "$")  # 2023/04/12: year first, never ambiguous
_PERIOD = re.compile(r"^(\d{4})-?(\d{2})$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
_WEEKDAY = re.compile(r"^(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+(?=\d|[a-z]{3})",
                      re.IGNORECASE)
_MONTH_NAMES = {name: i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}


def _month(word: str) -> int | None:
    """``"Apr"``, ``"April"``, ``"Sept"`` -> 4, 4, 9: a month's name or its first three letters or more."""
    word = word.lower()
    return next((i for name, i in _MONTH_NAMES.items() if name.startswith(word)), None) if len(word) >= 3 else None


def _year(text_year: str) -> int:
    year = int(text_year)
    if len(text_year) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


#: Spreadsheet day numbers read as dates: 1970-01-01 .. 2069-12-31. Excel's 1900 date system
#: counts day 1 as 1900-01-01 and keeps a 29 February 1900 that never was (ECMA-376 Part 1,
#: 18.17.4.1), so from day 61 on a day number n is 1899-12-30 plus n days.
EXCEL_DAYS = (25569, 62093)
_EXCEL_EPOCH = date(1899, 12, 30)
_WHOLE = re.compile(r"^\d{5}(\.0+)?$")


def excel_day(raw: str) -> str | None:
    """``"44713"`` -> ``"2022-06-01"``: a date a spreadsheet wrote as its day number (a date
    column saved as a plain number); ``None`` for anything else."""
    value = raw.strip()
    if not _WHOLE.match(value):
        return None
    days = int(value.split(".")[0])
    return (_EXCEL_EPOCH + timedelta(days=days)).isoformat() if EXCEL_DAYS[0] <= days <= EXCEL_DAYS[1] else None


def month_first_date(raw: str) -> str | None:
    """``"04/13/2022"`` -> ``"2022-04-13"``: numbers written month first, as a spreadsheet
    set to US English writes them. Read only for a column found to be month first
    (``loaders.date_columns``); ``None`` for anything else."""
    m = _DMY.match(raw.strip())
    return _iso(_year(m[3]), int(m[1]), int(m[2])) if m else None


def date_order(raw: str) -> str | None:
    """Which way round a date of numbers (``dd/mm/yyyy`` or ``mm/dd/yyyy``) can be read:
    ``"either"`` (``04/05/2022``), ``"day"`` (only day first: ``13/04/2022``), ``"month"``
    (only month first: ``04/13/2022``), ``"neither"`` (``13/13/2022``); ``None`` when the
    cell is not such a date (ISO, a month's name, a number)."""
    m = _DMY.match(raw.strip())
    if not m:
        return None
    year, first, second = _year(m[3]), int(m[1]), int(m[2])
    day_first, month_first = _iso(year, second, first), _iso(year, first, second)
    return ("either" if month_first else "day") if day_first else ("month" if month_first else "neither")


@lru_cache(maxsize=65536)
def payment_date(raw: str) -> tuple[str, str] | None:
    """A payment date or period -> ``(lexical, "date" | "gYearMonth")``.

    Accepts ``dd/mm/yyyy`` (and ``d/m/yy``, dots, dashes: UK day-first), ``dd-Mon-yy``
    and ``1st April 2022``, ``April 1, 2022``, ISO dates and datetimes, ``yyyy/mm/dd`` and
    ``yyyy.mm.dd``, ``yyyymmdd``, and ``yyyymm`` / ``yyyy-mm`` periods; a time after the
    day (``10:15``, ``12:00:00 AM``) is left out, and a weekday before it (``Friday, 1
    April 2022``) is checked against the date (a day that contradicts it is no date).
    Numbers are day first: a column written month first (``04/13/2022``) is found as a
    whole and read by ``month_first_date``.
    """
    value = raw.strip()
    if not value:
        return None
    if m := _WEEKDAY.match(value):  # "Friday, 1 April 2022": a spreadsheet's long date format
        found = _day_first(value[m.end():])
        weekday = _WEEKDAYS.index(m[0][:3].lower())
        return found if found and found[1] == "date" and date.fromisoformat(found[0]).weekday() == weekday else None
    return _day_first(value)


def _day_first(value: str) -> tuple[str, str] | None:
    if m := _ISO.match(value):
        iso = _iso(int(m[1]), int(m[2]), int(m[3]))
        return (iso, "date") if iso else None
    if m := _DMY.match(value):
        iso = _iso(_year(m[3]), int(m[2]), int(m[1]))
        return (iso, "date") if iso else None
    if m := _D_MON_Y.match(value):
        month = _month(m[2])
        iso = _iso(_year(m[3]), month, int(m[1])) if month else None
        return (iso, "date") if iso else None
    if m := _MON_D_Y.match(value):
        month = _month(m[1])
        iso = _iso(int(m[3]), month, int(m[2])) if month else None
        return (iso, "date") if iso else None
    if m := _YMD.match(value):
        iso = _iso(int(m[1]), int(m[2]), int(m[3]))
        return (iso, "date") if iso else None
    if m := _YYYYMMDD.match(value):
        iso = _iso(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            return iso, "date"
    if m := _PERIOD.match(value):
        if 1900 < int(m[1]) < 2200 and 1 <= int(m[2]) <= 12:
            return f"{m[1]}-{m[2]}", "gYearMonth"
    return None


# ---------------------------------------------------------------- flags and codes

_TRUE = frozenset({"y", "yes", "true", "1", "gpc", "card", "pcard", "procurement card"})
_FALSE = frozenset({"n", "no", "false", "0", "inv", "invoice"})


@lru_cache(maxsize=1024)
def flag(raw: str) -> bool | None:
    """Yes/No style flags (``Y``, ``Yes``, ``GPC``...) -> bool, ``None`` if neither."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


@lru_cache(maxsize=1024)
def capital_or_revenue(raw: str) -> str | None:
    """``C``/``Capital`` -> ``"capital"``, ``R``/``Revenue`` -> ``"revenue"``."""
    value = raw.strip().lower()
    if value in {"c", "cap", "capital"}:
        return "capital"
    if value in {"r", "rev", "revenue"}:
        return "revenue"
    return None
