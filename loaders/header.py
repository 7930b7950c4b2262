"""Finding the header row, and saying what is odd about a file's columns.

Councils put title lines, dates and notes above the header ("Spend over £500 - December
2013", a blank line, then the header). ``find_header`` looks at the first
``PREAMBLE_LIMIT`` non-blank records and takes the first one a dialect of the kind can
read (or, with the record next to it, a header written over two rows:
``loaders.title_rows``); the records above it are the preamble, reported, never loaded.
When none can be read, the ``DialectError`` names the fields that are missing and the
headers seen on the row that came closest.

``header_notes`` and ``ColumnWatch`` describe the columns a publisher may not know are
there: names that appear twice (only the first is read), header cells left empty,
spacer columns (no name, no values), unnamed columns that hold values, and ragged rows
with more cells than the header.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from loaders.converters import header_key
from loaders.mapping import Dialect, DialectError, TableMap, bind, choose, dialects, missing_fields
from loaders.read import is_blank
from loaders.recognise import RECOGNISED_KINDS
from loaders.report import NOTE, WARNING, LoadIssue
from loaders.title_rows import holds_data, title_evidence, two_title_rows

#: How many non-blank records may come before the header.
PREAMBLE_LIMIT = 30
#: How many data rows under a candidate header are looked at to recognise columns by content.
SAMPLE_ROWS = 100
#: How many ragged rows a report names (all are counted).
RAGGED_SHOWN = 5


def find_header(kind: str, stream: Iterator[tuple[int, list[str]]], path: Path, dialect: Dialect | None = None,
                reread: Callable[[], Iterator[tuple[int, list[str]]]] | None = None,
                ) -> tuple[TableMap, list[tuple[int, list[str]]], Iterator[tuple[int, list[str]]]]:
    """``(table, preamble records, the records after the header)``.

    The first records are read ahead so that each candidate header is judged with the
    data rows under it (content counts, not only titles). Candidates are tried in order of
    how much their cells sound like titles (for kinds recognised by content), else in file
    order; the first one that yields every required field is the header.

    Files are often sorted (by supplier, by date), so the first rows may show one
    supplier only. When a key field is still unplaced and ``reread`` can read the file
    again, the columns are judged once more on rows spread through the whole file."""
    looked: list[tuple[int, list[str]]] = []
    failure: UnicodeDecodeError | None = None
    try:
        for record in itertools.islice(stream, PREAMBLE_LIMIT * 4 + SAMPLE_ROWS):
            looked.append(record)
    except UnicodeDecodeError as exc:
        if not any(not is_blank(c) for _, c in looked):
            raise DialectError(f"{path.name}: cannot decode the file ({exc}); save it as UTF-8 or Windows-1252",
                               missing=[], seen=[]) from exc
        failure = exc  # raised when the stream reaches it, as it would have been
    candidates = [(pos, n, c) for pos, (n, c) in enumerate(looked[:PREAMBLE_LIMIT * 4]) if not is_blank(c)]
    candidates = candidates[:PREAMBLE_LIMIT]
    if not candidates:
        raise DialectError(f"{path.name}: the file is empty (no header row)", missing=[], seen=[])
    content = kind in RECOGNISED_KINDS

    def sample(pos: int) -> list[list[str]] | None:
        return [c for _, c in looked[pos + 1:] if not is_blank(c)][:SAMPLE_ROWS] if content else None

    ranked = sorted(candidates, key=lambda r: (-title_evidence(kind, r[2], dialect), r[0])) if content else candidates
    for pos, number, cells in ranked:
        if content and holds_data(cells):
            continue  # a payment, not a header: read as one, its line would be lost to the preamble
        try:
            table = choose(kind, cells, number, dialect, sample(pos))
        except DialectError:
            table = None
        first = pos
        if content:  # or is the header written over this row and the next (or the last)?
            table, first, pos = two_title_rows(kind, table, pos, looked, dialect, sample)
        if table is None:
            continue
        cells, number = table.header, table.header_row
        if content and reread and failure is None and _unplaced(table):
            try:
                table = choose(kind, cells, number, dialect, spread_sample(reread(), number))
            except (DialectError, UnicodeDecodeError):
                pass  # keep what the first rows gave
        preamble = [r for r in looked[:first] if not is_blank(r[1])]
        return table, preamble, itertools.chain(looked[pos + 1:], _then_raise(failure), stream)
    if content:
        pos, number, cells = ranked[0]
        if holds_data(cells):  # the row most like a header is a payment line: there is no header
            first, shown = candidates[0][1], [c for c in candidates[0][2] if c.strip()]
            raise DialectError(
                f"{path.name}: no header row: the rows where it would be hold data (row {first}: "
                f"{', '.join(repr(c) for c in shown)[:200]}); add the header row the file lacks, or pass a CSVW "
                "mapping with --mapping whose dialect says header: false and whose columns name each one",
                missing=[], seen=shown)
        if reread and failure is None:
            try:
                spread = spread_sample(reread(), number)
                sample = lambda _pos: spread  # noqa: E731 (the whole file, for the refusal too)
            except UnicodeDecodeError:
                pass
    else:
        pos, number, cells = max(candidates, key=lambda r: (_matches(kind, r[2], dialect), -r[1]))
    try:
        table = choose(kind, cells, number, dialect, sample(pos))
        preamble = [r for r in looked[:pos] if not is_blank(r[1])]
        return table, preamble, itertools.chain(looked[pos + 1:], _then_raise(failure), stream)
    except DialectError as exc:
        where = f" (row {number})" if number != candidates[0][1] else ""
        raise DialectError(f"{exc}{where}", missing=exc.missing, seen=exc.seen) from None


#: Fields whose absence sends recognition back to rows spread through the file.
KEY_FIELDS = (("net_amount",), ("date", "period"), ("supplier_name",))
SPREAD_ROWS = 2000


def _unplaced(table: TableMap) -> bool:
    free = set(range(len(table.header))) - set(table.fields.values())
    return bool(free) and any(not any(f in table.fields for f in group) for group in KEY_FIELDS
                              if any(table.dialect.column(f) for f in group))


def spread_sample(stream: Iterator[tuple[int, list[str]]], header_row: int, size: int = SPREAD_ROWS
                  ) -> list[list[str]]:
    """About ``size`` non-blank records after the header, evenly spread through the file
    (every k-th, k doubling as the file turns out longer), in one pass."""
    kept: list[list[str]] = []
    step = 1
    seen = 0
    for number, cells in stream:
        if number <= header_row or is_blank(cells):
            continue
        if seen % step == 0:
            kept.append(cells)
            if len(kept) >= 2 * size:
                kept = kept[::2]
                step *= 2
        seen += 1
    return kept


def _then_raise(failure: Exception | None) -> Iterator:
    if failure is not None:
        raise failure
    yield from ()


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
    if table.joined_row is not None:
        notes.append(LoadIssue(
            "header-two-rows", NOTE, table.header_row, None, None,
            f"The header is written across rows {table.joined_row} and {table.header_row} (merged cells); each "
            f"column's titles were joined: {', '.join(repr(t) for t in table.header if t)}.",
            "Nothing to do if those are the columns; a header on one row is easiest for everyone."))
    notes += recognition_notes(table)
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


def recognition_notes(table: TableMap) -> list[LoadIssue]:
    """One note per field whose column was placed by title words or content (not by a
    title the mappings know), or chosen over competing columns: which, why, how to override."""
    out = []
    for d in table.decisions:
        if d.how == "known title" and not d.rejected and not d.noted:
            continue
        over = f" Taken over {'; '.join(d.rejected)}." if d.rejected else ""
        out.append(LoadIssue(
            "column-recognised", NOTE, table.header_row, table.title(d.field), None,
            f"{d.field} is read from {d.label}, recognised by its {d.how} ({d.why}).{over}",
            f"If that is not the {d.field.replace('_', ' ')}, pass --mapping with a CSVW file whose column "
            f"titled {d.title.strip() or '(its title)'!r} names the right field (see docs/dialects-and-mappings.md)."))
    return out


class ColumnWatch:
    """Watches unnamed columns and ragged rows while a file streams past."""

    def __init__(self, table: TableMap):
        self.width = len(table.header)
        read = set(table.fields.values())  # an untitled column placed by its content is read
        self.unnamed = [i for i, h in enumerate(table.header) if not h.strip() and i not in read]
        self.first_value: dict[int, tuple[int, str]] = {}
        self.header_row = table.header_row
        self.ragged = 0
        self.ragged_rows: list[tuple[int, int, str]] = []

    def row(self, number: int, cells: list[str]) -> list[LoadIssue]:
        """Watch one record: remember what unnamed columns hold and which rows are ragged.

        A ragged row is reported once for the whole file (``notes``), with a count and
        the first rows, not once per row: one cause (an unquoted comma, a trailing
        column) usually repeats on thousands of rows."""
        for i in self.unnamed:
            if i < len(cells) and cells[i].strip() and i not in self.first_value:
                self.first_value[i] = (number, cells[i].strip())
        if len(cells) > self.width:
            extra = [c.strip() for c in cells[self.width:] if c.strip()]
            if extra:
                self.ragged += 1
                if len(self.ragged_rows) < RAGGED_SHOWN:
                    self.ragged_rows.append((number, len(cells), " | ".join(extra)))
        return []

    def _ragged_note(self) -> list[LoadIssue]:
        if not self.ragged:
            return []
        number, width, value = self.ragged_rows[0]
        rows = ", ".join(str(n) for n, _, _ in self.ragged_rows) + (", ..." if self.ragged > RAGGED_SHOWN else "")
        return [LoadIssue(
            "ragged-row", WARNING, number, f"(after column {self.width})", value,
            f"{self.ragged} row(s) have more cells than the {self.width} the header names (rows {rows}; "
            f"row {number} has {width}): the extra cells were not read, and the cells before them may be shifted.",
            "Put quotes around cells that contain commas, or name the extra column in the header.")]

    def notes(self) -> list[LoadIssue]:
        """After the last row: ragged rows (one warning), what each unnamed column turned out to be."""
        out = self._ragged_note()
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
