"""Which kind a file is, from its structure (``svcat inspect``, ``svcat load FILE``).

Counting the fields each kind's mapping can bind is not enough: an ordinary payments
file binds a supplier list's fields too (supplier name, id, an amount). What tells them
apart is the shape of the rows, as a person sees it at a glance:

* **spend**: an amount and a date or period on every row, and suppliers that recur
  (many rows per supplier);
* **suppliers**: one row per supplier (per name and id, where the file has both), with or
  without a total;
* **outcomes**: area codes (ONS GSS codes), a measure or indicator, and a value, in long
  form; or a performance table: a period and columns of numbers on each row;
* **framework**: themes, outcomes and measures with their codes;
* **contracts**: a contract title or reference with start and end dates;
* **grants**: awards to recipient organisations (360Giving's columns).

Each kind gets a score (the fields it reads, plus the structure that fits it; one column
read alone is too little to tell a kind by), the best wins, and the evidence is kept so
``inspect`` can print it; two close scores are a warning.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from loaders import converters as cv
from loaders.read import is_blank
from loaders.words import profile, title_words

#: Fields that only identify the publisher: they say nothing about which kind a file is.
PUBLISHER_FIELDS = frozenset({"body", "body_name"})
#: How many data rows are looked at for the structure.
STRUCTURE_ROWS = 2000
#: A runner-up within this share of the best score is "close".
CLOSE = 0.8


@dataclass
class KindScore:
    kind: str
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)

    def add(self, points: float, why: str) -> None:
        self.score += points
        self.evidence.append(f"{why} ({points:+g})")


def _column(table, rows: list[list[str]], name: str) -> list[str]:
    index = table.fields.get(name)
    if index is None:
        return []
    return [r[index].strip() for r in rows if index < len(r) and r[index].strip()]


def score_kind(kind: str, table, stream) -> KindScore:
    """The score of one kind for a file whose header that kind could read."""
    rows = [c for _, c in itertools.islice((r for r in stream if not is_blank(r[1])), STRUCTURE_ROWS)]
    result = KindScore(kind)
    fields = set(table.fields) - PUBLISHER_FIELDS
    result.add(len(fields), f"{len(fields)} columns read as {kind} fields")
    if len(fields) < 2:
        result.add(-1, "one column is too little to tell a kind by")
    has = fields.__contains__
    if table.dialect.priority > 0 and table.dialect.match:
        result.add(6, f"the columns of {table.dialect.title}")
    names = _suppliers(table, rows)
    # Too few rows say nothing about how often suppliers recur.
    per_supplier = len(names) / len(set(names)) if len(names) >= 3 else 0.0
    dated = _varying_dates(table, rows)
    if kind == "spend":
        if (has("date") or has("period")) and has("net_amount"):
            if has("supplier_name") or has("supplier_id") or has("transaction"):
                result.add(4, "an amount, a date or period and a payee or reference on each row")
            else:
                result.add(1, "an amount and a date or period, but no payee or reference")
        if per_supplier >= 1.3:
            result.add(4, f"suppliers recur: {per_supplier:.1f} rows per supplier")
        elif per_supplier and per_supplier < 1.1 and not dated:
            result.add(-4, "each supplier appears once, as in a supplier list")
    elif kind == "suppliers":
        if has("total_amount") or has("payments"):
            result.add(3, "totals or counts of payments per supplier")
        if dated:
            result.add(-4, f"a payment date that changes from row to row ({dated!r}): transactions, not a list")
        elif (day := _day_dates(table, rows)) and (has_reference := _reference_title(table)):
            result.add(-4, f"a day date ({day!r}) and a transaction reference ({has_reference!r}) on each row: "
                           "transactions, not a list")
        elif per_supplier and per_supplier < 1.1:
            result.add(6, f"one row per supplier ({len(set(names))} suppliers in {len(names)} rows)")
        elif per_supplier >= 1.3:
            result.add(-4, f"suppliers recur ({per_supplier:.1f} rows per supplier): a list has each once")
    elif kind == "outcomes":
        areas = _column(table, rows, "area_code")
        if areas and sum(bool(cv.AREA_CODE.match(a)) for a in areas) >= 0.6 * len(areas):
            result.add(5, f"area codes (ONS GSS) in {len(set(areas))} areas")
        if has("value") and (has("indicator") or has("measure")):
            result.add(3, "a value per indicator or measure, in long form")
        measures = [c for c in table.dialect.columns if "sv:discovered" in c.extra]
        if measures and (has("period") or has("period_end")):
            result.add(3, f"a period and {len(measures)} columns of numbers on each row: a performance table")
    elif kind == "framework":
        if has("measure_code") and (has("theme") or has("outcome")):
            result.add(4, "measures under themes or outcomes, with codes")
    elif kind == "contracts":
        if (has("title") or has("contract_reference")) and (has("start_date") or has("end_date")):
            result.add(4, "contracts with start or end dates")
    elif kind == "grants":
        recipients = has("amount") and (has("org_identifier") or has("supplier_name"))
        if recipients and has("grant_id"):
            result.add(4, "awards to recipient organisations with grant identifiers")
        elif recipients and has("award_date"):
            result.add(3, "awards to recipient organisations with award dates")
        if title := _award_title(table):
            result.add(3, f"a title that speaks of awards ({title!r})")
    return result


def _suppliers(table, rows: list[list[str]]) -> list:
    """The supplier of each row that names one: its name and id together where the file has
    both (a council may keep one name under several accounts, each a record of its own)."""
    name, ident = table.fields.get("supplier_name"), table.fields.get("supplier_id")
    if name is None or ident is None:
        return _column(table, rows, "supplier_name") or _column(table, rows, "supplier_id")
    cell = lambda r, i: r[i].strip() if i < len(r) else ""  # noqa: E731
    return [(cell(r, name), cell(r, ident)) for r in rows if cell(r, name) or cell(r, ident)]


def _award_title(table) -> str | None:
    """A header cell that speaks of grants or awards (a council's own grants register
    seldom has 360Giving's identifiers, but says 'Grant Amount', 'Date Awarded')."""
    for title in table.header:
        if set(title_words(title)) & {"grant", "grants", "award", "awarded", "awards"}:
            return title
    return None


def _day_dates(table, rows: list[list[str]]) -> str | None:
    """The title of a column of day dates (constant or not), if any."""
    for i, title in enumerate(table.header):
        if profile([r[i] if i < len(r) else "" for r in rows[:500]]).date >= 0.6:
            return title
    return None


def _reference_title(table) -> str | None:
    """A header cell that names a transaction or document reference."""
    for title in table.header:
        words = set(title.lower().replace("_", " ").replace(".", " ").split())
        if words & {"transaction", "transno", "document", "voucher"} or {"trans", "no"} <= words:
            return title
    return None


def _varying_dates(table, rows: list[list[str]]) -> str | None:
    """The title of a column of day dates that vary from row to row (a payment date), if any."""
    for i, title in enumerate(table.header):
        found = profile([r[i] if i < len(r) else "" for r in rows[:500]])
        if found.date >= 0.8 and found.distinct_count >= 3:
            return title
    return None


def decide(scores: list[KindScore]) -> dict:
    """The best kind, a confidence, and a warning when the runner-up is close."""
    ranked = sorted(scores, key=lambda s: -s.score)
    if not ranked or ranked[0].score <= 0:
        return {"kind": None, "confidence": 0.0, "evidence": [], "close": None, "scores": {}}
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    confidence = round(max(0.0, min(1.0, (best.score - max(second, 0.0)) / best.score)), 2)
    close = ranked[1].kind if len(ranked) > 1 and second >= CLOSE * best.score else None
    return {"kind": best.kind, "confidence": confidence, "evidence": best.evidence, "close": close,
            "scores": {s.kind: round(s.score, 1) for s in ranked}}
