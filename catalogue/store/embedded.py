"""The embedded store: Oxigraph (pyoxigraph) on disk, or in memory for tests.

Write mode opens ``primary/`` read-write under an exclusive ``flock`` (one writer at a
time, across processes: the CLI and the upload API queue behind each other) and
publishes snapshots; read mode serves the current snapshot read-only and follows
``CURRENT`` (see ``snapshots``). In memory there is one store and publishing is a no-op.

Bulk writes go through Oxigraph's bulk loader in two threads: it releases the GIL, so
two chunks load in parallel while Python maps the next rows.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from catalogue.errors import BadQuery, ReadOnlyStore, StoreUnavailable
from catalogue.heap import give_back
from catalogue.store import (
    BINDINGS, BOOLEAN, GRAPH, UNION, Bindings, RawResult, Triples, bindings_from, protocol_dataset, triples_from,
)
from catalogue.store import snapshots as snap
from catalogue.store.bulk import load_chunks
from catalogue.store.results import Answer, capped_answer
from catalogue.store.sparql_text import iri as sparql_iri

DROP_BATCH = 50_000
#: SPARQL Update text written between flushes of RocksDB's memtables (on disk). Each
#: triple of an INSERT DATA lands in about nine column families' memtables, which
#: RocksDB lets grow to 64 MB each before it flushes them itself: a council summary
#: written in thousands of small updates took a link from 570 MB to 1.1 GB that way.
FLUSH_BYTES = 8_000_000

class EmbeddedStore:
    writable: bool

    def __init__(self, path: str | None, *, mode: str = "read", result_limit: int | None = None):
        self.mode = mode
        self.result_limit = result_limit
        self.writable = mode == "write"
        self.path = path
        self._lock_fd: int | None = None
        self._hold_fd: int | None = None
        self._stamp = None
        self._local = threading.Lock()
        self._writes, self._written_at = 0, time.time()
        self._unflushed = 0
        if path is None:
            self.url = "memory:"
            self.layout = None
            self._store = ox.Store()
            return
        self.url = f"oxigraph:{path}"
        self.layout = snap.Layout(path)
        try:
            self.layout.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the store folder {path}: {exc}") from exc
        if self.writable:
            self._open_writer()
        else:
            self._store = None
            self._refresh()

    # ------------------------------------------------------------ opening

    def _open_writer(self) -> None:
        self._lock_fd = os.open(self.layout.write_lock, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)  # waits for any other writer
        try:
            self._store = ox.Store(str(self.layout.primary))
        except OSError as exc:
            self._unlock()
            raise StoreUnavailable(f"cannot open the store at {self.path}: {exc}") from exc
        if self.layout.current() is None:
            self.publish()

    def _refresh(self) -> None:
        """Reopen the current snapshot if a writer has published a new one."""
        stamp = self.layout.current_stamp()
        if stamp == self._stamp and self._store is not None:
            return
        with self._local:
            stamp = self.layout.current_stamp()
            if stamp == self._stamp and self._store is not None:
                return
            current = self.layout.current()
            if current is None:
                # Nothing published yet: an empty store (a writer creates the first snapshot).
                self._store, self._stamp = ox.Store(), stamp
                return
            fd = snap.hold(current)
            try:
                store = ox.Store.read_only(str(current))
            except OSError as exc:
                snap.release(fd)
                raise StoreUnavailable(f"cannot open snapshot {current}: {exc}") from exc
            old_fd, self._hold_fd = self._hold_fd, fd
            self._store, self._stamp = store, stamp
            snap.release(old_fd)

    def _reader(self) -> ox.Store:
        if self.layout is not None and not self.writable:
            self._refresh()
        return self._store

    def _writer(self) -> ox.Store:
        if not self.writable:
            raise ReadOnlyStore("this store was opened for reading")
        return self._store

    # ------------------------------------------------------------ queries

    def answer(self, sparql: str, dataset: dict = UNION, *, limit: int | None = None,
               results_type: str | None = None, graph_type: str | None = None) -> Answer:
        """Run a query and read at most ``limit`` rows of it (see ``results.capped_answer``).

        Every engine error, raised when the query is parsed or while its rows are read,
        becomes a catalogue error: the query's fault is a ``BadQuery`` (400), the store's
        a ``StoreUnavailable`` (503).
        """
        try:
            result = self._reader().query(sparql, **engine_dataset(dataset))
            return capped_answer(result, limit, results_type=results_type, graph_type=graph_type, sparql=sparql)
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"store error: {exc}") from exc
        except (RuntimeError, ValueError, TypeError, OverflowError, MemoryError) as exc:
            raise BadQuery(f"the query could not be evaluated: {exc}") from exc
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":  # pyo3's, a BaseException
                raise
            raise BadQuery(f"the query engine failed on this query: {exc}") from exc

    def select(self, sparql: str) -> Bindings:
        answer = self.answer(sparql, UNION, limit=self.result_limit)
        if answer.kind == BOOLEAN:
            return Bindings([], [], answer.boolean)
        if answer.kind != BINDINGS:
            raise BadQuery("expected a SELECT or ASK query")
        return bindings_from(answer)

    def construct(self, sparql: str) -> Triples:
        answer = self.answer(sparql, UNION, limit=self.result_limit)
        if answer.kind != GRAPH:
            raise BadQuery("expected a CONSTRUCT or DESCRIBE query")
        return triples_from(answer)

    def query_raw(self, sparql: str, *, results_type: str, graph_type: str,
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  base_iri: str | None = None) -> RawResult:
        dataset = protocol_dataset(sparql, default_graphs, named_graphs, base_iri)
        answer = self.answer(sparql, dataset, limit=self.result_limit, results_type=results_type,
                             graph_type=graph_type)
        return RawResult.of(answer)

    def version(self) -> tuple[str, float] | None:
        """What readers see now, for HTTP validators: (an opaque tag, when it was published).

        On disk that is the current snapshot (its name starts with its publish time in
        ns); in memory, a count of the writes made so far.
        """
        if self.layout is None:
            return f"memory-{id(self)}-{self._writes}", self._written_at
        return snap.published_version(self.layout)

    def _wrote(self) -> None:
        self._writes += 1
        self._written_at = time.time()

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._reader().named_graphs() if isinstance(g, ox.NamedNode))

    def triple_count(self, graph: str | None = None) -> int:
        where = f"GRAPH {sparql_iri(graph)} {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows
        return int(rows[0]["n"]) if rows else 0

    def dump(self, out: IO[bytes], graph: str | None = None) -> None:
        store = self._reader()
        if graph:
            _dump_graph(store, out, graph)
        else:
            store.dump(out, format=ox.RdfFormat.N_QUADS)

    # ------------------------------------------------------------ writes

    def update(self, sparql: str) -> None:
        self._wrote()
        try:
            store = self._writer()
            store.update(sparql)
            self._unflushed += len(sparql)
            if self.layout is not None and self._unflushed >= FLUSH_BYTES:
                store.flush()  # memory stays flat over thousands of updates (see FLUSH_BYTES)
                self._unflushed = 0
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL Update syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreUnavailable(f"store error: {exc}") from exc

    def bulk_add(self, chunks: Iterable[bytes], graph: str | None = None) -> None:
        """Bulk-load N-Quads chunks, or N-Triples chunks into ``graph``.

        On disk: ``bulk.load_chunks`` (Oxigraph's bulk loader on two threads, chunks joined
        into calls of ``bulk.BULK_CALL_BYTES``, while the caller's thread maps the next rows).
        """
        store = self._writer()
        self._wrote()
        fmt = ox.RdfFormat.N_TRIPLES if graph else ox.RdfFormat.N_QUADS
        target = {"to_graph": ox.NamedNode(graph)} if graph else {}
        if self.layout is None:
            for chunk in chunks:
                store.load(chunk, format=fmt, **target)
            return
        load_chunks(store, chunks, fmt, target)

    def bulk_add_file(self, path: str, graph: str) -> None:
        """Bulk-load an N-Triples file into ``graph`` in one call of Oxigraph's loader, which
        parses and sorts on its own threads (a spooled manifest file: 25-30% less wall time
        than chunks through ``bulk_add``, bench/README.md). Its memory grows with the file:
        callers keep to ``SPOOL_FILE_BYTES``."""
        store = self._writer()
        self._wrote()
        target = {"format": ox.RdfFormat.N_TRIPLES, "to_graph": ox.NamedNode(graph)}
        if self.layout is None:
            store.load(path=path, **target)
            return
        try:
            store.bulk_load(path=path, lenient=True, **target)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreUnavailable(f"bulk load of {path} failed: {exc}") from exc
        give_back(collect=False)

    def drop_graph(self, graph: str) -> None:
        """Remove a graph in bounded transactions, flushing between them.

        Oxigraph's own ``remove_graph`` deletes in one transaction whose memory grows
        with the graph (1.9 GB for a 100,000-line file), so big graphs go ``DROP_BATCH``
        quads at a time, with RocksDB's memtables flushed after each batch so that
        memory stays flat. Deleting is about twice as slow as bulk loading.
        """
        store = self._writer()
        self._wrote()
        node = ox.NamedNode(graph)
        if not store.contains_named_graph(node):
            return
        if self.layout is not None:
            batch = (f"DELETE {{ GRAPH {node} {{ ?s ?p ?o }} }} WHERE {{ {{ SELECT ?s ?p ?o "
                     f"WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }} LIMIT {DROP_BATCH} }} }}")
            probe = f"ASK {{ GRAPH {node} {{ ?s ?p ?o }} }}"
            while store.query(probe):
                store.update(batch)
                store.flush()
        store.remove_graph(node)

    def publish(self) -> None:
        """Flush, snapshot the primary and point readers at the snapshot."""
        if self.layout is None:
            return
        store = self._writer()
        store.flush()
        name = snap.new_snapshot_name()
        self.layout.snapshots.mkdir(exist_ok=True)
        store.backup(str(self.layout.snapshots / name))
        snap.point_current(self.layout, name)
        snap.collect(self.layout)

    def optimize(self) -> None:
        self._writer().optimize()

    # ------------------------------------------------------------ closing

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def close(self) -> None:
        if self.writable and self._store is not None and self.layout is not None:
            self._store.flush()
        self._store = None
        snap.release(self._hold_fd)
        self._hold_fd = None
        self._unlock()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def engine_dataset(spec: dict) -> dict:
    """A plain dataset spec (``store.protocol_dataset``) as pyoxigraph query arguments."""
    dataset: dict = {"base_iri": spec.get("base_iri")}
    if spec.get("default_graphs") or spec.get("named_graphs"):
        dataset["default_graph"] = [ox.NamedNode(g) for g in spec.get("default_graphs") or ()] \
            or ox.DefaultGraph()
        dataset["named_graphs"] = [ox.NamedNode(g) for g in spec.get("named_graphs") or ()]
    elif spec.get("union", False):
        dataset["use_default_graph_as_union"] = True
    return dataset


def _dump_graph(store: ox.Store, out: IO[bytes], graph: str) -> None:
    """N-Quads of one named graph, written by the engine's own serializer.

    Oxigraph writes the graph as N-Triples in blocks (``_GraphSuffix`` appends the graph
    name to each line on the way through): minutes faster than formatting quad by quad
    in Python (2.9M quads took 16 minutes that way), and memory stays a block.
    """
    suffix = _GraphSuffix(out, graph)
    store.dump(suffix, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    suffix.finish()


class _GraphSuffix:
    """A binary writer that turns N-Triples into N-Quads of one graph.

    A line of N-Triples ends with `` .\n`` and nowhere else (a literal's line breaks are
    escaped), so each complete line gets `` <graph> .\n``; a line cut between two
    writes waits for its end.
    """

    def __init__(self, out: IO[bytes], graph: str):
        self.out, self.end, self.tail = out, f" {ox.NamedNode(graph)} .\n".encode(), b""

    def write(self, data) -> int:
        block = self.tail + bytes(data)
        cut = block.rfind(b"\n") + 1
        self.tail = block[cut:]
        if cut:
            self.out.write(block[:cut].replace(b" .\n", self.end))
        return len(data)

    def flush(self) -> None:
        """Called by the engine; complete lines are already written."""

    def finish(self) -> None:
        if self.tail:
            raise StoreUnavailable("the engine's N-Triples dump ended in the middle of a line")


def store_size(path: str | Path) -> int:
    """Bytes on disk under a store folder (primary only)."""
    total = 0
    for root, _, files in os.walk(Path(path) / "primary"):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total
