"""Which column is which field of a payment, a supplier list, a contract, a grant or an
outcome: decided by title words and content together.

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
whose title says nothing is placed by content alone, but only for a payment's amount,
date and supplier and an outcome's value, area code and period, and only when its cells
are unmistakable.

Each choice is kept as a ``Decision`` (column, how, why, the competitors turned down), so
the load report can say what was taken and how to override it with ``--mapping``.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.converters import header_key, title_keys
from loaders.words import Profile, content_score, is_generic, profile, title_words, word_score, word_table

#: Kinds whose columns are recognised by content as well as by title.
RECOGNISED_KINDS = frozenset({"spend", "suppliers", "contracts", "grants", "outcomes"})
#: Fields filled in this order (a finance officer's: what a payment or a contract cannot do
#: without first); a kind's dialect has only some of them.
ORDER = ("net_amount", "credit_amount", "total_value", "annual_value", "amount", "total_amount", "value",
         "area_code", "date", "period", "sub_period", "award_date", "start_date", "end_date", "current_expiry",
         "supplier_name", "contract_reference", "grant_id", "title", "supplier_id",
         "transaction", "gross_amount", "irrecoverable_vat", "expense_type", "service_area", "narrative",
         "description", "invoice", "procurement_process", "grant_programme", "sme", "vcse", "charity_number",
         "company_number", "payments", "postcode", "indicator", "measure", "unit", "area_name")
#: Fields a column may take on content alone, with the content score it needs: a spend
#: line's key fields, and an outcome table's value, area code and period.
CONTENT_ALONE = {"spend": {"net_amount": 3.3, "date": 2.4, "period": 2.4, "supplier_name": 1.5},
                 "suppliers": {"supplier_name": 1.5, "postcode": 3.5},
                 "outcomes": {"value": 3.3, "area_code": 3.5, "period": 2.4}}
#: How far the best column must lead the next one to be placed on content alone.
MARGIN = 0.5
#: What the cells of a typed field must mostly be (share of filled cells).
FLOORS = {"net_amount": ("money", 0.6), "credit_amount": ("money", 0.6), "gross_amount": ("money", 0.6),
          "irrecoverable_vat": ("money", 0.6),
          "total_value": ("money", 0.6), "annual_value": ("money", 0.6), "amount": ("money", 0.6),
          "award_date": ("dated", 0.6),
          "date": ("dated", 0.6), "period": ("dated", 0.6), "start_date": ("dated", 0.6),
          "end_date": ("dated", 0.6), "current_expiry": ("dated", 0.6), "supplier_name": ("text", 0.5),
          "value": ("number", 0.6), "area_code": ("gss", 0.6), "total_amount": ("money", 0.6),
          "payments": ("money", 0.6), "postcode": ("postcode", 0.5)}
#: Fields of a day's date: under such a title, a column of spreadsheet day numbers ("44713")
#: or of month-first dates is read so (``loaders.date_columns``), never on its content alone.
DAY_FIELDS = frozenset({"date", "start_date", "end_date", "current_expiry", "award_date", "period_end"})
#: Fields of a few values each (C/R, Y/N): a column of many different values is not one of them.
FLAGS = frozenset({"capital_revenue", "purchase_card", "vcse", "sme", "above_threshold"})
FLAG_VALUES = 6
#: Fields of free text whose known titles may be generic words ("Description", "Type").
TEXT_FIELDS = frozenset({"narrative", "capital_revenue", "service_area", "expense_type", "procurement_category",
                         "expense_category", "body_name", "title", "description", "procurement_process",
                         "grant_programme", "indicator", "measure", "unit", "area_name"})
#: Fields whose title words must say more than one generic word ("Code", "Number"): an
#: identifier is only the supplier's when the title names the payee as well, and only a
#: contract's when it says reference or contract ("Document No" is a ledger's); a date is a
#: contract's start or end, or a grant's award, only when its title says which (a bare "Date"
#: is a payment's); a grant's recipient only under a recipient's words ("Supplier Name" is a
#: payee's). ``kind:field`` applies to that kind only.
MIN_WORDS = {"supplier_id": 2.5, "contract_reference": 2, "start_date": 2, "end_date": 2, "current_expiry": 2,
             "award_date": 2, "grant_id": 2, "grants:supplier_name": 0.5, "total_amount": 2}
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
    #: Worth a note even under a known title (its cells are read in a way they do not say).
    noted: bool = False

    @property
    def label(self) -> str:
        return column_label(self.column, self.title)


def column_label(index: int, title: str) -> str:
    return f"column {index + 1} {title.strip()!r}" if title.strip() else f"column {index + 1} (no title)"


def profiles(header: list[str], sample: list[list[str]], nulls: frozenset[str]) -> list[Profile]:
    """One content profile per header cell, from the sample rows. The last result is kept:
    each dialect of a kind, and a refusal's description, measure the same rows again."""
    last = _LAST_PROFILES
    if last and last[0] is sample and last[1] == (tuple(header), nulls):
        return last[2]
    found = [profile([row[i] if i < len(row) else "" for row in sample], nulls) for i in range(len(header))]
    _LAST_PROFILES[:] = [sample, (tuple(header), nulls), found]
    return found


_LAST_PROFILES: list = []  # [the sample (held, so its identity is not reused), (header, nulls), profiles]


def _floor_ok(field: str, p: Profile, known: bool = False) -> bool:
    """Do the cells fit the field? A known title is refused only when its cells clearly
    contradict it (at least five filled, under a third of the expected kind): odd cells
    under a right title are the validator's to report, row by row."""
    if field in FLAGS and p.filled >= 10 and p.distinct_count > FLAG_VALUES:
        return False  # "Type of Expenditure" over "Operational Materials", "Rents"...: a type, not C/R
    if field not in FLOORS or not p.filled or (known and p.filled < 5):
        return True
    if known and field == "area_code":
        return p.text < 0.5  # names under "Area" are the area's name; codes of any scheme the validator's
    what, least = FLOORS[field]
    share = p.date + p.period + (p.day_number if field in DAY_FIELDS else 0) if what == "dated" else getattr(p, what)
    if known and what == "dated" and p.money < 0.5:
        return True  # "Spring 2022" under "Date of Payment": the validator names each such cell
    return share >= (min(least, 0.3) if known else least)


def recognise(dialect, header: list[str], sample: list[list[str]]) -> tuple[dict[str, int], list[Decision]]:
    """``(field -> column index, decisions)`` for a header and the data rows under it."""
    known = {header_key(t) for c in dialect.columns for t in c.titles}
    keys = [_known_key(h, known) for h in header]
    found = profiles(header, sample, dialect.nulls)
    fields: dict[str, int] = {}
    decisions: dict[str, Decision] = {}
    blocked = {i for i, h in enumerate(header) if header_key(h) in dialect.suppressed}  # a mapping's suppressOutput
    titled = _known_columns(dialect, header, keys, found, blocked)
    for name, index in _assign_known(titled, [c.name for c in dialect.columns]).items():  # 1. exact titles
        fields[name] = index
        decisions[name] = Decision(name, index, header[index], "known title",
                                   f"a title the {dialect.id} mapping knows; {found[index].describe()}")
    wanted_fields = [f for f in ORDER if dialect.column(f)] + [
        c.name for c in dialect.columns if c.name not in ORDER and c.name in TEXT_FIELDS]
    for name in wanted_fields:  # 2. title words and content, most important field first
        if name not in fields and (decision := _choose(name, dialect, header, keys, found, fields, blocked)):
            fields[name] = decision.column
            decisions[name] = decision
    for name, columns in titled.items():  # 3. a title known to two fields, and words for one of them
        if name in fields:
            continue
        for index in columns:
            other = next(f for f, i in fields.items() if i == index)
            elsewhere = _choose(other, dialect, header, keys, found, {f: i for f, i in fields.items() if f != other},
                                also_taken={index} | blocked)
            if elsewhere and elsewhere.how == "title words":
                fields[other], decisions[other] = elsewhere.column, elsewhere
                fields[name] = index
                decisions[name] = Decision(name, index, header[index], "known title",
                                           f"a title the {dialect.id} mapping knows (and {other} has its own "
                                           f"column by title words); {found[index].describe()}")
                break
    if "sub_period" in fields and "period" not in fields:  # 4. a month or quarter with no year beside it
        index, decision = fields.pop("sub_period"), decisions.pop("sub_period")
        if _floor_ok("period", found[index]):  # "June 2021" under "Month": the period itself
            fields["period"] = index
            decisions["period"] = Decision("period", index, header[index], decision.how,
                                           f"the file's only period column; {decision.why}")
    if "credit_amount" in fields and not debits(header[fields["net_amount"]] if "net_amount" in fields else ""):
        fields.pop("credit_amount")  # 5. a credit column subtracts only from a debit column (never from a net)
        decisions.pop("credit_amount")
    return fields, list(decisions.values())


#: Fields without which every row would be refused (a payment line with no date nor period):
#: a council's own dialect that cannot read them gives way to one that can (a council's
#: export with Financial Year and Month where its usual file has a Payment Date).
WANTED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {"spend": (("date", "period"),)}


def reads_too_little(kind: str, table) -> bool:
    """Does the table leave out what would refuse or change every row: the file's dates
    (``WANTED_FIELDS``), or the credits beside an amount column titled as debits, when its
    dialect has no credit column (a council's own dialect reading a ledger's export)? Then
    ``loaders.mapping.choose`` tries the next dialect before settling for it."""
    if not all(any(name in table.fields for name in group) for group in WANTED_FIELDS.get(kind, ())):
        return True
    amount = table.fields.get("net_amount")
    return amount is not None and table.dialect.column("credit_amount") is None and debits(table.header[amount])


def debits(title: str) -> bool:
    """Is the amount's column titled as a ledger's debits ("Debit", "Debit Amount", "Debyd")?"""
    return bool({"debit", "debits", "dr", "debyd"} & set(title_words(title)))


def _known_key(title: str, known: set[str]) -> str:
    """A title's key; for a title in two languages whose whole the mapping does not know, the
    key of the one half it knows ("organisational_unit / Gwasanaeth" is organisational_unit)."""
    whole, *halves = title_keys(title)
    hits = [half for half in halves if half in known]
    return hits[0] if whole not in known and len(hits) == 1 else whole


def _choose(name: str, dialect, header: list[str], keys: list[str], found: list[Profile],
            fields: dict[str, int], also_taken: set[int] = frozenset()) -> Decision | None:
    """The best free column for one field by title words and content, or ``None``."""
    column = dialect.column(name)
    synonyms = {header_key(t) for t in column.titles}
    used = set(fields.values()) | also_taken
    worded = name in word_table() or f"{dialect.kind}:{name}" in word_table()
    if not worded and not any(keys[i] in synonyms for i in range(len(keys)) if i not in used):
        return None
    scored, alone_scores, near = [], [], []
    alone_needs = CONTENT_ALONE.get(dialect.kind, {}).get(name)
    for i, title in enumerate(header):
        if i in used or not (title.strip() or found[i].filled):
            continue
        if name == "supplier_id" and _per_payment(found[i], fields, found):
            continue
        words, forms = word_score(name, title, dialect.kind) if worded else (0.0, ())
        known = KNOWN_TITLE if keys[i] in synonyms else 0.0
        content = content_score(name, found[i])
        total = words + known + content
        by_title = (words + known > 0 and total >= ENOUGH and _floor_ok(name, found[i])
                    and (known or words >= MIN_WORDS.get(f"{dialect.kind}:{name}", MIN_WORDS.get(name, 0))))
        alone = (alone_needs is not None and words > -0.5 and not known and content >= alone_needs
                 and _floor_ok(name, found[i]) and not _group_bound(name, fields))
        if alone_needs is not None and words > -0.5 and not known:
            alone_scores.append(content)
        why = (f"title words {', '.join(forms)}; " if forms else "") + found[i].describe()
        if by_title or alone:
            how = "known title" if known else "title words" if words > 0 else "content"
            scored.append((total, i, how, why))
        elif content >= 2.5:  # looks the part, but its title says otherwise: name it in the report
            near.append((total, i, "", why))
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], s[1]))
    total, index, how, why = scored[0]
    if how == "content" and len(alone_scores) > 1 and sorted(alone_scores)[-2] > total - MARGIN:
        return None  # two columns look alike and neither title says which: leave it to --mapping
    rejected = tuple(f"{column_label(i, header[i])} (score {t:.1f} against {total:.1f}: {w})"
                     for t, i, _, w in (scored[1:] + sorted(near, key=lambda n: -n[0]))[:3])
    return Decision(name, index, header[index], how, why, rejected)


def _known_columns(dialect, header: list[str], keys: list[str], found: list[Profile],
                   blocked: set[int] = frozenset()) -> dict[str, list[int]]:
    """field -> the columns whose title the mapping knows for it, most preferred title first,
    leaving out those whose cells contradict it and generic words over free-text fields."""
    out: dict[str, list[int]] = {}
    for column in dialect.columns:
        columns: list[int] = []
        for title in column.titles:
            wanted = header_key(title)
            columns += [i for i, k in enumerate(keys) if k == wanted and i not in columns and i not in blocked
                        and _floor_ok(column.name, found[i], known=True)
                        and not (column.name in TEXT_FIELDS and is_generic(header[i]))]
        if columns:
            out[column.name] = columns
    return out


def _assign_known(known: dict[str, list[int]], order: list[str]) -> dict[str, int]:
    """Each field its most preferred free column, in the mapping's order; then a field left
    without one because an earlier field took the only column it knows gets it, when that
    earlier field knows another free column. Why: one title may be known to two fields
    ("Expenditure Category" is the broader category and, failing a detailed type, the type
    itself); a file with "Expenditure Category" and "Expenditure Type" must fill both."""
    fields: dict[str, int] = {}
    holder: dict[int, str] = {}
    for name in order:
        free = next((i for i in known.get(name, ()) if i not in holder), None)
        if free is not None:
            fields[name], holder[free] = free, name
    for name in order:
        if name in fields:
            continue
        for index in known.get(name, ()):
            other = holder[index]
            move = next((i for i in known[other] if i not in holder), None)
            if move is not None:
                fields[other], holder[move] = move, other
                fields[name], holder[index] = index, name
                break
    return fields


def _per_payment(p: Profile, fields: dict[str, int], found: list[Profile]) -> bool:
    """Does a column hold far more different values than the supplier names beside it? Then
    it identifies payments, not suppliers ("Reference Number" 100 of 100 distinct where 25
    suppliers were paid), whatever its title's words suggest."""
    if "supplier_name" not in fields or p.filled < 10:
        return False
    names = found[fields["supplier_name"]]
    return p.distinct_count > 1.5 * names.distinct_count + 3


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
