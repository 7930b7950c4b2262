"""The tables of a council's dashboard, each built from one query over the summary cubes.

``build(name, council)`` returns a ``tables.Table``; the dashboard shows the top rows of
each, ``/council/<gss>/<name>`` the whole table (also ``.csv``/``.json``), and
``/council/<gss>/<name>.svg`` its chart.

Tables read the council's own summary graph (``analysis.council``) when it is kept, so
the first view after a load reads a few hundred observations; a store written before
those summaries existed is read from the per-dataset cubes (``analysis.spend``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from catalogue.analysis import council as summary
from catalogue.analysis import spend, supplier_shares, to_decimal
from catalogue.analysis.kinds import organisation_type
from catalogue import iris
from catalogue.iris import fallback_label
from catalogue.linking.crosswalk_classes import COLUMNS as CLASS_COLUMNS
from catalogue.linking.crosswalk_classes import council_organisations, organisation_facts
from catalogue.linking.records import linkset_graph
from catalogue.web import base_uri, get_store
from catalogue.web.conditional import cached
from catalogue.web.fetch import fetch
from catalogue.web.tables import Column, Table

NOT_STATED_LABEL = "Not stated"
MONEY = Column("spend", "Spend", "money")
LINES = Column("lines", "Lines", "int")
SHARE = Column("share", "Share of spend", "share")


def summarised(council: str) -> bool:
    """Whether the council's summary graph is there (``catalogue.summaries.councils``)."""
    return bool(fetch(summary.available(base_uri(), council)).rows)


def _months(council: str):
    return fetch(summary.months(base_uri(), council) if summarised(council) else spend.months(council))


def total_spend(council: str) -> Decimal:
    return sum((to_decimal(r["total"]) for r in _months(council).rows), Decimal(0))


def _share(amount: Decimal, whole: Decimal) -> float | None:
    return spend.ratio(amount, whole)


def months(council: str) -> Table:
    result = _months(council)
    rows = [{"month": r["month"], "spend": to_decimal(r["total"]), "lines": r["lineCount"]} for r in result.rows]
    # Lines dated by a quarter or a year are counted in a row of their own, named by the
    # period's first and last month ("2021-04/2021-06"; catalogue.summaries.cells): say so.
    periods = any("/" in str(r["month"]) for r in rows)
    caption = "Spend by month and period" if periods else "Spend by month"
    return Table("months", caption, [Column("month", "Month or period" if periods else "Month"), MONEY, LINES], rows,
                 query=result.query, sort="month", truncated=result.truncated,
                 truncation_reason=result.reason)


def categories(council: str, dimension: str) -> Table:
    result = fetch(summary.categories(base_uri(), council, dimension) if summarised(council)
                   else spend.categories(council, dimension))
    whole = total_spend(council)
    rows = []
    for r in result.rows:
        stated = r["category"] != spend.NOT_STATED
        amount = to_decimal(r["total"])
        rows.append({"label": (r.get("label") or r["category"]) if stated else NOT_STATED_LABEL,
                     "category": r["category"] if stated else None, "spend": amount,
                     "lines": r["lineCount"], "share": _share(amount, whole)})
    title = {"expenseType": "Expense type", "serviceAreaDimension": "Service area"}[dimension]
    return Table(result.query.name, result.query.title,
                 [Column("label", title, href="category"), MONEY, SHARE, LINES], rows,
                 query=result.query, sort="spend", desc=True, truncated=result.truncated,
                 truncation_reason=result.reason)


def _class_labels(classes: str | None) -> str:
    found = [spend.CLASS_LABELS.get(c, c.rsplit("#", 1)[-1]) for c in (classes or "").split()]
    return ", ".join(sorted(found)) if found else ""


def suppliers(council: str, top: int | None = None, page: tuple[int, int] | None = None) -> Table:
    """Every recipient, one row per canonical organisation (the council's payees linked to
    it, whatever names it paid them under) else per payee as published, with its type;
    or, when the council is summarised, only the ``top`` ones or one ``page`` (number from
    1, size) of them in order of spend, with the count of all.

    A top or a page is that many lookups by rank in the council's ranked summary
    (``by-recipient``): tens of milliseconds. The whole table (a download, or another
    order) sums the cubes per payee (``spend.payees``) and groups them here by organisation.
    """
    count, result = None, None
    if (top is not None or page is not None) and summarised(council):
        first, size = (1, top) if page is None else ((page[0] - 1) * page[1] + 1, page[1])
        count = int(fetch(summary.recipient_count(base_uri(), council)).rows[0]["n"])
        if count:
            result = fetch(summary.recipients(base_uri(), council, size, first))
        else:  # summarised before the by-recipient cube existed: the whole table, grouped here
            count = None
    ranked = result is not None
    result = result or fetch(spend.payees(council))
    whole = total_spend(council)
    rows: dict[str, dict] = {}
    for r in sorted(result.rows, key=lambda r: (r.get("rank") or 0, r.get("member") or r["payee"])):
        if ranked:  # one row per member payee of each rank: the lead is the first payee IRI
            r = dict(r, payee=r["member"])
        payee, organisation = r["payee"], r.get("organisation")
        key = str(r["rank"]) if ranked else (organisation or payee)
        amount = to_decimal(r["total"])
        if key in rows:
            row = rows[key]
            if not ranked:
                row["spend"] += amount
                row["share"] = _share(row["spend"], whole)
            row["records"] += 1
            continue
        label = NOT_STATED_LABEL if payee == spend.NOT_STATED else (r.get("label") or fallback_label(payee))
        rows[key] = {
            "supplier": label,
            "payee": None if payee == spend.NOT_STATED else payee,
            "organisation_label": r.get("organisationLabel") or (organisation and "linked organisation"),
            "organisation": organisation,
            "type": _type(payee, organisation, r),
            "records": 1,
            "classes": _class_labels(r.get("classes")) or (
                "Withheld (personal data)" if spend.is_withheld(payee)
                else "Unknown" if organisation else "Not linked"),
            "spend": amount, "share": _share(amount, whole),
        }
    ordered = list(rows.values()) if ranked else sorted(rows.values(), key=lambda row: (-row["spend"],
                                                                                        row["payee"] or ""))
    return Table("suppliers", "Spend by supplier",
                 [Column("supplier", "Supplier (as published)", href="payee"),
                  Column("organisation_label", "Organisation", href="organisation"),
                  Column("type", "Type"), Column("classes", "Social-value class"), MONEY, SHARE,
                  Column("records", "Names paid under", "int")], ordered,
                 query=result.query, sort="spend", desc=True, truncated=result.truncated,
                 truncation_reason=result.reason, total=count,
                 description="One row per organisation: the council's supplier records linked to one canonical "
                             "organisation are added together (however many names it was paid under); an "
                             "unlinked supplier is a row of its own. Type says what it is (council, other "
                             "public body, company, charity, CIC, mutual, person or sole trader, unknown).")


def _type(payee: str, organisation: str | None, row: dict) -> str:
    """What the recipient is, from its organisation's identifiers, classes and name."""
    if payee == spend.NOT_STATED or spend.is_withheld(payee):
        return "withheld or not stated"
    identifiers = (row.get("identifiers") or "").split()
    if organisation and "/organisation/council-" in organisation:
        identifiers.append(organisation.rsplit("council-", 1)[-1])
    return organisation_type(organisation or payee, row.get("organisationLabel") or row.get("label") or "",
                             identifiers, (row.get("classes") or "").split())


def supplier_lists(council: str) -> Table:
    """The council's supplier lists' totals (``sv:SupplierTotal``): what each list says a
    supplier was paid in its period. A list total is the council's own statement, not a
    payment: it is shown apart and never added to the spend above."""
    result = fetch(spend.list_totals(council))
    rows = [{"supplier": r.get("label") or r["payee"], "payee": r["payee"],
             "period": r.get("periodLabel") or r.get("period") or "not stated", "spend": to_decimal(r["total"]),
             "lines": r.get("lineCount"), "list": r["dataset"].rsplit("/", 1)[-1], "dataset": r["dataset"]}
            for r in result.rows]
    return Table("supplier-lists", "Supplier list totals (as the lists state them; not added to payments)",
                 [Column("supplier", "Supplier (as listed)", href="payee"), Column("period", "Period"),
                  Column("spend", "List total", "money"), Column("lines", "Payments (as listed)", "int"),
                  Column("list", "Supplier list", href="dataset")], rows,
                 query=result.query, sort="spend", desc=True, truncated=result.truncated,
                 truncation_reason=result.reason,
                 description="What the council's supplier lists say each supplier was paid in the list's period. "
                             "These totals are the lists' own figures: they are never added to the payment "
                             "totals above, which come from the payment lines.")


def classes(council: str) -> Table:
    if summarised(council):
        result = fetch(summary.classes(base_uri(), council))
        rows = spend.share_table(result.rows, total_spend(council))
    else:
        result = fetch(spend.payees(council))
        rows = spend.share_table(spend.class_rows(result.rows), total_spend(council))
    return Table("classes", "Spend by social-value class",
                 [Column("label", "Class"), MONEY, Column("share", "Share of spend", "share", unknown="unknown_share")],
                 rows, query=result.query, truncated=result.truncated, truncation_reason=result.reason,
                 extra_keys=["class", "known", "unknown_share"],
                 description="Shares of the council's net spend by the class of the organisation paid (the "
                             "supplier query below, summed by class). An organisation can be in two classes "
                             "(SME and VCSE), so known classes can add up to more than their share; unknown is "
                             "spend whose class no evidence gives yet, and the rows after it say why.")


def concentration(council: str) -> Table:
    if summarised(council):
        result = fetch(summary.concentration(base_uri(), council))
        found = result.rows[0] if result.rows else {}
        figures = {"recipients": found.get("recipients") or 0, "top": found.get("top") or 10,
                   "top_share": found.get("topShare"), "hhi": found.get("hhi")}
    else:
        result = fetch(spend.payees(council))
        figures = spend.concentration(result.rows)
    rows = [
        {"measure": "Recipients paid (net of credits)", "value": figures["recipients"], "kind": "int"},
        {"measure": f"Share of spend to the top {figures['top']} recipients", "value": figures["top_share"],
         "kind": "share"},
        {"measure": "Herfindahl-Hirschman index (0-10,000)", "value": figures["hhi"], "kind": "number"},
    ]
    return Table("concentration", "Concentration of spend",
                 [Column("measure", "Measure"), Column("value", "Value", "number")], rows,
                 query=result.query, truncated=result.truncated, truncation_reason=result.reason,
                 extra_keys=["kind"],
                 description="How much of the spend goes to few recipients: a recipient is the canonical "
                             "organisation when the supplier is linked, else the supplier as published; "
                             "withheld payees and net credits are left out.")


def headline(council: str) -> dict:
    """The council page's headline figures: net spend, payment lines, and the shares of spend
    with a known and an unknown social-value class. The page and ``figures.json`` both show
    these (one function per figure); the consistency tests recompute each from the lines."""
    month_rows = months(council).rows
    class_rows = classes(council).rows
    unknown = next((r["share"] for r in class_rows if r["class"] == spend.UNKNOWN), None)
    withheld = next((r["spend"] for r in class_rows if r["class"].endswith(f"?status={spend.WITHHELD}")), None)
    return {"spend": sum((m["spend"] for m in month_rows), Decimal(0)),
            "lines": sum(int(m["lines"] or 0) for m in month_rows),
            "known_share": None if unknown is None else 1 - unknown, "unknown_share": unknown,
            "withheld_spend": withheld}


def figures(council: str) -> Table:
    found = headline(council)
    rows = [{"figure": "spend", "measure": "Net spend", "value": found["spend"], "kind": "money"},
            {"figure": "lines", "measure": "Payment lines", "value": found["lines"], "kind": "int"},
            {"figure": "known_share", "measure": "Share of spend with a known social-value class",
             "value": found["known_share"], "kind": "share"},
            {"figure": "unknown_share", "measure": "Share of spend whose class is unknown",
             "value": found["unknown_share"], "kind": "share"},
            {"figure": "withheld_spend", "measure": "Spend to payees withheld (redacted) or not stated",
             "value": found["withheld_spend"], "kind": "money"}]
    return Table("figures", "Headline figures", [Column("measure", "Figure"), Column("value", "Value", "number")],
                 rows, extra_keys=["figure", "kind"],
                 description="The figures at the top of the council's page, from its summary cubes.")


class _Places(Mapping):
    """Each organisation's ``supplier_shares.Place`` for one council, from the crosswalk's
    facts, made when asked for (a council pays a few of the organisations there are)."""

    def __init__(self, facts: dict, gss: str):
        self.facts, self.gss = facts, gss

    def __getitem__(self, org: str) -> supplier_shares.Place:
        f = self.facts[org]
        return supplier_shares.Place(dict(zip(CLASS_COLUMNS, f.columns(self.gss))), f.local_authority, f.county)

    def __iter__(self):
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)


def shares(council: str) -> supplier_shares.Shares:
    """The council's SME, VCSE, public-body and local shares (``analysis.supplier_shares``),
    once per data version; only the facts of the organisations the council's supplier
    records are linked to are read (not every organisation's)."""
    def places(gss: str) -> _Places:
        store, base = get_store(), base_uri()
        graph = linkset_graph(store, base)
        return _Places(organisation_facts(store, graph, council_organisations(store, graph, iris.council(base, gss))),
                       gss)

    return cached(f"supplier-shares:{council}",
                  lambda: supplier_shares.council_shares(get_store(), base_uri(), council, places))


def shares_table(council: str) -> Table:
    found = shares(council)
    return Table("shares", "Who the money reaches: SME, VCSE, public-body and local shares", [
        Column("label", "Measure"), Column("basis", "Basis"),
        Column("yes_share", "Share (at least)", "share", unknown="unknown_share"),
        Column("unknown_share", "Unknown", "share"), Column("no_share", "Not", "share"),
        Column("yes", "Yes", "number"), Column("unknown", "Unknown (amount)", "number"),
        Column("no", "Not (amount)", "number"), Column("total", "Whole", "number")],
        found.rows, query=found.queries[0], more_queries=found.queries[1:],
        extra_keys=["measure"],
        description="Each measure's parts add up to the whole: yes (evidence says so), unknown (no evidence "
                    "either way) and not (evidence says not). By value: pounds paid to recipients paid more "
                    "than they repaid, withheld payees as unknown; by count: those recipients, withheld "
                    "payees left out. Local: the supplier's postcode lies in the council's area.")


BUILDERS = {
    "figures": figures,
    "shares": shares_table,
    "months": months,
    "expense-types": lambda council: categories(council, "expenseType"),
    "service-areas": lambda council: categories(council, "serviceAreaDimension"),
    "suppliers": suppliers,
    "classes": classes,
    "concentration": concentration,
    "supplier-lists": supplier_lists,
}


def build(name: str, council: str, top: int | None = None) -> Table | None:
    """The table ``name``; ``top`` asks for the first rows only where that is cheaper (suppliers)."""
    builder = BUILDERS.get(name)
    if builder is None:
        return None
    return suppliers(council, top) if name == "suppliers" else builder(council)
