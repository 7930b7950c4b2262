"""CSV -> RDF for council files. Knows nothing of Flask or of the store.

``open_source(kind, path, base=..., publisher=...)`` reads the header, chooses the
dialect mapping, recognises the council and returns a ``SourceFile`` whose ``events()``
stream, one record at a time, either the triples of a row or the reason it was
skipped. Validation and writing are the caller's business (``catalogue.ingest``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from catalogue import iris
from loaders import contracts, formats, framework, grants, outcomes, spend, suppliers
from loaders.converters import slug
from loaders.councils import NOT_STATED, Council, UnknownCouncil, namings, register, unnamed_bodies
from loaders.date_columns import settle_order
from loaders.header import ColumnWatch, find_header, header_notes
from loaders.limits import DEFAULT as DEFAULT_LIMITS
from loaders.limits import FileRefused, Limits
from loaders.mapping import Dialect, DialectError, TableMap, fields_by_property, user_dialect
from loaders.read import FileInfo, Records, is_blank, records, sniff
from loaders.report import LoadIssue, LoadReport
from loaders.registers import charities as charity_register
from loaders.registers import companies_house, ocds, postcodes
from loaders.registers import publisher_iri
from loaders.terms import Triple

__all__ = [
    "KINDS", "SourceFile", "RowEvent", "SkipEvent", "open_source", "LoadError",
    "DialectError", "UnknownCouncil", "LoadReport", "FileRefused", "Limits", "read_header",
]

#: The module that reads each kind's files: make_context, preamble, skip_reason,
#: row_to_triples, SHAPES and FIELDS_FOR_PATH. Which kinds exist, and which are council
#: files or registers, is the ontology's to say (``catalogue.kinds``); a test keeps the two equal.
KINDS: dict[str, ModuleType] = {"spend": spend, "suppliers": suppliers, "contracts": contracts,
                               "grants": grants, "outcomes": outcomes,
                               "framework": framework,
                               # official registers (loaders/registers): published by their register body
                               "companies-house": companies_house, "charities": charity_register,
                               "postcodes": postcodes, "ocds": ocds}

#: How many data rows to look at to recognise the council from body columns.
DETECT_ROWS = 50


class LoadError(ValueError):
    """A file that cannot be read at all (no dialect, unknown council, bad encoding)."""


class RowEvent(NamedTuple):
    row: int
    values: dict[str, str]
    subject: str
    triples: list[Triple]
    related: list[tuple[str, tuple[Triple, ...]]]
    facts: dict | None = None  # what the row adds to summaries (see common.RowTriples)
    problems: tuple = ()  # LoadIssues found reading the record itself (a ragged row)
    cells: tuple = ()  # the record as published (for digests and reports)


class SkipEvent(NamedTuple):
    row: int
    reason: str
    cells: list[str]


@dataclass
class SourceFile:
    """One council file, opened and understood, ready to stream."""

    kind: str
    info: FileInfo
    table: TableMap
    council: Council
    base: str
    key: str  # dataset key: slug of the file name
    dataset: str  # dataset IRI
    source: str  # source file IRI
    handler: ModuleType
    _records: Iterator[tuple[int, list[str]]] = field(repr=False)
    preamble_rows: list[tuple[int, list[str]]] = field(default_factory=list, repr=False)
    watch: ColumnWatch | None = field(default=None, repr=False)
    reader: Records | None = field(default=None, repr=False)
    sheet: str | None = None  # the sheet read, for a spreadsheet
    #: Warnings about the publisher: the file names another council than --publisher.
    council_notes: list[LoadIssue] = field(default_factory=list, repr=False)

    def notes(self) -> list[LoadIssue]:
        """What a publisher may want to know about the file's header and columns (after
        ``events()`` has run, so that unnamed columns are known to be empty or not)."""
        own = getattr(self.handler, "file_notes", None)  # what a kind says about the columns it leaves
        return (self.council_notes + header_notes(self.table, self.preamble_rows) + (own(self.table) if own else [])
                + (self.watch.notes() if self.watch else []) + (self.reader.notes() if self.reader else []))

    @property
    def publisher(self) -> str:
        """The dataset's publisher IRI: the council, or the register body for a register."""
        return publisher_iri(self.base, self.council)

    @property
    def filename(self) -> str:
        return self.info.path.name

    def column_for(self, path: str, values: dict | None = None, value: str | None = None) -> str | None:
        """The header (as published) that a SHACL result on ``path`` came from.

        The candidate fields are those whose mapping column feeds ``path``, unless the kind's
        ``FIELDS_FOR_PATH`` names others (or a function of the row's values that does): for
        a path no column feeds, or fed through another (a record's ``sv:recordedBy``). With
        the row's values, a field whose cell holds the offending value, else one that is
        filled, is preferred over an empty one.
        """
        names = self.handler.FIELDS_FOR_PATH.get(path)
        if names is None:
            names = fields_by_property(self.table.dialect).get(path, ())
        if callable(names):
            names = names(values or {})
        titled = [(name, title) for name in names if (title := self.table.title(name))]
        if values:
            if value is not None:
                for name, title in titled:
                    if (values.get(name) or "").strip() == value:
                        return title
            for name, title in titled:
                if values.get(name):
                    return title
        return titled[0][1] if titled else None

    def preamble(self, ctx) -> list[Triple]:
        return self.handler.preamble(ctx)

    def events(self) -> Iterator[RowEvent | SkipEvent]:
        """Every record after the header, in order, as a row of triples or a skip."""
        ctx = self.context()
        to_triples = self.handler.row_to_triples
        skip_reason = self.handler.skip_reason
        values_of = self.table.values
        self.watch = watch = ColumnWatch(self.table)
        # A mapping's datatype.format: its fields' cells become the text the converters read.
        parsers = {c.name: c.format for c in self.table.dialect.columns
                   if c.format is not None and c.name in self.table.fields}
        header_again = _HeaderAgain(self.table.header, *self.table.title_rows)
        for number, cells in self._records:
            if is_blank(cells):
                yield SkipEvent(number, "blank row" if not cells else "all cells empty", cells)
                continue
            if header_again(cells):
                yield SkipEvent(number, HEADER_AGAIN, cells)
                continue
            problems = watch.row(number, cells)
            values = values_of(cells)
            if parsers:
                values = formats.apply(parsers, values)
            reason = skip_reason(values, cells)
            if reason:
                yield SkipEvent(number, reason, cells)
                continue
            result = to_triples(values, number, ctx)
            yield RowEvent(number, values, result.subject, result.triples, result.related, result.facts,
                           tuple(problems), tuple(cells))

    def context(self):
        return self.handler.make_context(self.base, self.council, self.dataset, self.source, self.table)


def open_source(kind: str, path: str | Path, *, base: str, publisher: str | None = None,
                mapping: str | Path | None = None, dataset_key: str | None = None,
                sheet: str | None = None, limits: Limits | None = None,
                publisher_url: str | None = None) -> SourceFile:
    """Sniff a file, bind its header to a dialect and find its council.

    ``sheet`` picks a spreadsheet's sheet (a name or 1-based number; default the first
    sheet with a header); ``limits`` are the caps the file is read under."""
    if kind not in KINDS:
        raise LoadError(f"unknown kind {kind!r}: choose one of {', '.join(sorted(KINDS))}")
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    handler = KINDS[kind]
    if publisher and hasattr(handler, "PUBLISHER"):
        raise LoadError(f"{path.name}: a {kind} file is published by {handler.PUBLISHER.name}, not a council: "
                        f"leave out --publisher")
    dialect: Dialect | None = user_dialect(kind, Path(mapping)) if mapping else None
    limits = limits or DEFAULT_LIMITS
    if hasattr(handler, "PUBLISHER"):  # an official register: its published size, not a council file's
        limits = limits.for_register()
    info, stream, table, preamble_rows, sheet = read_header(kind, path, dialect, sheet, limits)
    lookahead = list(itertools.islice(stream, DETECT_ROWS))
    if hasattr(handler, "PUBLISHER"):
        council, council_notes = handler.PUBLISHER, []
    else:
        council, council_notes = council_and_notes(publisher, table, lookahead, path, preamble_rows,
                                                   publisher_url=publisher_url,
                                                   optional=getattr(handler, "PUBLISHER_OPTIONAL", False))
    key = dataset_key or slug(path.stem, 80)
    base = iris.normalise_base(base)
    return SourceFile(
        kind=kind, info=info, table=table, council=council, base=base, key=key,
        dataset=iris.dataset(base, council.gss, kind, key),
        source=iris.source_file(base, council.gss, kind, key, slug(path.stem, 80) + path.suffix.lower()),
        handler=handler,
        _records=itertools.chain(lookahead, stream),
        preamble_rows=preamble_rows,
        reader=stream,
        sheet=sheet,
        council_notes=council_notes,
    )


#: The reason a row that repeats the header is skipped.
HEADER_AGAIN = "the header row again: files or pages joined one after another"


class _HeaderAgain:
    """Is a row the header once more? Files made by joining monthly extracts, or a report
    exported page by page, repeat the header row part way down; each such row is skipped
    and listed (the report's skipped rows), never read as a payment with "Date" for its
    date. A header over two rows may be repeated so too: either of its rows is the header
    again. The first titled cell is compared first, so a row costs a string comparison or two."""

    def __init__(self, header: list[str], *title_rows: list[str]):
        self.headers = [titled for row in (header, *title_rows)
                        if len(titled := [(i, t.strip().casefold()) for i, t in enumerate(row) if t.strip()]) >= 2]

    def __call__(self, cells: list[str]) -> bool:
        return any(self._again(titled, cells) for titled in self.headers)

    @staticmethod
    def _again(titled: list[tuple[int, str]], cells: list[str]) -> bool:
        first, title = titled[0]
        if first >= len(cells) or cells[first].strip().casefold() != title:
            return False
        same = sum(i < len(cells) and cells[i].strip().casefold() == t for i, t in titled)
        return same >= 0.8 * len(titled)


class _Rows:
    """The records after the header (some read ahead by ``find_header``), with the notes of
    the reader they come from (control characters removed and the like)."""

    def __init__(self, rows: Iterator[tuple[int, list[str]]], reader: Records):
        self._rows, self._reader = rows, reader

    def __iter__(self):
        return self

    def __next__(self) -> tuple[int, list[str]]:
        return next(self._rows)

    def notes(self) -> list[LoadIssue]:
        notes = getattr(self._reader, "notes", None)
        return notes() if notes else []


def read_header(kind: str, path: Path, dialect: Dialect | None, sheet: str | None, limits: Limits):
    """``(info, records, table, preamble, sheet)``: the file opened up to its header row.

    A workbook without ``sheet`` is read from its first sheet that has a header for the
    kind. Where the mapping's dialect says where the header is (``header``,
    ``headerRowCount``, ``skipRows``), the header must be there."""
    from loaders import spreadsheet

    csv_dialect = dialect.csv if dialect is not None else None
    info = sniff(path, limits, csv_dialect.encoding if csv_dialect else None)
    if info.format == "csv":
        sheets: list[str | None] = [None]
    elif sheet:
        sheets = [spreadsheet.choose_sheet(info, sheet)]
    else:
        sheets = spreadsheet.sheet_names(info) or [None]
    first_error = None
    for name in sheets:
        handler = KINDS.get(kind)
        if hasattr(handler, "records"):  # a register's own reader (tab-separated, JSON)
            reader, reread = handler.records(info), (lambda: handler.records(info))
        else:
            reader = records(info, csv_dialect, limits, name)
            reread = (lambda name=name: records(info, csv_dialect, limits, name))
        try:
            table, preamble_rows, rows = find_header(kind, reader, path, dialect, reread=reread)
            table, ahead = settle_order(table, [], rows)  # a date column's order, where the first rows did not tell
            stream = _Rows(itertools.chain(ahead, rows), reader)
        except DialectError as exc:
            if len(sheets) > 1:
                first_error = first_error or exc
                continue
            raise
        if csv_dialect is not None and csv_dialect.fixes_header and preamble_rows:
            raise DialectError(
                f"{path.name}: the mapping's dialect puts the header on the first row after skipRows "
                f"({csv_dialect.skip_rows}), but that row is not a header for {kind} (the first readable header "
                f"is row {table.header_row}); correct skipRows/headerRowCount in the mapping",
                missing=[], seen=list(table.header))
        return info, stream, table, preamble_rows, name
    raise DialectError(f"{path.name}: no sheet of the workbook ({', '.join(repr(s) for s in sheets)}) has a header "
                       f"for {kind}; the first sheet says: {first_error}. Pass --sheet to choose one.",
                       missing=first_error.missing, seen=first_error.seen)


def _council(publisher: str | None, table: TableMap, rows: list[tuple[int, list[str]]], path: Path,
             preamble: list[tuple[int, list[str]]] = ()) -> Council:
    """The publishing council (see ``council_and_notes``; "not stated" for a kind that may go without)."""
    handler = KINDS.get(getattr(table.dialect, "kind", ""))
    return council_and_notes(publisher, table, rows, path, preamble,
                             optional=getattr(handler, "PUBLISHER_OPTIONAL", False))[0]


def council_and_notes(publisher: str | None, table: TableMap, rows: list[tuple[int, list[str]]], path: Path,
                      preamble: list[tuple[int, list[str]]] = (), *, publisher_url: str | None = None,
                      optional: bool = False) -> tuple[Council, list[LoadIssue]]:
    """The publishing council, and warnings where the file names another one.

    ``--publisher`` when given (a council, or with ``publisher_url`` a body that is not
    one); else the one council the file names, in its body columns (``Body``, ``Body
    Name``, ``Organisation``...) or a title line above the header (a full name, a short
    name such as "Leeds", or a GSS code). A kind whose files may cover many areas
    (``optional``: outcomes) loads without one, as "publisher not stated"."""
    named = namings(table, rows, list(preamble))
    if publisher:
        council = register().resolve(publisher, publisher_url)
        return council, _disagreements(council, named, publisher)
    councils = list(dict.fromkeys(n.council for n in named))
    if len(councils) == 1:
        return councils[0], []
    if optional and not councils:
        return NOT_STATED, [LoadIssue(
            "publisher-not-stated", "note", None, None, None,
            "The file does not name its publisher and --publisher was not given: the dataset is catalogued "
            "with its publisher not stated (each observation keeps its own area).",
            "Name the publisher with --publisher: a council's GSS code, or a body's name with --publisher-url.")]
    if councils:
        raise UnknownCouncil(
            f"{path.name}: the file names several councils ({', '.join(c.name for c in councils)}), so it cannot "
            f"tell which one published it. Name it with --publisher (a GSS code such as {councils[0].gss}).")
    seen = unnamed_bodies(table, rows)
    found = f" The file names its publisher as {', '.join(repr(s) for s in seen)}." if seen else ""
    raise UnknownCouncil(
        f"{path.name}: cannot tell which council published this file.{found} "
        f"Name it with --publisher (a GSS code such as E08000035, or the council's name)."
    )


def _disagreements(council: Council, named: list, publisher: str) -> list[LoadIssue]:
    """One warning per other council the file names (its first mention), when --publisher differs."""
    notes, seen = [], set()
    for naming in named:
        if naming.council == council or naming.council.gss in seen:
            continue
        seen.add(naming.council.gss)
        where = f"column {naming.column!r}" if naming.column else "the title above the header"
        notes.append(LoadIssue(
            "publisher-disagrees", "warning", naming.row, naming.column, naming.value,
            f"--publisher {publisher!r} is {council.name} ({council.gss}), but {where} names "
            f"{naming.council.name} ({naming.council.gss}). The file is loaded as {council.name}'s.",
            f"Check the file is {council.name}'s; if it is {naming.council.name}'s, load it with "
            f"--publisher {naming.council.gss}."))
    return notes
