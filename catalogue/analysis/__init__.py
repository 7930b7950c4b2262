"""What the pages show, as SPARQL over the catalogue graph and the spend summary cubes.

Every figure on a page comes from one named query that a reader can see and run
themselves on ``/sparql``: a ``Query`` holds the exact text that ran (with its
``PREFIX`` lines), and ``run`` returns its rows as plain Python values together with
whether the store cut the result. Pages read the summary cubes
(``catalogue.summaries.cells``) and the catalogue records, never scan payment lines.

This package knows nothing of Flask; the web layer and the benchmarks both call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef

from catalogue.store import Store, sparql_text
from catalogue.vocab import sparql_prologue

#: Values enter queries only through the store's one escaping helper (``sparql_text``).
iri_ref = sparql_text.iri
string_literal = sparql_text.literal


@dataclass(frozen=True)
class Query:
    """A query as it runs and as a reader sees it (``text`` includes its prologue)."""

    name: str
    title: str
    body: str
    prefixes: tuple[str, ...] = ("rdfs", "skos", "dcterms", "dcat", "qb", "sv", "pay", "org")

    @property
    def text(self) -> str:
        return sparql_prologue(*self.prefixes) + "\n" + _dedent(self.body)


def _dedent(body: str) -> str:
    lines = body.strip("\n").splitlines()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines) + "\n"


@dataclass
class Result:
    """Rows of a SELECT as Python values; ``truncated`` when the store cut them."""

    query: Query
    rows: list[dict] = field(default_factory=list)
    truncated: bool = False
    reason: str | None = None


def python_value(term):
    """An rdflib term as the value a page or CSV shows (IRIs stay strings)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (int, Decimal, float, bool)):
            return value
        return str(term)
    return str(term)


def run(store: Store, query: Query) -> Result:
    """Run a SELECT; rows as dicts of Python values.

    A store that cuts results at its row limit marks its ``Bindings`` ``truncated`` (with
    the ``limit``); the result carries that on, in words, so that pages say so.
    """
    bindings = store.select(query.text)
    rows = [{name: python_value(value) for name, value in row.items()} for row in bindings.rows]
    if not getattr(bindings, "truncated", False):
        return Result(query, rows)
    limit = getattr(bindings, "limit", None)
    reason = getattr(bindings, "truncation_reason", None) or (
        f"the store returns at most {limit:,} rows to a query" if limit else "the store cut the result")
    return Result(query, rows, True, reason)


def to_decimal(value) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))
