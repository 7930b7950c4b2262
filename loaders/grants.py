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
from catalogue.vocab import DCTERMS, PROV, SKOS, SV, XSD
from loaders import converters as cv
from loaders import orgid, organisations
from loaders.common import (
    A, KindContext, RowTriples, contributions, council_concept, council_triples, date_or_raw,
    decimal_or_raw, flag_literal, term,
)
from loaders.councils import Council
from loaders.terms import Triple, iri, literal

T = {name: term(node) for name, node in {
    "grant": SV.Grant, "funder": SV.funder, "derived": PROV.wasDerivedFrom,
    "identifier": DCTERMS.identifier, "title": DCTERMS.title, "description": DCTERMS.description,
    "awardedTo": SV.awardedTo, "amount": SV.amountAwarded, "currency": SV.currency,
    "date": SV.awardDate, "duration": SV.durationMonths, "area": SV.beneficiaryArea,
    "programme": SV.grantProgramme, "service": SV.commissioningService, "open": SV.fromOpenCall,
    "modified": DCTERMS.modified, "contributes": SV.contributesTo, "notation": SKOS.notation,
}.items()}

SHAPES = ("grants.ttl", "suppliers.ttl")

FIELDS_FOR_PATH = {
    **organisations.FIELDS_FOR_PATH,
    str(SV.amountAwarded): ("amount",),
    str(SV.awardDate): ("award_date",),
    str(SV.awardedTo): ("supplier_name", "org_identifier"),
    str(SV.durationMonths): ("duration_months",),
    str(SV.beneficiaryArea): ("beneficiary_area",),
    str(SV.fromOpenCall): ("open_call",),
    str(DCTERMS.identifier): ("grant_id",),
    str(DCTERMS.modified): ("modified",),
}

_GSS = re.compile(r"^[EWSNK]\d{8}$")
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
    for field, key in (("grant_id", "identifier"), ("title", "title"), ("description", "description"),
                       ("currency", "currency")):
        if text := cv.text(get(field, "")):
            out.append((grant, T[key], literal(text)))
    if supplier := organisations.supplier_facts(values):
        node, key, description = organisations.supplier_record(ctx.base, ctx.council.gss, council, supplier)
        out.append((grant, T["awardedTo"], node))
        related.append((key, description))
    if (raw := get("amount")) is not None:
        out.append((grant, T["amount"], decimal_or_raw(raw)[1]))
    if (raw := get("duration_months")) and not orgid.is_placeholder(raw):
        out.append((grant, T["duration"], decimal_or_raw(raw)[1]))
    facts = None
    if raw := get("award_date"):
        iso, value = date_or_raw(raw)
        out.append((grant, T["date"], value))
        facts = {"dates": (iso,)} if iso else None
    if raw := get("beneficiary_area"):
        code = raw.strip().upper()
        out.append((grant, T["area"], iri(iris.geography(code)) if _GSS.match(code) else literal(raw.strip())))
    if (raw := get("open_call")) and (value := flag_literal(orgid.read_flag(raw))) is not None:
        out.append((grant, T["open"], value))
    if raw := get("modified"):
        text = raw.strip()
        out.append((grant, T["modified"], literal(text, str(XSD.dateTime)) if _DATETIME.match(text) else literal(text)))
    for field, key in (("grant_programme", "programme"), ("service_area", "service")):
        if raw := get(field):
            node, description = council_concept(ctx, field, raw)
            out.append((grant, T[key], node))
            related.append((node, description))
            if key == "programme" and (code := cv.text(get("programme_code", ""))):
                related.append((f"{node}|{code}", ((node, T["notation"], literal(code)),)))
    if raw := get("social_value_code"):
        out += [(grant, T["contributes"], measure) for measure in contributions(ctx, raw)]
    return RowTriples(grant, out, related, facts)
