"""One pass over a source file: every row validated, the valid ones turned into N-Triples chunks.

``RowStream.chunks()`` streams a ``loaders.SourceFile`` through the compiled shapes. Each
SHACL result becomes a ``LoadIssue`` tied back to the row, the column as published and
the raw cell. By default a single violation stops the writing (the file will be refused
whole, so nothing more is worth sending to the store) while validation goes on to the
end, so the report lists every problem. With ``skip_invalid`` a row with a violation is
left out instead, with its reasons, and the rest are written.

Every written row's content is hashed (``row_digest``), so that a reload can say how many
rows were added and removed (``catalogue.history``). The digests are written once per
``DIGEST_ROWS`` rows, as one ``sv:rowDigests`` literal on the dataset (space-separated), not one triple
per line: the lean graph of issue 22.
Summaries (``catalogue.summaries.cells``) add up only the rows actually written.

The stream also counts the distinct triples it writes, so that a load need not scan its
graph afterwards (a second pass over millions of quads: 80 s at 1,000,000 lines): a row's
own triples are distinct from every other row's when the kind says so
(``ROW_SUBJECTS_UNIQUE``: spend lines); shared descriptions (suppliers, concepts,
payments) may repeat one another's triples, so their hashes are kept compactly
(``digests.TripleHashes``, 8 bytes a triple, up to ``COUNT_LIMIT``) and counted distinct
after the rows; beyond the limit the store counts the graph.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import Protocol

from catalogue.digests import RowDigests, TripleHashes
from catalogue.shacl import compiled
from catalogue.summaries.cells import SpendSummary
from catalogue.vocab import SV
from loaders import FileRefused, RowEvent, SourceFile
from loaders.report import INFO, VIOLATION, LoadIssue, LoadReport
from loaders.terms import iri, literal, ntriples

#: Rows per chunk handed to the store's bulk loader (about 115,000 triples and 23 MB of
#: N-Triples for spend). Each chunk becomes one batch of sorted files in Oxigraph: bigger
#: batches leave RocksDB less compaction to do, but Oxigraph holds about 1.1 KB per
#: triple of a batch while it sorts it, and two batches load at once (see
#: ``EmbeddedStore.bulk_add``): 20,000 rows took a 100,000-line load to 850 MB, and at
#: 5,000,000 lines the rows peaked at 924 MB with 14,000 and 827 MB with 8,000 (no slower).
CHUNK_ROWS = 8_000
#: Rows whose digests share one ``sv:rowDigests`` literal. Fixed, not the write chunk's size,
#: so that the graph written is the same whatever ``chunk_rows`` a load uses; 2,000 digests
#: make a 34 KB line, short enough for Virtuoso's Graph Store (``store.remote.SNIFF_BYTES``).
DIGEST_ROWS = 2_000
SEEN_LIMIT = 200_000
#: Most shared-description triples whose hashes are kept to count the graph while writing.
COUNT_LIMIT = 8_000_000
#: Kinds whose loads also write summaries into the dataset's graph (catalogue/summaries/cells.py).
SUMMARIES = {"spend": SpendSummary}
ROW_DIGESTS = iri(str(SV.rowDigests))
SUPPLIER = iri(str(SV.Supplier))
#: Supplier records a stream keeps for the link (``keep_suppliers``); past this, none (the link reads the store).
SUPPLIERS_KEPT = 100_000
_TYPE_COMPONENTS = {"DatatypeConstraintComponent", "OrConstraintComponent"}
#: Rows between two looks at a stream's deadline (a clock read is ~50 ns; a row ~40 µs).
DEADLINE_ROWS = 500


class Overdue(FileRefused):
    """A load or validation that passed its deadline (``/publish``'s ``SVCAT_UPLOAD_TIMEOUT``).

    Raised between rows, so it stops a load the way a passed cap does: the rows written so
    far are in a graph nothing references, the dataset's previous version stays live."""

    def __init__(self, seconds: float | None = None):
        took = f" ({seconds:.0f} s)" if seconds else ""
        super().__init__(f"the upload took longer than SVCAT_UPLOAD_TIMEOUT{took} and was stopped; nothing changed. "
                         "Split the file, or ask the operator to raise SVCAT_UPLOAD_TIMEOUT.", reason="overdue")


def check_deadline(deadline: float | None, seconds: float | None = None) -> None:
    """Raise ``Overdue`` once ``time.monotonic()`` has passed ``deadline`` (``None``: no deadline)."""
    if deadline is not None and time.monotonic() > deadline:
        raise Overdue(seconds)


class Progress(Protocol):
    """What a stream needs of a progress bar (a ``tqdm`` object fits)."""

    def reset(self, total: int | None = None) -> None: ...

    def update(self, n: int = 1) -> None: ...


def row_digest(cells) -> str:
    """A row's content, hashed: equal rows in two versions of a file have equal digests
    (``loaders.converters.short_hash`` of the stripped cells, inlined: it runs per row)."""
    return hashlib.sha1("\x1f".join([c.strip() for c in cells]).encode("utf-8")).hexdigest()[:16]


def issue_from(result, row: int, source: SourceFile, values: dict) -> LoadIssue:
    """A SHACL result as a publisher's issue: the row, the column as published, the raw cell."""
    column = source.column_for(result.path, values, result.value)
    raw = None
    if column is not None:
        for name, index in source.table.fields.items():
            if source.table.header[index] == column:
                raw = values.get(name)
                break
    value = raw.strip() if raw is not None else result.value
    return LoadIssue(result.kind, result.severity, row, column, value, result.message, result.fix,
                     focus=result.focus, path=result.path, component=result.component, shape=result.shape,
                     term=result.term)


def without_echoes(results: list) -> list:
    """SHACL results minus those that only repeat another one: a value that is not a number
    fails ``sh:minInclusive`` too, but the publisher needs to hear once that it is not a number."""
    wrong_type = {(r.focus, r.path, r.value) for r in results if r.component in _TYPE_COMPONENTS}
    if not wrong_type:
        return results
    return [r for r in results if not (r.component == "MinInclusiveConstraintComponent"
                                       and (r.focus, r.path, r.value) in wrong_type)]


def invalid_row(row: int, issues: list[LoadIssue]) -> LoadIssue:
    """The record of a row left out by --skip-invalid-rows, with every reason."""
    reasons = "; ".join(f"{i.column or i.path or 'row'}: {i.message}"
                        + (f" ({i.value!r})" if i.value is not None else "") for i in issues)
    return LoadIssue("invalid-row", INFO, row, None, None, f"not loaded (--skip-invalid-rows): {reasons}")


class RowStream:
    """Validates every row of a source; ``chunks()`` yields what to write into ``graph``."""

    def __init__(self, source: SourceFile, report: LoadReport, graph: str | None,
                 progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS, skip_invalid: bool = False,
                 deadline: float | None = None, keep_suppliers: bool = False):
        self.source = source
        self.deadline = deadline  # time.monotonic() past which chunks() raises Overdue
        self.report = report
        self.graph = iri(graph) if graph else None
        self.progress = progress
        self.chunk_rows = chunk_rows
        self.skip_invalid = skip_invalid
        report.skip_invalid = skip_invalid
        self.shapes = compiled(source.handler.SHAPES)
        self.first_date: str | None = None
        self.last_date: str | None = None
        self.emitted = 0  # triples written
        self.described = TripleHashes(COUNT_LIMIT)  # the shared descriptions' triples among them
        #: True while ``emitted - repeats`` is known to be the graph's size.
        self.exact = bool(graph) and bool(getattr(source.handler, "ROW_SUBJECTS_UNIQUE", False))
        self.digests = RowDigests()
        self.summary = SUMMARIES[source.kind]() if source.kind in SUMMARIES else None
        #: key -> the description of every supplier record written (``keep_suppliers``): a manifest
        #: load hands them to its link, which then need not read them back (``linking.records``).
        self.suppliers: dict[str, tuple] | None = {} if keep_suppliers else None

    def _writing(self) -> bool:
        return self.graph is not None and (self.skip_invalid or not self.report.violations)

    def chunks(self) -> Iterator[bytes]:
        source, report, shapes = self.source, self.report, self.shapes
        ctx = source.context()
        seen: OrderedDict = OrderedDict()
        buffer: list[bytes] = []  # rows encoded one by one: never a whole chunk as str and bytes at once
        preamble = source.preamble(ctx)
        for result in shapes.check_triples(preamble):
            report.add(LoadIssue(result.kind, result.severity, None, None, result.value, result.message, result.fix))
        described = self.described
        if self.graph:
            buffer.append(ntriples(preamble).encode("utf-8"))
            self.emitted += len(preamble)
            self.exact = described.add(preamble) and self.exact
        rows_in_buffer = 0
        chunk_digests: list[str] = []
        progress = self.progress
        if progress is not None:
            progress.reset(total=max(source.info.lines - source.table.header_row, 0))
        # Hoisted out of the loop: it runs once per row of files with millions of rows.
        writing = self._writing()
        check, summary, exact, skip_invalid = shapes.check_triples, self.summary, self.exact, self.skip_invalid
        digests, chunk_rows, deadline = self.digests, self.chunk_rows, self.deadline
        for event in source.events():
            report.rows_read += 1
            if deadline is not None and report.rows_read % DEADLINE_ROWS == 0:
                check_deadline(deadline)
            if progress is not None and report.rows_read % 1000 == 0:
                progress.update(1000)
            if not isinstance(event, RowEvent):
                report.add(LoadIssue("skipped-row", INFO, event.row, None, None, event.reason))
                continue
            if event.problems:
                for problem in event.problems:
                    report.add(problem)
                    report.keep_row(event.row, event.cells)
                writing = self._writing()
            triples = list(event.triples)
            fresh = []
            for key, description in event.related:
                if key in seen:
                    seen.move_to_end(key)
                    continue
                seen[key] = None
                fresh.append(key)
                if len(seen) > SEEN_LIMIT:
                    seen.popitem(last=False)
                triples.extend(description)
            results = check(triples)
            if results:
                issues = [issue_from(r, event.row, source, event.values) for r in without_echoes(results)]
                for issue in issues:
                    report.add(issue)
                report.keep_row(event.row, event.cells)
                if any(i.severity == VIOLATION for i in issues):
                    if skip_invalid:
                        report.add_invalid_row(invalid_row(event.row, [i for i in issues if i.severity == VIOLATION]))
                        for key in fresh:  # its descriptions were not written: let a later row write them
                            seen.pop(key, None)
                        continue
                    report.rows_refused += 1  # the file is refused: nothing of it is written
                    writing = False
                    continue
                writing = self._writing()
            report.rows_loaded += 1
            if not writing:
                continue
            digest = row_digest(event.cells)
            digests.add(digest)
            chunk_digests.append(digest)
            if len(chunk_digests) >= DIGEST_ROWS:
                buffer.append(self._digests_triple(chunk_digests))
                chunk_digests = []
            facts = event.facts
            if summary is not None:
                summary.add(facts)
            if facts and "dates" in facts:
                self._note_dates(facts)
            if exact and fresh and not self._count_descriptions(event.related, fresh, described):
                exact = self.exact = False
            if self.suppliers is not None:
                self._keep_suppliers(event.related)
            buffer.append("".join([f"{s} {p} {o} .\n" for s, p, o in triples]).encode("utf-8"))
            self.emitted += len(triples)
            rows_in_buffer += 1
            if rows_in_buffer >= chunk_rows:
                yield b"".join(buffer)
                buffer, rows_in_buffer = [], 0
        if self.progress is not None:
            self.progress.update(report.rows_read % 1000)
        for note in source.notes():
            report.add(note)
        if getattr(source.handler, "REFUSE_EMPTY", False) and not report.fatal and not (
                report.rows_loaded or report.rows_refused or report.invalid_rows):
            report.fatal = (f"{source.filename}: the header (row {source.table.header_row}) is followed by no "
                            f"{source.kind} rows ({report.rows_read} rows read, all skipped): nothing to load. "
                            "Check that this is the file you meant, and that its rows are below the header.")
        if self._writing() and chunk_digests:
            buffer.append(self._digests_triple(chunk_digests))
        if self._writing() and self.summary:
            observations = self.summary.triples(source.dataset, source.council.iri(source.base),
                                                source.council.name)
            for number, triples in enumerate(observations, start=1):
                buffer.append(ntriples(triples).encode("utf-8"))
                self.emitted += len(triples)
                if number % chunk_rows == 0:
                    yield b"".join(buffer)
                    buffer = []
        if self._writing() and buffer:
            yield b"".join(buffer)

    def _digests_triple(self, digests: list[str]) -> bytes:
        """One ``sv:rowDigests`` triple for ``DIGEST_ROWS`` rows (counted like a shared description:
        two chunks of the very same rows would write it twice)."""
        triple = (iri(self.source.dataset), ROW_DIGESTS, literal(" ".join(digests)))
        self.emitted += 1
        self.exact = self.described.add([triple]) and self.exact
        return ntriples([triple]).encode("utf-8")

    @property
    def repeats(self) -> int:
        """Triples written more than once (shared descriptions written again)."""
        return self.described.repeats()

    def _keep_suppliers(self, related) -> None:
        suppliers = self.suppliers
        for key, description in related:
            if description and description[0][2] == SUPPLIER and key not in suppliers:
                suppliers[key] = description
        if len(suppliers) > SUPPLIERS_KEPT:
            self.suppliers = None

    @staticmethod
    def _count_descriptions(related, fresh: list, described: TripleHashes) -> bool:
        """Remember the triples of the descriptions just written, to count them distinct
        (False when there are too many to remember)."""
        fresh_keys = set(fresh)
        for key, description in related:
            if key in fresh_keys:
                fresh_keys.discard(key)  # written once even if the row names it twice
                if not described.add(description):
                    return False
        return True

    def _note_dates(self, facts: dict | None) -> None:
        """Track the first and last date rows give, for the record's temporal coverage."""
        for value in (facts or {}).get("dates", ()):
            if self.first_date is None or value < self.first_date:
                self.first_date = value
            if self.last_date is None or value > self.last_date:
                self.last_date = value
