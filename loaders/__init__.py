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
from loaders.mapping import Dialect, DialectError, TableMap, choose, parse_dialect
from loaders.read import FileInfo, is_blank, records, sniff
from loaders.report import LoadReport
from loaders.terms import Triple

__all__ = [
    "KINDS", "SourceFile", "RowEvent", "SkipEvent", "open_source", "LoadError",
    "DialectError", "UnknownCouncil", "LoadReport",
]

#: Each kind is a module with make_context, preamble, skip_reason, row_to_triples,
#: SHAPES and FIELDS_FOR_PATH.
KINDS: dict[str, ModuleType] = {"spend": spend, "suppliers": suppliers, "contracts": contracts,
                               "grants": grants, "outcomes": outcomes,
                               "framework": framework}

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
    facts: dict | None = None  # what the row adds to summaries (see spend.RowTriples)


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
        for number, cells in self._records:
            if is_blank(cells):
                yield SkipEvent(number, "blank row" if not cells else "all cells empty", cells)
                continue
            values = values_of(cells)
            reason = skip_reason(values, cells)
            if reason:
                yield SkipEvent(number, reason, cells)
                continue
            result = to_triples(values, number, ctx)
            yield RowEvent(number, values, result.subject, result.triples, result.related, result.facts)

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
    info = sniff(path)
    stream = records(info)
    header_row, header = _header(stream, path)
    dialect: Dialect | None = parse_dialect(Path(mapping)) if mapping else None
    table = choose(kind, header, header_row, dialect)
    lookahead = list(itertools.islice(stream, DETECT_ROWS))
    council = _council(publisher, table, lookahead, path)
    key = dataset_key or slug(path.stem, 80)
    base = iris.normalise_base(base)
    return SourceFile(
        kind=kind, info=info, table=table, council=council, base=base, key=key,
        dataset=iris.dataset(base, council.gss, kind, key),
        source=iris.source_file(base, council.gss, kind, key, slug(path.stem, 80) + path.suffix.lower()),
        handler=KINDS[kind],
        _records=itertools.chain(lookahead, stream),
    )


def _header(stream: Iterator[tuple[int, list[str]]], path: Path) -> tuple[int, list[str]]:
    try:
        for number, cells in stream:
            if not is_blank(cells):
                return number, cells
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path}: cannot decode the file ({exc}); save it as UTF-8 or Windows-1252") from exc
    raise LoadError(f"{path}: the file is empty (no header row)")


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
