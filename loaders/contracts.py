"""Contracts-register rows to triples: one ``pc:Contract`` per row.

Each row becomes ``{dataset}/contract/{row}`` (a register may list a contract and its
extension under one reference, so rows, not references, are the resources), with the
council as ``pc:contractingAuthority``, the supplier as the ``sv:Supplier`` record its
spend files pay (``sv:awardedTo``; the row's SME flag, company number and postcode go
on that record), values, dates, the council's own directorate, procurement process
and classification concepts, and the framework measures it counts towards.

As in spend, cells that cannot be read are emitted as plain literals and reported by
``shapes/contracts.ttl`` with their row and column; cells that say there is nothing to
say (``-``, ``TBC``, ``N/A``, ``Various``) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogue.vocab import DCTERMS, PC, PROV, SV
from loaders import converters as cv
from loaders import orgid, organisations
from loaders.common import (
    A, KindContext, RowTriples, contributions, council_concept, council_triples, date_or_raw,
    decimal_or_raw, flag_literal, term, typed,
)
from loaders.councils import Council
from loaders.terms import Triple, iri, literal

#: The terms no column feeds: the class, the council's role, the source row, the payee link
#: when a file has no supplier name column. Column-fed terms come from the mapping.
T = {name: term(node) for name, node in {
    "contract": PC.Contract, "authority": PC.contractingAuthority, "derived": PROV.wasDerivedFrom,
    "awardedTo": SV.awardedTo,
}.items()}

SHAPES = ("contracts.ttl", "suppliers.ttl")

FIELDS_FOR_PATH = {
    **organisations.FIELDS_FOR_PATH,
    str(SV.awardedTo): ("supplier_name", "supplier_id"),
    str(DCTERMS.title): ("title", "description"),
    str(DCTERMS.identifier): ("contract_reference",),
}

#: (field, predicate key) of the decimal and date cells of a row.
#: Column-fed fields by how their cells are read; what each becomes is its mapping
#: column's propertyUrl and datatype (``KindContext.terms``).
DECIMALS = ("annual_value", "total_value", "duration_months", "extension_months")
DATES = ("start_date", "end_date", "current_expiry")
TEXTS = ("contract_reference", "title", "description")
CONCEPTS = (("service_area", "service_area"), ("procurement_process", "procurement_process"),
            ("procurement_category", "procurement_category"))


def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> KindContext:
    return KindContext(base, council, dataset, source, table)


def preamble(ctx: KindContext) -> list[Triple]:
    return council_triples(ctx)


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if not any(values.get(f) for f in ("contract_reference", "title", "description", "supplier_name",
                                       "annual_value", "total_value")):
        return "no contract in this row: no reference, title, supplier or value"
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One contracts-register record -> its pc:Contract and the records it names."""
    contract = iri(f"{ctx.dataset}/contract/{row}")
    council = iri(ctx.council_iri)
    out: list[Triple] = [
        (contract, A, T["contract"]),
        (contract, T["authority"], council),
        (contract, T["derived"], ctx.row(row)),
    ]
    related: list[tuple[str, tuple[Triple, ...]]] = []
    get = values.get
    P = ctx.terms
    for field in TEXTS:
        if text := cv.text(get(field, "")):
            out.append((contract, P[field].predicate, literal(text)))
    if supplier := organisations.supplier_facts(values):
        node, key, description = organisations.supplier_record(ctx.base, ctx.council.gss, council, supplier)
        out.append((contract, P["supplier_name"].predicate if "supplier_name" in P else T["awardedTo"], node))
        related.append((key, description))
    for field in DECIMALS:
        if (raw := get(field)) and not orgid.is_placeholder(raw):
            out.append((contract, P[field].predicate, typed(P[field], decimal_or_raw(raw)[0], raw)))
    dates = []
    for field in DATES:
        if (raw := get(field)) and not orgid.is_placeholder(raw):
            iso, _ = date_or_raw(raw)
            out.append((contract, P[field].predicate, typed(P[field], iso, raw)))
            if iso:
                dates.append(iso)
    column = P.get("above_threshold")
    if (raw := get("above_threshold")) and (value := flag_literal(orgid.read_flag(raw), column.datatype)) is not None:
        out.append((contract, column.predicate, value))
    for field, scheme in CONCEPTS:
        if raw := get(field):
            node, description = council_concept(ctx, scheme, raw)
            out.append((contract, P[field].predicate, node))
            related.append((node, description))
            if field == "procurement_category" and (code := cv.text(get("procurement_code", ""))):
                related.append((f"{node}|{code}", ((node, P["procurement_code"].predicate, literal(code)),)))
    if raw := get("social_value_code"):
        out += [(contract, P["social_value_code"].predicate, measure) for measure in contributions(ctx, raw)]
    return RowTriples(contract, out, related, {"dates": tuple(dates)} if dates else None)
