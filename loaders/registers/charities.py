"""Charity Commission register extract rows -> ``sv:RegisterEntry`` (one per charity).

``publicextract.charity.txt`` (inside ``publicextract.charity.zip``) is tab-separated
UTF-8 text with a header row and no quoting: a ``"`` in a charity's activities is an
ordinary character, so records are split on tabs alone (``records``). Each row gives
the charity's org-id (``GB-CHC-`` + the registered number; a linked charity, whose
``linked_charity_number`` is not 0, gets ``-N`` after it as org-id.guide writes them),
name, type, status (Registered or Removed), dates, latest income and its period, the
contact postcode and the Companies House number of a charitable company.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping

from catalogue.vocab import ORG, SV
from loaders import converters as cv
from loaders.common import KindContext, RowTriples, term
from loaders.orgid import read_postcode
from loaders.read import FileInfo, open_text
from loaders.registers import body, body_triples, cell_literal, entry_triples, make_context
from loaders.registers.companies_house import company_id
from loaders.terms import Triple, literal

PUBLISHER = body("charity-commission", "Charity Commission for England and Wales")
SHAPES = ("registers.ttl",)
ROW_SUBJECTS_UNIQUE = True  # one row per (registered, linked) number

FIELDS_FOR_PATH: dict = {}

#: Fields read here (the org-id and its linked number, the name, the postcode, the company
#: number); every other column the mapping gives a ``propertyUrl`` is read as its
#: ``datatype`` says (``cell_literal``).
OWN = ("charity_number", "linked_number", "charity_name", "postcode", "company_number")

__all__ = ["PUBLISHER", "SHAPES", "FIELDS_FOR_PATH", "records", "make_context", "preamble", "skip_reason",
           "row_to_triples", "charity_id"]


def records(info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """``(row_number, cells)`` split on tabs only (the extract never quotes a field)."""
    with open_text(info) as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        yield from enumerate(reader, start=1)


def preamble(ctx: KindContext) -> list[Triple]:
    return body_triples(ctx)


def charity_id(number: str, linked: str | None = None) -> str | None:
    """``1049226`` -> ``GB-CHC-1049226``; with a linked number 2 -> ``GB-CHC-1049226-2``."""
    digits = number.strip()
    if not digits.isdigit() or not digits.strip("0"):
        return None
    suffix = linked.strip() if linked and linked.strip() not in ("", "0") else ""
    return f"GB-CHC-{int(digits)}" + (f"-{suffix}" if suffix.isdigit() else "")


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if not values.get("charity_number"):
        return "no registered charity number in this row"
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One charity (or linked charity) -> its register entry."""
    raw = values["charity_number"]
    org_id = charity_id(raw, values.get("linked_number"))
    node, out = entry_triples(ctx, org_id or f"GB-CHC-{cv.slug(raw, 20)}", values.get("charity_name"), row,
                              id_field="charity_number", name_field="charity_name")
    if org_id is None:
        out.append((node, term(SV.unreadableIdentifier), literal(cv.text(raw))))
    P = ctx.terms
    for name, column in P.items():
        if name not in OWN and (cell := values.get(name)) and (value := cell_literal(column, cell)) is not None:
            out.append((node, column.predicate, value))
    if value := values.get("postcode"):
        found = read_postcode(value)
        out.append((node, P["postcode"].predicate,
                    literal(found.identifiers[0] if found.identifiers else cv.text(value), P["postcode"].datatype)))
    if (value := values.get("company_number")) and value.strip().strip("0"):
        company = company_id(value)
        out.append((node, P["company_number"].predicate, literal(company or cv.text(value),
                                                                 P["company_number"].datatype)))
    return RowTriples(node, out, [])
