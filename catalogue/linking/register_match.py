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

The lookup is by name key: each register entry is loaded with ``sv:registerNameKey``, its name
folded (``loaders.registers.names.name_key``: case, punctuation, &/and, "The" first or
last, the legal form at the end), and a record's name folded the same way is looked up
as an exact literal the store finds by its index, a few hundred keys a query. The cost
follows the number of records, not the size of the register (``bench/register_match.py``).
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
from loaders.registers.names import name_key

ACCEPT = 0.8
MARGIN = 0.05
CHUNK = 400
#: What a candidate needs of its entry.
LOOKED_AT = (RDFS.label, ORG.identifier, SV.registeredPostcode, SV.registeredCompany, SV.registerNameKey)


@dataclass(frozen=True)
class Candidate:
    """A register entry a record's name leads to."""

    entry: str  # the entry's IRI
    org_id: str
    name: str
    postcode: str = ""
    company: str = ""  # a charity's registered company (a charitable company: one body, two entries)


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


def lookup_keys(name: str) -> set[str]:
    """The name keys (``sv:registerNameKey``) a record's name is looked up by: its own spelling
    folded, and linking's reading of it (abbreviations expanded, a trading name or a
    council's bracketed qualifier left out) folded the same way."""
    parsed = parse(name)
    if not parsed.key:
        return set()
    return {k for k in (name_key(name), name_key(parsed.key), name_key(parsed.core)) if k}


def same_name(record_name: str, entry_name: str) -> bool:
    """Whether a candidate found by its key is the record's name, by linking's rules."""
    ours, theirs = parse(record_name), parse(entry_name)
    return theirs.key in (ours.key, ours.core) or name_key(entry_name) == name_key(record_name)


def candidates(store: Store, graphs: list[str], records) -> dict[str, list[Candidate]]:
    """Record IRI -> the register entries of the same name, for the records that publish
    no identifier (people's names are not looked up).

    One query per ``CHUNK`` keys: the keys as VALUES, each an indexed literal lookup; the
    graph is read back and checked here, because a VALUES of graphs beside it made the
    store read every entry of the register (2.5 s a query at 20,000 entries)."""
    if not graphs:
        return {}
    by_key: dict[str, set[str]] = {}
    named = {}
    for record in records:
        if record.org_ids or not record.name or parse(record.name).person:
            continue
        named[record.iri] = record.name
        for key in lookup_keys(record.name):
            by_key.setdefault(key, set()).add(record.iri)
    wanted, found = set(graphs), {}
    keys = sorted(by_key)
    for start in range(0, len(keys), CHUNK):
        for (graph, entry), facts in entry_facts(store, SV.registerNameKey, keys[start:start + CHUNK], LOOKED_AT).items():
            if graph not in wanted or not facts.get(str(ORG.identifier)) or not facts.get(str(RDFS.label)):
                continue
            label, org_id = facts[str(RDFS.label)][0], facts[str(ORG.identifier)][0]
            postcode, company = ((facts.get(str(p)) or [""])[0] for p in (SV.registeredPostcode, SV.registeredCompany))
            for key in facts.get(str(SV.registerNameKey), ()):
                for iri in by_key.get(key, ()):
                    if same_name(named[iri], label):
                        found.setdefault(iri, {})[org_id] = Candidate(entry, org_id, label, postcode, company)
    return {iri: sorted(one_body(c.values()), key=lambda c: c.org_id) for iri, c in found.items()}


def one_body(found) -> list[Candidate]:
    """A charitable company is in both registers under one name: its company entry is not
    a rival of the charity entry that names it (the charity leads to the company)."""
    found = list(found)
    named = {c.company for c in found if c.company}
    return [c for c in found if c.org_id not in named]


def entry_facts(store: Store, via, values: list[str], properties) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(graph, entry) -> property -> objects (only ``properties``), of the entries whose
    ``via`` is one of ``values``.

    The literal is looked up first (VALUES, an index) and only its subjects are read: no
    VALUES of graphs and no ``a sv:RegisterEntry`` in the pattern, either of which lets the
    store start from every entry of every register."""
    out: dict[tuple[str, str], dict[str, list[str]]] = {}
    if not values:
        return out
    rows = csv_rows(store, f"""SELECT ?g ?e ?p ?o WHERE {{ VALUES ?key {{ {' '.join(lit(v) for v in values)} }}
        GRAPH ?g {{ ?e {q(via)} ?key . ?e ?p ?o }} FILTER(?p IN ({', '.join(q(p) for p in properties)})) }}""")
    for row in rows:
        facts = out.setdefault((row["g"], row["e"]), {})
        objects = facts.setdefault(row["p"], [])
        if row["o"] not in objects:
            objects.append(row["o"])
    return out


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
