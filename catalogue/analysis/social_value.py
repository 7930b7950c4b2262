"""Councils side by side: shares of spend by social-value class, over time, unknown shown.

Two queries over every council's by-payee cube: the spend by class of the payee's
canonical organisation (``sv:unknownClass`` when there is no class evidence, no link,
or no named payee), and the total spend. Shares are computed from both, so spend to
an organisation with two classes (SME and VCSE) counts in each class but once in the
total. The true share of a class lies between its known share and its known share
plus the unknown share; pages draw that range.
"""

from __future__ import annotations

from decimal import Decimal

from catalogue.analysis import Query, to_decimal
from catalogue.analysis.spend import CLASSES, UNKNOWN, ratio

_OBSERVATIONS = """
      ?dataset dcterms:publisher ?council ; sv:namedGraph ?graph .
      ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee .
      GRAPH ?graph {{ ?obs qb:dataSet ?cube ; sv:payeeRecord ?payee ; sv:spendTotal ?spend ;
                      sv:lineCount ?lines{month} }}"""


def class_spend(by_month: bool) -> Query:
    month = " ; sv:month ?month" if by_month else ""
    keys = "?council ?month ?class" if by_month else "?council ?class"
    return Query("class-spend" + ("-by-month" if by_month else ""),
                 "Spend by council" + (", month" if by_month else "") + " and social-value class", f"""
        SELECT {keys} (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
          {_OBSERVATIONS.format(month=month)}
          OPTIONAL {{ ?payee sv:canonicalOrganisation ?organisation .
                     OPTIONAL {{ ?organisation sv:socialValueClass ?knownClass }} }}
          BIND(COALESCE(?knownClass, sv:unknownClass) AS ?class)
        }}
        GROUP BY {keys}
        ORDER BY {keys}""")


def total_spend(by_month: bool) -> Query:
    month = " ; sv:month ?month" if by_month else ""
    keys = "?council ?month" if by_month else "?council"
    return Query("total-spend" + ("-by-month" if by_month else ""),
                 "Total spend by council" + (" and month" if by_month else ""), f"""
        SELECT {keys} (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
          {_OBSERVATIONS.format(month=month)}
        }}
        GROUP BY {keys}
        ORDER BY {keys}""")


def shares(class_rows: list[dict], total_rows: list[dict], by_month: bool) -> list[dict]:
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
    for row in class_rows:
        entry = out.get(key(row))
        if entry is not None:
            slug = _slug(row["class"])
            entry[slug] = entry.get(slug, Decimal(0)) + to_decimal(row["total"])
    for entry in out.values():
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
