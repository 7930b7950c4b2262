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


def primary_class_spend(base: str, by_month: bool) -> Query:
    """Spend by council (and month) and the one class each payee is stacked under
    (``catalogue.summaries.social_value.PRIMARY_ORDER``): the parts add up to the total."""
    keys = "?council ?month ?class" if by_month else "?council ?class"
    return Query("primary-class-spend" + ("-by-month" if by_month else ""),
                 "Spend by council" + (", month" if by_month else "") + " and one social-value class per payee",
                 _summary(base, "by-primary-class", keys, " ; sv:classDimension ?class"))


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


def stacked_shares(primary_rows: list[dict], by_month: bool) -> list[dict]:
    """One row per council (and month): each class's share of a stated base, for stacking.

    The base is the sum of the council's parts (one class per payee, unknown included) that
    are not net credits: a part whose refunds exceed its payments shows as 0, so every share
    lies between 0 and 1 and the shares of a row add up to exactly 100%. ``base`` says what
    it was and ``credits`` how much was left out as net credits."""
    out: dict[tuple, dict] = {}
    for row in primary_rows:
        key = (row["council"], row.get("month")) if by_month else (row["council"],)
        entry = out.setdefault(key, {"council": row["council"], **({"month": row["month"]} if by_month else {}),
                                     "parts": {}})
        slug = _slug(row["class"])
        entry["parts"][slug] = entry["parts"].get(slug, Decimal(0)) + to_decimal(row["total"])
    rows = []
    for entry in out.values():
        parts = entry.pop("parts")
        base = sum((v for v in parts.values() if v > 0), Decimal(0))
        entry["base"] = base
        entry["credits"] = -sum((v for v in parts.values() if v < 0), Decimal(0))
        for iri, _ in CLASSES:
            slug = _slug(iri)
            value = parts.get(slug, Decimal(0))
            entry[slug + "_share"] = ratio(value, base) if value > 0 else (0.0 if base else None)
        rows.append(entry)
    return rows
