"""A council's social-value framework -> a SKOS concept scheme of themes, outcomes, measures.

Councils must be able to say what *they* count as social value. A framework file has
one row per measure, with the outcome and theme above it repeated on each row. The
scheme is ``{base}id/scheme/{GSS}/social-value`` (an ``sv:SocialValueFramework``);
each theme (top concept), outcome and measure is a concept of it, minted from its code
(``{base}id/concept/{GSS}/social-value/{code}``) so that contracts, grants and outcome
rows can name a measure by code alone (``sv:contributesTo``). A measure's ``sv:unit``
is a concept of the council's unit scheme (shared with its outcome files), and
``sv:trackedBy`` points at the council's indicator concept that tracks it, when the row
names one exactly as the council's outcome files do.

No third-party proxy values are shipped or implied: the framework is the council's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from catalogue import iris
from catalogue.vocab import DCTERMS, PROV, SKOS, SV
from loaders import converters as cv
from loaders.common import (
    A, FRAMEWORK_SCHEME, LABEL, KindContext, RowTriples, council_concept, council_triples, term,
)
from loaders.councils import Council
from loaders.terms import Triple, iri, literal

#: The terms no column feeds: classes, the scheme's structure, provenance. What a cell
#: becomes (a code, a label, a unit...) is its mapping column's ``propertyUrl`` (``ctx.terms``).
T = {name: term(node) for name, node in {
    "concept": SKOS.Concept, "scheme_class": SKOS.ConceptScheme, "framework": SV.SocialValueFramework,
    "theme": SV.SocialValueTheme, "outcome": SV.SocialValueOutcome, "measure": SV.SocialValueMeasure,
    "inScheme": SKOS.inScheme, "broader": SKOS.broader, "topConceptOf": SKOS.topConceptOf,
    "hasTopConcept": SKOS.hasTopConcept, "derived": PROV.wasDerivedFrom, "publisher": DCTERMS.publisher,
}.items()}

SHAPES = ("framework.ttl",)

FIELDS_FOR_PATH = {
    str(SKOS.notation): ("measure_code",),
    str(SKOS.prefLabel): ("measure",),
    str(SKOS.broader): ("outcome", "outcome_code"),
}


def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> KindContext:
    return KindContext(base, council, dataset, source, table)


def scheme(ctx: KindContext) -> str:
    return iri(iris.concept_scheme(ctx.base, ctx.council.gss, FRAMEWORK_SCHEME))


def preamble(ctx: KindContext) -> list[Triple]:
    node = scheme(ctx)
    return council_triples(ctx) + [
        (node, A, T["scheme_class"]),
        (node, A, T["framework"]),
        (node, LABEL, literal(f"{ctx.council.name} social value framework")),
        (node, T["publisher"], iri(ctx.council_iri)),
    ]


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if not values.get("measure_code") and not values.get("measure"):
        return "no measure in this row: no measure code or name"
    return None


def _level(ctx: KindContext, level: str, code: str, label: str, broader: str | None) -> tuple[str, tuple[Triple, ...]]:
    """A theme or outcome concept. Its code and label (the ``{level}_code`` and ``{level}``
    columns) become what their mapping columns say."""
    return _level_concept(ctx, level, (ctx.terms[f"{level}_code"], code), (ctx.terms[level], label), broader)


@lru_cache(maxsize=4096)
def _level_concept(ctx: KindContext, level: str, code: tuple, label: tuple,
                   broader: str | None) -> tuple[str, tuple[Triple, ...]]:
    """``_level``, memoised (many measures repeat a theme and an outcome): each of ``code``
    and ``label`` is ``(ColumnTerm, cell)``, so the key holds what the mapping said."""
    node = iri(iris.concept(ctx.base, ctx.council.gss, FRAMEWORK_SCHEME, cv.slug(code[1] or label[1], 80)))
    triples = [(node, A, T["concept"]), (node, A, T[level]), (node, T["inScheme"], scheme(ctx))]
    for column, value in (code, label):
        if value:
            triples.append((node, column.predicate, literal(value, column.datatype)))
    if broader:
        triples.append((node, T["broader"], broader))
    if level == "theme":
        triples += [(node, T["topConceptOf"], scheme(ctx)), (scheme(ctx), T["hasTopConcept"], node)]
    return node, tuple(triples)


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One framework row -> its measure, and the outcome and theme above it."""
    get = values.get
    related: list[tuple[str, tuple[Triple, ...]]] = []
    theme = outcome = None
    theme_code, theme_label = cv.text(get("theme_code", "")), cv.text(get("theme", ""))
    if theme_code or theme_label:
        theme, description = _level(ctx, "theme", theme_code, theme_label, None)
        related.append((f"{theme}|{theme_label}", description))
    outcome_code, outcome_label = cv.text(get("outcome_code", "")), cv.text(get("outcome", ""))
    if outcome_code or outcome_label:
        outcome, description = _level(ctx, "outcome", outcome_code, outcome_label, theme)
        related.append((f"{outcome}|{theme}|{outcome_label}", description))
    code, label = cv.text(get("measure_code", "")), cv.text(get("measure", ""))
    node = iri(iris.concept(ctx.base, ctx.council.gss, FRAMEWORK_SCHEME, cv.slug(code or label, 80)))
    out: list[Triple] = [
        (node, A, T["concept"]), (node, A, T["measure"]), (node, T["inScheme"], scheme(ctx)),
        (node, T["derived"], ctx.row(row)),
    ]
    P = ctx.terms  # the measure's own cells become what the mapping's columns say
    for field, value in (("measure_code", code), ("measure", label)):
        if value:
            out.append((node, P[field].predicate, literal(value, P[field].datatype)))
    if outcome:
        out.append((node, T["broader"], outcome))
    if text := cv.text(get("description", "")):
        out.append((node, P["description"].predicate, literal(text, P["description"].datatype)))
    for field in ("unit", "indicator"):
        if raw := get(field):
            concept, description = council_concept(ctx, field, raw)
            out.append((node, P[field].predicate, concept))
            related.append((concept, description))
    return RowTriples(node, out, related)
