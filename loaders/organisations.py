"""Suppliers as a council publishes them: one ``sv:Supplier`` record whatever file names it.

Spend files, supplier lists, contracts registers and grants files all name suppliers;
every kind builds their records here, from the same canonical fields, so that a
council's supplier is one record across its files (keyed, as published, by its name
and the council's own supplier id). The facts a file states about it (company,
charity and VAT numbers, postcode, SME and VCSE flags) are added in the graph of the
file that stated them. Cells that cannot be read are kept as published
(``sv:unreadableIdentifier``, ``sv:unreadablePostcode``, a plain literal for a flag)
and ``shapes/suppliers.ttl`` warns about them with their row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import NamedTuple

from catalogue import iris
from catalogue.vocab import RDFS, SV
from loaders import converters as cv
from loaders import orgid
from loaders.common import A, LABEL, flag_literal, term
from loaders.mapping import kind_terms
from loaders.redaction import is_marker
from loaders.terms import Triple, iri, literal

#: The terms no column feeds: the class, who recorded the supplier, unreadable identifiers.
T = {name: term(node) for name, node in {
    "supplier": SV.Supplier, "recordedBy": SV.recordedBy, "unreadable": SV.unreadableIdentifier,
    "unreadable_postcode": SV.unreadablePostcode,
}.items()}
#: The column-fed ones, from the suppliers mapping's ``propertyUrl``s: a supplier record is
#: described alike whichever kind of file names it (every mapping agrees: tests/test_mapping_terms.py).
T.update({name: kind_terms("suppliers")[field].predicate for name, field in {
    "identifier": "supplier_id", "orgid": "company_number", "vat": "vat_number", "postcode": "postcode",
    "sme": "sme", "vcse": "vcse"}.items()})

#: Canonical fields that describe a supplier, in every kind's mappings.
FIELDS = ("supplier_name", "supplier_id", "vat_number", "company_number", "charity_number",
          "org_identifier", "postcode", "sme", "vcse")


class SupplierFacts(NamedTuple):
    """The raw cells of one row that describe its supplier (hashable, for memoising)."""

    name: str = ""
    supplier_id: str = ""
    vat: str = ""
    company: str = ""
    charity: str = ""
    org_identifier: str = ""
    postcode: str = ""
    sme: str = ""
    vcse: str = ""


def supplier_facts(values: Mapping[str, str], name_field: str = "supplier_name") -> SupplierFacts | None:
    """The supplier a row names, or ``None`` when it names none (no name and no id)."""
    get = values.get
    name = cv.text(get(name_field, ""))
    supplier_id = cv.text(get("supplier_id", ""))
    if supplier_id and is_marker(supplier_id):
        supplier_id = ""  # "Redacted" in the id column: this supplier has no id, not the id "Redacted"
    org_identifier = cv.text(get("org_identifier", ""))
    if org_identifier and orgid.read_identifier(org_identifier, "orgid") == orgid.NOTHING:
        # Not an org-id (e.g. 360Giving's "360G-trafford-..."): the publisher's own id.
        supplier_id, org_identifier = supplier_id or org_identifier, ""
    if orgid.is_placeholder(name) and not supplier_id:
        return None
    if not name and not supplier_id:
        return None
    return SupplierFacts(name, supplier_id, get("vat_number", ""), get("company_number", ""),
                         get("charity_number", ""), org_identifier, get("postcode", ""),
                         get("sme", ""), get("vcse", ""))


def supplier_key(name: str, supplier_id: str) -> str:
    """The record's key: readable slug of the name (or id) and a hash of both."""
    return f"{cv.slug(name or 'id-' + supplier_id, 50)}-{cv.short_hash(name, supplier_id)}"


@lru_cache(maxsize=65536)
def supplier_record(base: str, gss: str, council: str, facts: SupplierFacts) -> tuple[str, str, tuple[Triple, ...]]:
    """``(node, key, description)``: the record and what this row says about it.

    ``key`` differs when the row states different facts about the same record, so a
    loader emits each distinct description once (the record's IRI stays the same).
    """
    node = iri(iris.supplier(base, gss, supplier_key(facts.name, facts.supplier_id)))
    triples: list[Triple] = [(node, A, T["supplier"]), (node, T["recordedBy"], council)]
    if facts.name:
        triples.append((node, LABEL, literal(facts.name)))
    if facts.supplier_id:
        triples.append((node, T["identifier"], literal(facts.supplier_id)))
    if facts.vat:
        reading = orgid.read_vat(facts.vat)
        triples += [(node, T["vat"], literal(v)) for v in reading.identifiers]
        if reading.unreadable:
            triples.append((node, T["unreadable"], literal(reading.unreadable)))
    for raw, column in ((facts.company, "company"), (facts.charity, "charity"), (facts.org_identifier, "orgid")):
        if raw:
            reading = orgid.read_identifier(raw, column)
            triples += [(node, T["orgid"], literal(v)) for v in reading.identifiers]
            if reading.unreadable:
                triples.append((node, T["unreadable"], literal(reading.unreadable)))
    if facts.postcode:
        reading = orgid.read_postcode(facts.postcode)
        triples += [(node, T["postcode"], literal(v)) for v in reading.identifiers]
        if reading.unreadable:
            triples.append((node, T["unreadable_postcode"], literal(reading.unreadable)))
    for raw, predicate in ((facts.sme, "sme"), (facts.vcse, "vcse")):
        if raw and (value := flag_literal(orgid.read_flag(raw))) is not None:
            triples.append((node, T[predicate], value))
    key = f"{node}|{cv.short_hash(*facts)}"
    return node, key, tuple(dict.fromkeys(triples))


def unreadable_fields(values: Mapping[str, str]) -> tuple[str, ...]:
    """The identifier fields of a row whose cells could not be read (for naming the column)."""
    out = []
    for field, column in (("company_number", "company"), ("charity_number", "charity"),
                          ("org_identifier", "orgid")):
        if (raw := values.get(field)) and orgid.read_identifier(raw, column).unreadable:
            out.append(field)
    if (raw := values.get("vat_number")) and orgid.read_vat(raw).unreadable:
        out.append("vat_number")
    return tuple(out)


#: SHACL paths on a supplier record -> the fields that explain them (see FIELDS_FOR_PATH).
FIELDS_FOR_PATH = {
    str(RDFS.label): ("supplier_name",),
    str(SV.unreadableIdentifier): unreadable_fields,
    str(SV.unreadablePostcode): ("postcode",),
    str(SV.smeFlag): ("sme",),
    str(SV.vcseFlag): ("vcse",),
    str(SV.recordedBy): ("supplier_name", "supplier_id"),
}
