"""Load problems as data: typed issues collected in a report, never raised per row.

A ``LoadIssue`` names the file, row, column and raw value, says what is wrong in plain
English and how to fix it. The same records render as a terminal table, JSON (see
``to_json`` for the documented shape) and HTML; SHACL results become issues too, so a
publisher sees one list whatever found the problem.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

VIOLATION = "violation"
WARNING = "warning"
INFO = "info"  # a skipped row
NOTE = "note"  # something about the file a publisher may want to know (preamble, unnamed columns)

#: How many issues a report keeps in full; the rest are only counted.
DEFAULT_KEEP = 1000
#: How many rows with issues a report keeps the cells of.
ROWS_KEPT = 200


@dataclass(frozen=True)
class LoadIssue:
    kind: str  # slug: "bad-amount", "missing-date", "missing-supplier", "skipped-row"...
    severity: str  # violation | warning | info (a skipped row) | note
    row: int | None  # RFC 7111 record number, header = 1
    column: str | None  # the header as published
    value: str | None  # the raw cell
    message: str  # what is wrong, in plain English
    fix: str = ""  # what to do about it
    focus: str | None = None  # the RDF node the SHACL result is about
    path: str | None = None  # the SHACL path
    component: str | None = None  # the SHACL constraint component, e.g. "MinCountConstraintComponent"
    shape: str | None = None  # the property shape (its local name is ``kind``)
    term: str | None = None  # the offending RDF term in N-Triples syntax (``value`` is the raw cell)

    def flat(self, keys: list[str]) -> list:
        return [getattr(self, k) for k in keys]


@dataclass
class LoadReport:
    """Everything a load learnt: counts, skipped rows, issues (first ``keep`` in full)."""

    file: str
    kind: str
    keep: int = DEFAULT_KEEP
    issues: list[LoadIssue] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # (severity, kind) -> n
    messages: dict = field(default_factory=dict)  # kind -> first message, for summaries
    skipped: list[LoadIssue] = field(default_factory=list)
    notes: list[LoadIssue] = field(default_factory=list)
    rows_read: int = 0  # records after the header (blank ones too)
    rows_loaded: int = 0  # rows whose lines are (or would be) written
    #: Rows with violations in a file that is refused for them (not left out by --skip-invalid-rows).
    rows_refused: int = 0
    preamble_rows: int = 0  # non-blank records above the header (titles, notes), counted once
    triples: int = 0
    dialect: str = ""
    encoding: str = ""
    header_row: int = 1
    columns: dict = field(default_factory=dict)  # field -> header as published
    council: str = ""
    fatal: str = ""  # set when the file could not be read at all
    skip_invalid: bool = False  # --skip-invalid-rows: rows with violations are left out, not the file
    #: Every row left out by --skip-invalid-rows, with its reasons (never capped: each one
    #: goes into the dataset's catalogue record, so nothing is lost silently).
    invalid_rows: list[LoadIssue] = field(default_factory=list)
    header: list = field(default_factory=list)  # the header row as published
    #: The cells of the first rows that have issues, so a report can show them (row -> cells).
    row_cells: dict = field(default_factory=dict)

    def add(self, issue: LoadIssue) -> None:
        self.counts[(issue.severity, issue.kind)] += 1
        self.messages.setdefault(issue.kind, issue.message)
        if issue.severity == NOTE:
            if len(self.notes) < self.keep:
                self.notes.append(issue)
        elif issue.severity == INFO:
            if len(self.skipped) < self.keep:
                self.skipped.append(issue)
        elif len(self.issues) < self.keep:
            self.issues.append(issue)

    def keep_row(self, row: int, cells) -> None:
        """Remember the cells of a row that has issues (the first ``ROWS_KEPT``)."""
        if len(self.row_cells) < ROWS_KEPT and row not in self.row_cells:
            self.row_cells[row] = list(cells)

    def add_invalid_row(self, issue: LoadIssue) -> None:
        """A row left out by --skip-invalid-rows (counted as skipped, kept in full)."""
        self.counts[(issue.severity, issue.kind)] += 1
        self.messages.setdefault(issue.kind, "rows with violations were left out (--skip-invalid-rows)")
        self.invalid_rows.append(issue)

    def count(self, severity: str) -> int:
        return sum(n for (sev, _), n in self.counts.items() if sev == severity)

    @property
    def violations(self) -> int:
        return self.count(VIOLATION)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def rows_skipped(self) -> int:
        """Rows not loaded: blank, footer and total rows, and rows left out as invalid."""
        return self.count(INFO)

    @property
    def valid(self) -> bool:
        return not self.fatal and self.violations == 0

    @property
    def loadable(self) -> bool:
        """Would (or did) the file load: valid, or invalid rows skipped and some rows left."""
        if self.fatal:
            return False
        return self.violations == 0 or (self.skip_invalid and self.rows_loaded > 0)

    def row_counts(self) -> dict:
        """Counts that add up: ``read = loaded + skipped + refused`` (``skipped`` includes the
        rows --skip-invalid-rows left out, also counted as ``invalid``). In a refused file
        nothing is loaded: its valid rows are counted as ``held_back`` within ``refused``."""
        loaded = self.rows_loaded if self.loadable else 0
        held_back = self.rows_loaded - loaded
        return {"preamble": self.preamble_rows, "header_row": self.header_row, "read": self.rows_read,
                "loaded": loaded, "skipped": self.rows_skipped, "invalid": len(self.invalid_rows),
                "refused": self.rows_refused + held_back, "with_violations": self.rows_refused,
                "held_back": held_back}

    def flatten(self, keys: list[str]) -> list[list]:
        """Issues as lists of the given attributes, for compact assertions in tests."""
        return [issue.flat(keys) for issue in self.issues]

    def summary(self) -> list[dict]:
        """One entry per (severity, kind) with its count, worst first."""
        order = {VIOLATION: 0, WARNING: 1, INFO: 2, NOTE: 3}
        return [
            {"severity": sev, "kind": kind, "count": n, "message": self.messages.get(kind, "")}
            for (sev, kind), n in sorted(self.counts.items(), key=lambda kv: (order[kv[0][0]], -kv[1]))
        ]

    def to_json(self) -> dict:
        """The stable JSON shape of a report (documented in the README)."""
        return {
            "file": self.file,
            "kind": self.kind,
            "valid": self.valid,
            "fatal": self.fatal or None,
            "council": self.council or None,
            "dialect": self.dialect,
            "encoding": self.encoding,
            "header_row": self.header_row,
            "columns": self.columns,
            "loadable": self.loadable,
            "skip_invalid_rows": self.skip_invalid,
            # A refused file loads nothing, whatever its rows would have given.
            "rows": self.row_counts(),
            "triples": self.triples,
            "counts": {"violations": self.violations, "warnings": self.warnings},
            "summary": self.summary(),
            "issues": [asdict(i) for i in self.issues],
            "skipped": [asdict(i) for i in self.skipped] + [asdict(i) for i in self.invalid_rows],
            "notes": [asdict(i) for i in self.notes],
            "header": self.header,
            "rows_with_issues": {str(row): cells for row, cells in self.row_cells.items()},
            "truncated": len(self.issues) < self.violations + self.warnings,
        }
