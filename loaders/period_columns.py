"""An outcome table with a column per period: "Indicator, 2019/20, 2020/21, 2021/22".

Councils' performance reports and national comparator tables are often published wide:
one row per indicator (and per area), then one column per year, quarter or month, with a
*Target* or *Polarity* column beside them. Nobody wrote a mapping for each; the
``outcomes-by-period`` mapping (``"sv:measureColumns": "periods"``) binds the indicator,
measure, unit and area columns by their titles and content, and every other column whose
**title reads as a period** and whose cells are numbers becomes a column of values:

* each filled cell is one observation ``{dataset}/obs/{row}/{column}``, its period the one
  the title names (``loaders.periods``: ``2021/22`` is the government year, ``Q1 2022/23``
  its first quarter, ``Apr-22`` a month), its indicator, measure and unit the row's own;
* a title may add a word for the figure observed (``2021/22 Actual``, ``Outturn 2020-21``,
  ``2022/23 (%)``); a title naming a figure that is *not* an observation (``2022/23
  Target``, ``Forecast``, ``Budget``) is no period column and is listed among the columns
  not loaded, so a target is never read as a result;
* the load report lists each period column with the period it became (``outcomes.file_notes``).

The period is read from the title only when the title is nothing else: "2022/23 Budget
Holder" or "Spend 2021" are not periods. A table with no column that names what is
measured (an indicator or measure column) is refused: its values would be numbers of
nothing, and no name is ever made up for them.
"""

from __future__ import annotations

from dataclasses import replace

from loaders.mapping import ColumnMap, Dialect
from loaders.measures import statistic
from loaders.periods import title_period
from loaders.recognise import profiles
from loaders.words import Profile, title_words

#: What a column of values' cells must mostly be: numbers (share of filled cells).
NUMBERS = 0.8
MISSING = "a column per period (titled as a period: '2021/22', 'Q1 2022/23', 'Apr-22')"


def _values(p: Profile) -> bool:
    return not p.filled or (p.number >= NUMBERS and p.gss == 0 and p.date < 0.2)


def discover(dialect: Dialect, header: list[str], sample: list[list[str]], fields: dict[str, int]) -> Dialect:
    """The dialect with one column of values per free column titled by a period, and a
    requirement for at least one (``missing_fields`` refuses a table without and says why)."""
    taken = set(fields.values())
    found_all = profiles(header, sample, dialect.nulls)
    names = {c.name for c in dialect.columns}
    columns: list[ColumnMap] = []
    for index, title in enumerate(header):
        if index in taken or not title.strip() or (period := title_period(title)) is None:
            continue
        if not _values(found_all[index]):
            continue  # a column of text under a period's title: listed among the columns not loaded
        name = "period_" + ("_".join(title_words(title)) or str(index + 1))
        while name in names:
            name += "_"
        names.add(name)
        measure, unit = statistic(title) if "%" in title or "£" in title else (None, None)
        extra = {"sv:period": title, "sv:discovered": index}
        extra.update({k: v for k, v in (("sv:measure", measure), ("sv:unit", unit)) if v})
        columns.append(ColumnMap(name, (title,), "sdmx-measure:obsValue", "decimal",
                                 f"the values for {period.label} under {title!r}", extra))
    required = tuple(dialect.required or ()) + ((tuple(c.name for c in columns) or (MISSING,)),)
    return replace(dialect, columns=dialect.columns + tuple(columns), required=required)


def describe(columns: list[ColumnMap]) -> tuple[str, str]:
    """The load report's note on the period columns found: what each title became, and how
    to say otherwise. ``(message, fix)``."""
    said = "; ".join(f"{c.titles[0]!r} -> {_period_said(c.titles[0])}" for c in columns)
    return (f"{len(columns)} column(s) titled by a period read as that period's values: {said}. Each filled cell "
            "is one observation of its row's indicator, measure and unit.",
            "To read a column otherwise, give a --mapping that names the table's columns; a column of targets or "
            "forecasts is never read as values (its title says so).")


def _period_said(title: str) -> str:
    found = title_period(title)
    return f"{found.start} to {found.end}" if found else "no period"
