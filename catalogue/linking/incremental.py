"""Link the supplier records a load added, without re-linking everything.

``svcat load`` calls ``link_new`` after each file. The records no organisation holds yet
are matched against only the organisations that could take them: those sharing a
company, charity or VAT number, a name key or a block key (``sv:nameKey``,
``sv:blockKey``, kept on every organisation for this). Those organisations' records
are pinned to them, the same clustering runs on the small set, and the organisations
that changed (and the new ones) are rewritten in one SPARQL Update. Nothing else is
read or written, so the cost follows the size of the file, not of the store.

A full ``svcat link`` remains the reference: it can also split or merge existing
organisations when new evidence says so, which an incremental link never does.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from catalogue import iris
from catalogue.linking import decisions as dec
from catalogue.linking import graph as g
from catalogue.linking import write
from catalogue.linking.cluster import block_keys, cluster_records
from catalogue.linking.names import parse
from catalogue.linking.publicbodies import CouncilIndex
from catalogue.linking.records import linkset_graph, read_records
from catalogue.linking.register_names import register_aliases
from catalogue.store.paging import csv_rows
from catalogue.linking.registers import read_registers
from catalogue.linking.run import (
    LinkOutcome,
    _outcome,
    build,
    council_index,
    group_pairs,
    link_all,
    now_text,
    organisation_blocks,
)
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.summaries import Pending
from catalogue.summaries import refresh as refresh_summaries
from catalogue.vocab import DCTERMS, ORG, SV, VOID, XSD

BATCH = 1500


def unlinked(store: Store, base: str, graph: str) -> list[str]:
    """Supplier records of live datasets that the links graph does not hold."""
    rows = csv_rows(store, f"""SELECT DISTINCT ?s WHERE {{
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s a {q(SV.Supplier)} }}
        FILTER NOT EXISTS {{ GRAPH {q(graph)} {{ ?s {q(SV.canonicalOrganisation)} ?o }} }} }}""")
    return sorted(r["s"] for r in rows)


def _select_in(store: Store, template: str, values: list[str], literal: bool) -> list[dict]:
    rows = []
    for start in range(0, len(values), BATCH):
        chunk = values[start:start + BATCH]
        terms = " ".join(('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"') if literal else q(v)
                         for v in chunk)
        rows += csv_rows(store, template.replace("$VALUES", terms))
    return rows


def candidate_organisations(store: Store, graph: str, records) -> dict[str, str]:
    """Record IRI -> organisation, for every record of the organisations the new records might join."""
    keys, ids, vats = set(), set(), set()
    for record in records.values():
        ids |= record.org_ids
        vats |= record.vat_numbers
        if record.name:
            parsed = parse(record.name)
            keys |= {f"n:{parsed.key}", f"n:{parsed.core}"} | {f"b:{b}" for b in block_keys(parsed.core)}
    orgs: set[str] = set()
    for prop, values in ((SV.nameKey, sorted(k[2:] for k in keys if k.startswith("n:"))),
                         (SV.blockKey, sorted(k[2:] for k in keys if k.startswith("b:"))),
                         (ORG.identifier, sorted(ids)), (SV.vatNumber, sorted(vats))):
        found = _select_in(store, f"SELECT DISTINCT ?org WHERE {{ GRAPH {q(graph)} {{ VALUES ?v {{ $VALUES }} "
                                  f"?org {q(prop)} ?v }} }}", values, literal=True)
        orgs |= {r["org"] for r in found}
    members = _select_in(store, f"SELECT ?rec ?org WHERE {{ GRAPH {q(graph)} {{ VALUES ?org {{ $VALUES }} "
                                f"?rec {q(SV.canonicalOrganisation)} ?org }} }}", sorted(orgs), literal=False)
    return {r["rec"]: r["org"] for r in members}


def link_new(store: Store, base: str, *, licence: str, councils: CouncilIndex | None = None,
             say: Callable[[str], None] | None = None, pending: Pending | None = None) -> LinkOutcome:
    """Link the records no organisation holds yet (a full link if nothing was ever linked).

    ``pending``: summary work a load owes (``catalogue.summaries``), done together with
    the link's own in one refresh before the one publish, once ``_link_new`` has returned
    and its records and clusters are freed."""
    clock = time.monotonic()
    base = iris.normalise_base(base)
    graph = linkset_graph(store, base)
    if graph is None:
        return link_all(store, base, licence=licence, councils=councils, say=say, pending=pending)
    outcome, datasets = _link_new(store, base, graph, councils, say or (lambda _: None))
    refresh_summaries(store, base, (pending or Pending()).add(datasets))
    outcome.seconds = time.monotonic() - clock
    return outcome


def _link_new(store: Store, base: str, graph: str, councils: CouncilIndex | None,
              say: Callable[[str], None]) -> tuple[LinkOutcome, list[str]]:
    """The links of the unlinked records, written; and the datasets whose summaries they change."""
    clock = time.monotonic()
    fresh = unlinked(store, base, graph)
    if not fresh:
        return LinkOutcome("incremental", graph=graph), []
    say(f"linking {len(fresh):,} new supplier records")
    new = read_records(store, base, only=fresh)
    previous = candidate_organisations(store, graph, new)
    old = read_records(store, base, only=sorted(previous)) if previous else {}
    records = {iri: r for iri, r in sorted({**old, **new}.items())}
    constraints = dec.constraints(dec.current(dec.stored_decisions(store, graph)), previous, {})
    for record, org in previous.items():
        if record in records:
            constraints.pinned.setdefault(record, org)
    registers = read_registers(store, base, records.values())
    clustering = cluster_records(records, constraints, (councils or council_index()).find,
                                 aliases=register_aliases(records.values(), registers))
    organisations, _, links = build(base, records, clustering, previous, {}, registers)
    organisations = _unclash(store, graph, organisations, set(previous.values()))
    touched = [o for o in organisations if any(r.iri in new for r in o.records)]
    org_of = {r.iri: o.iri for o in organisations for r in o.records}
    activity = f"{iris.linkset(base)}#activity"
    blocks = organisation_blocks(base, touched, links, group_pairs(clustering.vat_peers, org_of), activity)
    digests = write.stored_digests_of(store, graph, [b.key for b in blocks])
    changed, dropped = write.changes(blocks, digests, complete=False)
    existing = set(previous.values())
    store.update(write.combine(
        *write.delete_blocks(graph, dropped), write.insert(graph, (line for b in changed for line in b.lines)),
        _touch_record(base, graph, len([o for o in touched if o.iri not in existing]))))
    store.update(_recount(base, graph))
    # only organisations that took new records can have changed class
    datasets = sorted({d for o in touched for r in o.records for d in r.datasets})
    new_orgs = sum(1 for o in touched if o.iri not in existing)
    return _outcome("incremental", new, touched, links, {}, [], graph, clock, new=new_orgs), datasets


def _unclash(store: Store, graph: str, organisations: list[g.Organisation], existing: set[str]):
    """New organisations whose derived IRI another organisation already has get a suffix."""
    fresh = [o for o in organisations if o.iri not in existing]
    taken = {r["o"] for r in _select_in(store, f"SELECT ?o WHERE {{ GRAPH {q(graph)} {{ VALUES ?o {{ $VALUES }} "
                                              f"?o ?p ?x }} }}", sorted(o.iri for o in fresh), literal=False)}
    used = {o.iri for o in organisations}
    for org in fresh:
        if org.iri in taken:
            n, candidate = 2, f"{org.iri}-2"
            while candidate in taken or candidate in used:
                n += 1
                candidate = f"{org.iri}-{n}"
            used.add(candidate)
            org.iri = candidate
    return organisations


def _touch_record(base: str, graph: str, added: int) -> str:
    """Bring the linkset record's modified time and organisation count up to date."""
    node, cat = iris.linkset(base), iris.catalogue_graph(base)
    return (f"DELETE {{ GRAPH {q(cat)} {{ {q(node)} {q(DCTERMS.modified)} ?m }} }} INSERT {{ GRAPH {q(cat)} {{ "
            f"{q(node)} {q(DCTERMS.modified)} \"{now_text()}\"^^{q(XSD.dateTime)} }} }} "
            f"WHERE {{ GRAPH {q(cat)} {{ {q(node)} {q(DCTERMS.modified)} ?m }} }};\n"
            f"DELETE {{ GRAPH {q(cat)} {{ {q(node)} {q(VOID.entities)} ?n }} }} INSERT {{ GRAPH {q(cat)} {{ "
            f"{q(node)} {q(VOID.entities)} ?m }} }} WHERE {{ GRAPH {q(cat)} {{ {q(node)} {q(VOID.entities)} ?n }} "
            f"BIND(?n + {added} AS ?m) }}")


def _recount(base: str, graph: str) -> str:
    node, cat = iris.linkset(base), iris.catalogue_graph(base)
    return (f"DELETE {{ GRAPH {q(cat)} {{ {q(node)} {q(VOID.triples)} ?old }} }} INSERT {{ GRAPH {q(cat)} {{ "
            f"{q(node)} {q(VOID.triples)} ?n }} }} WHERE {{ GRAPH {q(cat)} {{ {q(node)} {q(VOID.triples)} ?old }} "
            f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {q(graph)} {{ ?s ?p ?o }} }} }} }}")
