"""Class evidence from register entries, by the official definitions (see ``registers``).

Every piece names the register, the identifier and the date of what it says (the
accounts' made-up date, the income's financial year end, else the extract's date), and
carries the entry and its dataset as ``prov:wasDerivedFrom``. Register evidence is the
strongest there is (``source="register"``): a council's flag or a supplier's
self-declaration may add to it, and only outweighs it where the register itself is
unsure (full accounts do not prove a firm large).
"""

from __future__ import annotations

from catalogue.linking.classify import NOT_VCSE, Evidence
from catalogue.linking.registers import NOT_PROVEN, SME_ACCOUNTS, SME_TURNOVER, Entry

REGISTER = "register"
__all__ = ["NOT_VCSE", "REGISTER", "company_evidence", "charity_evidence", "register_evidence", "removed_charities"]


def _evidence(cls: str, confidence: float | None, reason: str, entry: Entry, date: str = "") -> Evidence:
    return Evidence(cls, REGISTER, confidence, f"{reason} ({entry.where.split(' (')[0]}"
                    f"{', ' + (date or entry.date) if (date or entry.date) else ''})",
                    datasets={entry.dataset, entry.iri}, date=date or entry.date or None)


def company_evidence(entry: Entry, charities: list[Entry]) -> list[Evidence]:
    """Legal form (VCSE) and accounts category (size) of one Companies House entry."""
    out: list[Evidence] = []
    category = entry.get("category")
    low = category.lower()
    status = entry.get("status")
    said = f"{category}, {status}" if status else category
    if "community interest company" in low:
        out.append(_evidence("vcse", 0.95, f"a community interest company ({said})", entry))
    elif "charitable incorporated organisation" in low:
        out.append(_evidence("vcse", 0.95, f"a charitable incorporated organisation ({said})", entry))
    elif "registered society" in low or "industrial and provident" in low or "co-operative" in low:
        out.append(_evidence("vcse", 0.8, f"a registered society: a co-operative or community benefit society ({said})",
                             entry))
    elif "guar" in low or "lbg" in low:
        registered = [c for c in charities if c.get("status").lower() == "registered"]
        if registered:
            numbers = ", ".join(c.org_id for c in registered)
            out.append(_evidence("vcse", 0.95, f"a company limited by guarantee that is registered charity {numbers} "
                                               f"({said})", entry))
        else:
            out.append(_evidence("unknownClass", None, f"a company limited by guarantee that is not a registered "
                                                       f"charity: VCSE only with other evidence ({said})", entry))
    elif category:
        out.append(_evidence("unknownClass", None, f"{NOT_VCSE}: {said}", entry))
    accounts = entry.get("accounts").upper().strip()
    made_up = entry.get("accounts_date")
    if accounts in SME_ACCOUNTS:
        out.append(_evidence("sme", SME_ACCOUNTS[accounts],
                             f"files {accounts.lower()} accounts, open only to companies within the small or medium "
                             f"size limits (PPN 001: fewer than 250 staff, turnover up to £44m or balance sheet up to £38m)",
                             entry, made_up))
    elif accounts in NOT_PROVEN:
        out.append(_evidence("unknownClass", None, f"size unknown: files {accounts.lower()} accounts, so not proven "
                                                   f"an SME (any company may file full accounts)", entry, made_up))
    else:
        what = f"accounts category {accounts.lower()}" if accounts else "no accounts category"
        out.append(_evidence("unknownClass", None, f"size unknown: {what}", entry, made_up))
    return out


def charity_evidence(entry: Entry) -> list[Evidence]:
    """Registration (VCSE) and latest income (size) of one Charity Commission entry."""
    out: list[Evidence] = []
    status = entry.get("status").lower()
    kind = entry.get("category")
    what = f"registered charity{' (' + kind + ')' if kind else ''}"
    if status == "registered":
        out.append(_evidence("vcse", 0.98, f"a {what}", entry, entry.get("registered") if not entry.date else ""))
    elif status == "removed":
        removed = entry.get("removed")
        out.append(_evidence("unknownClass", None, f"removed from the register of charities"
                                                   f"{' on ' + removed if removed else ''}: no longer a charity",
                             entry, removed))
    else:
        out.append(_evidence("unknownClass", None, "the register entry gives no registration status", entry))
    income = entry.get("income")
    try:
        amount = float(income) if income and status == "registered" else None
    except ValueError:
        amount = None
    period = entry.get("period_end")
    if amount is None:
        out.append(_evidence("unknownClass", None, "size unknown: no latest income"
                                                   + (" of a registered charity" if status != "registered" else ""),
                             entry))
    elif amount <= SME_TURNOVER:
        out.append(_evidence("sme", 0.7, f"latest income £{amount:,.0f} is within PPN 001's £44m turnover "
                                         f"limit (staff numbers not known)", entry, period))
    else:
        out.append(_evidence("largeEnterprise", 0.8, f"latest income £{amount:,.0f} is above PPN 001's £44m "
                                                     f"turnover limit", entry, period))
    return out


def register_evidence(entries: list[Entry]) -> list[Evidence]:
    """Every piece of evidence the matched entries give."""
    charities_by_company: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.kind == "charities" and entry.get("company"):
            charities_by_company.setdefault(entry.get("company"), []).append(entry)
    out: list[Evidence] = []
    for entry in entries:
        if entry.kind == "companies-house":
            out += company_evidence(entry, charities_by_company.get(entry.org_id, []))
        else:
            out += charity_evidence(entry)
    return out


def removed_charities(entries: list[Entry]) -> set[str]:
    """Charity numbers the register says were removed (their numbers alone no longer make a VCSE)."""
    return {e.org_id for e in entries if e.kind == "charities" and e.get("status").lower() == "removed"}
