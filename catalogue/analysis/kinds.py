"""What a thing is, in words people use: council, other public body, company, charity, CIC,
mutual, person or sole trader, or unknown.

Search results and lists label each organisation from its evidence (issue 18: search
called companies and charities "council", because every organisation with a registered
identifier is an ``org:FormalOrganization``, as councils are). The evidence, strongest first:
being a council (a GSS code, or the council's own IRI); the social-value class settled by
linking (public body, individual); register identifiers (GB-CHC/GB-SC/GB-NIC charity,
GB-MPR mutual, GB-COH company); the legal form in the name (CIC, building society,
co-operative, Ltd/PLC/LLP); a size class (SME or large enterprise means a business).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalogue.vocab import SV

COUNCIL, PUBLIC, COMPANY, CHARITY, CIC, MUTUAL, PERSON, UNKNOWN = (
    "council", "other public body", "company", "charity", "CIC", "mutual", "person or sole trader", "unknown")

_GSS = re.compile(r"^[EWSN]\d{8}$")
_CHARITY_SCHEMES = ("GB-CHC-", "GB-SC-", "GB-NIC-")
_CIC = re.compile(r"\bC\.?\s?I\.?\s?C\b\.?|community\s+interest\s+company", re.IGNORECASE)
_MUTUAL = re.compile(r"building\s+society|co-?operative|\bmutual\b|credit\s+union|friendly\s+society",
                     re.IGNORECASE)
_COMPANY = re.compile(r"\b(ltd|limited|plc|llp|l\.l\.p|inc|gmbh)\b\.?", re.IGNORECASE)


def organisation_type(iri: str = "", label: str = "", identifiers: Iterable[str] = (),
                      classes: Iterable[str] = ()) -> str:
    """The type of one organisation (or supplier record) from what is known of it."""
    ids = [str(i).strip() for i in identifiers if i]
    found = {str(c) for c in classes if c}
    if "/id/council/" in str(iri) or any(_GSS.match(i) for i in ids):
        return COUNCIL
    if str(SV.publicBody) in found:
        return PUBLIC
    if str(SV.individual) in found:
        return PERSON
    if any(i.upper().startswith(_CHARITY_SCHEMES) for i in ids):
        return CHARITY
    name = str(label or "")
    if _CIC.search(name):
        return CIC
    if any(i.upper().startswith("GB-MPR-") for i in ids) or _MUTUAL.search(name):
        return MUTUAL
    if any(i.upper().startswith("GB-COH-") for i in ids) or _COMPANY.search(name):
        return COMPANY
    if found & {str(SV.sme), str(SV.largeEnterprise)}:
        return COMPANY
    return UNKNOWN  # VCSE alone does not say which form (charity, CIC, mutual, association)
