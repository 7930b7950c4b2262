"""Spend rows to triples: the one place a spend CSV cell becomes RDF.

``row_to_triples`` is pure: canonical field values in (see the dialect mappings in
``mappings/spend/``), triples out. Each payment row becomes one ``pay:ExpenditureLine``
with its amount, date, payer, payee, categories and ``prov:wasDerivedFrom`` its
source row; lines sharing a transaction reference hang off one ``pay:Payment``.

Cells that cannot be read are still emitted, as plain string literals where the shapes
expect a decimal, a date or an IRI: SHACL (``shapes/spend.ttl``) then reports them with
their raw value. So validation has one source of truth, and a file with violations is
refused before anything of it becomes visible.

The descriptions of things many rows share (the council, suppliers, concepts,
redactions) come back as ``related`` pairs keyed by IRI, built by memoised helpers;
the caller emits each once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from catalogue import iris
from catalogue.vocab import DCTERMS, ORG, PAY, PROV, RDF, RDFS, SKOS, SV, XSD
from loaders import converters as cv
from loaders.councils import Council
from loaders.terms import Triple, iri, literal

A = iri(str(RDF.type))
LABEL = iri(str(RDFS.label))
DECIMAL = str(XSD.decimal)
T = {name: iri(str(term)) for name, term in {
    "line": PAY.ExpenditureLine, "payment_class": PAY.Payment, "redaction": PAY.Redaction,
    "netAmount": PAY.netAmount, "grossAmount": PAY.grossAmount, "date": PAY.date,
    "payer": PAY.payer, "payee": PAY.payee, "payment": PAY.payment, "reference": PAY.reference,
    "category": PAY.expenditureCategory, "code": PAY.expenditureCode, "narrative": PAY.narrative,
    "procurement": PAY.procurementCategory, "capital": PAY.capital, "revenue": PAY.revenue,
    "service": SV.serviceArea, "card": SV.purchaseCard, "invoice": SV.invoiceReference,
    "irrecoverable": SV.irrecoverableVat, "derived": PROV.wasDerivedFrom,
    "supplier": SV.Supplier, "recordedBy": SV.recordedBy, "identifier": DCTERMS.identifier,
    "orgid": ORG.identifier, "vat": SV.vatNumber, "concept": SKOS.Concept,
    "scheme_class": SKOS.ConceptScheme, "prefLabel": SKOS.prefLabel, "inScheme": SKOS.inScheme,
    "broader": SKOS.broader, "publisher": DCTERMS.publisher,
}.items()}

#: Concept schemes a council's own codes go into, by canonical field.
SCHEMES = {
    "expense_type": ("expense-type", "expense types"),
    "expense_category": ("expense-category", "expense categories"),
    "service_area": ("service-area", "service areas"),
    "procurement_category": ("procurement-category", "procurement categories"),
}


@dataclass(frozen=True)
class SpendContext:
    """What every row of one file shares."""

    base: str
    council: Council
    dataset: str  # dataset IRI
    source: str  # source file IRI (rows are #row=N)

    @property
    def council_iri(self) -> str:
        return iris.council(self.base, self.council.gss)


class RowTriples(NamedTuple):
    subject: str  # the line, as an <iri> term
    triples: list[Triple]
    related: list[tuple[str, tuple[Triple, ...]]]  # (key, description) emitted once per load
    #: What the line adds to the dataset's spend summaries: amount (decimal text), month
    #: (yyyy-mm) and the <iri> terms of its payee, expense type and service area.
    facts: dict | None = None


def row_to_triples(values: Mapping[str, str], row: int, ctx: SpendContext) -> RowTriples:
    """One spend record (canonical field -> raw cell) -> its triples."""
    line = iri(f"{ctx.dataset}/line/{row}")
    council = iri(ctx.council_iri)
    out: list[Triple] = [
        (line, A, T["line"]),
        (line, T["payer"], council),
        (line, T["derived"], iri(f"{ctx.source}#row={row}")),
    ]
    related: list[tuple[str, tuple[Triple, ...]]] = []
    get = values.get

    facts: dict = {}
    raw_amount = get("net_amount")
    if raw_amount is not None:
        amount = cv.money(raw_amount)
        facts["amount"] = amount
        out.append((line, T["netAmount"], literal(amount, DECIMAL) if amount else literal(raw_amount.strip())))
    for name, key in (("gross_amount", "grossAmount"), ("irrecoverable_vat", "irrecoverable")):
        if (raw := get(name)) is not None and (value := cv.money(raw)) is not None:
            out.append((line, T[key], literal(value, DECIMAL)))

    raw_date = get("date") or get("period")
    if raw_date is not None:
        parsed = cv.payment_date(raw_date)
        facts["month"] = parsed[0][:7] if parsed else None
        out.append((line, T["date"], literal(parsed[0], str(XSD[parsed[1]])) if parsed else literal(raw_date.strip())))

    name = cv.text(get("supplier_name", ""))
    supplier_id = cv.text(get("supplier_id", ""))
    if name and cv.is_redacted(name):
        node, description = _redaction(ctx.base, ctx.council.gss, name)
        facts["payee"] = node
        out.append((line, T["payee"], node))
        related.append((node, description))
    elif name or supplier_id:
        node, description = _supplier(
            ctx.base, ctx.council.gss, council, name, supplier_id,
            get("vat_number", ""), get("company_number", ""), get("charity_number", ""))
        facts["payee"] = node
        out.append((line, T["payee"], node))
        related.append((node, description))

    broader = None
    if raw := get("expense_category"):
        broader, description = _concept(
            ctx.base, ctx.council.gss, council, ctx.council.name, "expense_category", cv.text(raw), None)
        related.append((broader, description))
    for field, predicate in (("expense_type", "category"), ("service_area", "service"),
                             ("procurement_category", "procurement")):
        if raw := get(field):
            label = cv.text(raw)
            parent = broader if field == "expense_type" else None
            node, description = _concept(ctx.base, ctx.council.gss, council, ctx.council.name, field, label, parent)
            facts[field] = node
            out.append((line, T[predicate], node))
            related.append((node, description))
    if raw := get("capital_revenue"):
        kind = cv.capital_or_revenue(raw)
        out.append((line, T["category"], T[kind] if kind else literal(raw.strip())))

    for field, predicate in (("expense_code", "code"), ("narrative", "narrative"), ("invoice", "invoice")):
        if raw := get(field):
            out.append((line, T[predicate], literal(cv.text(raw))))
    if (raw := get("purchase_card")) is not None and (card := cv.flag(raw)) is not None:
        out.append((line, T["card"], literal("true" if card else "false", str(XSD.boolean))))

    if raw := get("transaction"):
        reference = cv.text(raw)
        payment = iri(f"{ctx.dataset}/payment/{cv.slug(reference, 80)}-{cv.short_hash(reference, length=6)}")
        out.append((line, T["payment"], payment))
        related.append((payment, ((payment, A, T["payment_class"]), (payment, T["reference"], literal(reference)))))
    return RowTriples(line, out, related, facts)


@lru_cache(maxsize=65536)
def _supplier(base: str, gss: str, council: str, name: str, supplier_id: str,
              vat: str, company: str, charity: str) -> tuple[str, tuple[Triple, ...]]:
    """A supplier exactly as this council publishes it: keyed by its name and id."""
    key = f"{cv.slug(name or 'id-' + supplier_id, 50)}-{cv.short_hash(name, supplier_id)}"
    node = iri(iris.supplier(base, gss, key))
    triples = [(node, A, T["supplier"]), (node, T["recordedBy"], council)]
    if name:
        triples.append((node, LABEL, literal(name)))
    if supplier_id:
        triples.append((node, T["identifier"], literal(supplier_id)))
    if vat and (number := cv.vat_number(vat)):
        triples.append((node, T["vat"], literal(number)))
    if company and (number := cv.company_number(company)):
        triples.append((node, T["orgid"], literal(f"GB-COH-{number}")))
    if charity and (number := cv.charity_number(charity)):
        triples.append((node, T["orgid"], literal(f"GB-CHC-{number}")))
    return node, tuple(triples)


@lru_cache(maxsize=4096)
def _redaction(base: str, gss: str, label: str) -> tuple[str, tuple[Triple, ...]]:
    """A withheld payee: a pay:Redaction carrying the council's wording, never a supplier."""
    node = iri(iris.redaction(base, gss, cv.slug(label)))
    return node, ((node, A, T["redaction"]), (node, LABEL, literal(label)))


@lru_cache(maxsize=65536)
def _concept(base: str, gss: str, council: str, council_name: str, field: str, label: str,
             broader: str | None) -> tuple[str, tuple[Triple, ...]]:
    """A concept in this council's own scheme for the field (expense type, service area...)."""
    scheme_key, scheme_label = SCHEMES[field]
    scheme = iri(iris.concept_scheme(base, gss, scheme_key))
    node = iri(iris.concept(base, gss, scheme_key, cv.slug(label, 80)))
    triples = [
        (node, A, T["concept"]),
        (node, T["prefLabel"], literal(label)),
        (node, T["inScheme"], scheme),
        (scheme, A, T["scheme_class"]),
        (scheme, LABEL, literal(f"{council_name} {scheme_label}")),
        (scheme, T["publisher"], council),
    ]
    if broader:
        triples.append((node, T["broader"], broader))
    return node, tuple(triples)


def council_triples(ctx: SpendContext) -> list[Triple]:
    """The council as an org:FormalOrganization tied to its ONS geography."""
    node = iri(ctx.council_iri)
    c = ctx.council
    return [
        (node, A, iri(str(ORG.FormalOrganization))),
        (node, LABEL, literal(c.name)),
        (node, T["prefLabel"], literal(c.name)),
        (node, iri(str(ORG.identifier)), literal(c.gss)),
        (node, iri(str(SV.area)), iri(iris.geography(c.gss))),
    ]


# ---------------------------------------------------------------- the kind's other hooks

SHAPES = "spend.ttl"

#: Which canonical fields explain a SHACL result on a path (for reporting a column).
FIELDS_FOR_PATH = {
    str(PAY.netAmount): ("net_amount",),
    str(PAY.date): ("date", "period"),
    str(PAY.payee): ("supplier_name", "supplier_id"),
    str(RDFS.label): ("supplier_name",),
    str(PAY.expenditureCategory): ("capital_revenue", "expense_type"),
    str(PAY.reference): ("transaction",),
}

_TOTAL = re.compile(r"^\s*(grand\s+)?(sub\s*-?\s*)?totals?\b", re.IGNORECASE)


def make_context(base: str, council: Council, dataset: str, source: str) -> SpendContext:
    return SpendContext(base, council, dataset, source)


def preamble(ctx: SpendContext) -> list[Triple]:
    return council_triples(ctx)


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    """Why a non-blank record is not a payment (a total or footer row), or ``None``."""
    has_date = "date" in values or "period" in values
    if not has_date and any(_TOTAL.match(cell) for cell in cells if cell.strip()):
        return "total row: a cell says Total and there is no date"
    has_payee = "supplier_name" in values or "supplier_id" in values
    if "net_amount" in values and not (has_date or has_payee or "transaction" in values):
        return "total or footer row: an amount with no date, supplier or transaction reference"
    if "net_amount" not in values and not has_date and not has_payee:
        return "no payment in this row: no date, amount or supplier"
    return None
