"""Councils side by side: shares of spend by social-value class, over time, unknown shown.

Two queries, both over the small social-value summary that loading and linking keep
(``catalogue.summaries.social_value``): spend by council (and month) and class, where
``sv:unknownClass`` is spend with no known class (no link, no class evidence, or no
named payee), and every council's total. Spend to an organisation with two classes (SME
and VCSE) counts in each class but once in the known share, which is total minus
unknown. The true share of a class lies between its known share and its known share
plus the unknown share; pages draw that range.
"""

from __future__ import annotations

from decimal import Decimal

from catalogue.analysis import Query, iri_ref, to_decimal
from catalogue.analysis.spend import CLASSES, UNKNOWN, ratio
from catalogue.iris import class_summary, class_summary_graph


def _summary(base: str, cube: str, keys: str, pattern: str) -> str:
    return f"""
        SELECT {keys} (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
          GRAPH {iri_ref(class_summary_graph(base))} {{
            ?obs qb:dataSet {iri_ref(class_summary(base, cube))} ; sv:council ?council ; sv:month ?month ;
                 sv:spendTotal ?spend ; sv:lineCount ?lines{pattern} }}
        }}
        GROUP BY {keys}
        ORDER BY {keys}"""


def class_spend(base: str, by_month: bool) -> Query:
    """Spend by council (and month) and class: known classes and sv:unknownClass.

    A payee whose organisation has two classes (SME and VCSE) counts in each.
    """
    keys = "?council ?month ?class" if by_month else "?council ?class"
    return Query("class-spend" + ("-by-month" if by_month else ""),
                 "Spend by council" + (", month" if by_month else "") + " and social-value class",
                 _summary(base, "by-class", keys, " ; sv:classDimension ?class"))


def total_spend(base: str, by_month: bool) -> Query:
    """Every council's total spend (and lines), from the same summary."""
    keys = "?council ?month" if by_month else "?council"
    return Query("total-spend" + ("-by-month" if by_month else ""),
                 "Total spend by council" + (" and month" if by_month else ""),
                 _summary(base, "by-month", keys, ""))


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
        if entry is None:
            continue
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
