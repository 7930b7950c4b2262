"""A mapping's ``datatype.format`` for dates and numbers, turned into a cell parser.

CSVW ("Metadata Vocabulary for Tabular Data", 6.4, formats for datatypes) lets a column
say how its values are written:

- dates and date-times by a Unicode (UAX #35) pattern: the spec's list (``yyyy-MM-dd``,
  ``yyyyMMdd``, ``dd-MM-yyyy``, ``d-M-yyyy``, ``MM-dd-yyyy``, ``M-d-yyyy``, ``dd/MM/yyyy``,
  ``d/M/yyyy``, ``MM/dd/yyyy``, ``M/d/yyyy``, ``dd.MM.yyyy``, ``d.M.yyyy``, ``MM.dd.yyyy``,
  ``M.d.yyyy``, with ``THH:mm:ss`` for date-times) and, as the spec allows, others built
  from the same fields plus month names (``d MMM yyyy``, ``MMMM yyyy``, ``yy``);
- numbers by ``{"decimalChar", "groupChar", "pattern"}`` (or a pattern string), the
  pattern written with the stated decimal and group characters (``#.##0,00`` with a
  decimal comma) or, equally, in the usual ``#,##0.00`` notation.

``parser(datatype, label)`` returns a function from the raw cell to the text the row
converters already read (an ISO date, a plain decimal such as ``-1234.50``: the digits
as published, never through a float), or ``None`` when the cell does not match the
format. ``apply`` runs a table's parsers over a row's values; a cell that does not match
is kept with a note of the format so that validation reports it instead of the loader
reading it another way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from loaders.csvw_dialect import CsvwError

DATE_BASES = {"date", "datetime", "dateTime", "dateTimeStamp", "gYearMonth"}
NUMBER_BASES = {"number", "decimal", "double", "float", "integer", "long", "int", "short",
                "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger"}

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_MONTH_BY_NAME = {name[:3]: i for i, name in enumerate(_MONTHS, 1)} | {n: i for i, n in enumerate(_MONTHS, 1)}
_MONTH_BY_NAME["sept"] = 9

#: Pattern fields: (letters, regex group).
_DATE_FIELDS = [
    ("yyyy", r"(?P<year>\d{4})"), ("yy", r"(?P<yy>\d{2})"),
    ("MMMM", r"(?P<monthname>[A-Za-z]{3,9})"), ("MMM", r"(?P<monthname>[A-Za-z]{3,4})"),
    ("MM", r"(?P<month>\d{2})"), ("M", r"(?P<month>\d{1,2})"),
    ("dd", r"(?P<day>\d{2})"), ("d", r"(?P<day>\d{1,2})"),
    ("HH", r"(?P<hour>\d{2})"), ("H", r"(?P<hour>\d{1,2})"),
    ("mm", r"(?P<minute>\d{2})"), ("ss", r"(?P<second>\d{2})"),
    # Time-zone designators as UAX #35 spells them (CSVW 1.1 §6.4.2): X = +hh or +hhmm, XX = +hhmm, XXX = +hh:mm.
    ("XXX", r"(?P<tz>Z|[+-]\d{2}:\d{2})"), ("XX", r"(?P<tz>Z|[+-]\d{4})"), ("X", r"(?P<tz>Z|[+-]\d{2}(?:\d{2})?)"),
]


def date_parser(pattern: str, label: str) -> Callable[[str], str | None]:
    """``"dd/MM/yyyy"`` -> a function ``"04/03/2021"`` -> ``"2021-03-04"`` (ISO; a month
    pattern gives ``"2021-03"``; a time keeps ``THH:MM:SS``)."""
    regex, i, seen = [], 0, set()
    while i < len(pattern):
        if pattern[i] == "'":  # quoted literal, e.g. 'T'
            end = pattern.find("'", i + 1)
            if end < 0:
                raise CsvwError(f"{label}: unclosed quote in the date format {pattern!r}")
            regex.append(re.escape(pattern[i + 1:end]))
            i = end + 1
            continue
        if pattern.startswith("S", i):  # fractions of a second
            j = i
            while j < len(pattern) and pattern[j] == "S":
                j += 1
            regex.append(r"\d{1,%d}" % (j - i))
            i = j
            continue
        for letters, group in _DATE_FIELDS:
            if pattern.startswith(letters, i):
                name = group.split(">")[0][4:]
                if name in seen or (name == "year" and "yy" in seen) or (name == "yy" and "year" in seen):
                    raise CsvwError(f"{label}: the date format {pattern!r} repeats a field")
                seen.add(name)
                regex.append(group)
                i += len(letters)
                break
        else:
            if pattern[i].isalpha():
                raise CsvwError(f"{label}: the date format {pattern!r} has a field the loader does not read "
                                f"({pattern[i]!r}); use y, M, d, H, m, s, S, X and literal separators")
            regex.append(re.escape(pattern[i]))
            i += 1
    if not ({"year", "yy"} & seen) or not ({"month", "monthname"} & seen):
        raise CsvwError(f"{label}: the date format {pattern!r} needs a year and a month")
    compiled = re.compile("^" + "".join(regex) + "$", re.IGNORECASE)
    has_day, has_time = "day" in seen, "hour" in seen

    def parse(raw: str) -> str | None:
        m = compiled.match(raw.strip())
        if not m:
            return None
        found = m.groupdict()
        year = int(found["year"]) if found.get("year") else 2000 + int(found["yy"])
        month = int(found["month"]) if found.get("month") else _MONTH_BY_NAME.get(found["monthname"].lower())
        if not month or not 1 <= month <= 12:
            return None
        if not has_day:
            return f"{year:04d}-{month:02d}"
        try:
            day = date(year, month, int(found["day"])).isoformat()
        except ValueError:
            return None
        if not has_time:
            return day
        hour, minute, second = int(found["hour"]), int(found.get("minute") or 0), int(found.get("second") or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        return f"{day}T{hour:02d}:{minute:02d}:{second:02d}" + (found.get("tz") or "")
    return parse


def number_parser(fmt, label: str) -> Callable[[str], str | None]:
    """A CSVW number format (pattern string or object) -> a function giving plain decimal text."""
    if isinstance(fmt, str):
        fmt = {"pattern": fmt}
    if not isinstance(fmt, dict):
        raise CsvwError(f"{label}: a number format is a pattern string or an object, not {fmt!r}")
    unknown = set(fmt) - {"decimalChar", "groupChar", "pattern"}
    if unknown:
        raise CsvwError(f"{label}: number format property {sorted(unknown)[0]!r} is not one the loader reads "
                        "(decimalChar, groupChar, pattern)")
    decimal, group = fmt.get("decimalChar", "."), fmt.get("groupChar")
    for name, char in (("decimalChar", decimal), ("groupChar", group)):
        if char is not None and (not isinstance(char, str) or len(char) != 1 or char.isdigit()):
            raise CsvwError(f"{label}.{name} must be one character (not a digit), not {char!r}")
    if group is not None and group == decimal:
        raise CsvwError(f"{label}: decimalChar and groupChar are both {decimal!r}")
    pattern = fmt.get("pattern")
    if pattern and group is None:  # in a pattern the group character defaults to "," (6.4.2)
        group = "," if decimal != "," else "."
    spec = _number_pattern(pattern, decimal, group, label) if pattern else None
    body = re.compile(r"^(?P<int>\d+(?:%s\d+)*)(?:%s(?P<frac>\d*))?$" % (
        re.escape(group) if group else "(?!)", re.escape(decimal)))

    def parse(raw: str) -> str | None:
        value = raw.strip().replace("\u00a0", " ")
        negative = False
        if spec and spec["neg"] and value.startswith(spec["neg"][0]) and value.endswith(spec["neg"][1]) \
                and len(value) > len(spec["neg"][0]) + len(spec["neg"][1]):
            value, negative = value[len(spec["neg"][0]):len(value) - len(spec["neg"][1]) or None], True
        if value[:1] in "+-":
            negative, value = (value[0] == "-") != negative, value[1:]
        if spec:
            prefix, suffix = spec["affix"]
            if not (value.startswith(prefix) and value.endswith(suffix)):
                return None
            value = value[len(prefix):len(value) - len(suffix) or None].strip()
        m = body.match(value)
        if not m:
            return None
        whole, frac = m["int"], m["frac"]
        if spec and not _fits(whole, frac, group, spec):
            return None
        digits = (whole.replace(group, "") if group else whole).lstrip("0") or "0"
        text = digits + (f".{frac}" if frac else "")
        return f"-{text}" if negative and text.strip("0.") else text
    return parse


def _number_pattern(pattern: str, decimal: str, group: str | None, label: str) -> dict:
    """Digits, grouping and affixes of a pattern such as ``#,##0.00;(#,##0.00)``."""
    if not isinstance(pattern, str):
        raise CsvwError(f"{label}.pattern must be a string, not {pattern!r}")
    positive, _, negative = pattern.partition(";")
    for dec, grp in ((decimal, group or ("," if decimal != "," else ".")), (".", ",")):  # the stated characters, else LDML's
        parsed = _subpattern(positive, dec, grp)
        if parsed:
            break
    else:
        raise CsvwError(f"{label}.pattern {pattern!r} is not a number pattern the loader reads "
                        "(digits 0 and #, one decimal and grouping characters, a literal prefix or suffix)")
    if any(c in positive for c in "%\u2030E"):
        raise CsvwError(f"{label}.pattern {pattern!r}: percent, per mille and exponents are not read")
    neg = None
    if negative:
        core = re.search(r"[0#].*[0#]|[0#]", negative)
        neg = (negative[:core.start()], negative[core.end():]) if core else None
        if neg and parsed["affix"] != ("", ""):
            neg = (neg[0].replace(parsed["affix"][0], "", 1), neg[1].replace(parsed["affix"][1], "", 1))
    return parsed | {"neg": neg}


def _subpattern(text: str, dec: str, grp: str) -> dict | None:
    m = re.fullmatch(r"(?P<pre>[^0#%s%s]*)(?P<int>[#%s]*0[0%s]*)(?:%s(?P<frac>0*#*))?(?P<suf>[^0#]*)" % (
        re.escape(dec), re.escape(grp), re.escape(grp), re.escape(grp), re.escape(dec)), text.strip())
    if not m:
        return None
    whole = m["int"]
    groups = whole.split(grp)
    frac = m["frac"] or ""
    return {"affix": (m["pre"].strip().strip("'"), m["suf"].strip().strip("'")),
            "min_int": whole.count("0"),
            "primary": len(groups[-1]) if len(groups) > 1 else 0,
            "secondary": len(groups[-2]) if len(groups) > 2 else (len(groups[-1]) if len(groups) > 1 else 0),
            "min_frac": frac.count("0"), "max_frac": len(frac)}


def _fits(whole: str, frac: str | None, group: str | None, spec: dict) -> bool:
    """Whether a value's digits and grouping are those the pattern allows."""
    frac = frac or ""
    if not spec["min_frac"] <= len(frac) <= spec["max_frac"]:
        return False
    parts = whole.split(group) if group else [whole]
    if len("".join(parts)) < spec["min_int"]:
        return False
    if len(parts) > 1:
        if not spec["primary"] or len(parts[-1]) != spec["primary"]:
            return False
        if any(len(p) != spec["secondary"] for p in parts[1:-1]) or not 1 <= len(parts[0]) <= spec["secondary"]:
            return False
    return True


def parser(datatype, label: str) -> Callable[[str], str | None] | None:
    """The parser for a column's CSVW datatype, or ``None`` when it states no format."""
    if not isinstance(datatype, dict) or "format" not in datatype:
        return None
    base, fmt = datatype.get("base", "string"), datatype["format"]
    if base in DATE_BASES:
        if not isinstance(fmt, str):
            raise CsvwError(f"{label}.format for a {base} must be a pattern string such as 'dd/MM/yyyy'")
        return date_parser(fmt, f"{label}.format")
    if base in NUMBER_BASES:
        return number_parser(fmt, f"{label}.format")
    raise CsvwError(f"{label}.format on a {base!r} column is not supported (formats are read for dates and "
                    "numbers only)")


def apply(parsers: Mapping[str, Callable[[str], str | None]], values: dict[str, str]) -> dict[str, str]:
    """A row's values with each formatted field as the converters read it.

    A cell that does not match its format is kept, followed by a note of the format,
    so that no converter can read it another way and validation reports it."""
    out = dict(values)
    for name, parse in parsers.items():
        raw = out.get(name)
        if raw is None:
            continue
        parsed = parse(raw)
        out[name] = parsed if parsed is not None else f"{raw.strip()} (does not match the mapping's format)"
    return out
