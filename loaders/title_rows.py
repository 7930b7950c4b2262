"""Which rows of a file are titles: how much a row sounds like a header, whether it holds
data, and a header written across two rows.

``loaders.header`` ranks the first rows of a file by ``title_evidence`` and never takes a
row that ``holds_data`` for its header (its payment would be lost to the preamble). A
spreadsheet with merged title cells, saved as CSV, writes its header over two rows
("Supplier" over "Name" and "Number"); ``two_title_rows`` joins them when the join reads
better than either row alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.converters import header_key, money, payment_date
from loaders.mapping import Dialect, DialectError, TableMap, choose, dialects
from loaders.read import is_blank
from loaders.words import word_score, word_table


def title_evidence(kind: str, cells: list[str], dialect: Dialect | None) -> float:
    """How much a row sounds like a header: its cells that are known titles (two points
    each) or hold a field's title words (one point each), less one for each cell that is
    a sum of money or a date (as data rows' cells are; a year, a small number or a month
    may be a title: a table with a column per year is titled "2021", "2022")."""
    known = _known_titles(kind, dialect)
    fields = [f for f in word_table() if not f.startswith("*")]
    score = 0.0
    for cell in cells:
        if not cell.strip() or len(cell) > 80:
            continue
        if _may_title(cell.strip()):
            continue
        if money(cell) is not None or payment_date(cell) is not None:
            score -= 1  # a sum or a date: a data row, not a title
        elif header_key(cell) in known:
            score += 2
        elif any(word_score(f, cell)[0] > 0 for f in fields):
            score += 1
    return score


def holds_data(cells: list[str]) -> bool:
    """Whether a row holds data, not titles: two or more cells that are dates or sums of
    money. A cell that may be a title does not count: a year (1900-2099) or a number of one
    or two digits ("2021", "1"), a month ("Apr-22", "2022-05": a table with a column per
    month); a sum such as "1140" or a day such as "12/04/2023" does."""
    found = 0
    for cell in cells:
        text = cell.strip()
        if not text or _may_title(text):
            continue
        if payment_date(text) is not None or money(text) is not None:
            found += 1
            if found == 2:
                return True
    return False


#: Bare whole numbers that may be column titles: years and small ordinals.
_TITLE_NUMBER = re.compile(r"^(\d{1,2}|19\d\d|20\d\d)$")


def _may_title(text: str) -> bool:
    """A year, a small number or a month: a column's title as often as a cell's value."""
    if _TITLE_NUMBER.match(text):
        return True
    parsed = payment_date(text)
    return parsed is not None and parsed[1] == "gYearMonth" and money(text) is None


@lru_cache(maxsize=64)
def _known_titles(kind: str, dialect: Dialect | None) -> frozenset[str]:
    return frozenset(header_key(t) for d in ([dialect] if dialect else dialects(kind)) for c in d.columns
                     for t in c.titles)


def two_title_rows(kind: str, table: TableMap | None, pos: int, looked: list, dialect: Dialect | None, sample
                    ) -> tuple[TableMap | None, int, int]:
    """A header written across two rows, as a spreadsheet with merged cells exports it
    ("Supplier" over "Name" and "Number"; "Payment" over "Date"): the row found and the
    row above or below it, joined column by column, when that binds more fields than the
    row alone (or the row alone binds too little: ``table`` is ``None``); of two joins, the
    one binding more, whose titles the mappings know better, or with fewer repeated titles.
    ``(table, index of the first title row, of the last)`` in ``looked``.

    Only a row holding no data (no sum, no date) is tried, so a payment is never taken for
    titles, and a supplier list's first row of names binds nothing more. A blank top cell
    is tried both ways: blank, and as the group title to its left (a merged cell). The
    report says the header spans both rows (``header_notes``)."""
    best, first, last = table, pos, pos
    alone = len(table.fields) if table else 0
    score = (alone, title_evidence(kind, table.header, dialect), _distinct(table.header)) if table else (-1, 0.0, 0)
    filled = [i for i, (_, c) in enumerate(looked) if not is_blank(c)]
    at = filled.index(pos)
    for top, bottom in ((filled[at - 1] if at else None, pos), (pos, filled[at + 1] if at + 1 < len(filled) else None)):
        if top is None or bottom is None:
            continue
        other = looked[bottom if top == pos else top][1]
        if not _title_row(other):
            continue
        for merged in (False, True):
            titles = join_titles(looked[top][1], looked[bottom][1], merged)
            try:
                joined = choose(kind, titles, looked[bottom][0], dialect, sample(bottom))
            except DialectError:
                continue
            found = (len(joined.fields), title_evidence(kind, titles, dialect), _distinct(titles))
            # the row below a header is a row of data unless taken for titles: joined if it
            # binds as much and its titles are better known; a row above must bind more
            if found > score and len(joined.fields) >= alone + (best is table and top != pos):
                best, first, last, score = joined, top, bottom, found
                joined.joined_row = looked[top][0]
                joined.title_rows = (looked[top][1], looked[bottom][1])
    return best, first, last


def _distinct(titles: list[str]) -> int:
    """How many different titles a header has ("Area", "Area" over "Code", "Name": one alone)."""
    return len({header_key(t) for t in titles if t.strip()})


def _title_row(cells: list[str]) -> bool:
    """Might the row be titles? Two cells or more, none a sum or a date (the join decides)."""
    filled = [c for c in cells if c.strip()]
    return len(filled) >= 2 and not any(money(c) is not None or payment_date(c) is not None for c in filled)


def join_titles(top: list[str], bottom: list[str], merged: bool) -> list[str]:
    """Two title rows as one: ``"Supplier" + "Name"`` -> ``"Supplier Name"`` column by column;
    with ``merged``, a blank top cell over a filled one takes the nearest top title to its left."""
    width = max(len(top), len(bottom))
    top, bottom = top + [""] * (width - len(top)), bottom + [""] * (width - len(bottom))
    out, group = [], ""
    for upper, lower in zip(top, bottom):
        if upper.strip():
            group = upper.strip()
        elif merged and lower.strip():
            upper = group
        out.append(" ".join(part for part in (upper.strip(), lower.strip()) if part))
    return out
