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
from loaders import contracts, framework, grants, outcomes, spend, suppliers
from loaders.converters import slug
from loaders.councils import Council, UnknownCouncil, register
from loaders.header import ColumnWatch, find_header, header_notes
from loaders.mapping import Dialect, DialectError, TableMap, user_dialect
from loaders.read import FileInfo, is_blank, records, sniff
from loaders.report import LoadIssue, LoadReport
from loaders.registers import charities as charity_register
from loaders.registers import companies_house, ocds, postcodes
from loaders.registers import publisher_iri
from loaders.terms import Triple

__all__ = [
    "KINDS", "SourceFile", "RowEvent", "SkipEvent", "open_source", "LoadError",
    "DialectError", "UnknownCouncil", "LoadReport", "REGISTER_KINDS",
]

#: Each kind is a module with make_context, preamble, skip_reason, row_to_triples,
#: SHAPES and FIELDS_FOR_PATH.
KINDS: dict[str, ModuleType] = {"spend": spend, "suppliers": suppliers, "contracts": contracts,
                               "grants": grants, "outcomes": outcomes,
                               "framework": framework,
                               # official registers (loaders/registers): published by their register body
                               "companies-house": companies_house, "charities": charity_register,
                               "postcodes": postcodes, "ocds": ocds}

#: The kinds that are official registers, not council files (no --publisher).
REGISTER_KINDS = frozenset({"companies-house", "charities", "postcodes"})  # ocds adds supplier records: an incremental link serves

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

    def notes(self) -> list[LoadIssue]:
        """What a publisher may want to know about the file's header and columns (after
        ``events()`` has run, so that unnamed columns are known to be empty or not)."""
        return header_notes(self.table, self.preamble_rows) + (self.watch.notes() if self.watch else [])

    @property
    def publisher(self) -> str:
        """The dataset's publisher IRI: the council, or the register body for a register."""
        return publisher_iri(self.base, self.council)

    @property
    def filename(self) -> str:
        return self.info.path.name

    def column_for(self, path: str, values: dict | None = None, value: str | None = None) -> str | None:
        """The header (as published) that a SHACL result on ``path`` came from.

        ``FIELDS_FOR_PATH`` names the candidate fields (or a function of the row's values
        that does); with the row's values, a field whose cell holds the offending value,
        else one that is filled, is preferred over an empty one.
        """
        names = self.handler.FIELDS_FOR_PATH.get(path, ())
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
        for number, cells in self._records:
            if is_blank(cells):
                yield SkipEvent(number, "blank row" if not cells else "all cells empty", cells)
                continue
            problems = watch.row(number, cells)
            values = values_of(cells)
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
                mapping: str | Path | None = None, dataset_key: str | None = None) -> SourceFile:
    """Sniff a file, bind its header to a dialect and find its council."""
    if kind not in KINDS:
        raise LoadError(f"unknown kind {kind!r}: choose one of {', '.join(sorted(KINDS))}")
    path = Path(path)
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    handler = KINDS[kind]
    if publisher and hasattr(handler, "PUBLISHER"):
        raise LoadError(f"{path.name}: a {kind} file is published by {handler.PUBLISHER.name}, not a council: "
                        f"leave out --publisher")
    info = sniff(path)
    stream = handler.records(info) if hasattr(handler, "records") else records(info)
    dialect: Dialect | None = user_dialect(kind, Path(mapping)) if mapping else None
    table, preamble_rows = find_header(kind, stream, path, dialect)
    lookahead = list(itertools.islice(stream, DETECT_ROWS))
    council = handler.PUBLISHER if hasattr(handler, "PUBLISHER") else _council(publisher, table, lookahead, path)
    key = dataset_key or slug(path.stem, 80)
    base = iris.normalise_base(base)
    return SourceFile(
        kind=kind, info=info, table=table, council=council, base=base, key=key,
        dataset=iris.dataset(base, council.gss, kind, key),
        source=iris.source_file(base, council.gss, kind, key, slug(path.stem, 80) + path.suffix.lower()),
        handler=handler,
        _records=itertools.chain(lookahead, stream),
        preamble_rows=preamble_rows,
    )


def _council(publisher: str | None, table: TableMap, rows: list[tuple[int, list[str]]], path: Path) -> Council:
    """``--publisher`` if given, else the body/body-name columns of the first rows."""
    if publisher:
        return register().resolve(publisher)
    seen = []
    for _, cells in rows:
        values = table.values(cells)
        for name in ("body", "body_name"):
            if value := values.get(name):
                if council := register().find(value):
                    return council
                seen.append(value.strip())
    found = f" The file names its publisher as {', '.join(repr(s) for s in dict.fromkeys(seen))}." if seen else ""
    raise UnknownCouncil(
        f"{path.name}: cannot tell which council published this file.{found} "
        f"Name it with --publisher (a GSS code such as E08000035, or the council's name)."
    )
