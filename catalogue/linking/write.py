"""Write links into the store atomically, rewriting only the organisations that changed.

Removing a large graph is slow on the embedded store (tens of seconds for half a
million triples) and reading it back is not free either, while a re-link usually
changes a few hundred organisations. So everything written about one organisation
(its description, class evidence, group links, and the links of its records) is one
*block* with a SHA-1 ``sv:digest``. A link reads the stored digests (one small query),
and in one SPARQL Update deletes the blocks whose digest changed or that disappeared,
inserts their new versions, replaces the small shared block (activity, decisions,
retired IRIs) and swaps the linkset's catalogue record: one transaction, so readers
see the old links or the new ones. Only the first link, or a change too large for one
update, writes a fresh graph and swaps the record (as dataset loads do).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from catalogue.store.paging import csv_rows
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, SV
from loaders.terms import Triple

#: Most triples inserted by one update; a larger change writes a fresh graph instead.
DIFF_LIMIT = 150_000
#: N-Triples lines per chunk of a fresh linkset graph handed to the bulk loader (see
#: ``catalogue.ingest.stream.CHUNK_ROWS``: two chunks load at once, about 1.1 KB a triple).
CHUNK = 25_000
VALUES_BATCH = 2_000


@dataclass
class Block:
    """Everything written about one organisation (``key``), as N-Triples lines."""

    key: str
    lines: list[str]
    digest: str  # of the lines, the digest's own line excepted


def block(key: str, triples: Iterable[Triple]) -> Block:
    lines = [f"{s} {p} {o} ." for s, p, o in triples]
    digest = hashlib.sha1("\n".join(sorted(lines)).encode("utf-8")).hexdigest()
    return Block(key, [*lines, f"{q(key)} {q(SV.digest)} \"{digest}\" ."], digest)


def stored_digests(store: Store, graph: str) -> dict[str, str]:
    rows = csv_rows(store, f"SELECT ?o ?d WHERE {{ GRAPH {q(graph)} {{ ?o {q(SV.digest)} ?d }} }}")
    return {r["o"]: r["d"] for r in rows}


def stored_digests_of(store: Store, graph: str, organisations: list[str]) -> dict[str, str]:
    """The stored digests of some organisations only."""
    out = {}
    names = sorted(set(organisations))
    for start in range(0, len(names), VALUES_BATCH):
        values = " ".join(q(o) for o in names[start:start + VALUES_BATCH])
        rows = csv_rows(store, f"SELECT ?o ?d WHERE {{ VALUES ?o {{ {values} }} "
                               f"GRAPH {q(graph)} {{ ?o {q(SV.digest)} ?d }} }}")
        out |= {r["o"]: r["d"] for r in rows}
    return out


def changes(blocks: list[Block], digests: dict[str, str], complete: bool) -> tuple[list[Block], set[str]]:
    """(blocks to write, organisation IRIs whose stored block goes).

    ``complete``: ``blocks`` is every organisation, so stored ones not among them go too.
    """
    write, drop = [], set()
    for b in blocks:
        if digests.get(b.key) != b.digest:
            write.append(b)
            if b.key in digests:
                drop.add(b.key)
    if complete:
        drop |= set(digests) - {b.key for b in blocks}
    return write, drop


def delete_blocks(graph: str, organisations: set[str]) -> list[str]:
    """SPARQL Updates removing the blocks of these organisations from ``graph``.

    Evidence nodes and link nodes first (they are found through the organisation's own
    triples), then the records' two triples, then the organisation's.
    """
    out = []
    names = sorted(organisations)
    for start in range(0, len(names), VALUES_BATCH):
        values = f"VALUES ?org {{ {' '.join(q(o) for o in names[start:start + VALUES_BATCH])} }}"
        out += [
            f"DELETE {{ GRAPH {q(graph)} {{ ?s ?p ?x }} }} WHERE {{ {values} GRAPH {q(graph)} {{ "
            f"?org {q(SV.classEvidence)} ?s . ?s ?p ?x }} }}",
            f"DELETE {{ GRAPH {q(graph)} {{ ?s ?p ?x }} }} WHERE {{ {values} GRAPH {q(graph)} {{ "
            f"?r {q(SV.canonicalOrganisation)} ?org ; {q(SV.organisationLink)} ?s . ?s ?p ?x }} }}",
            f"DELETE {{ GRAPH {q(graph)} {{ ?r {q(SV.canonicalOrganisation)} ?org ; {q(SV.organisationLink)} ?l }} }} "
            f"WHERE {{ {values} GRAPH {q(graph)} {{ ?r {q(SV.canonicalOrganisation)} ?org ; "
            f"{q(SV.organisationLink)} ?l }} }}",
            f"DELETE {{ GRAPH {q(graph)} {{ ?org ?p ?x }} }} WHERE {{ {values} GRAPH {q(graph)} {{ ?org ?p ?x }} }}",
        ]
    return out


def delete_shared(graph: str, linkset: str) -> str:
    """Remove the shared block: the activity, stored decisions and retired IRIs (each by an index)."""
    g = q(graph)
    return ";\n".join((
        f"DELETE WHERE {{ GRAPH {g} {{ {q(linkset + '#activity')} ?p ?o }} }}",
        f"DELETE {{ GRAPH {g} {{ ?d ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?d a {q(SV.LinkDecision)} ; ?p ?o }} }}",
        f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s {q(DCTERMS.isReplacedBy)} ?x ; ?p ?o }} }}",
    ))


def insert(graph: str, lines: Iterable[str]) -> str:
    body = "\n".join(lines)
    return f"INSERT DATA {{ GRAPH {q(graph)} {{\n{body}\n}} }}" if body else ""


def chunks(lines: Iterable[str], counted: list[int] | None = None) -> Iterator[bytes]:
    """N-Triples lines (``s p o .``) as N-Triples chunks of ``CHUNK`` lines for the bulk loader,
    which puts them in the links graph itself (``bulk_add(..., graph)``): rewriting every
    line as an N-Quad cost 1.4 s of a DEV link. The lines may be made as they are asked for
    (a first link's organisations, built while the engine loads the chunks before);
    ``counted[0]`` is raised by each chunk's lines."""
    lines = iter(lines)
    while batch := list(islice(lines, CHUNK)):
        if counted is not None:
            counted[0] += len(batch)
        yield ("\n".join(batch) + "\n").encode("utf-8")


def combine(*updates: str) -> str:
    return ";\n".join(u for u in updates if u)
