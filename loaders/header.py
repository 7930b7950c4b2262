"""Finding the header row, and saying what is odd about a file's columns.

Councils put title lines, dates and notes above the header ("Spend over £500 - December
2013", a blank line, then the header). ``find_header`` looks at the first
``PREAMBLE_LIMIT`` non-blank records and takes the first one a dialect of the kind can
read; the records above it are the preamble, reported, never loaded. When none can be
read, the ``DialectError`` names the fields that are missing and the headers seen on the
row that came closest.

``header_notes`` and ``ColumnWatch`` describe the columns a publisher may not know are
there: names that appear twice (only the first is read), header cells left empty,
spacer columns (no name, no values), unnamed columns that hold values, and ragged rows
with more cells than the header.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from loaders.converters import header_key
from loaders.mapping import Dialect, DialectError, TableMap, bind, choose, dialects, missing_fields
from loaders.read import is_blank
from loaders.report import NOTE, WARNING, LoadIssue

#: How many non-blank records may come before the header.
PREAMBLE_LIMIT = 30


def find_header(kind: str, stream: Iterator[tuple[int, list[str]]], path: Path, dialect: Dialect | None = None
                ) -> tuple[TableMap, list[tuple[int, list[str]]]]:
    """``(table, preamble records)``: the header and the non-blank records above it.

    Reads the stream only up to the header, so the caller goes on with the data rows."""
    looked: list[tuple[int, list[str]]] = []
    try:
        for number, cells in itertools.islice(stream, PREAMBLE_LIMIT * 4):
            looked.append((number, cells))
            if is_blank(cells):
                continue
            try:
                table = choose(kind, cells, number, dialect)
            except DialectError:
                if sum(not is_blank(c) for _, c in looked) >= PREAMBLE_LIMIT:
                    break
                continue
            index = len(looked) - 1
            return table, [r for r in looked[:index] if not is_blank(r[1])]
    except UnicodeDecodeError as exc:
        raise DialectError(f"{path.name}: cannot decode the file ({exc}); save it as UTF-8 or Windows-1252",
                           missing=[], seen=[]) from exc
    rows = [(n, c) for n, c in looked if not is_blank(c)]
    if not rows:
        raise DialectError(f"{path.name}: the file is empty (no header row)", missing=[], seen=[])
    number, cells = max(rows, key=lambda r: (_matches(kind, r[1], dialect), -r[0]))
    try:
        choose(kind, cells, number, dialect)
    except DialectError as exc:
        where = f" (row {number})" if number != rows[0][0] else ""
        raise DialectError(f"{exc}{where}", missing=exc.missing, seen=exc.seen) from None
    raise AssertionError("unreachable: the best row was readable")  # pragma: no cover


def _matches(kind: str, cells: list[str], dialect: Dialect | None) -> int:
    """How many fields the best dialect binds on a row (to pick the row to complain about)."""
    return max((len(bind(d, cells).fields) - len(missing_fields(kind, bind(d, cells)))
                for d in ([dialect] if dialect else dialects(kind))), default=0)


def header_notes(table: TableMap, preamble: list[tuple[int, list[str]]]) -> list[LoadIssue]:
    """Notes on the header row itself: preamble, repeated names, empty header cells."""
    notes = []
    if preamble:
        first = next((c.strip() for c in preamble[0][1] if c.strip()), "")
        notes.append(LoadIssue(
            "preamble", NOTE, preamble[0][0], None, first,
            f"{len(preamble)} row(s) before the header (rows {preamble[0][0]}-{preamble[-1][0]}) were not read "
            f"as data; the header is row {table.header_row}.",
            "Nothing to do if these are titles or notes; a header on the first row is easiest for everyone."))
    keys = [header_key(h) for h in table.header]
    counts = Counter(k for k in keys if k)
    read = set(table.fields.values())
    for key, n in counts.items():
        if n > 1:
            positions = [i for i, k in enumerate(keys) if k == key]
            used = [i + 1 for i in positions if i in read]
            notes.append(LoadIssue(
                "duplicate-header", NOTE, table.header_row, table.header[positions[0]], None,
                f"The column name appears {n} times (columns {', '.join(str(i + 1) for i in positions)}); "
                + (f"only column {used[0]} is read." if used else "none of them is read."),
                "Give each column its own name, or pass --mapping to say which one holds what."))
    return notes


class ColumnWatch:
    """Watches unnamed columns and ragged rows while a file streams past."""

    def __init__(self, table: TableMap):
        self.width = len(table.header)
        self.unnamed = [i for i, h in enumerate(table.header) if not h.strip()]
        self.first_value: dict[int, tuple[int, str]] = {}
        self.header_row = table.header_row

    def row(self, number: int, cells: list[str]) -> list[LoadIssue]:
        """Problems of one record (a ragged row); remembers what unnamed columns hold."""
        for i in self.unnamed:
            if i < len(cells) and cells[i].strip() and i not in self.first_value:
                self.first_value[i] = (number, cells[i].strip())
        extra = [c.strip() for c in cells[self.width:] if c.strip()]
        if not extra:
            return []
        return [LoadIssue(
            "ragged-row", WARNING, number, f"(after column {self.width})", " | ".join(extra),
            f"The row has {len(cells)} cells but the header names {self.width}: the extra cells were not read, "
            "and the cells before them may be shifted.",
            "Put quotes around cells that contain commas, or name the extra column in the header.")]

    def notes(self) -> list[LoadIssue]:
        """After the last row: what each unnamed column turned out to be."""
        out = []
        for i in self.unnamed:
            if i in self.first_value:
                number, value = self.first_value[i]
                out.append(LoadIssue(
                    "unnamed-column", NOTE, number, f"(column {i + 1})", value,
                    f"Column {i + 1} has no name in the header but holds values (first on row {number}); "
                    "they were not read.",
                    "Give the column a name in the header row, or pass --mapping to say what it holds."))
            else:
                out.append(LoadIssue(
                    "spacer-column", NOTE, self.header_row, f"(column {i + 1})", None,
                    f"Column {i + 1} has no name and no values (a spacer column); it was ignored.", ""))
        return out
