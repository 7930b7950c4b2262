"""Read, validate, write: the one module that joins the loaders to the store.

``validate_file`` streams a file through its loader and the compiled SHACL shapes and
returns the report. ``load_file`` does the same while bulk-writing the rows into a
fresh named graph; only if the file has no violations does it then, in one small
transaction, point the dataset's catalogue record at the new graph, drop the graph of
the previous version and publish. A refused file, or a crash at any point, leaves the
dataset as it was: the half-written graph is never referenced and is collected by the
next load.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from catalogue import history, iris
from catalogue.errors import BadRequest
from catalogue.records import RecordInput, now, record_graph
from catalogue.sources import keep as keep_source
from catalogue.store import Store
from catalogue.store import sparql_text as q
from catalogue.store.settings import settings
from catalogue.ingest.stream import CHUNK_ROWS, Overdue, Progress, RowStream
from catalogue.summaries import Pending
from catalogue.summaries import refresh as refresh_summaries
from catalogue.vocab import DCTERMS, SV
from loaders import FileRefused, LoadError, Limits, SourceFile, open_source
from loaders.report import VIOLATION, LoadReport



#: Why a load that validated was still refused: its council is outside the publishing
#: token's scope, or it would shrink the dataset (see ``load_file``); or it passed its
#: deadline (``/publish``'s ``SVCAT_UPLOAD_TIMEOUT``) before its dataset was switched to it.
OUT_OF_SCOPE, SHRINK, OVERDUE = "out-of-scope", "shrink", "overdue"


@dataclass
class LoadOutcome:
    report: LoadReport
    dataset: str | None = None
    graph: str | None = None
    replaced_graph: str | None = None
    seconds: float = 0.0
    refusal: str | None = None  # OUT_OF_SCOPE, SHRINK or OVERDUE
    figures: dict | None = None  # for SHRINK: rows before and after

    @property
    def loaded(self) -> bool:
        return self.graph is not None

    def to_json(self) -> dict:
        """The load report as ``svcat load --format json`` prints it and ``/publish`` answers it."""
        return {**self.report.to_json(), "loaded": self.loaded, "dataset": self.dataset,
                "replaced": bool(self.replaced_graph), "refusal": self.refusal, "figures": self.figures}


@dataclass
class Streamed:
    """What one pass over a file leaves for the writer, beside its report: the facts of the
    source and of the stream the catalogue record needs. Plain values, so that a worker
    process can stream a file and hand this back (``catalogue.ingest.spool``)."""

    kind: str
    path: Path
    dataset: str
    graph: str
    council_gss: str
    council_name: str
    council_iri: str
    source_iri: str
    filename: str
    size: int
    sha256: str
    encoding: str
    dialect: str
    started: object  # a datetime
    triples: int | None  # distinct triples written, when the stream could count them
    digests: object  # catalogue.digests.RowDigests
    first_date: str | None
    last_date: str | None
    cells: object = None  # the spend cube's payee cells (an iterable), for the social-value sums
    categories: list | None = None  # the by-category cells, when the cells are a list (a manifest load's)
    suppliers: list | None = None  # the supplier records' descriptions it wrote, when kept (a manifest load's)

    @classmethod
    def of(cls, kind: str, path: Path, source: SourceFile, stream: RowStream, graph: str, started,
           cells_as_list: bool = False) -> Streamed:
        cells = stream.summary.payee_cells() if stream.summary is not None else None
        return cls(kind, path, source.dataset, graph, source.council.gss, source.council.name, source.publisher,
                   source.source, source.filename, source.info.size, source.info.sha256, source.info.encoding,
                   source.table.dialect.id, started, stream.emitted - stream.repeats if stream.exact else None,
                   stream.digests, stream.first_date, stream.last_date,
                   list(cells) if cells is not None and cells_as_list else cells,
                   list(stream.summary.category_cells()) if cells is not None and cells_as_list else None,
                   list(stream.suppliers.values()) if stream.suppliers is not None else None)


def _new_report(kind: str, path: Path, keep: int) -> LoadReport:
    return LoadReport(file=str(path), kind=kind, keep=keep)


def _describe(report: LoadReport, source: SourceFile) -> None:
    report.dialect = source.table.dialect.id
    report.encoding = source.info.encoding
    report.header_row = source.table.header_row
    report.preamble_rows = len(source.preamble_rows)
    report.header = list(source.table.header)
    report.columns = {name: source.table.title(name) for name in source.table.fields}
    report.council = source.council.gss


def open_checked(kind: str, path: Path, report: LoadReport, **options) -> SourceFile | None:
    """Open a source, recording a fatal problem in the report instead of raising.

    The caps (``SVCAT_MAX_*``, see ``loaders.limits``) are read from the settings unless
    ``limits`` is given."""
    if options.get("limits") is None:
        options["limits"] = Limits.from_config(settings())
    try:
        source = open_source(kind, path, **options)
    except (LoadError, ValueError, LookupError, UnicodeDecodeError, OSError) as exc:
        report.fatal = str(exc).strip("'\"")
        return None
    _describe(report, source)
    return source


def validate_file(kind: str, path: str | Path, *, base: str, publisher: str | None = None,
                  mapping: str | None = None, keep: int = 1000, progress: Progress | None = None,
                  skip_invalid: bool = False, sheet: str | None = None, limits=None,
                  publisher_url: str | None = None, deadline: float | None = None) -> LoadReport:
    """Read and validate a file without writing anything (``skip_invalid``: as a load with
    --skip-invalid-rows would, listing the rows it would leave out). Past ``deadline`` (a
    ``time.monotonic()`` value) it stops with a fatal problem."""
    path = Path(path)
    report = _new_report(kind, path, keep)
    report.skip_invalid = skip_invalid
    source = open_checked(kind, path, report, base=base, publisher=publisher, mapping=mapping, sheet=sheet,
                          limits=limits, publisher_url=publisher_url)
    if source is None:
        return report
    try:
        for _ in RowStream(source, report, None, progress, skip_invalid=skip_invalid, deadline=deadline).chunks():
            pass
    except UnicodeDecodeError as exc:
        report.fatal = f"cannot decode the file: {exc}"
    except FileRefused as exc:  # a cap passed while streaming
        report.fatal = str(exc)
    return report


def load_file(store: Store, kind: str, path: str | Path, *, base: str, publisher: str | None = None,
              mapping: str | None = None, licence: str, title: str | None = None, keep: int = 1000,
              progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
              skip_invalid: bool = False, sources: Path | None = None,
              pending: Pending | None = None, sheet: str | None = None, limits=None,
              publisher_url: str | None = None, scope: Collection[str] | None = None,
              allow_shrink: bool = False, who: str | None = None, deadline: float | None = None) -> LoadOutcome:
    """Validate and load a file as one dataset, replacing its previous version atomically.

    The summaries are refreshed and the store published at the end, unless ``pending``
    is given: then the load adds its summary work to it and leaves the refresh and the
    publish to whoever settles it (the link ``svcat load`` runs next; see
    ``catalogue.summaries``). With ``skip_invalid`` the rows with violations are left out (each listed, with its
    reasons, in the dataset's record) and the rest are loaded. With ``sources`` (a folder,
    see ``catalogue.sources``) the file itself is kept there, so its download URL and row
    citations resolve.

    Guards (issue 20): with ``scope`` (GSS codes), a file whose council is not in it is
    refused before anything is written. A replacement with no rows, or with fewer than half
    the rows of the version it replaces, is refused (``SHRINK``, with the figures) unless
    ``allow_shrink``. ``who`` (a publishing token's name) goes into the change record.
    A load still running at ``deadline`` (a ``time.monotonic()`` value: ``/publish``'s
    ``SVCAT_UPLOAD_TIMEOUT``) stops between rows, or before the switch, and is refused whole
    (``OVERDUE``): the previous version stays live."""
    if not iris.is_absolute_iri(licence):
        raise BadRequest(f"the licence must be an absolute IRI (https://...), not {licence!r}")
    started_clock = time.monotonic()
    started = now()
    path = Path(path)
    base = iris.normalise_base(base)
    report = _new_report(kind, path, keep)
    report.skip_invalid = skip_invalid
    source = open_checked(kind, path, report, base=base, publisher=publisher, mapping=mapping, sheet=sheet,
                          limits=limits, publisher_url=publisher_url)
    if source is None:
        return LoadOutcome(report, seconds=time.monotonic() - started_clock)
    if scope is not None and source.council.gss not in scope:
        report.fatal = (f"this file is {source.council.name}'s ({source.council.gss}); the publishing token may "
                        f"only publish for {', '.join(sorted(scope)) or 'no council'}. Nothing changed.")
        return LoadOutcome(report, dataset=source.dataset, seconds=time.monotonic() - started_clock,
                           refusal=OUT_OF_SCOPE)
    collect_orphans(store, base)
    graph = fresh_graph(base, kind, source)
    stream = RowStream(source, report, graph, progress, chunk_rows, skip_invalid=skip_invalid, deadline=deadline)
    overdue = False
    try:
        store.bulk_add(stream.chunks(), graph)
    except UnicodeDecodeError as exc:
        report.fatal = f"cannot decode the file: {exc}"
    except FileRefused as exc:  # a cap or the deadline passed while streaming: nothing of it is kept
        report.fatal, overdue = str(exc), isinstance(exc, Overdue)
    except BaseException:
        _drop_quietly(store, graph)
        raise
    done = Streamed.of(kind, path, source, stream, graph, started)
    outcome = finish(store, report, done, base=base, licence=licence, title=title, sources=sources, pending=pending,
                     allow_shrink=allow_shrink, who=who, started_clock=started_clock, deadline=deadline)
    if overdue:
        outcome.refusal = OVERDUE
    return outcome


def fresh_graph(base: str, kind: str, source: SourceFile) -> str:
    """A fresh graph name for every load, even of the same bytes in the same second, so a
    load never writes into the graph readers are using."""
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{uuid.uuid4().hex[:8]}"
    return iris.dataset_graph(base, source.council.gss, kind, source.key, version)


def finish(store: Store, report: LoadReport, done: Streamed, *, base: str, licence: str, title: str | None = None,
           sources: Path | None = None, pending: Pending | None = None, allow_shrink: bool = False,
           who: str | None = None, started_clock: float, deadline: float | None = None) -> LoadOutcome:
    """The writer's half of a load, once the rows are in ``done.graph``: refuse (dropping the
    graph) or switch the dataset's record to it in one small transaction. Shared by
    ``load_file`` and the parallel manifest load (``catalogue.ingest.spool``), so both end alike."""
    graph, dataset = done.graph, done.dataset
    if not report.loadable:
        _drop_quietly(store, graph)
        if report.skip_invalid and not report.fatal and report.rows_loaded == 0:
            report.fatal = "no row is valid: nothing to load (every row has a violation)"
        return LoadOutcome(report, dataset=dataset, seconds=time.monotonic() - started_clock)

    previous = previous_record(store, base, dataset)
    shrink = shrinks(previous.get("rows"), report.rows_loaded)
    if shrink and not allow_shrink:
        _drop_quietly(store, graph)
        report.fatal = shrink
        return LoadOutcome(report, dataset=dataset, seconds=time.monotonic() - started_clock,
                           refusal=SHRINK, figures={"rows_now": previous["rows"], "rows_in_file": report.rows_loaded})
    if deadline is not None and time.monotonic() > deadline:  # the last moment a load can still be refused
        _drop_quietly(store, graph)
        report.fatal = str(Overdue())
        return LoadOutcome(report, dataset=dataset, seconds=time.monotonic() - started_clock, refusal=OVERDUE)
    if sources is not None:
        keep_source(done.path, done.sha256, sources)  # before the record names it
    report.triples = done.triples if done.triples is not None else count_triples(store, graph)
    council_iri = done.council_iri  # a council, a body (--publisher-url), "not stated", or a register's body
    change = history.change_for_load(store, dataset, previous.get("graph"), done.digests,
                                     done.sha256, done.filename, report.rows_loaded, who=who)
    record = RecordInput(
        base=base, dataset=dataset, kind=done.kind,
        title=title or f"{done.council_name} {done.kind}: {done.filename}",
        council_iri=council_iri, council_name=done.council_name,
        licence=licence, graph=graph, source_iri=done.source_iri, filename=done.filename,
        size=done.size, sha256=done.sha256, encoding=done.encoding,
        dialect=done.dialect, rows_read=report.rows_read, rows_loaded=report.rows_loaded,
        rows_skipped=report.rows_skipped, warnings=report.warnings, violations=report.violations,
        triples=report.triples, started=done.started, ended=now(), issued=previous.get("issued"),
        first_date=done.first_date, last_date=done.last_date,
        skipped=report.skipped, issues=report.issues, invalid_rows=report.invalid_rows,
        series=iris.series(base, done.council_gss, done.kind), columns=dict(report.columns),
    )
    catalogued = record_graph(record)
    catalogued += history.change_graph(change)
    catalogued += history.series_graph(base, done.council_gss, done.kind, council_iri, done.council_name)
    store.update(replace_record_update(base, dataset, catalogued))
    if previous.get("graph") and previous["graph"] != graph:
        _drop_quietly(store, previous["graph"])
    owed = Pending() if pending is None else pending
    if done.suppliers is not None:
        owed.add(suppliers={dataset: (graph, done.suppliers)})
    if done.kind == "spend":
        owed.add([dataset], [council_iri], {dataset: done.cells} if done.cells is not None else None,
                 categories={dataset: done.categories} if done.categories is not None else None)
    if pending is None:
        refresh_summaries(store, base, owed)
    return LoadOutcome(report, dataset, graph, previous.get("graph"), time.monotonic() - started_clock)


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


def shrinks(rows_now: int | None, rows_in_file: int) -> str | None:
    """Why replacing a dataset of ``rows_now`` rows with ``rows_in_file`` rows is refused, or
    ``None``: a file with no rows, or fewer than half the current rows, is more often a
    truncated export or a header-only file than a real replacement."""
    if not rows_now:
        return None
    if rows_in_file == 0:
        why = "has no rows"
    elif rows_in_file * 2 < rows_now:
        why = f"has {rows_in_file:,} rows, fewer than half"
    else:
        return None
    return (f"the dataset has {rows_now:,} rows now and this file {why}: refused, nothing changed. If the "
            f"dataset really is to shrink, load it again with allow_shrink=true (svcat load --allow-shrink).")


def previous_record(store: Store, base: str, dataset: str) -> dict:
    """The current record's graph, first-issued time and loaded rows, if the dataset was loaded before."""
    from datetime import datetime

    cat, node = q.iri(iris.catalogue_graph(base)), q.iri(dataset)
    rows = store.select(
        f"SELECT ?graph ?issued ?rows WHERE {{ GRAPH {cat} {{ {node} {q.iri(SV.namedGraph)} ?graph . "
        f"OPTIONAL {{ {node} {q.iri(DCTERMS.issued)} ?issued }} "
        f"OPTIONAL {{ {node} {q.iri(SV.loadedRowCount)} ?rows }} }} }}").rows
    if not rows:
        return {}
    issued = rows[0].get("issued")
    return {
        "graph": str(rows[0]["graph"]),
        "issued": datetime.fromisoformat(str(issued).replace("Z", "+00:00")) if issued else None,
        "rows": int(rows[0]["rows"]) if rows[0].get("rows") is not None else None,
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
