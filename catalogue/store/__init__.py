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

from rdflib.term import Node

__all__ = ["Store", "Bindings", "open_store", "BINDINGS", "BOOLEAN", "GRAPH"]

BINDINGS, BOOLEAN, GRAPH = "bindings", "boolean", "graph"


@dataclass
class Bindings:
    """A SELECT/ASK result as rdflib terms (for pages, which show few rows)."""

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


class Store(Protocol):
    """What the catalogue needs from a triple store."""

    url: str
    writable: bool

    def select(self, sparql: str) -> Bindings:
        """Run a SELECT or ASK over the union of all graphs; terms as rdflib nodes."""

    def construct(self, sparql: str) -> list[tuple[Node, Node, Node]]:
        """Run a CONSTRUCT/DESCRIBE over the union of all graphs."""

    def query_raw(self, sparql: str, *, results_type: str, graph_type: str,
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  base_iri: str | None = None) -> tuple[str, str, bytes]:
        """Run any query; the engine serialises the result.

        ``results_type`` is the media type wanted for SELECT/ASK, ``graph_type`` for
        CONSTRUCT/DESCRIBE. Returns ``(kind, media_type, body)``.
        """

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update atomically (write mode only)."""

    def bulk_add(self, chunks: Iterable[bytes]) -> None:
        """Add N-Quads chunks as fast as the engine can; not atomic (write mode only)."""

    def drop_graph(self, graph: str) -> None: ...

    def graphs(self) -> list[str]: ...

    def dump(self, out: IO[bytes], graph: str | None = None) -> None:
        """Write N-Quads of one graph, or of the whole store."""

    def publish(self) -> None:
        """Make what was written visible to readers (a snapshot for the embedded store)."""

    def close(self) -> None: ...


def open_store(url: str, mode: str = "read") -> Store:
    """The store at ``url``: ``memory:``, ``oxigraph:PATH``, ``PATH`` or ``http(s)://``."""
    if mode not in ("read", "write"):
        raise ValueError(f"mode must be 'read' or 'write', not {mode!r}")
    if url.startswith(("http://", "https://")):
        from catalogue.store.remote import RemoteStore

        return RemoteStore(url, mode=mode)
    from catalogue.store.embedded import EmbeddedStore

    if url == "memory:":
        return EmbeddedStore(None, mode=mode)
    path = url[len("oxigraph:"):] if url.startswith("oxigraph:") else url
    return EmbeddedStore(path, mode=mode)
