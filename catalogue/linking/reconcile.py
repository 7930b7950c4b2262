"""Reconciliation, independent of any wire format: queries in, scored candidates out.

The W3C Entity Reconciliation API 0.2 routes (``catalogue.web.reconcile``) translate
their JSON into ``Query`` objects and candidates back; a 1.0-draft route set can do the
same with its own JSON on top of these functions.

Scoring (0-100): the name similarity of the query to the closest published name of the
organisation (rapidfuzz on normalised names), raised to 100 by a matching company,
charity or VAT number, halved when the query's identifier contradicts the
organisation's, plus 5 for a matching postcode and 5 when the given council pays it.
``match`` is true only for safe matches: a matching registered identifier, or an
exact normalised name that no other organisation shares and no identifier contradicts.
``features`` say which of these applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from catalogue.linking.lookup import Entry, Index
from catalogue.linking.names import parse

CLASS_TYPES = {"sme": "SME", "largeEnterprise": "Large enterprise", "vcse": "VCSE", "publicBody": "Public body",
               "individual": "Individual or sole trader", "unknownClass": "Unknown class"}
PROPERTIES = {  # id -> (name, description)
    "companyNumber": ("Company number", "Companies House number (GB-COH-...), with or without leading zeros"),
    "charityNumber": ("Charity number", "Charity Commission number (GB-CHC-...)"),
    "vatNumber": ("VAT number", "UK VAT registration number"),
    "orgId": ("Organisation identifier", "Any org-id.guide identifier, e.g. GB-COH-01243967"),
    "postcode": ("Postcode", "The supplier's postcode"),
    "council": ("Council", "A council (GSS code or name) that pays the supplier"),
}
EXTEND = {  # id -> name
    "identifiers": "Identifiers (org-id.guide)", "companyNumber": "Company number", "charityNumber": "Charity number",
    "vatNumber": "VAT number", "classes": "Social-value classes", "councils": "Councils that paid",
    "councilCount": "Number of councils", "recordCount": "Supplier records", "names": "Names used by councils",
}
CANDIDATES = 25


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...] = ()
    limit: int = 10
    properties: tuple[tuple[str, str], ...] = ()


@dataclass
class Candidate:
    entry: Entry
    score: float
    match: bool
    features: dict[str, float | bool] = field(default_factory=dict)


def normalise_identifier(pid: str, value: str) -> str | None:
    text = re.sub(r"[\s.\-]", "", value.upper())
    if pid == "companyNumber":
        text = text.removeprefix("GBCOH")
        m = re.fullmatch(r"([A-Z]{2})?(\d{1,8})", text)
        return f"GB-COH-{(m[1] or '')}{m[2].zfill(8 - len(m[1] or ''))}" if m else None
    if pid == "charityNumber":
        text = text.removeprefix("GBCHC")
        return f"GB-CHC-{text}" if re.fullmatch(r"\d{5,8}", text) else None
    if pid == "vatNumber":
        text = text.removeprefix("GB")
        return f"GB{text}" if re.fullmatch(r"\d{9}|\d{12}", text) else None
    if pid == "orgId":
        return value.strip().upper() or None
    return None


def _wanted_classes(types: tuple[str, ...]) -> set[str]:
    out = set()
    for t in types:
        local = t.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local in CLASS_TYPES:
            out.add(local)
    return out


def reconcile(index: Index, query: Query) -> list[Candidate]:
    """Candidates for one query, best first, at most ``query.limit``."""
    parsed = parse(query.text) if query.text.strip() else None
    wanted = _wanted_classes(query.types)
    ids = {}
    for pid, value in query.properties:
        if pid in ("companyNumber", "charityNumber", "vatNumber", "orgId"):
            if (norm := normalise_identifier(pid, value)) is not None:
                ids[pid] = norm
    postcode = next((v.upper().replace(" ", "") for p, v in query.properties if p == "postcode" and v), None)
    council = next((index.council(v) for p, v in query.properties if p == "council" and v), None)

    pool: set[int] = set()
    for value in ids.values():
        pool |= set(index.by_identifier.get(value, ()))
    if parsed and parsed.key:
        pool |= set(index.by_key.get(parsed.key, ())) | set(index.by_key.get(parsed.core, ()))
        for _, _, n in process.extract(parsed.key, index.keys, scorer=fuzz.WRatio, limit=CANDIDATES,
                                       score_cutoff=60):
            pool.add(index.key_owner[n])
    results = []
    for n in pool:
        entry = index.entries[n]
        if wanted and not wanted & entry.classes:
            continue
        results.append(_score(index, entry, parsed, ids, postcode, council))
    results.sort(key=lambda c: (-c.score, c.entry.label, c.entry.key))
    exact = [c for c in results if c.features.get("exact_name")]
    if len(exact) > 1:
        for c in exact:
            if not c.features.get("identifier_match"):
                c.match = False  # two organisations with that name: not safe to pick one
    return results[:max(1, query.limit)]


def _score(index: Index, entry: Entry, parsed, ids: dict, postcode: str | None, council: str | None) -> Candidate:
    similarity = 0.0
    if parsed and parsed.key:
        similarity = max((fuzz.token_sort_ratio(parsed.key, k) / 100 for k in entry.name_keys), default=0.0)
    exact = bool(parsed and parsed.key and {parsed.key, parsed.core} & entry.name_keys)
    wanted_ids = set(ids.values())
    held = entry.identifiers | entry.vat_numbers
    identifier_match = bool(wanted_ids & held)
    contradicted = bool(wanted_ids) and not identifier_match and any(
        i.split("-")[:2] == w.split("-")[:2] for i in held for w in wanted_ids)
    score = 100.0 * similarity
    if identifier_match:
        score = 100.0
    elif contradicted:
        score /= 2
    postcode_match = bool(postcode and postcode in {p.replace(" ", "") for p in entry.postcodes})
    council_match = bool(council and council in entry.councils)
    score = min(100.0, score + 5 * postcode_match + 5 * council_match)
    match = identifier_match or (exact and not contradicted and similarity >= 0.99)
    features = {"name_similarity": round(similarity, 3), "exact_name": exact, "identifier_match": identifier_match,
                "identifier_contradicted": contradicted, "postcode_match": postcode_match,
                "council_match": council_match, "councils_paying": len(entry.councils)}
    return Candidate(entry, round(score, 1), match, features)


def suggest_entities(index: Index, prefix: str, limit: int = 10) -> list[Entry]:
    """Organisations whose name (or a word of it) starts with the prefix, most-paid first."""
    wanted = parse(prefix).key if prefix.strip() else ""
    if not wanted:
        return []
    hits = []
    for entry in index.entries:
        keys = entry.name_keys
        if any(k.startswith(wanted) for k in keys):
            rank = 0
        elif any(f" {wanted}" in f" {k}" for k in keys):
            rank = 1
        else:
            continue
        hits.append((rank, -len(entry.councils), entry.label, entry))
    return [h[-1] for h in sorted(hits, key=lambda h: h[:3])[:limit]]


def types(prefix: str = "") -> list[tuple[str, str]]:
    """(local name, label) of the types a query may ask for."""
    all_types = [("Organization", "Organisation"), *CLASS_TYPES.items()]
    wanted = prefix.casefold()
    return [(k, v) for k, v in all_types if not wanted or wanted in v.casefold() or wanted in k.casefold()]


def extension(index: Index, key: str, pid: str) -> list:
    """Values of one extension property for one organisation (plain strings or numbers)."""
    n = index.by_id.get(key)
    if n is None:
        return []
    e = index.entries[n]
    if pid == "identifiers":
        return sorted(e.identifiers)
    if pid == "companyNumber":
        return sorted(i.removeprefix("GB-COH-") for i in e.identifiers if i.startswith("GB-COH-"))
    if pid == "charityNumber":
        return sorted(i.split("-", 2)[2] for i in e.identifiers if i.startswith(("GB-CHC-", "GB-SC-", "GB-NIC-")))
    if pid == "vatNumber":
        return sorted(e.vat_numbers)
    if pid == "classes":
        return [CLASS_TYPES.get(c, c) for c in sorted(e.classes)]
    if pid == "councils":
        return sorted(index.council_names.get(g, g) for g in e.councils)
    if pid == "councilCount":
        return [len(e.councils)]
    if pid == "recordCount":
        return [e.record_count]
    if pid == "names":
        return sorted(e.names)
    return []
