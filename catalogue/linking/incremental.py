"""Link the supplier records a load added, giving the organisations a full link would.

``svcat load`` calls ``link_new`` after each file. It finds the region the new records can
change (``region``: the organisations sharing an identifier, a name key or a block key
with them, or a public-body variant of their names, widened by those organisations' own
identifiers and names), reads the records of that region and the new records, and
clusters them from scratch (not pinned to their old organisations) with the word weights,
block sizes and public-body variants of every name in the store (``corpus``): so a new
record that bridges two organisations merges them, as a full link does. Organisation IRIs
are chosen by the full link's rule (``identity.assign``: the largest share of an old
organisation's records keeps its IRI, an IRI no cluster keeps is retired with
``dcterms:isReplacedBy``), and only the organisations whose description changed are
rewritten, in one SPARQL Update. Nothing outside the region is written, so the cost
follows the size of the file and its neighbourhood, not of the store.

When the links equalled a full link's before the loads and the loads only added datasets
(``exact``), the linkset is stamped with the inputs' digest as a full link is
(``inputs``), so a ``svcat link`` that follows stops at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from catalogue import iris
from catalogue.linking import decisions as dec
from catalogue.linking import graph as g
from catalogue.linking import write
from catalogue.linking.cluster import cluster_records
from catalogue.linking.corpus import read_corpus
from catalogue.linking.inputs import input_digest
from catalogue.linking.publicbodies import CouncilIndex
from catalogue.linking.records import linkset_graph, read_records, retired_organisations
from catalogue.linking.region import expand, members, records_of, region, select_in, unlinked
from catalogue.linking.register_names import register_aliases
from catalogue.linking.registers import read_registers
from catalogue.linking.run import (
    LinkOutcome,
    _outcome,
    build,
    council_index,
    group_pairs,
    link_all,
    now_text,
)
from catalogue.linking.linkset import organisation_blocks
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.store.sparql_text import literal as lit
from catalogue.summaries import Pending
from catalogue.summaries import refresh as refresh_summaries
from catalogue.vocab import DCTERMS, SV, VOID, XSD

__all__ = ["link_new", "unlinked"]


def link_new(store: Store, base: str, *, licence: str, councils: CouncilIndex | None = None,
             say: Callable[[str], None] | None = None, pending: Pending | None = None,
             exact: bool = False, datasets=()) -> LinkOutcome:
    """Link the records no organisation holds yet (a full link if nothing was ever linked).

    ``pending``: summary work a load owes (``catalogue.summaries``), done together with
    the link's own in one refresh before the one publish, once ``_link_new`` has returned
    and its records and clusters are freed. ``exact``: the links equalled a full link's
    before the loads, which only added datasets: stamp the inputs' digest. ``datasets``: the
    datasets just loaded, whose records are re-linked even if already linked (their facts
    may have grown)."""
    clock = time.monotonic()
    base = iris.normalise_base(base)
    graph = linkset_graph(store, base)
    if graph is None:
        return link_all(store, base, licence=licence, councils=councils, say=say, pending=pending)
    outcome, owed = _link_new(store, base, graph, councils, say or (lambda _: None), exact, datasets)
    refresh_summaries(store, base, (pending or Pending()).add(owed))
    outcome.seconds = time.monotonic() - clock
    return outcome


def _link_new(store: Store, base: str, graph: str, councils: CouncilIndex | None,
              say: Callable[[str], None], exact: bool = False, datasets=()) -> tuple[LinkOutcome, list[str]]:
    """The links of the unlinked records and their region, written; and the datasets whose
    summaries they change."""
    clock = time.monotonic()
    stamp = [_stamp(base, input_digest(store, base))] if exact else []
    fresh = sorted(set(unlinked(store, base, graph)) | set(records_of(store, base, datasets)))
    if not fresh:
        if stamp:
            store.update(stamp[0])
        return LinkOutcome("incremental", graph=graph), []
    say(f"linking {len(fresh):,} new (or newly stated) supplier records")
    new = read_records(store, base, only=fresh)
    decisions = dec.current(dec.stored_decisions(store, graph))
    retired_before = retired_organisations(store, graph)
    corpus = read_corpus(store, base, {d.record for d in decisions if d.action == "assign"})
    aliases = register_aliases(new.values(), read_registers(store, base, new.values()))
    orgs = expand(store, graph, region(store, graph, new.values(), corpus, aliases))
    previous = members(store, graph, orgs)
    old = read_records(store, base, only=sorted(previous)) if previous else {}
    records = {iri: r for iri, r in sorted({**old, **new}.items())}
    say(f"re-linking {len(records):,} records of {len(orgs):,} organisations around them")
    constraints = dec.constraints(decisions, previous, retired_before)
    registers = read_registers(store, base, records.values())
    clustering = cluster_records(records, constraints, (councils or council_index()).find,
                                 aliases=register_aliases(records.values(), registers), corpus=corpus)
    rejected = {(d.record, retired_before.get(d.target, d.target)) for d in decisions if d.action == "reject"}
    inherited = {r: o for r, o in previous.items() if (r, o) not in rejected}
    organisations, retired, links = build(base, records, clustering, inherited, retired_before, registers)
    organisations = _unclash(store, graph, organisations, set(previous.values()))
    live = {o.iri for o in organisations}
    gone = set(previous.values()) - live
    org_of = {r.iri: o.iri for o in organisations for r in o.records}
    activity = f"{iris.linkset(base)}#activity"
    blocks = list(organisation_blocks(base, organisations, links, group_pairs(clustering.vat_peers, org_of), activity))
    digests = write.stored_digests_of(store, graph, [b.key for b in blocks] + sorted(gone))
    changed, dropped = write.changes(blocks, digests, complete=False)
    dropped |= gone & set(digests)
    revived = set(retired_before) & live
    classes_before = _classes(store, graph, set(previous.values()))
    store.update(write.combine(
        *write.delete_blocks(graph, dropped), *_delete_retired(graph, set(retired) | revived),
        write.insert(graph, (line for b in changed for line in b.lines)),
        write.insert(graph, (f"{s} {p} {o} ." for s, p, o in g.retired_triples(retired))),
        _touch_record(base, graph, len(live - set(previous.values())) - len(gone)), *stamp))
    store.update(_recount(base, graph))
    keys = {b.key for b in changed}
    touched = [o for o in organisations if o.iri in keys]
    return _outcome("incremental", new, touched, links, {}, [], graph, clock,
                    new=len(live - set(previous.values()))), _owed(organisations, previous, classes_before)


def _owed(organisations: list[g.Organisation], previous: dict[str, str], before: dict[str, set[str]]) -> list[str]:
    """The datasets whose summaries the link changes: those of the records whose organisation
    or its classes changed (what the councils' and social-value summaries read of the links);
    an organisation that only gained a record elsewhere changes no other council's figures."""
    out: set[str] = set()
    for org in organisations:
        classes = {str(SV[c]) for c in org.classes}
        for record in org.records:
            old = previous.get(record.iri)
            if old != org.iri or before.get(old, set()) != classes:
                out |= record.datasets
    return sorted(out)


def _classes(store: Store, graph: str, organisations: set[str]) -> dict[str, set[str]]:
    """The social-value classes the links give these organisations now."""
    rows = select_in(store, f"SELECT ?org ?c WHERE {{ GRAPH {q(graph)} {{ VALUES ?org {{ $VALUES }} "
                            f"?org {q(SV.socialValueClass)} ?c }} }}", sorted(organisations), literal=False)
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["org"], set()).add(row["c"])
    return out


def _delete_retired(graph: str, subjects: set[str]) -> list[str]:
    """Remove what the links say of these retired IRIs (rewritten, or brought back to life)."""
    if not subjects:
        return []
    values = " ".join(q(s) for s in sorted(subjects))
    return [f"DELETE {{ GRAPH {q(graph)} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {values} }} "
            f"GRAPH {q(graph)} {{ ?s {q(DCTERMS.isReplacedBy)} ?x ; ?p ?o }} }}"]


def _stamp(base: str, digest: str) -> str:
    """Replace the linkset's inputs' digest (``inputs``): the links are a full link's of these inputs."""
    node, cat = q(iris.linkset(base)), q(iris.catalogue_graph(base))
    return (f"DELETE {{ GRAPH {cat} {{ {node} {q(SV.inputDigest)} ?d }} }} WHERE {{ GRAPH {cat} {{ "
            f"{node} {q(SV.inputDigest)} ?d }} }};\n"
            f"INSERT DATA {{ GRAPH {cat} {{ {node} {q(SV.inputDigest)} {lit(digest)} }} }}")


def _unclash(store: Store, graph: str, organisations: list[g.Organisation], existing: set[str]):
    """New organisations whose derived IRI an organisation outside the region already has get
    a suffix, as a full link gives one (a retired IRI is not taken: a full link revives it)."""
    fresh = [o for o in organisations if o.iri not in existing]
    taken = {r["o"] for r in select_in(store, f"SELECT ?o WHERE {{ GRAPH {q(graph)} {{ VALUES ?o {{ $VALUES }} "
                                             f"?o {q(SV.digest)} ?x }} }}", sorted(o.iri for o in fresh), literal=False)}
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
