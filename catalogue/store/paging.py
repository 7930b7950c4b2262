"""Every row of a SELECT, as plain strings, whatever row limit the store has.

Linking, the summaries and the web tables all read long answers (every supplier record,
every payee cell); the web tier's stores cut an answer at a row limit and say so. These
helpers read SPARQL CSV results (fast, and all those readers need) and, when an answer is
cut (``Truncated``), page through it in a stated order instead of losing its tail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from catalogue.store import Store
from catalogue.store.results import EXACT_CSV


class Truncated(Exception):
    """A result the store cut at its row limit (the web tier's stores have one)."""


def csv_iter(store: Store, sparql: str) -> Iterator[dict[str, str]]:
    """A SELECT as plain strings (SPARQL CSV results: fast, and all linking needs), one
    row at a time: the query runs (and a cut answer raises ``Truncated``) at once, and
    each row is parsed from the answer's bytes only as it is consumed, so a big answer is
    held once, as bytes, rather than as bytes, text, a text buffer and every row at once."""
    raw = store.query_raw(sparql, results_type=EXACT_CSV, graph_type="text/turtle")
    if getattr(raw, "truncated", False):
        raise Truncated(sparql)
    return csv.DictReader(io.TextIOWrapper(io.BytesIO(raw[2]), encoding="utf-8", newline=""))


def csv_rows(store: Store, sparql: str) -> list[dict[str, str]]:
    """Every row of a SELECT as plain strings (see ``csv_iter``)."""
    return list(csv_iter(store, sparql))


def each_row(store: Store, sparql: str, order: str, page: int = 5000) -> Iterator[dict[str, str]]:
    """Every row of a SELECT, one at a time: in one go, or, when the store's row limit
    cuts it, in pages sorted by ``order`` (sorting costs more than the query, so it is
    done only then)."""
    try:
        rows = csv_iter(store, sparql)
    except Truncated:
        pass
    else:
        yield from rows
        return
    offset = 0
    while True:
        try:
            rows = csv_rows(store, f"{sparql}\nORDER BY {order} LIMIT {page} OFFSET {offset}")
        except Truncated:
            if page <= 100:
                raise
            page //= 2
            continue
        yield from rows
        if len(rows) < page:
            return
        offset += page


def all_rows(store: Store, sparql: str, order: str, page: int = 5000) -> list[dict[str, str]]:
    """Every row of a SELECT (see ``each_row``), as a list."""
    return list(each_row(store, sparql, order, page))
