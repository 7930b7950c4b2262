"""Outcome rows to triples: RDF Data Cube observations of the council's indicators.

Three shapes of file, one structure (``sv:outcomeStructure``):

- long form (``area_code, area_name, period, indicator, measure, unit, value``): each
  row is one observation ``{dataset}/obs/{row}``;
- performance tables (prompt payment, counter fraud): each row is a period with several
  measure columns; the mapping names each column's indicator, measure and unit
  (``sv:indicator``, ``sv:measure``, ``sv:unit`` on the column), and each filled cell is
  one observation ``{dataset}/obs/{row}/{column}``. The area is the council's own.
- wide tables (``Indicator, 2019/20, 2020/21, 2021/22``): each row is an indicator (and
  an area), each column titled by a period holds that period's values
  (``loaders.period_columns``); each filled cell is one observation
  ``{dataset}/obs/{row}/{column}`` of the row's indicator, measure and unit.

Dimensions: ``sdmx-dimension:refArea`` (ONS geography), ``sdmx-dimension:refPeriod``
(reference.data.gov.uk interval, see ``loaders.periods``), ``sv:indicator`` and
``sv:measure`` (concepts of the council's schemes); attribute ``sv:unit``; measure
``sdmx-measure:obsValue`` (xsd:decimal, exactly as published). Every observation
belongs to the dataset's cube ``{dataset}/observations``.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogue import iris
from catalogue.vocab import DCTERMS, PROV, QB, SDMX_DIMENSION, SDMX_MEASURE, SV
from loaders import converters as cv
from loaders import period_columns
from loaders.common import (
    A, DECIMAL, LABEL, KindContext, RowTriples, contributions, council_concept, council_triples,
    decimal_or_raw, part_of_year, period_description, term, typed,
)
from loaders.councils import Council, area_named, register
from loaders.periods import interval, period_ending, title_period
from loaders.report import NOTE, LoadIssue
from loaders.terms import Triple, iri, literal
from loaders.words import title_words

T = {name: term(node) for name, node in {
    "observation": QB.Observation, "dataset": QB.dataSet, "cube": QB.DataSet, "structure": QB.structure,
    "structure_def": SV.outcomeStructure, "cubeOf": SV.cubeOf, "publisher": DCTERMS.publisher,
    "area": SDMX_DIMENSION.refArea, "period": SDMX_DIMENSION.refPeriod, "indicator": SV.indicator,
    "measure": SV.measure, "unit": SV.unit, "value": SDMX_MEASURE.obsValue,
    "derived": PROV.wasDerivedFrom, "contributes": SV.contributesTo,
}.items()}

SHAPES = ("outcomes.ttl",)

#: An outcome table may cover every council (a national body's table, one row per area):
#: it loads without --publisher, catalogued with its publisher not stated, and each
#: observation keeps its own row's area.
PUBLISHER_OPTIONAL = True

FIELDS_FOR_PATH = {
    str(SDMX_DIMENSION.refPeriod): lambda values: (
        ("sub_period", "period", "period_end") if values.get("sub_period") and interval(cv.text(values.get("period", "")))
        else ("period", "sub_period", "period_end")),  # a readable year beside an unreadable quarter: the quarter
    str(SDMX_DIMENSION.refArea): ("area_code", "area_name"),
    str(SDMX_MEASURE.obsValue): lambda values: ("value",) + tuple(n for n in values if n not in _NOT_MEASURES),
}



def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> KindContext:
    return KindContext(base, council, dataset, source, table)


def measure_columns(ctx: KindContext) -> list[tuple[str, dict]]:
    """``(field, column metadata)`` of the columns of values in this file: a performance
    table's measure columns (``sv:indicator``) or a wide table's period columns (``sv:period``)."""
    if ctx.table is None:
        return []
    return [(c.name, c.extra) for c in ctx.table.dialect.columns
            if (c.extra.get("sv:indicator") or c.extra.get("sv:period")) and c.name in ctx.table.fields]


def preamble(ctx: KindContext) -> list[Triple]:
    cube = iri(f"{ctx.dataset}/observations")
    label = f"{ctx.council.name} outcome indicators" if ctx.council.is_council or ctx.council.url else \
        "Outcome indicators (publisher not stated)"
    return council_triples(ctx) + [
        (cube, A, T["cube"]),
        (cube, T["structure"], T["structure_def"]),
        (cube, T["cubeOf"], iri(ctx.dataset)),
        (cube, LABEL, literal(label)),
        (cube, T["publisher"], iri(ctx.council_iri)),
    ]


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if "value" in values or any(name not in _NOT_MEASURES for name in values):
        return None
    return "no value in this row (empty or NA): nothing to observe"


_NOT_MEASURES = frozenset({"body", "body_name", "area_code", "area_name", "period", "sub_period", "period_end",
                           "indicator", "measure", "unit", "social_value_code"})


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One indicator row -> one observation (long form) or one per filled measure column."""
    related: list[tuple[str, tuple[Triple, ...]]] = []
    P = ctx.terms

    def term_for(field: str, key: str) -> str:
        """The field's mapping ``propertyUrl``; the structural term when no column feeds it
        (the council's own area, a wide table's indicator named by its measure column)."""
        return P[field].predicate if field in P else T[key]

    shared: list[tuple[str, str]] = [(T["derived"], ctx.row(row)),
                                     (T["dataset"], iri(f"{ctx.dataset}/observations"))]
    facts: dict = {}
    raw_area = values.get("area_code")
    if raw_area is None and (name := values.get("area_name")):
        shared.append((term_for("area_code", "area"), _area_named(name)))
    elif raw_area is None:
        shared.append((T["area"], iri(iris.geography(ctx.council.gss))))
    else:
        code = raw_area.strip().upper()
        shared.append((term_for("area_code", "area"),
                       iri(iris.geography(code)) if cv.AREA_CODE.match(code) else literal(raw_area.strip())))
    period_field, raw_period = "period", values.get("period")
    period = interval(cv.text(raw_period)) if raw_period else None
    if raw_period and (part := values.get("sub_period")):  # "2021/22" and "Q1": the quarter, never the year
        period = part_of_year(ctx, period, part) if period else None
        raw_period = f"{raw_period.strip()} {part.strip()}"
    if period is None and raw_period is None and (end := values.get("period_end")):
        period = period_ending(end)
        period_field, raw_period = "period_end", end
    period_term = term_for(period_field, "period")
    if period:
        shared.append((period_term, iri(period.iri)))
        related.append((period.iri, period_description(period)))
        facts["dates"] = (period.start, period.end)
    elif raw_period is not None:
        shared.append((period_term, literal(raw_period.strip())))
    if raw := values.get("social_value_code"):
        shared += [(P["social_value_code"].predicate, measure) for measure in contributions(ctx, raw)]

    cells: list[tuple[str, str, str, str | None, str | None, str | None, str | None]] = []
    indicator, measure, unit = values.get("indicator"), values.get("measure"), values.get("unit")
    if "indicator" not in ctx.fields and "measure" in ctx.fields:
        # A table with a measure column and no indicator column (``measure``, ``Indicator
        # Name`` titles aside): the measure names what is measured, so it is the indicator.
        indicator, measure = measure, None
    by_period = measure_columns(ctx)
    if "value" in values or (indicator is not None and not by_period):
        cells.append((iri(f"{ctx.dataset}/obs/{row}"), "value", values.get("value", ""), indicator, measure,
                      unit, None))
    for name, meta in by_period:
        if (raw := values.get(name)) is None:
            continue
        obs = iri(f"{ctx.dataset}/obs/{row}/{cv.slug(name)}")
        if "sv:period" in meta:  # a column per period: the row says what, the title when
            cells.append((obs, name, raw, indicator, measure or meta.get("sv:measure"), unit or meta.get("sv:unit"),
                          meta["sv:period"]))
        else:
            cells.append((obs, name, raw, meta["sv:indicator"], meta.get("sv:measure"), meta.get("sv:unit"), None))
    out: list[Triple] = []
    for obs, value_field, raw_value, indicator, measure, unit, titled in cells:
        out.append((obs, A, T["observation"]))
        out += [(obs, p, o) for p, o in shared]
        if titled is not None and (period := title_period(titled)) is not None:
            out.append((obs, T["period"], iri(period.iri)))
            related.append((period.iri, period_description(period)))
            facts["dates"] = facts.get("dates", ()) + (period.start, period.end)
        if raw_value.strip():
            value = P.get(value_field)
            read = decimal_or_raw(raw_value)[0]
            if read is None and _a_percentage(measure) and (read := cv.percentage(raw_value)) is not None:
                measure = measure or "Percentage"  # "87.5%": the cell says what it is
            out.append((obs, term_for(value_field, "value"), typed(value, read, raw_value) if value and value.datatype
                        else decimal_or_raw(raw_value)[1] if read is None else literal(read, DECIMAL)))
        for field, label in (("indicator", indicator), ("measure", measure), ("unit", unit)):
            if label and cv.text(label):
                node, description = council_concept(ctx, field, label)
                out.append((obs, term_for(field, field), node))
                related.append((node, description))
    subject = cells[0][0] if cells else iri(f"{ctx.dataset}/obs/{row}")
    return RowTriples(subject, out, related, facts)


def _a_percentage(measure: str | None) -> bool:
    """May a value with a per cent sign be read under this measure? Under none, or one that
    is a share; a "5.3%" where the row says Count is a contradiction for the shapes to refuse."""
    return measure is None or bool({"percent", "percentage", "proportion", "share", "rate"} & set(title_words(measure)))


def _area_named(name: str) -> str:
    """The area of a row that names it without a code: a council by its official name or
    an alias in the register ("Trafford", "Trafford Council"), a nation or English region
    ("England", "North West"), else the name as written, which the shapes refuse as no ONS
    code (a ward's name is never taken for the publishing council's area)."""
    council = register().find(name)
    code = council.gss if council is not None else area_named(name)
    return iri(iris.geography(code)) if code else literal(name.strip())


def file_notes(table) -> list[LoadIssue]:
    """Columns of the file that no observation carries (a national table's median, rank or
    region): said once, so nobody takes them for loaded; the value comes from its own column.
    And, for a performance table no mapping knows, what each column of numbers became."""
    notes = _discovered_note(table)
    read = set(table.fields.values())
    left = [title for i, title in enumerate(table.header) if i not in read and title.strip()]
    if not left:
        return notes
    value = table.title("value") if "value" in table.fields else None
    return notes + [LoadIssue(
        "columns-not-loaded", NOTE, table.header_row, ", ".join(left), None,
        f"{len(left)} column(s) were not loaded: {', '.join(repr(t) for t in left)}. An observation carries its "
        f"area, period, indicator, measure, unit and value" + (f" (from {value!r})" if value else "") + " only.",
        "Nothing to do if these are extra figures (a median, a rank, a region). To load one as the value, "
        "give a --mapping that names it as the value column.")]


def _discovered_note(table) -> list[LoadIssue]:
    """``loaders.measures`` found the measure columns: say which, and what each became."""
    found = [c for c in table.dialect.columns if "sv:discovered" in c.extra]
    if not found:
        return []
    if "sv:period" in found[0].extra:
        message, fix = period_columns.describe(found)
        return [LoadIssue("period-columns", NOTE, table.header_row, ", ".join(c.titles[0] for c in found), None,
                          message, fix)]
    said = "; ".join(
        f"{c.titles[0]!r} -> indicator {c.extra['sv:indicator']!r}"
        + (f", measure {c.extra['sv:measure']}" if "sv:measure" in c.extra else ", measure not stated")
        + (f", unit {c.extra['sv:unit']}" if "sv:unit" in c.extra else "") for c in found)
    return [LoadIssue(
        "measure-columns", NOTE, table.header_row, ", ".join(c.titles[0] for c in found), None,
        f"{len(found)} column(s) of numbers read as the measures of a performance table: {said}. Each "
        "indicator is its column's title; a measure or unit only where the title's words say it.",
        "To name the indicators, measures and units yourself, give a --mapping with sv:indicator, sv:measure "
        "and sv:unit on each column (as loaders/mappings/outcomes/prompt-payment.json does).")]
