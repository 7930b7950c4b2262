"""360Giving rows to triples: one ``sv:Grant`` per row, its recipient a supplier record.

Each row becomes ``{dataset}/grant/{row}`` with the 360Giving identifier, title,
description, amount, currency, award date, the council as ``sv:funder``, the recipient
as the council's ``sv:Supplier`` record (``sv:awardedTo``; its charity and company
numbers and org-id go on that record), the beneficiary area and the council's own
grant programme and department concepts. ``shapes/grants.ttl`` says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from catalogue import iris
from catalogue.vocab import DCTERMS, PROV, SV
from loaders import converters as cv
from loaders import orgid, organisations
from loaders.common import (
    A, KindContext, RowTriples, contributions, council_concept, council_triples, date_or_raw,
    decimal_or_raw, flag_literal, term, typed,
)
from loaders.councils import Council
from loaders.terms import Triple, iri, literal

#: The terms no column feeds (the class, the funder, the source row, the recipient link when
#: a file has no recipient name column). Column-fed terms come from the mapping.
T = {name: term(node) for name, node in {
    "grant": SV.Grant, "funder": SV.funder, "derived": PROV.wasDerivedFrom, "awardedTo": SV.awardedTo,
}.items()}

SHAPES = ("grants.ttl", "suppliers.ttl")

FIELDS_FOR_PATH = {
    **organisations.FIELDS_FOR_PATH,
    str(SV.awardedTo): ("supplier_name", "org_identifier"),
}

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> KindContext:
    return KindContext(base, council, dataset, source, table)


def preamble(ctx: KindContext) -> list[Triple]:
    return council_triples(ctx)


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if not any(values.get(f) for f in ("grant_id", "amount", "supplier_name", "org_identifier")):
        return "no grant in this row: no identifier, amount or recipient"
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One 360Giving record -> its sv:Grant and the recipient's supplier record."""
    grant = iri(f"{ctx.dataset}/grant/{row}")
    council = iri(ctx.council_iri)
    out: list[Triple] = [(grant, A, T["grant"]), (grant, T["funder"], council), (grant, T["derived"], ctx.row(row))]
    related: list[tuple[str, tuple[Triple, ...]]] = []
    get = values.get
    P = ctx.terms  # each field's predicate and datatype, from the mapping
    for field in ("grant_id", "title", "description", "currency"):
        if text := cv.text(get(field, "")):
            out.append((grant, P[field].predicate, literal(text)))
    if supplier := organisations.supplier_facts(values):
        node, key, description = organisations.supplier_record(ctx.base, ctx.council.gss, council, supplier)
        out.append((grant, P["supplier_name"].predicate if "supplier_name" in P else T["awardedTo"], node))
        related.append((key, description))
    if (raw := get("amount")) is not None:
        out.append((grant, P["amount"].predicate, typed(P["amount"], decimal_or_raw(raw)[0], raw)))
    if (raw := get("duration_months")) and not orgid.is_placeholder(raw):
        out.append((grant, P["duration_months"].predicate, typed(P["duration_months"], decimal_or_raw(raw)[0], raw)))
    facts = None
    if raw := get("award_date"):
        iso, _ = date_or_raw(raw)
        out.append((grant, P["award_date"].predicate, typed(P["award_date"], iso, raw)))
        facts = {"dates": (iso,)} if iso else None
    if raw := get("beneficiary_area"):
        code = raw.strip().upper()
        out.append((grant, P["beneficiary_area"].predicate,
                    iri(iris.geography(code)) if cv.AREA_CODE.match(code) else literal(raw.strip())))
    if (raw := get("open_call")) and (value := flag_literal(orgid.read_flag(raw), P["open_call"].datatype)) is not None:
        out.append((grant, P["open_call"].predicate, value))
    if raw := get("modified"):
        text = raw.strip()
        out.append((grant, P["modified"].predicate, typed(P["modified"], text if _DATETIME.match(text) else None, raw)))
    for field in ("grant_programme", "service_area"):
        if raw := get(field):
            node, description = council_concept(ctx, field, raw)
            out.append((grant, P[field].predicate, node))
            related.append((node, description))
            if field == "grant_programme" and (code := cv.text(get("programme_code", ""))):
                related.append((f"{node}|{code}", ((node, P["programme_code"].predicate, literal(code)),)))
    if raw := get("social_value_code"):
        out += [(grant, P["social_value_code"].predicate, measure) for measure in contributions(ctx, raw)]
    return RowTriples(grant, out, related, facts)
