"""The crosswalk's class columns: SME, VCSE, public body (yes/no/unknown), their evidence, place.

Read from the links graph only (each organisation's ``sv:socialValueClass``, its
``sv:classEvidence`` and the registered postcode and areas ``svcat link`` wrote), so the
web layer can serve them. ``yes`` needs an accepted class; ``no`` needs evidence against
(a large firm or a public body is not an SME; a public body, a person, or a register's
legal form that is not a VCSE form is not a VCSE); everything else is ``unknown``, with
the evidence that left it so. ``local`` compares the organisation's local authority (and
county) with the council of the row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from catalogue import iris
from catalogue.council_areas import within
from catalogue.store.paging import all_rows
from catalogue.linking.precedence import NOT_VCSE, said_by
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import RDFS, SV

COLUMNS = ("sme", "vcse", "public_body", "size_evidence", "vcse_evidence", "postcode", "local_authority", "local")
CHUNK = 400  # organisations per query when only some are read


class Said(NamedTuple):
    """One piece of class evidence as the links graph holds it."""

    cls: str
    source: str
    accepted: bool
    confidence: float
    note: str
    conflict: str = ""


@dataclass
class Facts:
    classes: set[str] = field(default_factory=set)
    evidence: list[Said] = field(default_factory=list)
    postcode: str = ""
    local_authority: str = ""
    county: str = ""

    def columns(self, council: str) -> tuple[str, ...]:
        c = self.classes
        sme = "yes" if "sme" in c else "no" if c & {"largeEnterprise", "publicBody"} else "unknown"
        not_vcse = any(e.cls == "unknownClass" and e.note.startswith(NOT_VCSE) for e in self.evidence)
        vcse = "yes" if "vcse" in c else "no" if c & {"publicBody", "individual"} or not_vcse else "unknown"
        public = "yes" if "publicBody" in c else "no" if c & {"sme", "largeEnterprise", "vcse", "individual"} else "unknown"
        size = said_by("size", c, self.evidence)
        vcse_note = said_by("vcse", c, self.evidence)
        local = "unknown"
        if self.local_authority:  # an abolished district lies in its successor's area (``council_areas``)
            found = [within(area, council) for area in (self.local_authority, self.county) if area]
            local = "yes" if True in found else "unknown" if None in found else "no"
        return (sme, vcse, public, size, vcse_note, self.postcode, self.local_authority, local)


def council_organisations(store: Store, graph: str | None, council: str) -> list[str]:
    """The organisations a council's supplier records are linked to (its payees' organisations):
    what a council page needs facts of, a few thousand where the links hold hundreds of thousands."""
    if graph is None:
        return []
    rows = all_rows(store, f"""SELECT DISTINCT ?org WHERE {{ ?record {q(SV.recordedBy)} {q(council)} .
        GRAPH {q(graph)} {{ ?record {q(SV.canonicalOrganisation)} ?org }} }}""", order="?org")
    return [row["org"] for row in rows]


def organisation_facts(store: Store, graph: str | None, orgs: list[str] | None = None) -> dict[str, Facts]:
    """Organisation IRI -> its classes, evidence and place, from the links graph: of every
    organisation, or only of ``orgs`` (read in chunks, so the cost follows their number)."""
    if graph is None:
        return {}
    facts: dict[str, Facts] = defaultdict(Facts)
    if orgs is None:
        _read_facts(store, q(graph), "", facts)
    else:
        for start in range(0, len(orgs), CHUNK):
            _read_facts(store, q(graph), f"VALUES ?org {{ {' '.join(q(o) for o in orgs[start:start + CHUNK])} }}",
                        facts)
    return dict(facts)


def _read_facts(store: Store, g: str, values: str, facts: dict[str, Facts]) -> None:
    for row in all_rows(store, f"SELECT ?org ?c WHERE {{ {values} GRAPH {g} {{ ?org {q(SV.socialValueClass)} ?c }} }}",
                        order="?org ?c"):
        facts[row["org"]].classes.add(row["c"].rsplit("#", 1)[-1])
    for row in all_rows(store, f"""SELECT ?org ?c ?source ?accepted ?conf ?note ?conflict WHERE {{ {values} GRAPH {g} {{
            ?org {q(SV.classEvidence)} ?e . ?e {q(SV.evidenceFor)} ?c ; {q(SV.evidenceSource)} ?source ;
            {q(SV.accepted)} ?accepted ; {q(RDFS.comment)} ?note . OPTIONAL {{ ?e {q(SV.confidence)} ?conf }}
            OPTIONAL {{ ?e {q(SV.conflict)} ?conflict }} }} }}""", order="?org ?e"):
        facts[row["org"]].evidence.append(Said(row["c"].rsplit("#", 1)[-1], row["source"],
                                               row["accepted"] in ("true", "1"), float(row.get("conf") or 0),
                                               row["note"], row.get("conflict") or ""))
    prefix = iris.geography("")
    for row in all_rows(store, f"""SELECT ?org ?pc ?la ?county WHERE {{ {values} GRAPH {g} {{
            ?org {q(SV.localAuthorityArea)}|{q(SV.registeredPostcode)} ?any .
            OPTIONAL {{ ?org {q(SV.registeredPostcode)}|{q(SV.postcode)} ?pc }} OPTIONAL {{ ?org {q(SV.localAuthorityArea)} ?la }}
            OPTIONAL {{ ?org {q(SV.countyArea)} ?county }} }} }}""", order="?org"):
        f = facts[row["org"]]
        f.postcode = row.get("pc") or f.postcode
        f.local_authority = (row.get("la") or "").removeprefix(prefix) or f.local_authority
        f.county = (row.get("county") or "").removeprefix(prefix) or f.county
