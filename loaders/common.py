"""What every kind's loader shares: the file's context, a row's result, concepts, the council.

Each kind (``loaders/spend.py``, ``suppliers.py``, ``contracts.py``, ``grants.py``,
``outcomes.py``, ``framework.py``) is a module with ``make_context``, ``preamble``,
``skip_reason``, ``row_to_triples``, ``SHAPES`` and ``FIELDS_FOR_PATH``; the helpers
here keep the things several kinds describe (the council, a council's own concepts,
typed cells) the same whichever file they come from, so their IRIs meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from catalogue import iris
from catalogue.vocab import DCAT, DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, SV, XSD
from loaders import converters as cv
from loaders.councils import Council
from loaders.mapping import column_terms
from loaders.periods import Interval, within
from loaders.terms import Triple, iri, literal
from loaders.words import title_words

A = iri(str(RDF.type))
LABEL = iri(str(RDFS.label))
DECIMAL = str(XSD.decimal)
BOOLEAN = str(XSD.boolean)


def term(node) -> str:
    """An rdflib term from ``catalogue.vocab`` as an N-Triples ``<iri>``."""
    return iri(str(node))


@dataclass(frozen=True)
class KindContext:
    """What every row of one file shares."""

    base: str
    council: Council
    dataset: str  # dataset IRI
    source: str  # source file IRI (rows are #row=N)
    #: The dialect bound to this file's header (``loaders.mapping.TableMap``), for kinds
    #: whose mapping says more than field names (a performance table's measure columns).
    table: object = field(default=None, compare=False, hash=False)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.table.fields) if self.table is not None else frozenset()

    @property
    def council_iri(self) -> str:
        """The publisher's IRI: the council's, or a body's / "not stated" (``Council.iri``)."""
        return self.council.iri(self.base)

    @cached_property
    def terms(self) -> dict:
        """Field -> ``loaders.mapping.ColumnTerm`` (predicate and datatype), read from the
        dialect bound to this file: what a column's cells become is said by the mapping only."""
        return column_terms(self.table.dialect) if self.table is not None else {}

    @cached_property
    def council_term(self) -> str:
        """The council as an ``<iri>`` term (built once per file, not per row)."""
        return iri(self.council_iri)

    @cached_property
    def line_prefix(self) -> str:
        """``<{dataset}/line/``, checked once: a row's line term is this + its number + ``>``."""
        return iri(f"{self.dataset}/line/")[:-1]

    @cached_property
    def row_prefix(self) -> str:
        """``<{source}#row=``, checked once (see ``row``)."""
        return iri(f"{self.source}#row=")[:-1]

    def row(self, number: int) -> str:
        """The source row as an ``<iri>`` term (RFC 7111 fragment)."""
        return f"{self.row_prefix}{int(number)}>"


class RowTriples(NamedTuple):
    subject: str  # the row's main resource, as an <iri> term
    triples: list[Triple]
    related: list[tuple[str, tuple[Triple, ...]]]  # (key, description) emitted once per load
    #: What the row adds to summaries and the record: e.g. amount, month, payee for spend;
    #: "dates" (ISO lexicals) for the dataset's temporal coverage.
    facts: dict | None = None


#: Concept schemes a council's own codes go into, by canonical field.
SCHEMES = {
    "expense_type": ("expense-type", "expense types"),
    "expense_category": ("expense-category", "expense categories"),
    "service_area": ("service-area", "service areas"),
    "procurement_category": ("procurement-category", "procurement categories"),
    "procurement_process": ("procurement-process", "procurement processes"),
    "grant_programme": ("grant-programme", "grant programmes"),
    "indicator": ("indicator", "outcome indicators"),
    "measure": ("measure", "measures"),
    "unit": ("unit", "units"),
}

_T = {name: term(node) for name, node in {
    "concept": SKOS.Concept, "scheme_class": SKOS.ConceptScheme, "prefLabel": SKOS.prefLabel,
    "inScheme": SKOS.inScheme, "publisher": DCTERMS.publisher,
}.items()}


@lru_cache(maxsize=65536)
def concept(base: str, gss: str, council: str, council_name: str, field: str, label: str,
            broader: tuple[str, str] | None = None) -> tuple[str, tuple[Triple, ...]]:
    """A concept in this council's own scheme for the field (expense type, service area...);
    ``broader`` is ``(predicate, concept)``: the concept it sits under, linked as the mapping
    column naming that concept says (a spend file's expense category: ``skos:broader``)."""
    scheme_key, scheme_label = SCHEMES[field]
    scheme = iri(iris.concept_scheme(base, gss, scheme_key))
    node = iri(iris.concept(base, gss, scheme_key, cv.slug(label, 80)))
    triples = [
        (node, A, _T["concept"]),
        (node, _T["prefLabel"], literal(label)),
        (node, _T["inScheme"], scheme),
        (scheme, A, _T["scheme_class"]),
        (scheme, LABEL, literal(f"{council_name} {scheme_label}")),
        (scheme, _T["publisher"], council),
    ]
    if broader:
        triples.append((node, *broader))
    return node, tuple(triples)


def council_concept(ctx: KindContext, field: str, raw: str):
    """``concept`` for a raw cell of this file's council: ``(node, description)``."""
    return concept(ctx.base, ctx.council.gss, iri(ctx.council_iri), ctx.council.name, field, cv.text(raw))


def council_triples(ctx: KindContext) -> list[Triple]:
    """The council as an org:FormalOrganization tied to its ONS geography."""
    node = iri(ctx.council_iri)
    c = ctx.council
    if not c.is_council:  # a national body, or a publisher not stated: no area of its own
        out = [(node, A, term(ORG.Organization)), (node, LABEL, literal(c.name)),
               (node, _T["prefLabel"], literal(c.name))]
        return out + ([(node, term(FOAF.homepage), iri(c.url))] if c.url else [])
    return [
        (node, A, term(ORG.FormalOrganization)),
        (node, LABEL, literal(c.name)),
        (node, _T["prefLabel"], literal(c.name)),
        (node, term(ORG.identifier), literal(c.gss)),
        (node, term(SV.area), iri(iris.geography(c.gss))),
    ]


# ---------------------------------------------------------------- typed cells

def decimal_or_raw(raw: str) -> tuple[str | None, str]:
    """``(decimal text or None, literal)``: the typed value, or the raw text for SHACL to report."""
    value = cv.money(raw)
    return value, literal(value, DECIMAL) if value is not None else literal(raw.strip())


def date_or_raw(raw: str) -> tuple[str | None, str]:
    """``(ISO date or None, literal)`` for a date cell (datetimes keep their date)."""
    parsed = cv.payment_date(raw)
    if parsed and parsed[1] == "date":
        return parsed[0], literal(parsed[0], str(XSD.date))
    return None, literal(raw.strip())


def flag_literal(value: bool | None | str, datatype: str | None = BOOLEAN) -> str | None:
    """An ``orgid.read_flag`` result as a literal: xsd:boolean, the raw text, or nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return literal("true" if value else "false", datatype)
    return literal(value)


def typed(column, value: str | None, raw: str) -> str:
    """A cell's literal: the value read from it, typed as its mapping column says
    (``loaders.mapping.ColumnTerm``), else the raw text for SHACL to report."""
    return literal(value, column.datatype) if value is not None else literal(raw.strip())


def period_description(period) -> tuple[Triple, ...]:
    """A ``loaders.periods.Interval`` as a dcterms:PeriodOfTime with its first and last days."""
    node = iri(period.iri)
    return (
        (node, A, term(DCTERMS.PeriodOfTime)),
        (node, LABEL, literal(period.label)),
        (node, term(DCAT.startDate), literal(period.start, str(XSD.date))),
        (node, term(DCAT.endDate), literal(period.end, str(XSD.date))),
    )


def part_of_year(ctx: KindContext, year: Interval, part: str) -> Interval | None:
    """The quarter or month a ``sub_period`` cell names inside the period column's year
    (*Financial Year* ``2021/22``, *Month* ``June``: June 2021), or ``None`` when it names
    none. A bare number is a quarter or a month only when the column's title says which."""
    quarters, months = _part_titled(ctx.table.title("sub_period") or "")
    return within(year, cv.text(part), quarters, months)


@lru_cache(maxsize=64)
def _part_titled(title: str) -> tuple[bool, bool]:
    words = set(title_words(title))
    return bool({"quarter", "qtr", "quarters"} & words), bool({"month", "months", "mth", "mnth"} & words)


# ---------------------------------------------------------------- the council's framework

#: Concept-scheme key of a council's own social-value framework (see loaders/framework.py).
FRAMEWORK_SCHEME = "social-value"


def framework_concept(ctx: KindContext, code: str) -> str:
    """The framework concept a code names, as an ``<iri>``: the same IRI the framework
    file mints, so a contract or observation can refer to a measure by its code alone."""
    return iri(iris.concept(ctx.base, ctx.council.gss, FRAMEWORK_SCHEME, cv.slug(code.strip(), 80)))


def contributions(ctx: KindContext, raw: str) -> list[str]:
    """``"T1.2; T3.1"`` -> the framework measures' ``<iri>`` terms."""
    codes = [c.strip() for c in raw.replace("|", ";").replace(",", ";").split(";")]
    return [framework_concept(ctx, code) for code in codes if code]
