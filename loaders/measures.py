"""A council performance table nobody wrote a mapping for: its measure columns, found by content.

Councils and national bodies publish performance tables in one shape: one row per period
(and sometimes per area), then a column per measure ("ProportionPaidOnTime",
"Council Tax Collected (%)", "Number of Complaints"). A mapping can name each column's
indicator, measure and unit (``mappings/outcomes/prompt-payment.json``); for a table no
mapping knows, the ``outcomes-table`` mapping (``"sv:measureColumns": "numbers"``) binds
the period and area columns by their titles, and every other titled column whose cells
are numbers becomes a measure column (one titled as an identifier, "ID", "Ref", or as a
figure about another, "Target", "Rank", "Lower quartile", does not: it is listed as not loaded):

* its indicator is its title as published, less a unit in brackets, or read as words
  when it is one CamelCase name ("CouncilTaxCollectedPercent" -> "Council tax collected
  percent"), never a name we make up;
* its measure (``Percentage``, ``Count``, ``Amount``) only when a word of the title or
  the cells' per cent signs say so, and its unit (``Pounds sterling``) only when the title
  names the currency; else neither is stated (the shapes warn that the measure is missing);
* the load report lists each column with what it became (``file_notes``), so nothing
  is read into the table silently.

A table is only taken for a performance table when it is mostly numbers: a column of
text that no field reads (a supplier's name, a payment's description) outnumbering the
measure columns, or more than two of them, means it is something else, and this mapping
does not read it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from loaders.mapping import ColumnMap, Dialect
from loaders.periods import ABOUT_ANOTHER, title_period
from loaders.recognise import profiles
from loaders.words import Profile, title_words

#: A unit in brackets at a title's end: said by the measure and unit, not the indicator.
_UNIT = re.compile(r"\s*[\(\[]\s*(%|£|gbp|£s|pounds?|number|no\.?|count)\s*[\)\]]\s*$", re.IGNORECASE)

#: What a measure column's cells must mostly be: numbers (share of filled cells).
NUMBERS = 0.8
#: At most this many text columns that no field reads (notes, a comment) beside the measures.
TEXT_COLUMNS = 2
#: Title words that say which kind of statistic a column holds (first match wins).
STATISTICS = (
    ("Percentage", {"percent", "percentage", "proportion", "pct"}),
    ("Count", {"number", "count", "occasions", "cases"}),
    ("Amount", {"amount", "spent", "spend", "cost", "costs", "value", "gbp", "pounds"}),
    ("Rate", {"rate"}),
)
#: Title words that name the currency of an amount.
CURRENCY = {"gbp", "pounds", "sterling"}
#: Title words of a column that identifies a row ("ID", "Ref"): numbers, but no measure.
IDENTIFIERS = {"id", "code", "ref", "reference", "identifier", "uri", "url"}
MISSING = "a column of numbers (a measure)"


def indicator_label(title: str) -> str:
    """The indicator a column measures, as its title says it: a title written with spaces
    as published (less a unit in brackets: "Rent arrears (£)" -> "Rent arrears"); a
    CamelCase or snake_case name as words, the first capitalised."""
    text = " ".join(_UNIT.sub(" ", title).split())
    if " " in text:
        return text
    words = " ".join(title_words(title))
    return words[:1].upper() + words[1:]


def statistic(title: str) -> tuple[str | None, str | None]:
    """``(measure, unit)`` as the title's words state them, else ``None`` for each."""
    words = set(title_words(title))
    if "%" in title:
        return "Percentage", None
    measure = next((name for name, said in STATISTICS if words & said), None)
    unit = "Pounds sterling" if "£" in title or words & CURRENCY else None
    if unit and measure is None:
        measure = "Amount"
    return measure, unit


def _numbers(p: Profile) -> bool:
    return p.number >= NUMBERS and p.gss == 0 and p.date + p.period < 0.2


def discover(dialect: Dialect, header: list[str], sample: list[list[str]], fields: dict[str, int]) -> Dialect:
    """The dialect with one measure column per free column of numbers, and a requirement
    for at least one; unchanged but for that requirement when the table is not mostly
    numbers (so ``missing_fields`` refuses it and says why)."""
    taken = set(fields.values())
    columns: list[ColumnMap] = []
    text: list[str] = []
    names = {c.name for c in dialect.columns}
    found_all = profiles(header, sample, dialect.nulls)
    for index, title in enumerate(header):
        if index in taken or not title.strip():
            continue
        found = found_all[index]
        if set(title_words(title)) & (IDENTIFIERS | ABOUT_ANOTHER) or title_period(title):
            continue  # an identifier, a target or rank, a period ("2021/22"): listed among the columns not loaded
        if found.filled and not _numbers(found):
            text.append(title)
            continue
        name = "_".join(title_words(title)) or f"column_{index + 1}"
        while name in names:
            name += "_"
        names.add(name)
        measure, unit = statistic(title)
        if found.percent >= NUMBERS and measure is None:
            measure = "Percentage"  # "87.5%": the cells say so
        extra = {"sv:indicator": indicator_label(title), "sv:discovered": index}
        extra.update({k: v for k, v in (("sv:measure", measure), ("sv:unit", unit)) if v})
        columns.append(ColumnMap(name, (title,), "sdmx-measure:obsValue", "decimal",
                                 f"a column of numbers under {title!r}", extra))
    if len(text) > TEXT_COLUMNS or len(text) >= len(columns):
        columns = []
    required = tuple(dialect.required or ()) + ((tuple(c.name for c in columns) or (MISSING,)),)
    return replace(dialect, columns=dialect.columns + tuple(columns), required=required)


def bind_measures(table) -> None:
    """Give each discovered measure column its place in the table's fields."""
    for column in table.dialect.columns:
        if "sv:discovered" in column.extra:
            table.fields[column.name] = column.extra["sv:discovered"]
