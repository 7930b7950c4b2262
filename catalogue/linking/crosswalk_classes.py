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

from catalogue import iris
from catalogue.store.paging import all_rows
from catalogue.linking.register_classes import NOT_VCSE
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import RDFS, SV

COLUMNS = ("sme", "vcse", "public_body", "size_evidence", "vcse_evidence", "postcode", "local_authority", "local")
REGISTER = str(SV.registerSource)
SIZE_WORDS = ("accounts", "income", "size")
CHUNK = 400  # organisations per query when only some are read


@dataclass
class Facts:
    classes: set[str] = field(default_factory=set)
    evidence: list[tuple[str, str, bool, float, str]] = field(default_factory=list)  # class, source, accepted, conf, note
    postcode: str = ""
    local_authority: str = ""
    county: str = ""

    def _best(self, classes: tuple[str, ...], also=lambda note: False) -> str:
        """The accepted evidence that decided (registers first, then by confidence), else a
        register's note of why it is unknown."""
        found = [e for e in self.evidence if e[2] and e[0] in classes and e[0] in self.classes]
        found = found or [e for e in self.evidence if e[2] and e[0] == "unknownClass" and also(e[4])]
        found.sort(key=lambda e: (e[1] != REGISTER, -e[3], e[4]))
        return found[0][4] if found else ""

    def columns(self, council: str) -> tuple[str, ...]:
        c = self.classes
        sme = "yes" if "sme" in c else "no" if c & {"largeEnterprise", "publicBody"} else "unknown"
        not_vcse = any(e[0] == "unknownClass" and e[4].startswith(NOT_VCSE) for e in self.evidence)
        vcse = "yes" if "vcse" in c else "no" if c & {"publicBody", "individual"} or not_vcse else "unknown"
        public = "yes" if "publicBody" in c else "no" if c & {"sme", "largeEnterprise", "vcse", "individual"} else "unknown"
        size = self._best(("sme", "largeEnterprise"), lambda note: any(w in note for w in SIZE_WORDS))
        if not size and "publicBody" in c:
            size = "a public body: never counted as an SME"
        vcse_note = self._best(("vcse",), lambda note: note.startswith(NOT_VCSE) or "charit" in note)
        local = "unknown"
        if self.local_authority:
            local = "yes" if council in (self.local_authority, self.county) else "no"
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
    for row in all_rows(store, f"""SELECT ?org ?c ?source ?accepted ?conf ?note WHERE {{ {values} GRAPH {g} {{
            ?org {q(SV.classEvidence)} ?e . ?e {q(SV.evidenceFor)} ?c ; {q(SV.evidenceSource)} ?source ;
            {q(SV.accepted)} ?accepted ; {q(RDFS.comment)} ?note . OPTIONAL {{ ?e {q(SV.confidence)} ?conf }} }} }}""",
                        order="?org ?e"):
        facts[row["org"]].evidence.append((row["c"].rsplit("#", 1)[-1], row["source"], row["accepted"] == "true",
                                           float(row.get("conf") or 0), row["note"]))
    prefix = iris.geography("")
    for row in all_rows(store, f"""SELECT ?org ?pc ?la ?county WHERE {{ {values} GRAPH {g} {{
            ?org {q(SV.localAuthorityArea)}|{q(SV.registeredPostcode)} ?any .
            OPTIONAL {{ ?org {q(SV.registeredPostcode)}|{q(SV.postcode)} ?pc }} OPTIONAL {{ ?org {q(SV.localAuthorityArea)} ?la }}
            OPTIONAL {{ ?org {q(SV.countyArea)} ?county }} }} }}""", order="?org"):
        f = facts[row["org"]]
        f.postcode = row.get("pc") or f.postcode
        f.local_authority = (row.get("la") or "").removeprefix(prefix) or f.local_authority
        f.county = (row.get("county") or "").removeprefix(prefix) or f.county
