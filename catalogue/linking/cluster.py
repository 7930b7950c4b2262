"""Group supplier records into organisations: strong identifiers first, then names.

A union-find over records (``forest.Forest``), fed with evidence in order of strength
(``matchers``): manual decisions, company numbers, charity numbers, councils named in
the register, VAT numbers (when the names agree: a VAT group covers several companies),
a council's own supplier id (when the names agree), exact name keys, then similar names
found by blocking. Each record keeps the strongest evidence that tied it in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from catalogue.linking.forest import METHODS, RANK, SCORES, Constraints, Forest, Link
from catalogue.linking.matchers import (
    block_keys,
    described,
    index_by,
    is_scoped,
    link_branches,
    link_corroborated,
    link_similar,
    link_supplier_ids,
    link_vat,
)
from catalogue.linking.names import ParsedName, parse
from catalogue.linking.public_variants import link_public_variants
from catalogue.linking.records import SupplierRecord

__all__ = ["METHODS", "RANK", "SCORES", "Constraints", "Link", "Clustering", "cluster_records", "block_keys"]


@dataclass
class Clustering:
    clusters: list[list[str]]  # record IRIs per organisation
    links: dict[str, Link]  # record IRI -> its best evidence
    pinned: dict[int, str]  # cluster index -> organisation IRI it must take
    vat_peers: list[tuple[str, str, str]]  # (record, record, VAT) sharing a VAT but not names
    councils: dict[int, str] = field(default_factory=dict)  # cluster index -> GSS of the council it is


def cluster_records(records: dict[str, SupplierRecord], constraints: Constraints | None = None,
                    council_of: Callable[[ParsedName], str | None] | None = None,
                    progress: Callable[[str], None] | None = None, threshold: float | None = None,
                    aliases: dict[str, list[tuple[str, str]]] | None = None, corpus=None) -> Clustering:
    """Partition the records into organisations, with each record's evidence.

    ``council_of`` recognises a council in a name (``publicbodies.CouncilIndex.find``):
    records naming one council are one organisation, and two councils never merge.
    ``threshold``: the weighted name score a scored link needs (default ``SCORE_THRESHOLD``).
    ``aliases``: other names of a record with why (``register_names``: a renamed firm).
    ``corpus``: every name in the store (``corpus.Corpus``) when ``records`` are only the
    records around a load's (an incremental link): word weights, block sizes and public-body
    variants are then those of all names, so the records cluster as in a full link.
    """
    constraints = constraints or Constraints()
    councils = {iri: gss for iri, r in records.items()
                if r.name and council_of and (gss := council_of(parse(r.name)))}
    forest = Forest(records, constraints, councils)
    say = progress or (lambda _: None)
    auto = {iri: r for iri, r in records.items() if iri not in constraints.detached}

    for a, b, note in constraints.must_link:
        if a in records and b in records:
            forest.union(a, b, Link("manual", 1.0, evidence=note or "confirmed by a person"))
    by_org = defaultdict(list)
    for iri, org in constraints.pinned.items():
        if iri in records:
            by_org[org].append(iri)
    for org, members in by_org.items():
        for other in members[1:]:
            forest.union(members[0], other, Link("manual", 1.0, evidence="assigned to this organisation"))
        for record in members:
            if record in constraints.detached:  # a person's assignment, not a pin kept by an incremental link
                forest.note(record, Link("manual", 1.0, evidence=f"assigned to {org} by a person"))

    say("identifiers")
    for method, getter, label in (("companyNumber", lambda r: r.company_numbers, "company number"),
                                  ("charityNumber", lambda r: r.charity_numbers, "charity number")):
        for value, members in index_by(auto.values(), getter).items():
            for other in members[1:]:
                forest.union(members[0].iri, other.iri, Link(
                    method, 1.0, matched_value=value,
                    evidence=f"both publish {label} {value}: {described(members[0])}, {described(other)}"))
    by_council = defaultdict(list)
    for iri, gss in councils.items():
        if iri in auto:
            by_council[gss].append(iri)
    for gss, members in by_council.items():
        for other in members[1:]:
            forest.union(members[0], other, Link("exactName", SCORES["exactName"], matched_value=gss,
                                                 evidence=f"both name the council {gss} (register of councils)"))
    vat_peers = link_vat(forest, auto)
    link_supplier_ids(forest, auto)

    say("names")
    parsed = {iri: parse(r.name) for iri, r in auto.items() if r.name}
    units: dict[tuple[str, str], list[str]] = defaultdict(list)  # (key, scope) -> records
    cores: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri, p in parsed.items():
        if not p.key:
            continue
        scope = records[iri].council if is_scoped(p) else ""
        units[(p.key, scope)].append(iri)
        cores[(p.core, scope)].append(iri)
    for table, method, score in ((units, "exactName", SCORES["exactName"]), (cores, "exactName", SCORES["coreName"])):
        for (key, scope), members in table.items():
            for other in members[1:]:
                forest.union(members[0], other, Link(
                    method, score, matched_value=key,
                    evidence=f"same name once normalised ({key!r})" + (
                        "" if score == SCORES["exactName"] else " leaving out words in brackets")))
    for iri, names in (aliases or {}).items():
        for name, why in names:
            alias = parse(name)
            if iri in auto:  # the register's names are the company's registered names too
                forest.registered[forest.find(iri)] |= {alias.key, alias.core}
            for other in units.get((alias.key, ""), []) + cores.get((alias.core, ""), []):
                if other != iri and iri in auto:
                    forest.union(other, iri, Link("exactName", SCORES["exactName"], matched_value=alias.key,
                                                  evidence=f"same name once normalised: {why}"))
    link_corroborated(forest, records, units)
    link_branches(forest, records, parsed, cores)
    link_public_variants(forest, records, units, corpus.variants() if corpus is not None else None)
    say("similar names")
    link_similar(forest, records, cores, threshold, corpus)

    roots = defaultdict(list)
    for iri in records:
        roots[forest.find(iri)].append(iri)
    clusters = sorted((sorted(m) for m in roots.values()), key=lambda m: m[0])
    pinned, council_index = {}, {}
    for index, members in enumerate(clusters):
        root = forest.find(members[0])
        if forest.orgs.get(root):
            pinned[index] = sorted(forest.orgs[root])[0]
        if forest.councils.get(root):
            council_index[index] = sorted(forest.councils[root])[0]
    links = {iri: forest.links.get(iri) or Link("unmatched", SCORES["unmatched"],
                                                 evidence="no other record matched this one")
             for iri in records}
    return Clustering(clusters, links, pinned, vat_peers, council_index)


