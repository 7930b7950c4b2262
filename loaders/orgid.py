"""Organisation identifiers, postcodes and yes/no flags, from the forms councils write.

Identifiers come out in the org-id.guide schemes (https://org-id.guide):

- ``GB-COH-`` Companies House: 8 characters, digits zero-padded (``172081`` ->
  ``GB-COH-00172081``), or a two-letter prefix and 6 digits (``SC249935``, ``OC305934``,
  ``RC000666``, ``CE016832``);
- ``GB-CHC-`` Charity Commission for England and Wales (``1049226``, ``CHA1049226``);
- ``GB-SC-``  Scottish Charity Regulator (``SC012345`` in a charity column);
- ``GB-NIC-`` Charity Commission for Northern Ireland (``NIC100123``);
- ``GB-MPR-`` FCA Mutuals Public Register (``29627R``, ``IP29627R``).

Which register a bare number belongs to depends on the column it is in (a company
number column or a charity number column), so every reader takes that hint. Cells
that say there is no number (``N/A``, ``EXEMPT``, ``Various``, ``-``) give nothing and
are not a problem; anything else that cannot be read is returned as *unreadable*, so
the loader keeps it as published and the shapes warn about it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

#: Cells that mean "no value here" in identifier, postcode and flag columns.
PLACEHOLDERS = frozenset({
    "", "-", "--", "n/a", "na", "n.a.", "#n/a", "none", "nil", "null", "exempt", "various",
    "various providers", "tbc", "tba", "not applicable", "not known", "unknown", "not yet available",
    "registered charity", "pending", "x", "0", "not registered", "n", "no",
})

#: Companies House prefixes (2 letters + 6 digits) other than the Scottish/NI ones.
COMPANY_PREFIXES = frozenset({
    "SC", "NI", "OC", "SO", "NC", "R0", "RC", "IP", "SP", "RS", "FC", "GE", "LP", "SL", "SE", "CE",
    "CS", "NL", "NF", "NP", "NO", "NR", "NZ", "ZC", "SA", "SF", "SI", "SR", "SZ", "AC", "GN", "GS",
    "IC", "NA",
})

_ORG_ID = re.compile(r"^GB-(COH|CHC|SC|NIC|MPR)-([A-Z0-9-]+)$")
_SOCIETY = re.compile(r"^(?:IP)?(\d{1,6})R$")
_CHARITY_PREFIXED = re.compile(r"^(?:CHA|CHC|RCN|CHARITYNO|CHARITY)(\d{6,8})(-\d{1,2})?$")
_CHARITY = re.compile(r"^(\d{6,8})(-\d{1,2})?$")
_OSCR = re.compile(r"^SC(\d{6})$")
_NIC = re.compile(r"^NIC?(\d{6})$")
_OTHER_ORG_ID = re.compile(r"^[A-Z]{2}-[A-Z]{2,8}-[A-Za-z0-9_.-]+$")
_COMPANY_DIGITS = re.compile(r"^\d{1,8}$")
_COMPANY_PREFIXED = re.compile(r"^([A-Z][A-Z0-9])(\d{1,6})$")


class Reading(NamedTuple):
    """What a cell says: identifiers read from it, or the text that could not be read."""

    identifiers: tuple[str, ...] = ()
    unreadable: str | None = None


NOTHING = Reading()


def is_placeholder(raw: str) -> bool:
    return raw.strip().lower() in PLACEHOLDERS


def _compact(raw: str) -> str:
    return re.sub(r"[\s.]", "", raw.upper())


def _company(value: str) -> str | None:
    if _COMPANY_DIGITS.match(value):
        return f"GB-COH-{value.zfill(8)}" if value.strip("0") else None
    m = _COMPANY_PREFIXED.match(value)
    if m and m[1] in COMPANY_PREFIXES and m[2].strip("0"):
        return f"GB-COH-{m[1]}{m[2].zfill(6)}"
    return None


def _org_id(value: str) -> str | None:
    """An identifier already written in org-id.guide form: ours normalised, others kept."""
    m = _ORG_ID.match(value)
    if m:
        scheme, body = m[1], m[2]
        found = {
            "COH": _company,
            "CHC": _charity,
            "SC": _scottish,
            "NIC": lambda b: _northern_irish("NIC" + b),
            "MPR": _society,
        }[scheme](body)
        return found if found and found.startswith(f"GB-{scheme}-") else None
    return value if _OTHER_ORG_ID.match(value) else None


def _charity(value: str) -> str | None:
    m = _CHARITY.match(value) or _CHARITY_PREFIXED.match(value)
    if m and m[1].strip("0"):
        return f"GB-CHC-{m[1]}{m[2] or ''}"
    return None


def _charity_prefixed_only(value: str) -> str | None:
    """In a company column, only a number that says it is a charity's (``CHA1049226``)."""
    m = _CHARITY_PREFIXED.match(value)
    return f"GB-CHC-{m[1]}{m[2] or ''}" if m and m[1].strip("0") else None


def _scottish(value: str) -> str | None:
    m = _OSCR.match(value)
    return f"GB-SC-SC{m[1]}" if m else None


def _northern_irish(value: str) -> str | None:
    m = _NIC.match(value)
    return f"GB-NIC-{m[1]}" if m else None


def _society(value: str) -> str | None:
    m = _SOCIETY.match(value)
    return f"GB-MPR-{m[1]}R" if m and m[1].strip("0") else None


#: Readers tried in order, by the kind of column the cell is in.
READERS = {
    "company": (_society, _charity_prefixed_only, _company),
    "charity": (_society, _scottish, _northern_irish, _charity),
}


@lru_cache(maxsize=65536)
def read_identifier(raw: str, column: str) -> Reading:
    """Org-id identifiers in a cell of a ``company``, ``charity`` or ``orgid`` column.

    In an ``orgid`` column (360Giving's ``Recipient Org:Identifier``) a value that is not
    in org-id form (``360G-trafford-...``) is the publisher's own id: nothing is read
    and nothing is unreadable; the caller keeps it as the supplier id.
    """
    text = raw.strip()
    if is_placeholder(text):
        return NOTHING
    value = _compact(text)
    if value.startswith("GB-") or _OTHER_ORG_ID.match(value):
        found = _org_id(value)
        return Reading((found,)) if found else Reading(unreadable=text)
    if column == "orgid":
        return NOTHING
    for reader in READERS[column]:
        if found := reader(value):
            return Reading((found,))
    return Reading(unreadable=text)


# ---------------------------------------------------------------- VAT numbers

_VAT = re.compile(r"^(?:GB)?(\d{9}|\d{12})$")


@lru_cache(maxsize=65536)
def read_vat(raw: str) -> Reading:
    """``"GB 123 4567 89"`` -> ``GB123456789`` (kept as sv:vatNumber, not an org-id)."""
    text = raw.strip()
    if is_placeholder(text):
        return NOTHING
    m = _VAT.match(re.sub(r"[\s.\-]", "", text.upper()))
    return Reading((f"GB{m[1]}",)) if m else Reading(unreadable=text)


# ---------------------------------------------------------------- postcodes

_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")


@lru_cache(maxsize=65536)
def read_postcode(raw: str) -> Reading:
    """A UK postcode, upper case with one space before the inward code (``M50 3SL``)."""
    text = raw.strip()
    if is_placeholder(text):
        return NOTHING
    compact = re.sub(r"\s+", "", text.upper())
    if compact == "GIR0AA":
        return Reading(("GIR 0AA",))
    m = _POSTCODE.match(compact)
    return Reading((f"{m[1]} {m[2]}",)) if m else Reading(unreadable=text)


# ---------------------------------------------------------------- yes/no flags

_YES = frozenset({"y", "yes", "true", "1", "t"})
_NO = frozenset({"n", "no", "false", "0", "f"})
_NOT_SAID = PLACEHOLDERS - {"n", "no", "0"}


@lru_cache(maxsize=1024)
def read_flag(raw: str) -> bool | None | str:
    """``Yes``/``Y``/``No``/``N`` -> bool; ``Various``, ``N/A``, empty -> ``None``; else the text."""
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    if value in _NOT_SAID:
        return None
    return raw.strip()
