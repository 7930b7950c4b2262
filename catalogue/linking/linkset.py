"""The links graph written: organisation blocks, a fresh graph or the changed blocks, the record.

Why a module of its own: a full link (``run``) and an incremental one (``incremental``)
both make one block per organisation (``write.Block``); a full link then writes them
into a fresh graph, or only the changed ones into the current graph, and swaps the
linkset's catalogue record, as dataset loads swap theirs.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone

from catalogue import iris
from catalogue.linking import graph as g
from catalogue.linking import write
from catalogue.linking.cluster import Link
from catalogue.linking.inputs import digest_triple
from catalogue.linking.records import linkset_graph
from catalogue.store import Store
from catalogue.store.paging import csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS
from loaders.terms import Triple, ntriples


def now_text() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


def replace_linkset_record(base: str, record: list[Triple]) -> str:
    """One SPARQL Update that swaps the linkset's record in the catalogue graph."""
    cat, node = iris.catalogue_graph(base), iris.linkset(base)
    return (f"DELETE {{ GRAPH {q(cat)} {{ {q(node)} ?p ?o }} }} WHERE {{ GRAPH {q(cat)} {{ {q(node)} ?p ?o }} }};\n"
            f"INSERT DATA {{ GRAPH {q(cat)} {{\n{ntriples(record)}}} }}")


def _issued(store: Store, base: str) -> str | None:
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
