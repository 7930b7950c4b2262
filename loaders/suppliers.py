"""Supplier-list rows to triples: one ``sv:Supplier`` record per row, and its totals.

A supplier list says what the council knows about each supplier (name, its own
supplier id, company, charity and VAT numbers, postcode, SME and VCSE flags). Each row
describes the supplier record ``loaders.organisations`` builds, the same record the
council's spend files pay, with ``prov:wasDerivedFrom`` the row. When the list also
gives what the supplier was paid (a total, optionally a number of payments and a
period), the row adds one observation to the dataset's ``{dataset}/totals`` cube
(structure ``sv:supplierTotals``, kept apart from the spend summaries so nothing is
counted twice).
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogue.vocab import DCTERMS, PROV, QB, SDMX_DIMENSION, SV
from loaders import converters as cv
from loaders import organisations
from loaders.common import (
    A, LABEL, KindContext, RowTriples, council_triples, decimal_or_raw, period_description, term, typed,
)
from loaders.councils import Council
from loaders.periods import interval
from loaders.terms import Triple, iri, literal

#: The terms no column feeds: classes and the cube's structure. What a total's cells become
#: (amount, number of payments, period) is their mapping columns' ``propertyUrl`` and
#: ``datatype`` (``ctx.terms``); the supplier record's, the suppliers mapping's (``organisations``).
T = {name: term(node) for name, node in {
    "derived": PROV.wasDerivedFrom, "observation": QB.Observation, "total_class": SV.SupplierTotal,
    "dataset": QB.dataSet, "structure": QB.structure, "cube": QB.DataSet, "council": SV.council,
    "payee": SV.payeeRecord, "cubeOf": SV.cubeOf, "publisher": DCTERMS.publisher,
    "structure_def": SV.supplierTotals,
}.items()}

SHAPES = ("suppliers.ttl",)

FIELDS_FOR_PATH = {
    **organisations.FIELDS_FOR_PATH,
}


def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> KindContext:
    return KindContext(base, council, dataset, source, table)


def preamble(ctx: KindContext) -> list[Triple]:
    out = council_triples(ctx)
    if "total_amount" in ctx.fields:
        cube = iri(f"{ctx.dataset}/totals")
        out += [
            (cube, A, T["cube"]),
            (cube, T["structure"], T["structure_def"]),
            (cube, T["cubeOf"], iri(ctx.dataset)),
            (cube, LABEL, literal(f"{ctx.council.name} supplier totals")),
            (cube, T["publisher"], iri(ctx.council_iri)),
        ]
    return out


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if organisations.supplier_facts(values) is None:
        return "no supplier in this row: no name and no supplier id"
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One supplier-list record -> the supplier record it describes (and its total)."""
    council = iri(ctx.council_iri)
    facts = organisations.supplier_facts(values)
    node, key, description = organisations.supplier_record(ctx.base, ctx.council.gss, council, facts)
    out: list[Triple] = [(node, T["derived"], ctx.row(row))]
    related = [(key, description)]
    row_facts: dict = {}
    P = ctx.terms
    if (raw := values.get("total_amount")) is not None:
        obs = iri(f"{ctx.dataset}/total/{row}")
        total = P["total_amount"]
        out += [
            (obs, A, T["observation"]), (obs, A, T["total_class"]),
            (obs, T["dataset"], iri(f"{ctx.dataset}/totals")),
            (obs, T["council"], council), (obs, T["payee"], node),
            (obs, total.predicate, typed(total, decimal_or_raw(raw)[0], raw)),
            (obs, T["derived"], ctx.row(row)),
        ]
        if (raw := values.get("payments")) is not None:
            count, lines = raw.strip().replace(",", ""), P["payments"]
            out.append((obs, lines.predicate, typed(lines, count if count.isdigit() else None, raw)))
        if (raw := values.get("period")) is not None:
            period = interval(cv.text(raw))
            if period:
                out.append((obs, P["period"].predicate, iri(period.iri)))
                related.append((period.iri, period_description(period)))
                row_facts["dates"] = (period.start, period.end)
            else:
                out.append((obs, P["period"].predicate, literal(raw.strip())))
    return RowTriples(node, out, related, row_facts)

