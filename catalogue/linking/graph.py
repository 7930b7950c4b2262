"""The triples linking writes: organisations, links, class evidence, decisions, the linkset record.

Everything here is pure: plain data in, N-Triples terms out (``loaders.terms``), so a
full link can bulk-load millions of triples without building Python RDF objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from catalogue import iris
from catalogue.linking.classify import Evidence
from catalogue.linking.cluster import Link, block_keys
from catalogue.linking.decisions import Decision
from catalogue.linking.names import parse
from catalogue.linking.precedence import TIERS
from catalogue.linking.records import SupplierRecord
from catalogue.vocab import (
    DCAT,
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    SV,
    VOID,
    XSD,
)
from loaders.terms import Triple
from loaders.terms import iri as checked_iri
from loaders.terms import literal as escaped_literal

METHOD_TERMS = {"manual": SV.manualDecision, "companyNumber": SV.companyNumberMatch,
                "charityNumber": SV.charityNumberMatch, "vatNumber": SV.vatNumberMatch,
                "exactName": SV.exactNameMatch, "fuzzyName": SV.fuzzyNameMatch,
                "scoredName": SV.scoredNameMatch, "unmatched": SV.unmatchedRecord}
SOURCE_TERMS = {"councilFlag": SV.councilFlagSource, "selfDeclaration": SV.selfDeclarationSource,
                "registeredIdentifier": SV.registeredIdentifierSource, "legalForm": SV.legalFormSource,
                "councilRegister": SV.councilRegisterSource, "publicBodyName": SV.publicBodyNameSource,
                "personName": SV.personNameSource, "noEvidence": SV.noEvidenceSource,
                "register": SV.registerSource}
ALT_LABELS = 50  # most alternative names written per organisation
EVIDENCE_SOURCES = 20  # most records cited by one piece of evidence
DECIMAL, INTEGER, BOOLEAN, DATETIME = str(XSD.decimal), str(XSD.integer), str(XSD.boolean), str(XSD.dateTime)
DATE = str(XSD.date)


#: ``loaders.terms.iri``, memoised: linking repeats IRIs many times. Terms are written by
#: ``loaders.terms`` only, so linked records and loaded ones spell a term the same way.
iri = lru_cache(maxsize=500_000)(checked_iri)
literal = escaped_literal


def decimal(value: float) -> str:
    """An xsd:decimal in the canonical form the store gives back (1.0 -> "1", 0.950 -> "0.95")."""
    return literal(f"{value:.3f}".rstrip("0").rstrip(".") or "0", DECIMAL)


@lru_cache(maxsize=1024)
def _t(term) -> str:
    return iri(str(term))


A = _t(RDF.type)


@dataclass
class Organisation:
    """One canonical organisation as written: its records and what linking found."""

    iri: str
    records: list[SupplierRecord]
    label: str
    classes: list[str]
    evidence: list[Evidence]
    council_gss: str | None = None
    name_keys: set[str] = field(default_factory=set)
    block_keys: set[str] = field(default_factory=set)
    #: Where the organisation is: ``postcode`` (register first), ``local_authority``, ``county`` (GSS).
    place: dict = field(default_factory=dict)
    #: Its records' matches to register entries by name, and candidates left for a person
    #: (``register_match.NameMatch`` / ``Ambiguous``).
    register_matches: list = field(default_factory=list)


def best_label(records: list[SupplierRecord]) -> str:
    """The name to show: from a record with an identifier, not initials alone, in mixed case, the most used."""
    names: dict[str, list] = {}
    for record in records:
        if not record.name:
            continue
        entry = names.setdefault(record.name, [0, 0, 0])
        entry[0] += 1
        entry[1] = max(entry[1], int(bool(record.company_numbers or record.charity_numbers)))
        entry[2] = int(not record.name.isupper())
    if not names:
        return records[0].supplier_id or "Unnamed supplier"
    # A name of one short word (initials: "Hmrc", "DWP") only when there is no fuller one.
    return max(names, key=lambda n: (names[n][1], not (n.isalpha() and len(n) <= 6), names[n][2], names[n][0],
                                     -len(n), n))


def organisation_triples(base: str, org: Organisation, activity: str) -> list[Triple]:
    node = iri(org.iri)
    out: list[Triple] = [(node, A, _t(ORG.Organization)), (node, _t(RDFS.label), literal(org.label)),
                         (node, _t(SKOS.prefLabel), literal(org.label)),
                         (node, _t(PROV.wasGeneratedBy), iri(activity))]
    ids = sorted({i for r in org.records for i in r.org_ids})
    if ids or org.council_gss:
        out.append((node, A, _t(ORG.FormalOrganization)))
    for value in ids:
        out.append((node, _t(ORG.identifier), literal(value)))
    if org.council_gss:
        out.append((node, _t(ORG.identifier), literal(org.council_gss)))
        out.append((node, _t(OWL.sameAs), iri(iris.council(base, org.council_gss))))
    for value in sorted({v for r in org.records for v in r.vat_numbers}):
        out.append((node, _t(SV.vatNumber), literal(value)))
    for value in sorted({p for r in org.records for p in r.postcodes}):
        out.append((node, _t(SV.postcode), literal(value)))
    out += _place_triples(node, org.place)
    names = sorted({r.name for r in org.records if r.name and r.name != org.label})
    out += [(node, _t(SKOS.altLabel), literal(n)) for n in names[:ALT_LABELS]]
    out += [(node, _t(SV.nameKey), literal(k)) for k in sorted(org.name_keys)]
    out += [(node, _t(SV.blockKey), literal(k)) for k in sorted(org.block_keys)]
    out.append((node, _t(SV.recordCount), literal(str(len(org.records)), INTEGER)))
    councils = sorted({r.council for r in org.records})
    out.append((node, _t(SV.councilCount), literal(str(len(councils)), INTEGER)))
    out += [(node, _t(SV.paidBy), iri(iris.council(base, gss))) for gss in councils]
    out += [(node, _t(SV.socialValueClass), _t(SV[c])) for c in org.classes]
    for n, evidence in enumerate(org.evidence, start=1):
        out += _evidence_triples(node, f"{org.iri}#evidence-{n}", evidence)
    for found in org.register_matches:
        out += register_match_triples(base, found)
    return out


def register_match_triples(base: str, found) -> list[Triple]:
    """A record's match to a register entry by name (``NameMatch``), or the candidates a
    person should look at (``Ambiguous``), with scores, agreed fields and why."""
    rec, at = iri(found.record), iris.supplier_link(base, found.record)
    if hasattr(found, "candidates"):
        out = []
        for n, (candidate, score) in enumerate(found.candidates, start=1):
            node = iri(f"{at}-candidate-{n}")
            out += [(rec, _t(SV.ambiguousMatch), node), (node, A, _t(SV.AmbiguousMatch)),
                    (node, _t(SV.registerEntry), iri(candidate.entry)),
                    (node, _t(SV.matchedValue), literal(candidate.org_id)),
                    (node, _t(SV.matchScore), decimal(score)), (node, _t(RDFS.comment), literal(found.reason))]
        return out
    node = iri(f"{at}-register")
    return [(rec, _t(SV.registerMatch), node), (node, A, _t(SV.RegisterMatch)),
            (node, _t(SV.registerEntry), iri(found.entry)), (node, _t(SV.matchedValue), literal(found.org_id)),
            (node, _t(SV.matchScore), decimal(found.score)), (node, _t(RDFS.comment), literal(found.evidence)),
            *((node, _t(SV.agreedField), literal(f)) for f in found.fields)]


def _place_triples(node: str, place: dict) -> list[Triple]:
    """The organisation's registered postcode and the areas the postcode directory puts it in."""
    out: list[Triple] = []
    if place.get("postcode") and place.get("source") != "file":
        out.append((node, _t(SV.registeredPostcode), literal(place["postcode"])))
    for key, prop in (("local_authority", SV.localAuthorityArea), ("county", SV.countyArea)):
        if place.get(key):
            out.append((node, _t(prop), iri(iris.geography(place[key]))))
    return out


def _evidence_triples(org: str, iri_: str, e: Evidence) -> list[Triple]:
    node = iri(iri_)
    out = [(org, _t(SV.classEvidence), node), (node, A, _t(SV.ClassEvidence)),
           (node, _t(SV.evidenceFor), _t(SV[e.cls])), (node, _t(SV.evidenceSource), _t(SOURCE_TERMS[e.source])),
           (node, _t(SV.accepted), literal("true" if e.accepted else "false", BOOLEAN)),
           (node, _t(RDFS.comment), literal(e.note))]
    if e.confidence is not None:
        out.append((node, _t(SV.confidence), decimal(e.confidence)))
    if e.source in TIERS:
        out.append((node, _t(SV.precedence), literal(str(TIERS[e.source]), INTEGER)))
    if e.conflict:
        out.append((node, _t(SV.conflict), literal(e.conflict)))
    if e.column:
        out.append((node, _t(SV.evidenceColumn), literal(e.column)))
    if e.date:
        out.append((node, _t(DCTERMS.date), literal(e.date, DATE)))
    for source in [*sorted(e.datasets), *e.records[:EVIDENCE_SOURCES]]:
        out.append((node, _t(PROV.wasDerivedFrom), iri(source)))
    return out


def link_triples(base: str, record: SupplierRecord, org: str, link: Link, activity: str) -> list[Triple]:
    """The record's sv:canonicalOrganisation and its qualified link."""
    rec, node, target = iri(record.iri), iri(iris.supplier_link(base, record.iri)), iri(org)
    out = [(rec, _t(SV.canonicalOrganisation), target), (rec, _t(SV.organisationLink), node),
           (node, A, _t(SV.OrganisationLink)), (node, _t(SV.linkedRecord), rec),
           (node, _t(SV.linkedOrganisation), target), (node, _t(SV.linkMethod), _t(METHOD_TERMS[link.method])),
           (node, _t(SV.linkScore), decimal(link.score)),
           (node, _t(RDFS.comment), literal(link.evidence or link.method)),
           (node, _t(PROV.wasGeneratedBy), iri(activity))]
    if link.matched_record and link.matched_record != record.iri:
        out.append((node, _t(SV.matchedRecord), iri(link.matched_record)))
    if link.matched_value:
        out.append((node, _t(SV.matchedValue), literal(link.matched_value)))
    return out


def group_triples(pairs: set[tuple[str, str]], both: bool = True) -> list[Triple]:
    """Organisations of one VAT group (different companies sharing a VAT registration)."""
    out = []
    for a, b in sorted(pairs):
        out.append((iri(a), _t(ORG.linkedTo), iri(b)))
        if both:
            out.append((iri(b), _t(ORG.linkedTo), iri(a)))
    return out


def retired_triples(retired: dict[str, str]) -> list[Triple]:
    out = []
    for old, new in sorted(retired.items()):
        out += [(iri(old), A, _t(SV.RetiredOrganisation)), (iri(old), _t(DCTERMS.isReplacedBy), iri(new)),
                (iri(old), _t(RDFS.label), literal("Retired organisation IRI (see dcterms:isReplacedBy)"))]
    return out


def decision_triples(linkset: str, decisions: list[Decision]) -> list[Triple]:
    out = []
    for d in decisions:
        node = iri(f"{linkset}#{d.node}")
        out += [(node, A, _t(SV.LinkDecision)), (node, _t(SV.decision), literal(d.action)),
                (node, _t(SV.decisionRecord), iri(d.record)), (node, _t(DCTERMS.date), literal(d.date, DATETIME))]
        if d.target:
            out.append((node, _t(SV.decisionTarget), iri(d.target)))
        if d.note:
            out.append((node, _t(RDFS.comment), literal(d.note)))
    return out


def activity_triples(activity: str, started: str, ended: str, software: str, mode: str,
                     datasets: set[str]) -> list[Triple]:
    node = iri(activity)
    out = [(node, A, _t(PROV.Activity)), (node, _t(PROV.startedAtTime), literal(started, DATETIME)),
           (node, _t(PROV.endedAtTime), literal(ended, DATETIME)), (node, _t(PROV.wasAssociatedWith), iri(software)),
           (node, _t(RDFS.label), literal(f"{mode} link"))]
    out += [(node, _t(PROV.used), iri(d)) for d in sorted(datasets)]
    return out


def linkset_record(base: str, graph: str, activity: str, issued: str, modified: str, licence: str,
                   triples: int, organisations: int) -> list[Triple]:
    """The linkset's DCAT/VoID record, for the catalogue graph."""
    node = iri(iris.linkset(base))
    title = literal("Canonical organisations and supplier links", lang="en")
    return [
        (iri(iris.catalogue(base)), _t(DCAT.dataset), node),
        (node, A, _t(DCAT.Dataset)), (node, A, _t(VOID.Linkset)),
        (node, _t(DCTERMS.title), title), (node, _t(RDFS.label), title),
        (node, _t(DCTERMS.description), literal(
            "Every supplier record of every council linked to one canonical organisation, with the method, "
            "score and evidence of each link, and each organisation's social-value classes with their evidence.",
            lang="en")),
        (node, _t(DCTERMS.license), iri(licence)), (node, _t(SV.namedGraph), iri(graph)),
        (node, _t(VOID.linkPredicate), _t(SV.canonicalOrganisation)),
        (node, _t(VOID.triples), literal(str(triples), INTEGER)),
        (node, _t(VOID.entities), literal(str(organisations), INTEGER)),
        (node, _t(DCTERMS.issued), literal(issued, DATETIME)), (node, _t(DCTERMS.modified), literal(modified, DATETIME)),
        (node, _t(PROV.wasGeneratedBy), iri(activity)),
    ]


def keys_of(records: list[SupplierRecord]) -> tuple[set[str], set[str]]:
    """(name keys, block keys) of an organisation's records, for finding it again."""
    names, blocks = set(), set()
    for record in records:
        if record.name:
            parsed = parse(record.name)
            names |= {parsed.key, parsed.core} - {""}
            blocks |= block_keys(parsed.core)
    return names, blocks
