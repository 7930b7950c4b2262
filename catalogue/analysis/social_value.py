"""Councils side by side: shares of spend by social-value class, over time, unknown shown.

Three queries: every council's total spend (from the small by-category cubes), the
spend to payees whose canonical organisation has a known class, by class, and the same
spend counted once per payee (from the by-payee cubes, starting at the classified
records). Unknown is the rest: no link, no class
evidence, or no named payee. Spend to an organisation with two classes (SME and VCSE)
counts in each class but once in the known share. The true share of a class lies between its known share and its known share
plus the unknown share; pages draw that range.
"""

from __future__ import annotations

from decimal import Decimal

from catalogue.analysis import Query, to_decimal
from catalogue.analysis.spend import CLASSES, UNKNOWN, ratio

def _classified(by_month: bool, keys: str, condition: str) -> str:
    """Spend of payees whose organisation meets ``condition``, starting from those payees.

    Written flat, so the engine starts from the (few) classified records and never makes
    a pass over every payment.
    """
    month = " ; sv:month ?month" if by_month else ""
    return f"""
        SELECT {keys} (SUM(?spend) AS ?total) WHERE {{
          ?payee sv:canonicalOrganisation ?organisation .
          {condition}
          GRAPH ?graph {{ ?obs sv:payeeRecord ?payee ; sv:spendTotal ?spend{month} }}
          ?dataset sv:namedGraph ?graph ; dcterms:publisher ?council .
        }}
        GROUP BY {keys}
        ORDER BY {keys}"""


def class_spend(by_month: bool) -> Query:
    """Spend to payees whose canonical organisation has a known class, by class.

    A payee whose organisation has two classes (SME and VCSE) counts in each.
    """
    keys = "?council ?month ?class" if by_month else "?council ?class"
    return Query("class-spend" + ("-by-month" if by_month else ""),
                 "Spend by council" + (", month" if by_month else "") + " and known social-value class",
                 _classified(by_month, keys, "?organisation sv:socialValueClass ?class "
                                                 "FILTER(?class != sv:unknownClass)"))


def known_spend(by_month: bool) -> Query:
    """Spend to payees with at least one known class, each counted once (the known share)."""
    keys = "?council ?month" if by_month else "?council"
    return Query("known-spend" + ("-by-month" if by_month else ""),
                 "Spend by council" + (" and month" if by_month else "") + " with a known social-value class",
                 _classified(by_month, keys, "FILTER EXISTS { ?organisation sv:socialValueClass ?known "
                                                 "FILTER(?known != sv:unknownClass) }"))


def total_spend(by_month: bool) -> Query:
    """Every council's total spend (from the small by-category cubes)."""
    month = " ; sv:month ?month" if by_month else ""
    keys = "?council ?month" if by_month else "?council"
    return Query("total-spend" + ("-by-month" if by_month else ""),
                 "Total spend by council" + (" and month" if by_month else ""), f"""
        SELECT {keys} (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
          ?dataset dcterms:publisher ?council ; sv:namedGraph ?graph .
          ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByCategory .
          GRAPH ?graph {{ ?obs qb:dataSet ?cube ; sv:spendTotal ?spend ; sv:lineCount ?lines{month} }}
        }}
        GROUP BY {keys}
        ORDER BY {keys}""")


def shares(class_rows: list[dict], known_rows: list[dict], total_rows: list[dict], by_month: bool) -> list[dict]:
    """One row per council (and month): total, then spend and share per class, unknown included."""
    def key(row):
        return (row["council"], row.get("month")) if by_month else (row["council"],)

    out: dict[tuple, dict] = {}
    for row in total_rows:
        entry = {"council": row["council"], "total": to_decimal(row["total"]), "lines": row.get("lineCount")}
        if by_month:
            entry["month"] = row["month"]
        for iri, _ in CLASSES:
            entry[_slug(iri)] = Decimal(0)
        out[key(row)] = entry
    known = {key(row): to_decimal(row["total"]) for row in known_rows}
    for row in class_rows:
        entry = out.get(key(row))
        if entry is None:
            continue
        slug = _slug(row["class"])
        entry[slug] = entry.get(slug, Decimal(0)) + to_decimal(row["total"])
    for k, entry in out.items():
        entry[_slug(UNKNOWN)] = entry["total"] - known.get(k, Decimal(0))
        for iri, _ in CLASSES:
            slug = _slug(iri)
            entry[slug + "_share"] = ratio(entry[slug], entry["total"])
        unknown = entry[_slug(UNKNOWN) + "_share"]
        entry["known_share"] = None if unknown is None else 1 - unknown
    return list(out.values())


def _slug(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def class_slugs() -> list[tuple[str, str]]:
    """(column slug, label) of every class, unknown last."""
    return [(_slug(iri), label) for iri, label in CLASSES]
