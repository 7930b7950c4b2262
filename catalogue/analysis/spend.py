"""One council's spend, from its summary cubes: by month, by category, by payee and class.

Each function returns the ``Query`` it would run; ``catalogue.analysis.run`` runs it.
Cubes are reached through the catalogue record of each *current* dataset
(``?dataset sv:namedGraph ?graph``), so a graph left behind by an interrupted load is
never counted. Labels are joined after the sums are taken, because the same supplier
or concept is stated in every dataset graph that mentions it.
"""

from __future__ import annotations

from decimal import Decimal

from catalogue.analysis import Query, iri_ref, to_decimal
from catalogue.vocab import SV

NOT_STATED = str(SV.notStated)
UNKNOWN = str(SV.unknownClass)


def financial_year(month: str) -> str:
    """``2022-08`` -> ``2022/23`` (UK councils' years run April to March).

    A summary's period key (``2021-04/2021-06``, see ``catalogue.summaries.cells``) counts in the
    financial year its first month falls in."""
    year, mon = int(month[:4]), int(month[5:7])
    start = year if mon >= 4 else year - 1
    return f"{start}/{str(start + 1)[2:]}"


#: Social-value classes in the order pages show them, with their labels.
CLASSES = (
    (str(SV.sme), "SME"),
    (str(SV.vcse), "VCSE"),
    (str(SV.publicBody), "Public body"),
    (str(SV.largeEnterprise), "Large enterprise"),
    (str(SV.individual), "Individual or sole trader"),
    (UNKNOWN, "Unknown"),
)
CLASS_LABELS = dict(CLASSES)
#: Why spend is unknown, as the class query's ``?status`` says.
LINKED, NOT_LINKED, WITHHELD = "linked", "not linked", "withheld or not stated"


def _cube(council: str, structure: str) -> str:
    """The graph pattern of one council's current observations in one cube."""
    return f"""
      ?dataset dcterms:publisher {iri_ref(council)} ; sv:namedGraph ?graph .
      ?cube sv:summaryOf ?dataset ; qb:structure sv:{structure} .
      GRAPH ?graph {{
        ?obs qb:dataSet ?cube ; sv:spendTotal ?spend ; sv:lineCount ?lines"""


def months(council: str) -> Query:
    return Query("months", "Spend by month", f"""
        SELECT ?month (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
          {_cube(council, "spendByCategory")} ; sv:month ?month .
          }}
        }}
        GROUP BY ?month
        ORDER BY ?month""")


def categories(council: str, dimension: str) -> Query:
    """Spend by ``sv:expenseType`` or ``sv:serviceAreaDimension``."""
    name, title = {"expenseType": ("expense-types", "Spend by expense type"),
                   "serviceAreaDimension": ("service-areas", "Spend by service area")}[dimension]
    return Query(name, title, f"""
        SELECT ?category (SAMPLE(?name) AS ?label) ?total ?lineCount WHERE {{
          {{ SELECT ?category (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
              {_cube(council, "spendByCategory")} ; sv:{dimension} ?category .
              }}
            }} GROUP BY ?category }}
          OPTIONAL {{ ?category skos:prefLabel ?name }}
        }}
        GROUP BY ?category ?total ?lineCount
        ORDER BY DESC(?total)""")


def _current(council: str, pattern: str, variables: str) -> str:
    """A subquery reading one property of the council's current observations in one pass.

    On the on-disk store, joining such passes on ``?obs`` is several times faster than
    looking up each observation's properties one by one.
    """
    return f"""{{ SELECT {variables} WHERE {{
              ?dataset dcterms:publisher {iri_ref(council)} ; sv:namedGraph ?graph .
              GRAPH ?graph {{ {pattern} }} }} }}"""


def payees(council: str) -> Query:
    """Every payee with its total, its canonical organisation and classes when linked.

    Only the spend cubes' observations count (they have an ``sv:month``): a supplier
    list's totals (``sv:SupplierTotal``, see ``list_totals``) also name a payee and a
    total, but they are what the list states, never payments to add up."""
    return Query("suppliers", "Spend by supplier", f"""
        SELECT ?payee (SAMPLE(?name) AS ?label) ?organisation (SAMPLE(?orgName) AS ?organisationLabel)
               (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
               (GROUP_CONCAT(DISTINCT STR(?id); separator=" ") AS ?identifiers) ?total
        WHERE {{
          {{ SELECT ?payee (SUM(?spend) AS ?total) WHERE {{
              {_current(council, "?obs sv:payeeRecord ?payee ; sv:month ?month", "?obs ?payee")}
              {_current(council, "?obs sv:spendTotal ?spend", "?obs ?spend")}
            }} GROUP BY ?payee }}
          OPTIONAL {_current(council, "?payee rdfs:label ?name", "?payee ?name")}
          OPTIONAL {{ ?payee sv:canonicalOrganisation ?organisation .
                     OPTIONAL {{ ?organisation rdfs:label ?orgName }}
                     OPTIONAL {{ ?organisation sv:socialValueClass ?class }}
                     OPTIONAL {{ ?organisation org:identifier ?id }} }}
        }}
        GROUP BY ?payee ?organisation ?total
        ORDER BY DESC(?total)""")


def list_totals(council: str) -> Query:
    """What the council's supplier lists say each supplier was paid (``sv:SupplierTotal``),
    per list and period: shown as list totals beside the payments, never added to them."""
    return Query("supplier-lists", "Supplier list totals", f"""
        SELECT ?dataset ?payee (SAMPLE(?name) AS ?label) ?period (SAMPLE(?periodName) AS ?periodLabel)
               ?total ?lineCount WHERE {{
          ?dataset dcterms:publisher {iri_ref(council)} ; sv:namedGraph ?graph .
          GRAPH ?graph {{
            ?obs a sv:SupplierTotal ; sv:payeeRecord ?payee ; sv:spendTotal ?total .
            OPTIONAL {{ ?obs sv:lineCount ?lineCount }}
            OPTIONAL {{ ?obs sdmx-dimension:refPeriod ?period OPTIONAL {{ ?period rdfs:label ?periodName }} }}
            OPTIONAL {{ ?payee rdfs:label ?name }} }}
        }}
        GROUP BY ?dataset ?payee ?period ?total ?lineCount
        ORDER BY DESC(?total)""", prefixes=Query.prefixes + ("sdmx-dimension",))


def is_withheld(payee: str) -> bool:
    """A payee the council did not name: a ``pay:Redaction`` or no payee at all."""
    return payee == NOT_STATED or "/id/redaction/" in payee


def class_rows(payee_rows: list[dict]) -> list[dict]:
    """The payees query's rows summed by class, with why the rest is unknown.

    Rows as the class query of ``social_value`` gives them: ``class``, ``status``, ``total``.
    A payee whose organisation has several classes counts in each.
    """
    sums: dict[tuple[str, str], Decimal] = {}
    for row in payee_rows:
        known = [c for c in (row.get("classes") or "").split() if c != UNKNOWN]
        if known:
            keys = [(c, LINKED) for c in known]
        elif is_withheld(row["payee"]):
            keys = [(UNKNOWN, WITHHELD)]
        else:
            keys = [(UNKNOWN, LINKED if row.get("organisation") else NOT_LINKED)]
        for key in keys:
            sums[key] = sums.get(key, Decimal(0)) + to_decimal(row.get("total"))
    return [{"class": c, "status": status, "total": total} for (c, status), total in sorted(sums.items())]


# ---------------------------------------------------------------- figures from rows

def share_table(rows: list[dict], total: Decimal) -> list[dict]:
    """One row per class (all of them, unknown included), with its share of ``total``."""
    by_class: dict[str, Decimal] = {iri: Decimal(0) for iri, _ in CLASSES}
    unknown_why: dict[str, Decimal] = {LINKED: Decimal(0), NOT_LINKED: Decimal(0), WITHHELD: Decimal(0)}
    for row in rows:
        cls = row.get("class") or UNKNOWN
        by_class[cls] = by_class.get(cls, Decimal(0)) + to_decimal(row.get("total"))
        if cls == UNKNOWN:
            unknown_why[row.get("status") or NOT_LINKED] += to_decimal(row.get("total"))
    out = []
    unknown_share = ratio(by_class[UNKNOWN], total)
    for iri, amount in by_class.items():
        out.append({"class": iri, "label": CLASS_LABELS.get(iri, iri.rsplit("#", 1)[-1]),
                    "spend": amount, "share": ratio(amount, total), "known": iri != UNKNOWN,
                    # A known class's true share is at least ``share``, at most share + unknown.
                    "unknown_share": unknown_share if iri != UNKNOWN else None})
    for status in (LINKED, NOT_LINKED, WITHHELD):
        label = {LINKED: "linked, no class evidence", NOT_LINKED: "supplier not linked to an organisation",
                 WITHHELD: "payee withheld or not stated"}[status]
        out.append({"class": f"{UNKNOWN}?status={status}", "label": f"Unknown: {label}",
                    "spend": unknown_why[status], "share": ratio(unknown_why[status], total), "known": False})
    return out


def ratio(part: Decimal, whole: Decimal) -> float | None:
    return float(part / whole) if whole else None


def concentration(payee_rows: list[dict], top: int = 10) -> dict:
    """Top-``top`` share and Herfindahl-Hirschman index of spend across recipients.

    A recipient is the canonical organisation when the payee is linked, else the payee
    record as published; withheld and unstated payees are left out (they are not one
    recipient). Only positive totals count (a net credit is not market share). HHI is
    the sum of squared percentage shares: 10,000 when one recipient gets everything.
    """
    totals: dict[str, Decimal] = {}
    for row in payee_rows:
        payee = row["payee"]
        if is_withheld(payee):
            continue
        key = row.get("organisation") or payee
        totals[key] = totals.get(key, Decimal(0)) + to_decimal(row.get("total"))
    positive = sorted((v for v in totals.values() if v > 0), reverse=True)
    whole = sum(positive, Decimal(0))
    if not whole:
        return {"recipients": 0, "top": top, "top_share": None, "hhi": None}
    shares = [v / whole for v in positive]
    return {
        "recipients": len(positive),
        "top": top,
        "top_share": float(sum(shares[:top], Decimal(0))),
        "hhi": float(sum((s * 100) ** 2 for s in shares)),
    }
