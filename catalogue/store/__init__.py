"""Store access behind one small interface, for the embedded store and remote servers.

``open_store(url, mode)`` picks the backend: ``memory:`` (tests), a folder path or
``oxigraph:PATH`` (the embedded on-disk default), or ``http(s)://...`` (a remote SPARQL
1.1 server). ``mode`` is ``"read"`` for the web tier and ``"write"`` for loads.
Backends turn their native errors into the ones in ``catalogue.errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from catalogue.store.results import BINDINGS, BOOLEAN, GRAPH, XSD_STRING, Answer
from catalogue.store.sparql_text import has_dataset_clause
from catalogue.store.sparql_text import iri as sparql_iri

__all__ = ["Store", "Bindings", "Triples", "RawResult", "QueryLimits", "open_store", "replace_graph",
           "BINDINGS", "BOOLEAN", "GRAPH"]

#: The dataset of page queries: the union of all graphs.
UNION = {"union": True}


@dataclass(frozen=True)
class QueryLimits:
    """What a public query may use: seconds, result rows, worker processes, SERVICE targets,
    and memory (MB a query worker may hold; 0 for no limit); ``inprocess_ms``: a query a
    worker answered within it may run in the web process next time (``store.cheap``; 0: never).

    ``federation`` lists the only endpoints SERVICE may call; empty means federation is off.
    """

    timeout: float = 30.0
    result_limit: int | None = 10_000
    workers: int = 2
    federation: tuple[str, ...] = ()
    memory_mb: int = 2048
    inprocess_ms: float = 5.0


@dataclass
class Bindings:
    """A SELECT/ASK result as rdflib terms (for pages, which show few rows).

    ``truncated`` is true when the store had more rows than its result limit allowed.
    """

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    limit: int | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


class Triples(list):
    """A CONSTRUCT/DESCRIBE result; ``truncated`` as for ``Bindings``."""

    truncated: bool = False
    limit: int | None = None


class RawResult(tuple):
    """``(kind, media_type, body)`` as the engine wrote it, plus whether rows were cut."""

    truncated: bool = False
    limit: int | None = None

    def __new__(cls, kind: str, media_type: str, body: bytes, *, truncated: bool = False,
                limit: int | None = None):
        result = super().__new__(cls, (kind, media_type, body))
        result.truncated, result.limit = truncated, limit
        return result

    @classmethod
    def of(cls, answer: Answer) -> RawResult:
        return cls(answer.kind, answer.media_type, answer.body, truncated=answer.truncated, limit=answer.limit)


def rdflib_term(term: tuple | None):
    """A plain term (``results.plain``) as an rdflib term."""
    if term is None:
        return None
    tag = term[0]
    if tag == "u":
        return URIRef(term[1])
    if tag == "b":
        return BNode(term[1])
    if tag == "l":
        _, value, datatype, lang = term
        if lang:
            return Literal(value, lang=lang)
        return Literal(value) if datatype == XSD_STRING else Literal(value, datatype=URIRef(datatype))
    return Literal(f"<< {' '.join(str(rdflib_term(t).n3()) for t in term[1:])} >>")


def bindings_from(answer: Answer) -> Bindings:
    rows = [{name: rdflib_term(value) for name, value in zip(answer.variables, row) if value is not None}
            for row in answer.rows]
    return Bindings(answer.variables, rows, truncated=answer.truncated, limit=answer.limit)


def triples_from(answer: Answer) -> Triples:
    triples = Triples(tuple(rdflib_term(t) for t in triple) for triple in answer.triples)
    triples.truncated, triples.limit = answer.truncated, answer.limit
    return triples


def protocol_dataset(sparql: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                     base_iri: str | None = None) -> dict:
    """The dataset of a protocol query: the request's graphs, else FROM, else the union."""
    spec = {"base_iri": base_iri, "default_graphs": list(default_graphs), "named_graphs": list(named_graphs)}
    spec["union"] = not (default_graphs or named_graphs) and not has_dataset_clause(sparql)
    return spec


class Store(Protocol):
    """What the catalogue needs from a triple store."""

    url: str
    writable: bool

    def select(self, sparql: str) -> Bindings:
        """Run a SELECT or ASK over the union of all graphs; terms as rdflib nodes."""

    def construct(self, sparql: str) -> Triples:
        """Run a CONSTRUCT/DESCRIBE over the union of all graphs."""

    def query_raw(self, sparql: str, *, results_type: str, graph_type: str,
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  base_iri: str | None = None) -> RawResult:
        """Run any query and serialise the result.

        ``results_type`` is the media type wanted for SELECT/ASK, ``graph_type`` for
        CONSTRUCT/DESCRIBE. Returns ``(kind, media_type, body)`` with ``truncated`` set
        when the result was cut at the store's result limit.
        """

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update atomically (write mode only)."""

    def bulk_add(self, chunks: Iterable[bytes], graph: str | None = None) -> None:
        """Add N-Quads chunks, or N-Triples chunks into ``graph``, as fast as the engine
        can; not atomic (write mode only)."""

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph (in bounded steps: it may hold millions of triples)."""

    def graphs(self) -> list[str]: ...

    def dump(self, out: IO[bytes], graph: str | None = None) -> None:
        """Write N-Quads of one graph, or of the whole store."""

    def publish(self) -> None:
        """Make what was written visible to readers (a snapshot for the embedded store)."""

    def close(self) -> None: ...


def replace_graph(store: Store, graph: str, triples, chunk: int = 400) -> None:
    """Empty ``graph``, then write ``triples`` (terms as SPARQL text) into it, ``chunk`` at a time.

    Summaries rewrite whole graphs of up to hundreds of thousands of triples. Dropping
    one in a single update makes the embedded store hold the whole deletion in one
    transaction, so ``drop_graph`` (bounded batches there) comes first; readers of the
    embedded store see only published snapshots, so never the graph half-written.

    The embedded store takes the triples as N-Triples through its bulk loader, ``BULK_TRIPLES``
    at a time: SPARQL term text (``sparql_text.iri``/``literal``) is valid N-Triples, and
    parsing 400-triple INSERT DATA updates cost more than the summaries' own sums (5.8 of a
    manifest load's 12 s of summaries on ten 10,000-line files; ``bench/README.md``). A
    remote server keeps INSERT DATA of ``chunk`` triples (Virtuoso's SQL-size limit; its
    Graph Store guesses literal types).
    """
    from catalogue.store.sparql_text import insert_data

    store.drop_graph(graph)
    if is_embedded(store):
        store.bulk_add(_ntriples(triples, BULK_TRIPLES), graph)
        return
    for update in insert_data(graph, triples, chunk):
        store.update(update)


def replace_graphs(store: Store, graphs: list[str], triples_of, chunk: int = 400) -> None:
    """``replace_graph`` for each of ``graphs`` in turn, its triples from ``triples_of(graph)``,
    asked for only once the graph before it has given all of its own.

    On the embedded store every graph is emptied first and then all are written in one bulk
    load (N-Quads), so that the engine's threads load one graph while this thread makes the
    next one's triples; a bulk load a graph waited at each graph's end for its last chunk
    (2-3 s of the ten DEV councils' summaries). Elsewhere: ``replace_graph``, graph by graph.
    """
    if not is_embedded(store):
        for graph in graphs:
            replace_graph(store, graph, triples_of(graph), chunk)
        return
    for graph in graphs:
        store.drop_graph(graph)

    def lines():
        for graph in graphs:
            term = sparql_iri(graph)
            for s, p, o in triples_of(graph):
                yield f"{s} {p} {o} {term} .\n"

    store.bulk_add(_joined(lines(), BULK_TRIPLES))


def is_embedded(store: Store) -> bool:
    """Whether ``store`` is the embedded Oxigraph (on disk or in memory), not a remote server:
    the writes and query shapes that pay differ between the two."""
    return store.url.startswith(("oxigraph:", "memory:"))


#: Triples per bulk-loaded chunk of ``replace_graph`` (about 150 bytes each: memory stays bounded).
BULK_TRIPLES = 50_000


def _ntriples(triples, size: int):
    """N-Triples chunks of at most ``size`` triples, made as they are asked for."""
    return _joined((f"{s} {p} {o} .\n" for s, p, o in triples), size)


def _joined(lines, size: int):
    """Chunks of at most ``size`` lines, encoded, made as they are asked for."""
    from itertools import islice

    while batch := "".join(islice(lines, size)):
        yield batch.encode("utf-8")


def open_store(url: str, mode: str = "read", limits: QueryLimits | None = None, *, remote=None) -> Store:
    """The store at ``url``: ``memory:``, ``oxigraph:PATH``, ``PATH`` or ``http(s)://``.

    With ``limits`` (the web tier's read stores), queries are held to them: an on-disk
    embedded store runs them in worker processes that are killed at the time limit
    (``pool.GuardedStore``); an in-memory store applies the row limit only (it cannot be
    shared with another process); a remote store passes both on to its server. A timeout
    of 0 turns the worker processes off (queries run in-process, with no time limit).
    ``remote`` (``remote_http.RemoteOptions``) says how to reach and authenticate to a
    remote store's update and graph store endpoints.
    """
    if mode not in ("read", "write"):
        raise ValueError(f"mode must be 'read' or 'write', not {mode!r}")
    if url.startswith(("http://", "https://")):
        from catalogue.store.remote import RemoteStore

        return RemoteStore(url, mode=mode, limits=limits, options=remote)
    from catalogue.store.embedded import EmbeddedStore

    result_limit = limits.result_limit if limits else None
    if url == "memory:":
        return EmbeddedStore(None, mode=mode, result_limit=result_limit)
    path = url[len("oxigraph:"):] if url.startswith("oxigraph:") else url
    if limits and limits.timeout > 0 and mode == "read":
        from catalogue.store.pool import GuardedStore

        return GuardedStore(path, limits)
    return EmbeddedStore(path, mode=mode, result_limit=result_limit)
