"""Companies House BasicCompanyData rows -> ``sv:RegisterEntry`` (one per company).

The Free Company Data Product is one CSV of about 5 million rows (or the same split in
parts), comma-separated, UTF-8, with some header cells starting with a space
(``CompanyName, CompanyNumber,...``): the mapping
(``loaders/mappings/companies-house/basic-company-data.json``) names the published
columns. Each row gives the company's org-id (``GB-COH-`` + the 8-character number),
name, status, category, dates, SIC codes, registered office postcode, accounts
category (the size evidence for PPN 001) and previous names (a renamed firm keeps its
number). Nothing is classified here: ``catalogue.linking.registers`` reads the facts.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogue.vocab import ORG, SV
from loaders import converters as cv
from loaders.common import KindContext, RowTriples, term
from loaders.orgid import read_identifier, read_postcode
from loaders.registers import body, body_triples, cell_literal, date_in_name, entry_triples, make_context
from loaders.terms import Triple, literal

PUBLISHER = body("companies-house", "Companies House")
SHAPES = ("registers.ttl",)
ROW_SUBJECTS_UNIQUE = True  # one row per company number

FIELDS_FOR_PATH: dict = {}

#: Fields read here (the org-id, the name, the postcode); every other column the mapping
#: gives a ``propertyUrl`` is read as its ``datatype`` says (``cell_literal``).
OWN = ("company_number", "company_name", "postcode")

__all__ = ["PUBLISHER", "SHAPES", "FIELDS_FOR_PATH", "make_context", "preamble", "skip_reason",
           "row_to_triples", "company_id"]


def preamble(ctx: KindContext) -> list[Triple]:
    return body_triples(ctx, date_in_name(ctx.source.rsplit("/", 1)[-1]))


def company_id(raw: str) -> str | None:
    """``01243967`` -> ``GB-COH-01243967`` (``None`` when it is not a company number)."""
    found = read_identifier(raw, "company").identifiers
    return found[0] if found and found[0].startswith("GB-COH-") else None


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if not values.get("company_number"):
        return "no company number in this row"
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One company -> its register entry."""
    raw_number = values["company_number"]
    org_id = company_id(raw_number)
    node, out = entry_triples(ctx, org_id or f"GB-COH-{cv.slug(raw_number, 20).upper()}", values.get("company_name"),
                              row, id_field="company_number", name_field="company_name")
    if org_id is None:  # kept as published: the shapes say the number cannot be read
        out.append((node, term(SV.unreadableIdentifier), literal(cv.text(raw_number))))
    P = ctx.terms
    for name, column in P.items():
        if name not in OWN and (cell := values.get(name)) and (value := cell_literal(column, cell)) is not None:
            out.append((node, column.predicate, value))
    if raw := values.get("postcode"):
        found = read_postcode(raw)
        out.append((node, P["postcode"].predicate,
                    literal(found.identifiers[0] if found.identifiers else cv.text(raw), P["postcode"].datatype)))
    return RowTriples(node, out, [])
