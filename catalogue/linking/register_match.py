"""Supplier records without an identifier matched to register entries by name and place.

Most council files give a supplier's name and nothing else. Once a register is loaded,
a record that publishes no company or charity number is looked up by its name: the
register entries whose name is the record's once normalised (``names.parse``: case,
punctuation, Ltd/Limited, &/and) are its candidates, and each is scored by what else
agrees (``score``):

=====================================  =====  ========================================
agrees                                 score  fields
=====================================  =====  ========================================
name and postcode                      0.95   ``name``, ``postcode``
name and postcode district (one town)  0.90   ``name``, ``postcode-district``
name and local authority (ONSPD)       0.85   ``name``, ``local-authority``
name only, a registered name           0.80   ``name`` (a legal form: Ltd, PLC, CIC...)
name only, otherwise                   0.60   ``name`` (a brand, an establishment, a person)
postcodes that disagree                0      never a match
=====================================  =====  ========================================

A match needs 0.80 (``ACCEPT``) and no second candidate within ``MARGIN`` of the best:
a record whose best candidates are too close, or that only shares a common name (a
brand, an establishment, a person: the same name could be another's), or whose
postcode contradicts the register's, is left unmatched and listed for a person
(``Ambiguous``, ``svcat link --ambiguous``, ``/organisations/ambiguous``). A match
keeps its evidence: method ``register-name``, the score and the fields that agreed.

The lookup is by the spellings registers publish a name in (as given, capitals, title
case; Ltd/Limited, PLC, &/AND), each an exact literal the store finds by its index, so
the cost follows the number of records, not the size of the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.linking.place_words import is_establishment, outward
from catalogue.linking.forest import COMPANY_FORMS
from catalogue.linking.names import parse
from catalogue.store import Store
from catalogue.store.paging import csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.store.sparql_text import literal as lit
from catalogue.vocab import ORG, RDFS, SV

ACCEPT = 0.8
MARGIN = 0.05
CHUNK = 400
#: How registers write a legal form at the end of a name (Companies House: capitals).
FORM_SPELLINGS = {"ltd": ("LIMITED", "LTD", "Limited", "Ltd"), "plc": ("PLC", "P.L.C.", "plc"),
                  "llp": ("LLP",), "cic": ("C.I.C.", "CIC", "COMMUNITY INTEREST COMPANY"),
                  "cio": ("CIO",)}


@dataclass(frozen=True)
class Candidate:
    """A register entry a record's name leads to."""

    entry: str  # the entry's IRI
    org_id: str
    name: str
    postcode: str = ""


@dataclass(frozen=True)
class NameMatch:
    """A record matched to a register entry without an identifier, with its evidence."""

    record: str
    entry: str
    org_id: str
    score: float
    fields: tuple[str, ...]
    evidence: str


@dataclass(frozen=True)
class Ambiguous:
    """A record left unmatched: its candidates, their scores, and why a person should look."""

    record: str
    candidates: tuple[tuple[Candidate, float], ...]
    reason: str


def spellings(name: str) -> set[str]:
    """The literals a register may hold for this name (exact matches are looked up)."""
    parsed = parse(name)
    if not parsed.key:
        return set()
    out = {name.strip(), name.strip().upper()}
    words = parsed.key.split()
    bodies = {" ".join(words).upper(), " ".join(w.capitalize() for w in words)}
    bodies |= {b.replace(" AND ", " & ").replace(" And ", " & ") for b in bodies}
    forms = [f for f in parsed.forms if f in FORM_SPELLINGS]
    for body in bodies:
        for form in forms:
            for spelled in FORM_SPELLINGS[form]:
                out.add(f"{body} {spelled}")
        if not forms:  # a name written without its legal form: the register's has one
            out |= {body} | {f"{body} {spelled}" for spelled in (*FORM_SPELLINGS["ltd"], "PLC")}
    return out


def candidates(store: Store, graphs: list[str], records) -> dict[str, list[Candidate]]:
    """Record IRI -> the register entries of the same normalised name, for the records
    that publish no identifier (people's names are not looked up)."""
    if not graphs:
        return {}
    by_spelling: dict[str, set[str]] = {}
    keys = {}
    for record in records:
        if record.org_ids or not record.name or parse(record.name).person:
            continue
        keys[record.iri] = parse(record.name).key
        for spelled in spellings(record.name):
            by_spelling.setdefault(spelled, set()).add(record.iri)
    found: dict[str, dict[str, Candidate]] = {}
    if not by_spelling:
        return {}
    names = sorted(by_spelling)
    for start in range(0, len(names), CHUNK):
        rows = csv_rows(store, f"""SELECT ?e ?id ?label ?pc WHERE {{
            VALUES ?g {{ {' '.join(q(g) for g in graphs)} }}
            VALUES ?label {{ {' '.join(lit(n) for n in names[start:start + CHUNK])} }}
            GRAPH ?g {{ ?e {q(RDFS.label)} ?label ; {q(ORG.identifier)} ?id . ?e a {q(SV.RegisterEntry)} .
                       OPTIONAL {{ ?e {q(SV.registeredPostcode)} ?pc }} }} }}""")
        for row in rows:
            entry_key = parse(row["label"]).key
            for iri in by_spelling.get(row["label"], ()):
                if keys[iri] == entry_key:
                    found.setdefault(iri, {})[row["id"]] = Candidate(row["e"], row["id"], row["label"],
                                                                     row.get("pc") or "")
    return {iri: sorted(c.values(), key=lambda c: c.org_id) for iri, c in found.items()}


def score(record, candidate: Candidate, areas: dict[str, dict[str, str]]) -> tuple[float, tuple[str, ...], str]:
    """(score, fields that agreed, why) of one candidate for one record."""
    theirs, ours = candidate.postcode, sorted(record.postcodes)
    if theirs and ours:
        if theirs in ours:
            return 0.95, ("name", "postcode"), f"the same postcode {theirs}"
        if outward(theirs) and outward(theirs) in {outward(p) for p in ours}:
            return 0.90, ("name", "postcode-district"), f"the same postcode district {outward(theirs)}"
        authority = areas.get(theirs, {}).get("local_authority")
        if authority and authority in {areas.get(p, {}).get("local_authority") for p in ours}:
            return 0.85, ("name", "local-authority"), f"postcodes in one local authority ({authority})"
        return 0.0, ("name",), f"the register's postcode {theirs} is not the file's {', '.join(ours)}"
    parsed = parse(record.name)
    if parsed.forms & COMPANY_FORMS and not is_establishment(parsed.key):
        return ACCEPT, ("name",), "the same registered name (with its legal form); no postcode to compare"
    return 0.6, ("name",), "the same name only, without a legal form: a brand or a place's name could be another's"


def decide(records, found: dict[str, list[Candidate]], areas) -> tuple[dict[str, NameMatch], dict[str, Ambiguous]]:
    """Each record's match, or why it is ambiguous."""
    matches, ambiguous = {}, {}
    if not found:
        return matches, ambiguous
    for record in records:
        if record.iri not in found:
            continue
        scored = sorted(((c, *score(record, c, areas)) for c in found[record.iri]), key=lambda s: (-s[1], s[0].org_id))
        best, top, fields, why = scored[0]
        close = [s for s in scored[1:] if s[1] >= ACCEPT and top - s[1] < MARGIN]
        listed = tuple((c, s) for c, s, _, _ in scored)
        if top >= ACCEPT and not close:
            matches[record.iri] = NameMatch(
                record.iri, best.entry, best.org_id, top, fields,
                f"agreed: {', '.join(fields)}; {record.name!r} is the register's {best.name!r} ({best.org_id}): {why}")
        elif close:
            ambiguous[record.iri] = Ambiguous(record.iri, listed, f"{len(close) + 1} register entries of this name "
                                                                  f"score within {MARGIN} of each other ({why})")
        else:
            ambiguous[record.iri] = Ambiguous(record.iri, listed, why)
    return matches, ambiguous
