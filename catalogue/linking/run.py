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
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalogue import iris
from catalogue.linking import decisions as dec
from catalogue.linking import graph as g
from catalogue.linking.classify import classify
from catalogue.linking.cluster import RANK, Clustering, Link, cluster_records
from catalogue.linking.council_dates import councils_on_their_dates
from catalogue.linking.identity import assign, derived_key
from catalogue.linking.inputs import input_digest, stored_digest
from catalogue.linking.linkset import collect_link_orphans, now_text, organisation_blocks, save
from catalogue.linking.names import parse
from catalogue.linking.publicbodies import CouncilIndex
from catalogue.linking.register_names import register_aliases
from catalogue.linking.registers import Registers, read_registers
from catalogue.linking.records import (
    CHARITY_SCHEMES,
    SupplierRecord,
    linked_records,
    linkset_graph,
    read_records,
    records_by_council_name,
    retired_organisations,
)
from catalogue.store import Store
from catalogue.summaries import Pending
from catalogue.summaries import refresh as refresh_summaries
from catalogue.summaries.payee_links import PayeeLinks
from catalogue.vocab import SV


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
    pending = pending or Pending()
    outcome = _link_all(store, base, licence=licence, decisions_file=decisions_file, councils=councils, say=say,
                        pending=pending)
    refresh_summaries(store, base, pending.add(everything=True))
    outcome.seconds = time.monotonic() - clock
    return outcome


def unchanged(store: Store, base: str) -> bool:
    """Whether the links were made by a full link from exactly what a link would read now."""
    base = iris.normalise_base(base)
    stored = stored_digest(store, base)
    return stored is not None and stored == input_digest(store, base)


def _link_all(store: Store, base: str, *, licence: str, decisions_file: str | Path | None,
              councils: CouncilIndex | None, say: Callable[[str], None] | None,
              pending: Pending | None = None) -> LinkOutcome:
    clock, started, say = time.monotonic(), now_text(), say or (lambda _: None)
    base = iris.normalise_base(base)
    collect_link_orphans(store, base)
    inputs = input_digest(store, base)
    previous_graph = linkset_graph(store, base)
    previous = linked_records(store, previous_graph) if previous_graph else {}
    retired_before = retired_organisations(store, previous_graph) if previous_graph else {}
    stored = dec.stored_decisions(store, previous_graph) if previous_graph else []
    say("reading supplier records")
    records = read_records(store, base, held=pending.suppliers if pending is not None else None)
    if pending is not None:
        pending.suppliers = {}  # read: their memory goes back before the clustering's
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
    if pending is not None:  # the summaries that follow read every payee's links from these
        pending.links = PayeeLinks.made({r: {o} for r, o in org_of.items()},
                                        {o.iri: {str(SV[c]) for c in o.classes} for o in organisations},
                                        {r.iri for r in records.values() if r.org_ids})
    known = set(previous.values())
    new = sum(1 for o in organisations if o.iri not in known)
    return _outcome("full", records, organisations, links, retired, decisions, graph, clock, new=new)


def _outcome(mode, records, organisations, links, retired, decisions, graph, clock, new=None) -> LinkOutcome:
    return LinkOutcome(
        mode, len(records), len(organisations), len(organisations) if new is None else new,
        sum(1 for o in organisations if len({r.council for r in o.records}) > 1),
        Counter(links[r].method for r in records), Counter(c for o in organisations for c in o.classes),
        len(retired), len(decisions), graph, time.monotonic() - clock)


