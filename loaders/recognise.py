"""Which column is which field: decided by title words and content together.

An exact title from the kind's mappings (``mappings/<kind>/*.json``) is still the
strongest evidence, and is taken first, unless the cells contradict it (a column titled
"Amount" whose cells are not money) or the title is a single generic word ("Description",
"Type") that might be hiding the supplier. Every field still without a column is then
offered every free column, scored on

* the *words* of its title (``words.word_score``: "Value", "Total (£)", "Paid Amount" are
  money; "net" beats "gross", "VAT" is never the payment; "Posting Date" and "Date Paid"
  are dates, "Invoice Date" and "Effective Date" less so), and
* its *content* (``words.content_score``: the share of sample cells that are money,
  dates, periods, organisation names, codes; how many are distinct).

Fields are filled most important first (amount, date, supplier, reference...), each
taking its best column: a finance officer's order, so the net amount, the payment date
and the supplier are never crowded out by a column that merely resembles them. A column
whose title says nothing is placed by content alone, but only for the amount, the date
and the supplier, and only when its cells are unmistakable.

Each choice is kept as a ``Decision`` (column, how, why, the competitors turned down), so
the load report can say what was taken and how to override it with ``--mapping``.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.converters import header_key
from loaders.words import Profile, content_score, is_generic, profile, word_score, word_table

#: Kinds whose columns are recognised by content as well as by title.
RECOGNISED_KINDS = frozenset({"spend"})
#: Fields filled in this order (a finance officer's: what a payment cannot do without first).
ORDER = ("net_amount", "date", "period", "supplier_name", "supplier_id", "transaction", "gross_amount",
         "irrecoverable_vat", "expense_type", "service_area", "narrative", "invoice")
#: Fields a column may take on content alone, with the content score it needs.
CONTENT_ALONE = {"net_amount": 3.3, "date": 2.4, "period": 2.4, "supplier_name": 1.5}
#: How far the best column must lead the next one to be placed on content alone.
MARGIN = 0.5
#: What the cells of a typed field must mostly be (share of filled cells).
FLOORS = {"net_amount": ("money", 0.6), "gross_amount": ("money", 0.6), "irrecoverable_vat": ("money", 0.6),
          "date": ("dated", 0.6), "period": ("dated", 0.6), "supplier_name": ("text", 0.5)}
#: Fields of free text whose known titles may be generic words ("Description", "Type").
TEXT_FIELDS = frozenset({"narrative", "capital_revenue", "service_area", "expense_type", "procurement_category",
                         "expense_category", "body_name"})
#: Fields whose title words must say more than one generic word ("Code", "Number"): an
#: identifier is only the supplier's when the title names the payee as well.
MIN_WORDS = {"supplier_id": 2.5}
KNOWN_TITLE = 6.0  # the weight of an exact title from the mappings
ENOUGH = 3.5  # the score a column needs, with title words, to be taken


@dataclass(frozen=True)
class Decision:
    """Why a field was given its column, and which other columns it was given over."""

    field: str
    column: int  # 0-based
    title: str
    how: str  # "known title" | "title words" | "content"
    why: str
    rejected: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return column_label(self.column, self.title)


def column_label(index: int, title: str) -> str:
    return f"column {index + 1} {title.strip()!r}" if title.strip() else f"column {index + 1} (no title)"


def profiles(header: list[str], sample: list[list[str]], nulls: frozenset[str]) -> list[Profile]:
    """One content profile per header cell, from the sample rows."""
    return [profile([row[i] if i < len(row) else "" for row in sample], nulls) for i in range(len(header))]


def _floor_ok(field: str, p: Profile, known: bool = False) -> bool:
    """Do the cells fit the field? A known title is refused only when its cells clearly
    contradict it (at least five filled, under a third of the expected kind): odd cells
    under a right title are the validator's to report, row by row."""
    if field not in FLOORS or not p.filled or (known and p.filled < 5):
        return True
    what, least = FLOORS[field]
    share = p.date + p.period if what == "dated" else getattr(p, what)
    if known and what == "dated" and p.money < 0.5:
        return True  # "Spring 2022" under "Date of Payment": the validator names each such cell
    return share >= (min(least, 0.3) if known else least)


def recognise(dialect, header: list[str], sample: list[list[str]]) -> tuple[dict[str, int], list[Decision]]:
    """``(field -> column index, decisions)`` for a header and the data rows under it."""
    keys = [header_key(h) for h in header]
    found = profiles(header, sample, dialect.nulls)
    fields: dict[str, int] = {}
    decisions: list[Decision] = []
    used: set[int] = set()
    for column in dialect.columns:  # 1. exact titles, in the mapping's order of preference
        for title in column.titles:
            wanted = header_key(title)
            index = next((i for i, k in enumerate(keys) if k == wanted and i not in used), None)
            if index is None or not _floor_ok(column.name, found[index], known=True):
                continue
            if column.name in TEXT_FIELDS and is_generic(header[index]):
                continue  # a generic word: let the key fields look at it first
            fields[column.name] = index
            used.add(index)
            decisions.append(Decision(column.name, index, header[index], "known title",
                                      f"a title the {dialect.id} mapping knows; {found[index].describe()}"))
            break
    known_words = set(word_table())
    wanted_fields = [f for f in ORDER if dialect.column(f)] + [
        c.name for c in dialect.columns if c.name not in ORDER and c.name in TEXT_FIELDS]
    for name in wanted_fields:  # 2. title words and content, most important field first
        if name in fields:
            continue
        column = dialect.column(name)
        synonyms = {header_key(t) for t in column.titles}
        if name not in known_words and not any(keys[i] in synonyms for i in range(len(keys)) if i not in used):
            continue
        scored, alone_scores, near = [], [], []
        for i, title in enumerate(header):
            if i in used or not (title.strip() or found[i].filled):
                continue
            words, forms = word_score(name, title) if name in known_words else (0.0, ())
            known = KNOWN_TITLE if keys[i] in synonyms else 0.0
            content = content_score(name, found[i])
            total = words + known + content
            by_title = (words + known > 0 and total >= ENOUGH and _floor_ok(name, found[i])
                        and (known or words >= MIN_WORDS.get(name, 0)))
            alone = (name in CONTENT_ALONE and words > -0.5 and not known and content >= CONTENT_ALONE[name]
                     and _floor_ok(name, found[i]) and not _group_bound(name, fields))
            if name in CONTENT_ALONE and words > -0.5 and not known:
                alone_scores.append(content)
            why = (f"title words {', '.join(forms)}; " if forms else "") + found[i].describe()
            if by_title or alone:
                how = "known title" if known else "title words" if words > 0 else "content"
                scored.append((total, i, how, why))
            elif content >= 2.5:  # looks the part, but its title says otherwise: name it in the report
                near.append((total, i, "", why))
        if not scored:
            continue
        scored.sort(key=lambda s: (-s[0], s[1]))
        total, index, how, why = scored[0]
        if how == "content" and len(alone_scores) > 1 and sorted(alone_scores)[-2] > total - MARGIN:
            continue  # two columns look alike and neither title says which: leave it to --mapping
        fields[name] = index
        used.add(index)
        rejected = tuple(f"{column_label(i, header[i])} (score {t:.1f} against {total:.1f}: {w})"
                         for t, i, _, w in (scored[1:] + sorted(near, key=lambda n: -n[0]))[:3])
        decisions.append(Decision(name, index, header[index], how, why, rejected))
    return fields, decisions


def _group_bound(name: str, fields: dict[str, int]) -> bool:
    """A date is placed on content alone only if the file has neither a date nor a period."""
    if name in ("date", "period"):
        return "date" in fields or "period" in fields
    return name in fields


def describe_columns(dialect, header: list[str], sample: list[list[str]]) -> list[str]:
    """``"column 3 'Value': 98% money, 40 distinct of 50"`` for every column (for refusals)."""
    found = profiles(header, sample, dialect.nulls)
    return [f"{column_label(i, title)}: {found[i].describe()}" for i, title in enumerate(header)
            if title.strip() or found[i].filled]
