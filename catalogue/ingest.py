"""Read, validate, write: the one module that joins the loaders to the store.

``validate_file`` streams a file through its loader and the compiled SHACL shapes and
returns the report. ``load_file`` does the same while bulk-writing the rows into a
fresh named graph; only if the file has no violations does it then, in one small
transaction, point the dataset's catalogue record at the new graph, drop the graph of
the previous version and publish. A refused file, or a crash at any point, leaves the
dataset as it was: the half-written graph is never referenced and is collected by the
next load. The web layer never imports this module (upload runs ``svcat`` instead).
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from catalogue import iris
from catalogue.errors import BadRequest
from catalogue.records import RecordInput, now, record_graph
from catalogue.shacl import compiled
from catalogue.summary import SpendSummary
from catalogue.store import Store
from catalogue.store import sparql_text as q
from catalogue.vocab import DCTERMS, SV
from loaders import LoadError, RowEvent, SourceFile, open_source
from loaders.report import INFO, VIOLATION, LoadIssue, LoadReport
from loaders.terms import iri, nquads

CHUNK_ROWS = 20_000
SEEN_LIMIT = 200_000
#: Kinds whose loads also write summaries into the dataset's graph (catalogue/summary.py).
SUMMARIES = {"spend": SpendSummary}


class Progress(Protocol):
    """What ingest needs of a progress bar (a ``tqdm`` object fits)."""

    def reset(self, total: int | None = None) -> None: ...

    def update(self, n: int = 1) -> None: ...


@dataclass
class LoadOutcome:
    report: LoadReport
    dataset: str | None = None
    graph: str | None = None
    replaced_graph: str | None = None
    seconds: float = 0.0

    @property
    def loaded(self) -> bool:
        return self.graph is not None


def _issue_from(result, row: int, source: SourceFile, values: dict) -> LoadIssue:
    column = source.column_for(result.path, values, result.value)
    raw = None
    if column is not None:
        for name, index in source.table.fields.items():
            if source.table.header[index] == column:
                raw = values.get(name)
                break
    value = raw.strip() if raw is not None else result.value
    return LoadIssue(result.kind, result.severity, row, column, value, result.message, result.fix,
                     focus=result.focus, path=result.path)


_TYPE_COMPONENTS = {"DatatypeConstraintComponent", "OrConstraintComponent"}


def without_echoes(results: list) -> list:
    """SHACL results minus those that only repeat another one: a value that is not a number
    fails ``sh:minInclusive`` too, but the publisher needs to hear once that it is not a number."""
    wrong_type = {(r.focus, r.path, r.value) for r in results if r.component in _TYPE_COMPONENTS}
    if not wrong_type:
        return results
    return [r for r in results if not (r.component == "MinInclusiveConstraintComponent"
                                       and (r.focus, r.path, r.value) in wrong_type)]


class _Stream:
    """One pass over a source: validates every row and yields N-Quads chunks to write."""

    def __init__(self, source: SourceFile, report: LoadReport, graph: str | None,
                 progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS):
        self.source = source
        self.report = report
        self.graph = iri(graph) if graph else None
        self.progress = progress
        self.chunk_rows = chunk_rows
        self.shapes = compiled(source.handler.SHAPES)
        self.first_date: str | None = None
        self.last_date: str | None = None
        self.emitted = 0
        self.summary = SUMMARIES[source.kind]() if source.kind in SUMMARIES else None

    def chunks(self) -> Iterator[bytes]:
        source, report, shapes = self.source, self.report, self.shapes
        ctx = source.context()
        seen: OrderedDict[str, None] = OrderedDict()
        buffer: list[str] = []
        preamble = source.preamble(ctx)
        for result in shapes.check_triples(preamble):
            report.add(LoadIssue(result.kind, result.severity, None, None, result.value, result.message, result.fix))
        if self.graph:
            buffer.append(nquads(preamble, self.graph))
        rows_in_buffer = 0
        if self.progress is not None:
            self.progress.reset(total=max(source.info.lines - source.table.header_row, 0))
        for event in source.events():
            report.rows_read += 1
            if self.progress is not None and report.rows_read % 1000 == 0:
                self.progress.update(1000)
            if not isinstance(event, RowEvent):
                report.add(LoadIssue("skipped-row", INFO, event.row, None, None, event.reason))
                continue
            for problem in event.problems:
                report.add(problem)
            triples = list(event.triples)
            for key, description in event.related:
                if key in seen:
                    seen.move_to_end(key)
                    continue
                seen[key] = None
                if len(seen) > SEEN_LIMIT:
                    seen.popitem(last=False)
                triples.extend(description)
            for result in without_echoes(shapes.check_triples(triples)):
                report.add(_issue_from(result, event.row, source, event.values))
            report.rows_loaded += 1
            if self.summary is not None:
                self.summary.add(event.facts)
            self._note_dates(event.facts)
            if self.graph and not report.violations:
                buffer.append(nquads(triples, self.graph))
                self.emitted += len(triples)
                rows_in_buffer += 1
                if rows_in_buffer >= self.chunk_rows:
                    yield "".join(buffer).encode("utf-8")
                    buffer, rows_in_buffer = [], 0
        if self.progress is not None:
            self.progress.update(report.rows_read % 1000)
        for note in source.notes():
            report.add(note)
        if self.graph and not report.violations and self.summary:
            summary = self.summary.triples(source.dataset, iris.council(source.base, source.council.gss),
                                           source.council.name)
            buffer.append(nquads(summary, self.graph))
            self.emitted += len(summary)
        if self.graph and buffer and not report.violations:
            yield "".join(buffer).encode("utf-8")

    def _note_dates(self, facts: dict | None) -> None:
        """Track the first and last date rows give, for the record's temporal coverage."""
        for value in (facts or {}).get("dates", ()):
            if self.first_date is None or value < self.first_date:
                self.first_date = value
            if self.last_date is None or value > self.last_date:
                self.last_date = value


def _new_report(kind: str, path: Path, keep: int) -> LoadReport:
    return LoadReport(file=str(path), kind=kind, keep=keep)


def _describe(report: LoadReport, source: SourceFile) -> None:
    report.dialect = source.table.dialect.id
    report.encoding = source.info.encoding
    report.header_row = source.table.header_row
    report.columns = {name: source.table.header[i] for name, i in source.table.fields.items()}
    report.council = source.council.gss


def open_checked(kind: str, path: Path, report: LoadReport, **options) -> SourceFile | None:
    """Open a source, recording a fatal problem in the report instead of raising."""
    try:
        source = open_source(kind, path, **options)
    except (LoadError, ValueError, LookupError, UnicodeDecodeError, OSError) as exc:
        report.fatal = str(exc).strip("'\"")
        return None
    _describe(report, source)
    return source


def validate_file(kind: str, path: str | Path, *, base: str, publisher: str | None = None,
                  mapping: str | None = None, keep: int = 1000, progress: Progress | None = None) -> LoadReport:
    """Read and validate a file without writing anything."""
    path = Path(path)
    report = _new_report(kind, path, keep)
    source = open_checked(kind, path, report, base=base, publisher=publisher, mapping=mapping)
    if source is None:
        return report
    try:
        for _ in _Stream(source, report, None, progress).chunks():
            pass
    except UnicodeDecodeError as exc:
        report.fatal = f"cannot decode the file: {exc}"
    return report


def load_file(store: Store, kind: str, path: str | Path, *, base: str, publisher: str | None = None,
              mapping: str | None = None, licence: str, title: str | None = None, keep: int = 1000,
              progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS) -> LoadOutcome:
    """Validate and load a file as one dataset, replacing its previous version atomically."""
    if not iris.is_absolute_iri(licence):
        raise BadRequest(f"the licence must be an absolute IRI (https://...), not {licence!r}")
    started_clock = time.monotonic()
    started = now()
    path = Path(path)
    base = iris.normalise_base(base)
    report = _new_report(kind, path, keep)
    source = open_checked(kind, path, report, base=base, publisher=publisher, mapping=mapping)
    if source is None:
        return LoadOutcome(report, seconds=time.monotonic() - started_clock)
    collect_orphans(store, base)
    # A fresh name for every load, even of the same bytes in the same second, so a load
    # never writes into the graph readers are using.
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{uuid.uuid4().hex[:8]}"
    graph = iris.dataset_graph(base, source.council.gss, kind, source.key, version)
    stream = _Stream(source, report, graph, progress, chunk_rows)
    try:
        store.bulk_add(stream.chunks())
    except UnicodeDecodeError as exc:
        report.fatal = f"cannot decode the file: {exc}"
    except BaseException:
        _drop_quietly(store, graph)
        raise
    if not report.valid:
        _drop_quietly(store, graph)
        return LoadOutcome(report, dataset=source.dataset, seconds=time.monotonic() - started_clock)

    report.triples = count_triples(store, graph)
    previous = previous_record(store, base, source.dataset)
    record = RecordInput(
        base=base, dataset=source.dataset, kind=kind,
        title=title or f"{source.council.name} {kind}: {source.filename}",
        council_iri=iris.council(base, source.council.gss), council_name=source.council.name,
        licence=licence, graph=graph, source_iri=source.source, filename=source.filename,
        size=source.info.size, sha256=source.info.sha256, encoding=source.info.encoding,
        dialect=source.table.dialect.id, rows_read=report.rows_read, rows_loaded=report.rows_loaded,
        rows_skipped=report.rows_skipped, warnings=report.warnings, violations=report.violations,
        triples=report.triples, started=started, ended=now(), issued=previous.get("issued"),
        first_date=stream.first_date, last_date=stream.last_date,
        skipped=report.skipped, issues=report.issues,
    )
    store.update(replace_record_update(base, source.dataset, record_graph(record)))
    if previous.get("graph") and previous["graph"] != graph:
        _drop_quietly(store, previous["graph"])
    store.publish()
    return LoadOutcome(report, source.dataset, graph, previous.get("graph"), time.monotonic() - started_clock)


def replace_record_update(base: str, dataset: str, record) -> str:
    """One SPARQL Update that swaps a dataset's catalogue record (kept: its change history)."""
    cat = q.iri(iris.catalogue_graph(base))
    body = "".join(f"{q.term(s)} {q.term(p)} {q.term(o)} .\n" for s, p, o in record)
    return (
        f"DELETE {{ GRAPH {cat} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {cat} {{ ?s ?p ?o "
        f"FILTER((?s = {q.iri(dataset)} || STRSTARTS(STR(?s), {q.literal(dataset + '#')})) "
        f"&& !STRSTARTS(STR(?s), {q.literal(dataset + '#change-')})) }} }};\n"
        f"INSERT DATA {{ GRAPH {cat} {{\n{body}}} }}"
    )


def previous_record(store: Store, base: str, dataset: str) -> dict:
    """The current record's graph and first-issued time, if the dataset was loaded before."""
    from datetime import datetime

    cat, node = q.iri(iris.catalogue_graph(base)), q.iri(dataset)
    rows = store.select(
        f"SELECT ?graph ?issued WHERE {{ GRAPH {cat} {{ {node} {q.iri(SV.namedGraph)} ?graph . "
        f"OPTIONAL {{ {node} {q.iri(DCTERMS.issued)} ?issued }} }} }}").rows
    if not rows:
        return {}
    issued = rows[0].get("issued")
    return {
        "graph": str(rows[0]["graph"]),
        "issued": datetime.fromisoformat(str(issued).replace("Z", "+00:00")) if issued else None,
    }


def count_triples(store: Store, graph: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {q.iri(graph)} {{ ?s ?p ?o }} }}").rows
    return int(rows[0]["n"]) if rows else 0


def referenced_graphs(store: Store, base: str) -> set[str]:
    cat = q.iri(iris.catalogue_graph(base))
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH {cat} {{ ?d {q.iri(SV.namedGraph)} ?g }} }}").rows
    return {str(r["g"]) for r in rows}


def collect_orphans(store: Store, base: str) -> list[str]:
    """Drop dataset graphs no record points at (left by a refused or killed load)."""
    live = referenced_graphs(store, base)
    prefix = f"{base}graph/"
    keep = {iris.catalogue_graph(base)}
    orphans = [g for g in store.graphs() if g.startswith(prefix) and g not in live and g not in keep
               and g.count("/") - prefix.count("/") >= 3]
    for graph in orphans:
        _drop_quietly(store, graph)
    return orphans


def _drop_quietly(store: Store, graph: str) -> None:
    try:
        store.drop_graph(graph)
    except Exception:  # the orphan collector retries on the next load
        pass


__all__ = ["validate_file", "load_file", "LoadOutcome", "collect_orphans", "VIOLATION"]
