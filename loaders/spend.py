"""Spend rows to triples: the one place a spend CSV cell becomes RDF.

``row_to_triples`` is pure: canonical field values in (see the dialect mappings in
``mappings/spend/``), triples out, each field's predicate and datatype as its mapping
column says. Each payment row becomes one ``pay:ExpenditureLine`` with its amount, date,
payee and categories; lines sharing a transaction reference hang off one ``pay:Payment``.

The graph is lean (issue 22; docs/architecture.md, "The payment line"): what every line
of a file shares is stated once, not per line. The payer is the dataset's
``dcterms:publisher``; the source row is the line's own number (``{dataset}/line/N`` came
from row N of the dataset's distribution, ``<file>#row=N`` in RFC 7111); the types follow
from ``pay:payment``'s domain and range, so a line states ``a pay:ExpenditureLine`` only
when it has no payment.

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
from decimal import Decimal
from functools import lru_cache

from catalogue import iris
from catalogue.vocab import PAY, SDMX_DIMENSION, SKOS, XSD
from loaders import converters as cv
from loaders import organisations, periods, redaction
from loaders.common import (
    A, LABEL, KindContext, RowTriples, concept, council_triples, part_of_year, period_description, term,
)
from loaders.councils import Council
from loaders.report import NOTE, LoadIssue
from loaders.terms import Triple, iri, literal

DATE_TYPES = {"date": str(XSD.date), "gYearMonth": str(XSD.gYearMonth)}
#: The terms no column feeds: classes, structural links, the period a line falls in. Every
#: column-fed predicate and datatype comes from the mapping (``KindContext.terms``).
T = {name: term(node) for name, node in {
    "line": PAY.ExpenditureLine, "redaction": PAY.Redaction, "payment": PAY.payment,
    "capital": PAY.capital, "revenue": PAY.revenue, "altLabel": SKOS.altLabel,
    "period": SDMX_DIMENSION.refPeriod, "payee": PAY.payee,  # a payee named by its id column alone
}.items()}

#: The context every spend row shares (kept under its old name for callers).
SpendContext = KindContext
_concept = concept
#: Fields whose cells become a concept in the council's own scheme (the line points at it).
CONCEPT_FIELDS = ("expense_type", "service_area", "procurement_category")
#: Fields whose cells are kept as text, and fields whose cells are amounts.
TEXT_FIELDS = ("expense_code", "narrative", "invoice")
MONEY_FIELDS = ("gross_amount", "irrecoverable_vat")


def row_to_triples(values: Mapping[str, str], row: int, ctx: SpendContext) -> RowTriples:
    """One spend record (canonical field -> raw cell) -> its triples.

    Each field's predicate and datatype are its mapping column's ``propertyUrl`` and
    ``datatype`` (``ctx.terms``); this function decides only how a cell is read."""
    # The prefixes were checked once per file; ``row`` is a number.
    line = f"{ctx.line_prefix}{int(row)}>"
    council = ctx.council_term
    P = ctx.terms
    out: list[Triple] = []
    related: list[tuple[str, tuple[Triple, ...]]] = []
    get = values.get

    facts: dict = {}
    raw_amount = get("net_amount")
    if (raw_credit := get("credit_amount")) is not None:
        raw_amount = _debit_less_credit(raw_amount, raw_credit)
    if raw_amount is not None:
        amount = cv.money(raw_amount)
        facts["amount"] = amount
        predicate, datatype = P["net_amount"]
        out.append((line, predicate, literal(amount, datatype) if amount else literal(raw_amount.strip())))
    for name in MONEY_FIELDS:
        if (raw := get(name)) is not None and (value := cv.money(raw)) is not None:
            out.append((line, P[name].predicate, literal(value, P[name].datatype)))

    date_field = "date" if get("date") else "period"
    raw_date = get(date_field)
    if raw_date is not None:
        parsed = cv.payment_date(raw_date)
        if parsed and parsed[1] == "date":
            facts["month"] = parsed[0][:7]
            facts["dates"] = (parsed[0],)
            # A cell read as a day is an xsd:date whatever the column usually holds.
            out.append((line, P[date_field].predicate, literal(parsed[0], DATE_TYPES["date"])))
        else:
            part = get("sub_period") if date_field == "period" else None
            _period(ctx, line, P[date_field].predicate, raw_date, part, out, related, facts)

    name = cv.text(get("supplier_name", ""))
    payee = P["supplier_name"].predicate if "supplier_name" in P else T["payee"]
    if marker := redaction.withheld(name, values):
        node, description = _redaction(ctx.base, ctx.council.gss, cv.text(marker))
        facts["payee"] = node
        out.append((line, payee, node))
        related.append((f"{node}|{marker}", description))  # one description per wording
    elif supplier := organisations.supplier_facts(values):
        node, key, description = organisations.supplier_record(ctx.base, ctx.council.gss, council, supplier)
        facts["payee"] = node
        out.append((line, payee, node))
        related.append((key, description))

    broader = None
    if raw := get("expense_category"):
        broader, description = _concept(
            ctx.base, ctx.council.gss, council, ctx.council.name, "expense_category", cv.text(raw), None)
        related.append((broader, description))
    for field in CONCEPT_FIELDS:
        if raw := get(field):
            label = cv.text(raw)
            parent = (P["expense_category"].predicate, broader) if broader and field == "expense_type" else None
            node, description = _concept(ctx.base, ctx.council.gss, council, ctx.council.name, field, label, parent)
            facts[field] = node
            out.append((line, P[field].predicate, node))
            related.append((node, description))
    if raw := get("capital_revenue"):
        kind = cv.capital_or_revenue(raw)
        out.append((line, P["capital_revenue"].predicate, T[kind] if kind else literal(raw.strip())))

    for field in TEXT_FIELDS:
        if raw := get(field):
            out.append((line, P[field].predicate, literal(cv.text(raw), P[field].datatype)))
    if (raw := get("purchase_card")) is not None and (card := cv.flag(raw)) is not None:
        out.append((line, P["purchase_card"].predicate, literal("true" if card else "false", P["purchase_card"].datatype)))

    if raw := get("transaction"):
        reference = cv.text(raw)
        payment = iri(f"{ctx.dataset}/payment/{cv.slug(reference, 80)}-{cv.short_hash(reference, length=6)}")
        # pay:payment's domain and range say the line is a pay:ExpenditureLine and the
        # payment a pay:Payment (ontology/reused.ttl): neither type is written.
        out.append((line, T["payment"], payment))
        related.append((payment, ((payment, P["transaction"].predicate, literal(reference, P["transaction"].datatype)),)))
    else:
        out.append((line, A, T["line"]))
    return RowTriples(line, out, related, facts)


def _debit_less_credit(debit: str | None, credit: str) -> str:
    """A ledger's line as two columns (*Debit* ``120.00``, *Credit* blank; or *Debit* blank,
    *Credit* ``81.00``): the amount is the debit less the credit, so a credit is negative
    whichever sign it was written with. The digits stay as published when one side is
    blank; an unreadable cell comes back as it is, for the shapes to report with its column."""
    taken = cv.money(credit)
    if taken is None:
        return credit
    owed = cv.money(debit) if debit is not None else None
    if debit is not None and owed is None:
        return debit
    if owed is None or Decimal(owed) == 0:
        return taken if Decimal(taken) == 0 else "-" + taken.lstrip("-")
    if Decimal(taken) == 0:
        return owed
    return format(Decimal(owed) - abs(Decimal(taken)), "f")


def _period(ctx: SpendContext, line: str, date: str, raw: str, part: str | None, out: list, related: list,
            facts: dict) -> None:
    """A line dated by a period (a month, quarter, range of months, financial year): the
    period's interval (``sdmx-dimension:refPeriod``, described with its first and last day),
    and ``pay:date`` as xsd:gYearMonth only when the period is one month. Never a day the
    file did not give; an unreadable cell stays a plain literal for SHACL to report.

    A year beside a month or quarter column (``part``: *Financial Year* ``2021/22``, *Month*
    ``June``) is the two together; a part that names nothing inside the year (a month's
    number beside a financial year, a month of another year) is refused with both cells."""
    parsed = cv.payment_date(raw)
    if parsed:  # yyyymm or yyyy-mm: a ledger month (2011-12 is December 2011 here, not 2011/12)
        period = periods.month(int(parsed[0][:4]), int(parsed[0][5:7]), raw.strip())
    else:
        period = periods.interval(cv.text(raw))
    if period is not None and period.months == 12 and part and part.strip():
        if (period := part_of_year(ctx, period, part)) is None:  # shapes/spend.ttl bad-period-part
            facts["month"] = None
            out.append((line, T["period"], literal(f"{raw.strip()} {part.strip()}")))
            return
    if period is None or period.months == 0:
        facts["month"] = None
        out.append((line, date, literal(raw.strip())))
        return
    if period.months == 1:
        out.append((line, date, literal(period.start[:7], DATE_TYPES["gYearMonth"])))
    out.append((line, T["period"], iri(period.iri)))
    related.append((period.iri, period_description(period)))
    facts["month"] = period.key
    facts["period"] = period.iri
    facts["dates"] = (period.start, period.end)


#: What a withheld payee is called on every page: one line per council, never an organisation.
REDACTED_LABEL = "redacted (personal data)"


@lru_cache(maxsize=4096)
def _redaction(base: str, gss: str, wording: str) -> tuple[str, tuple[Triple, ...]]:
    """A withheld payee: the council's one pay:Redaction, never a supplier.

    All of a council's withheld lines share it, whatever the wording of the cell, so every
    table shows redacted spend as one line with its total; the wordings are kept as
    alternative labels.
    """
    node = iri(iris.redaction(base, gss, "personal-data"))
    return node, ((node, A, T["redaction"]), (node, LABEL, literal(REDACTED_LABEL)),
                  (node, T["altLabel"], literal(wording)))


# ---------------------------------------------------------------- the kind's other hooks

SHAPES = ("spend.ttl", "suppliers.ttl")

#: Every triple of a row's own (``RowTriples.triples``) is about that row's line, which no
#: other row shares, so the loader can count what it writes without asking the store.
ROW_SUBJECTS_UNIQUE = True

#: A spend file with a header and no payment rows is refused (a wrong file, or rows lost).
REFUSE_EMPTY = True


def _date_fields(values: Mapping[str, str]) -> tuple[str, ...]:
    """The columns a refused date came from: a year that reads beside a month that does
    not is the month's fault; otherwise the date's or the period's."""
    if not values.get("date") and values.get("sub_period") and periods.interval(cv.text(values.get("period", ""))):
        return ("sub_period", "period", "date")
    return ("date", "period", "sub_period")


#: Which canonical fields explain a SHACL result on a path (for reporting a column).
FIELDS_FOR_PATH = {
    **organisations.FIELDS_FOR_PATH,
    str(PAY.date): _date_fields,
    str(SDMX_DIMENSION.refPeriod): _date_fields,
    str(PAY.payee): ("supplier_name", "supplier_id"),
    str(PAY.netAmount): ("net_amount", "credit_amount"),
    str(PAY.expenditureCategory): ("capital_revenue", "expense_type"),
}

_TOTAL = re.compile(r"^\s*(grand\s+)?(sub\s*-?\s*)?totals?\b", re.IGNORECASE)


def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> SpendContext:
    return SpendContext(base, council, dataset, source, table)


def preamble(ctx: SpendContext) -> list[Triple]:
    return council_triples(ctx)


def file_notes(table) -> list[LoadIssue]:
    """What two columns make together: an amount from a debit and a credit column; a period
    from a year and a month or quarter column (so nobody wonders whether the second was read)."""
    notes = []
    if "credit_amount" in table.fields:
        debit, credit = table.title("net_amount"), table.title("credit_amount")
        notes.append(LoadIssue(
            "amount-from-debit-and-credit", NOTE, table.header_row, f"{debit}, {credit}", None,
            f"Each line's amount is {debit!r} less {credit!r}: a credit is a negative amount (a refund or a "
            "reversal), never a payment.", "Nothing to do."))
    if "sub_period" not in table.fields or "period" not in table.fields:
        return notes
    year, part = table.title("period"), table.title("sub_period")
    undated = "a line without a payment date" if "date" in table.fields else "each line"
    return notes + [LoadIssue(
        "period-from-two-columns", NOTE, table.header_row, f"{year}, {part}", None,
        f"The period of {undated} is {year!r} and {part!r} together (2021/22 and June: June 2021; 2021/22 and "
        "Q1: April to June 2021), never the whole year.",
        "Nothing to do. A part that names nothing inside its year (a month's number beside a financial year) "
        "is refused, row by row.")]


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    """Why a non-blank record is not a payment (a total or footer row), or ``None``."""
    has_date = "date" in values or "period" in values
    if not has_date and any(_TOTAL.match(cell) for cell in cells if cell.strip()):
        return "total row: a cell says Total and there is no date"
    has_payee = "supplier_name" in values or "supplier_id" in values
    has_amount = "net_amount" in values or "credit_amount" in values
    if has_amount and not (has_date or has_payee or "transaction" in values):
        return "total or footer row: an amount with no date, supplier or transaction reference"
    if not has_amount and not has_date and not has_payee:
        return "no payment in this row: no date, amount or supplier"
    return None
