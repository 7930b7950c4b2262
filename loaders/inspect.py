"""What the loaders would make of a file, without loading it (``svcat inspect``).

``inspect_file`` sniffs the file, finds its header for each kind (or the kind given),
picks the kind whose dialect reads it best, and describes the result: encoding, line
endings, header row, every column with the field and property it feeds, the council,
the first rows as fields, and the notes a load would print about the header.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict
from pathlib import Path

from loaders.councils import UnknownCouncil
from loaders.header import header_notes
from loaders.kinds import KindScore, decide, score_kind
from loaders.mapping import TableMap, missing_fields, user_dialect
from loaders.read import is_blank, sniff

#: Fields that only identify the publisher: they say nothing about which kind a file is.
_PUBLISHER_FIELDS = {"body", "body_name"}


def _read_as(kind: str, path: Path, mapping: Path | None, sheet: str | None = None):
    from loaders import DEFAULT_LIMITS, read_header  # the same reading a load does

    dialect = user_dialect(kind, mapping) if mapping else None
    info, stream, table, preamble, _ = read_header(kind, path, dialect, sheet, DEFAULT_LIMITS)
    return info, table, preamble, stream


def candidates(path: Path, kinds: list[str], mapping: Path | None = None, sheet: str | None = None) -> list[dict]:
    """For each kind: how many fields its best dialect reads from the file and how well
    the file's structure fits the kind (``loaders.kinds``), or why it cannot be read."""
    out = []
    for kind in kinds:
        try:  # a register's own reader (JSON, tab-separated) may fail on a file of another kind
            _, table, _, stream = _read_as(kind, path, mapping, sheet)
            scored = score_kind(kind, table, stream)
        except (ValueError, LookupError, UnicodeDecodeError) as exc:  # DialectError is a ValueError
            out.append({"kind": kind, "readable": False, "fields": 0, "missing": getattr(exc, "missing", []),
                        "problem": str(exc), "score": 0.0, "evidence": []})
            continue
        fields = len(set(table.fields) - _PUBLISHER_FIELDS)
        out.append({"kind": kind, "readable": True, "fields": fields, "missing": [], "problem": None,
                    "score": round(scored.score, 1), "evidence": scored.evidence})
    return out


def detect_kind(path: str | Path, kinds: list[str], mapping: str | Path | None = None) -> dict:
    """``{"kind", "confidence", "evidence", "close", "scores"}`` for a file (``svcat load FILE``)."""
    return guess(candidates(Path(path), kinds, Path(mapping) if mapping else None))


def guess(found: list[dict]) -> dict:
    """The kind the structure points to, with its confidence and evidence (see ``loaders.kinds``)."""
    return decide([KindScore(c["kind"], c["score"], c["evidence"]) for c in found if c["readable"]])


def _delimiter_name(info) -> str | None:
    """What separates the cells of a text file, as found (``None`` for a spreadsheet)."""
    from loaders.delimiter import NAMES

    return NAMES[info.delimiter] if info.format == "csv" else None


def inspect_file(path: str | Path, kinds: list[str], *, kind: str | None = None, publisher: str | None = None,
                 mapping: str | Path | None = None, rows: int = 5, sheet: str | None = None) -> dict:
    """A description of the file as the loaders see it (see the README for its shape)."""
    from loaders import _council  # the same council detection a load uses

    path = Path(path)
    mapping = Path(mapping) if mapping else None
    found = candidates(path, [kind] if kind else kinds, mapping, sheet)
    guessed = guess(found)
    info = sniff(path)
    result = {
        "file": str(path), "size": info.size, "sha256": info.sha256, "encoding": info.encoding,
        "newline": info.newline, "delimiter": _delimiter_name(info) if mapping is None else None,
        "kind": None, "candidates": found, "dialect": None, "header_row": None,
        "preamble_rows": [], "columns": [], "council": None, "council_problem": None, "sample": [], "notes": [], "missing": [],
        "confidence": guessed["confidence"], "evidence": guessed["evidence"], "close_kind": guessed["close"],
    }
    if not guessed["kind"]:
        return result
    chosen = guessed["kind"]
    info, table, preamble, stream = _read_as(chosen, path, mapping, sheet)
    data = list(itertools.islice(((n, c) for n, c in stream if not is_blank(c)), max(rows, 50)))
    result.update(kind=chosen, dialect={"id": table.dialect.id, "title": table.dialect.title},
                  header_row=table.header_row, preamble_rows=[n for n, _ in preamble],
                  columns=describe_columns(table), notes=[asdict(n) for n in header_notes(table, preamble)],
                  missing=missing_fields(chosen, table))
    try:
        council = _council(publisher, table, data, path)
        result["council"] = {"gss": council.gss, "name": council.name}
    except UnknownCouncil as exc:
        result["council_problem"] = str(exc)
    result["sample"] = [{"row": n, "values": table.values(cells)} for n, cells in data[:rows]]
    return result


def describe_columns(table: TableMap) -> list[dict]:
    """Every header cell: its position, title, and the field and property it feeds (if any)."""
    by_index = {index: name for name, index in table.fields.items()}
    decided = {d.column: d for d in table.decisions}
    out = []
    for index, title in enumerate(table.header):
        name = by_index.get(index)
        column = table.dialect.column(name) if name else None
        decision = decided.get(index) if name else None
        out.append({"column": index + 1, "header": title, "field": name,
                    "property": column.property_url if column else None,
                    "how": decision.how if decision else None,
                    "why": decision.why if decision and (decision.how != "known title" or decision.noted) else None,
                    "rejected": list(decision.rejected) if decision else []})
    return out
