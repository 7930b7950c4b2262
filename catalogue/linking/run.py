"""``svcat link``: read every supplier record, cluster, name, classify, write, swap.

A full link writes the canonical organisations into a fresh named graph, then in one
small transaction points the linkset's catalogue record at it and drops the previous
graph, then publishes: readers see the old links or the new ones, never a mix (the same
pattern as dataset loads). Organisation IRIs are inherited from the previous links
(``identity``) and manual decisions stored with them are applied again (``decisions``).
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from catalogue import iris
from catalogue.linking import decisions as dec
from catalogue.linking import graph as g
from catalogue.linking import write
from catalogue.linking.classify import classify
from catalogue.linking.cluster import RANK, Clustering, Link, cluster_records
from catalogue.linking.council_dates import councils_on_their_dates
from catalogue.linking.identity import assign, derived_key
from catalogue.linking.inputs import digest_triple, input_digest, stored_digest
from catalogue.linking.names import parse
from catalogue.linking.publicbodies import CouncilIndex
from catalogue.linking.register_names import register_aliases
from catalogue.linking.registers import Registers, read_registers
from catalogue.linking.records import (
    CHARITY_SCHEMES,
    SupplierRecord,
    csv_rows,
    linked_records,
    linkset_graph,
    read_records,
    records_by_council_name,
    retired_organisations,
)
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.summaries import Pending
from catalogue.summaries import refresh as refresh_summaries
from loaders.terms import Triple, ntriples


@dataclass
class LinkOutcome:
    mode: str  # full | incremental
    records: int = 0
    organisations: int = 0
    new_organisations: int = 0
    multi_council: int = 0
    methods: Counter = field(default_factory=Counter)
    classes: Counter = field(default_factory=Counter)
    retired: int = 0
    decisions: int = 0
    graph: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {"mode": self.mode, "records": self.records, "organisations": self.organisations,
                "new_organisations": self.new_organisations, "multi_council_organisations": self.multi_council,
                "methods": dict(self.methods), "classes": dict(self.classes), "retired": self.retired,
                "decisions": self.decisions, "graph": self.graph, "seconds": round(self.seconds, 2)}


def now_text() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def council_index() -> CouncilIndex:
    """The register of councils (loaders/data/councils.csv) as a name index."""
    from loaders.council_times import succession
    from loaders.councils import register

    return CouncilIndex(((c.gss, (c.name, c.short_name, *c.aliases)) for c in register().councils),
                        succession().on)


def build(base: str, records: dict[str, SupplierRecord], clustering: Clustering, previous: dict[str, str],
          retired_before: dict[str, str], registers: Registers | None = None
          ) -> tuple[list[g.Organisation], dict[str, str], dict[str, Link]]:
    """Organisations with IRIs, classes, keys and place; the retired IRIs; each record's final link.
    ``registers``: what the official registers say of the records' identifiers and postcodes."""
    organisations, retired, links, _ = built(base, records, clustering, previous, retired_before, registers)
    return list(organisations), retired, links


def built(base: str, records: dict[str, SupplierRecord], clustering: Clustering, previous: dict[str, str],
          retired_before: dict[str, str], registers: Registers | None = None
          ) -> tuple[Iterator[g.Organisation], dict[str, str], dict[str, Link], dict[str, str]]:
    """``build``'s organisations made one at a time, as they are asked for (each one's records'
    links final once it is given), and each record's organisation IRI, known at once.

    Why: a first link streams the organisations to the bulk loader, whose threads load one
    chunk while this thread builds the next (``_link_all``)."""
    clustering = councils_on_their_dates(clustering, records)
    derived = []
    for index, members in enumerate(clustering.clusters):
        rows = [records[m] for m in members]
        named = sorted((parse(r.name).key for r in rows if r.name), key=lambda k: (-len(k), k))
        scope = rows[0].council if len({r.council for r in rows}) == 1 else ""
        derived.append(derived_key(rows, clustering.councils.get(index), named[0] if named else rows[0].iri, scope))
    identities = assign(base, clustering.clusters, derived, previous, retired_before, clustering.pinned)
    links = dict(clustering.links)
    org_of = {member: identities.iris[index] for index, members in enumerate(clustering.clusters)
              for member in members}

    def each() -> Iterator[g.Organisation]:
        for index, members in enumerate(clustering.clusters):
            rows = [records[m] for m in members]
            classes, evidence = classify(rows, clustering.councils.get(index), registers)
            names, blocks = g.keys_of(rows)
            place = registers.place(rows, registers.matched(rows)) if registers is not None else {}
            for record in rows:
                links[record.iri] = _final_link(record, derived[index], links[record.iri])
            yield g.Organisation(identities.iris[index], rows, g.best_label(rows), classes, evidence,
                                 clustering.councils.get(index), names, blocks, place,
                                 registers.name_evidence(rows) if registers is not None else [])
    return each(), identities.retired, links, org_of


def _final_link(record: SupplierRecord, key: str, link: Link) -> Link:
    """A record that publishes its organisation's own identifier is linked by that identifier."""
    if link.method == "manual":
        return link
    if key in record.org_ids:
        method = "companyNumber" if not key.startswith(CHARITY_SCHEMES) else "charityNumber"
        if RANK[method] > RANK[link.method]:
            return Link(method, 1.0, None, key, f"publishes the organisation's identifier {key}")
    return link


def group_pairs(clustering_peers, org_of: dict[str, str]) -> set[tuple[str, str]]:
    pairs = set()
    for a, b, _ in clustering_peers:
        if a in org_of and b in org_of and org_of[a] != org_of[b]:
            pairs.add(tuple(sorted((org_of[a], org_of[b]))))
    return pairs


def link_all(store: Store, base: str, *, licence: str, decisions_file: str | Path | None = None,
             councils: CouncilIndex | None = None, say: Callable[[str], None] | None = None,
             pending: Pending | None = None, force: bool = False) -> LinkOutcome:
    """Link every supplier record from scratch (keeping organisation IRIs and decisions), then
    refresh every summary and publish; ``pending`` is summary work owed by a load (see
    ``catalogue.summaries``).

    Unless ``force`` or a decisions file is given, a link whose inputs are those of the last
    full link (``catalogue.linking.inputs``: the same dataset versions, decisions and linking
    code) stops there: the links and the summaries stand (mode ``unchanged``; only
    ``pending``'s own work is done). Re-linking the DEV files for nothing took 24-36 s.

    The refresh runs after ``_link_all`` has returned, so the records, clusters and link
    triples it held are freed first and the summaries reuse their memory (at 5,000,000
    lines both at once went past 1 GB).
    """
    clock = time.monotonic()
    if not (force or decisions_file) and unchanged(store, base):
        refresh_summaries(store, base, pending)
        return LinkOutcome("unchanged", graph=linkset_graph(store, iris.normalise_base(base)),
                           seconds=time.monotonic() - clock)
    outcome = _link_all(store, base, licence=licence, decisions_file=decisions_file, councils=councils, say=say)
    refresh_summaries(store, base, (pending or Pending()).add(everything=True))
    outcome.seconds = time.monotonic() - clock
    return outcome


def unchanged(store: Store, base: str) -> bool:
    """Whether the links were made by a full link from exactly what a link would read now."""
    base = iris.normalise_base(base)
    stored = stored_digest(store, base)
    return stored is not None and stored == input_digest(store, base)


def _link_all(store: Store, base: str, *, licence: str, decisions_file: str | Path | None,
              councils: CouncilIndex | None, say: Callable[[str], None] | None) -> LinkOutcome:
    clock, started, say = time.monotonic(), now_text(), say or (lambda _: None)
    base = iris.normalise_base(base)
    collect_link_orphans(store, base)
    inputs = input_digest(store, base)
    previous_graph = linkset_graph(store, base)
    previous = linked_records(store, previous_graph) if previous_graph else {}
    retired_before = retired_organisations(store, previous_graph) if previous_graph else {}
    stored = dec.stored_decisions(store, previous_graph) if previous_graph else []
    say("reading supplier records")
    records = read_records(store, base)
    given = dec.read_decisions(decisions_file, records_by_council_name(records), set(records), base) \
        if decisions_file else []
    decisions = dec.current(stored + given)
    constraints = dec.constraints(decisions, previous, retired_before)
    say("reading the official registers")
    registers = read_registers(store, base, records.values())
    say(f"clustering {len(records):,} records")
    clustering = cluster_records(records, constraints, (councils or council_index()).find, progress=say,
                                 aliases=register_aliases(records.values(), registers))
    # A record a person took out of an organisation does not pass that organisation's IRI on.
    rejected = {(d.record, retired_before.get(d.target, d.target)) for d in decisions if d.action == "reject"}
    inherited = {r: o for r, o in previous.items() if (r, o) not in rejected}
    made, retired, links, org_of = built(base, records, clustering, inherited, retired_before, registers)
    organisations: list[g.Organisation] = []  # filled as the blocks are written

    def kept() -> Iterator[g.Organisation]:
        for organisation in made:
            organisations.append(organisation)
            yield organisation

    say(f"writing {len(clustering.clusters):,} organisations")
    activity = f"{iris.linkset(base)}#activity"
    datasets = {d for r in records.values() for d in r.datasets}
    blocks = organisation_blocks(base, kept(), links, group_pairs(clustering.vat_peers, org_of), activity)
    shared = [f"{s} {p} {o} ." for s, p, o in itertools.chain(
        g.retired_triples(retired), g.decision_triples(iris.linkset(base), decisions),
        g.activity_triples(activity, started, now_text(), iris.software(base), "full", datasets))]
    graph = save(store, base, previous_graph, blocks, shared, licence, organisations, started, say, inputs)
    known = set(previous.values())
    new = sum(1 for o in organisations if o.iri not in known)
    return _outcome("full", records, organisations, links, retired, decisions, graph, clock, new=new)


def organisation_blocks(base: str, organisations: Iterable[g.Organisation], links: dict[str, Link],
                        groups: set[tuple[str, str]], activity: str) -> Iterator[write.Block]:
    """One block per organisation: its description, evidence, group links and record links
    (made as they are asked for)."""
    peers: dict[str, list[str]] = {}
    for a, b in groups:
        peers.setdefault(a, []).append(b)
        peers.setdefault(b, []).append(a)
    for org in organisations:
        triples = g.organisation_triples(base, org, activity) + g.group_triples(
            {(org.iri, other) for other in peers.get(org.iri, ())}, both=False)
        for record in org.records:
            triples += g.link_triples(base, record, org.iri, links[record.iri], activity)
        yield write.block(org.iri, triples)


def save(store: Store, base: str, previous_graph: str | None, blocks: Iterable[write.Block], shared: list[str],
         licence: str, organisations: list, started: str, say: Callable[[str], None],
         inputs: str | None = None) -> str:
    """Make the blocks the links: changed blocks only when that is small, else a fresh graph
    (unpublished: ``link_all`` refreshes the summaries and publishes). ``inputs``: the digest
    of what the link read (``catalogue.linking.inputs``), kept in the linkset's record.

    With no previous graph the blocks go to the bulk loader as they are made, so the engine
    loads while they are built; ``organisations`` (counted in the record) is read once they
    all are."""
    stamp = [digest_triple(base, inputs)] if inputs else []
    activity = f"{iris.linkset(base)}#activity"
    issued = _issued(store, base) or started
    if previous_graph:
        blocks = list(blocks)
        changed, dropped = write.changes(blocks, write.stored_digests(store, previous_graph), complete=True)
        size = sum(len(b.lines) for b in changed)
        if size <= write.DIFF_LIMIT:
            say(f"updating the links: {len(changed):,} organisations rewritten, "
                f"{len(dropped) - sum(b.key in dropped for b in changed):,} removed")
            triples = sum(len(b.lines) for b in blocks) + len(shared)
            record = g.linkset_record(base, previous_graph, activity, issued, now_text(), licence, triples,
                                      len(organisations)) + stamp
            store.update(write.combine(
                *write.delete_blocks(previous_graph, dropped), write.delete_shared(previous_graph, iris.linkset(base)),
                write.insert(previous_graph, (line for b in changed for line in b.lines)),
                write.insert(previous_graph, shared), replace_linkset_record(base, record)))
            return previous_graph
    version = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{uuid.uuid4().hex[:8]}"
    graph = iris.linkset_graph(base, version)
    say("writing the links into a fresh graph")
    written = [0]
    try:
        store.bulk_add(write.chunks(itertools.chain((line for b in blocks for line in b.lines), shared), written),
                       graph)
    except BaseException:
        _drop(store, graph)
        raise
    record = g.linkset_record(base, graph, activity, issued, now_text(), licence, written[0],
                              len(organisations)) + stamp
    store.update(replace_linkset_record(base, record))
    if previous_graph and previous_graph != graph:
        say("dropping the previous links graph")
        _drop(store, previous_graph)
    return graph


def _outcome(mode, records, organisations, links, retired, decisions, graph, clock, new=None) -> LinkOutcome:
    return LinkOutcome(
        mode, len(records), len(organisations), len(organisations) if new is None else new,
        sum(1 for o in organisations if len({r.council for r in o.records}) > 1),
        Counter(links[r].method for r in records), Counter(c for o in organisations for c in o.classes),
        len(retired), len(decisions), graph, time.monotonic() - clock)


def replace_linkset_record(base: str, record: list[Triple]) -> str:
    """One SPARQL Update that swaps the linkset's record in the catalogue graph."""
    cat, node = iris.catalogue_graph(base), iris.linkset(base)
    return (f"DELETE {{ GRAPH {q(cat)} {{ {q(node)} ?p ?o }} }} WHERE {{ GRAPH {q(cat)} {{ {q(node)} ?p ?o }} }};\n"
            f"INSERT DATA {{ GRAPH {q(cat)} {{\n{ntriples(record)}}} }}")


def _issued(store: Store, base: str) -> str | None:
    from catalogue.vocab import DCTERMS

    rows = csv_rows(store, f"SELECT ?d WHERE {{ GRAPH {q(iris.catalogue_graph(base))} "
                           f"{{ {q(iris.linkset(base))} {q(DCTERMS.issued)} ?d }} }}")
    return rows[0]["d"] if rows else None


def collect_link_orphans(store: Store, base: str) -> list[str]:
    """Drop links graphs no record points at (left by a link that was killed)."""
    live = linkset_graph(store, base)
    prefix = iris.linkset_graph(base, "")
    orphans = [name for name in store.graphs() if name.startswith(prefix) and name != live]
    for name in orphans:
        _drop(store, name)
    return orphans


def _drop(store: Store, graph: str) -> None:
    try:
        store.drop_graph(graph)
    except Exception:  # collected by the next link
        pass
