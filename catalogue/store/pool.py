"""Queries with a time limit that really stops them: a small pool of worker processes.

``GuardedStore`` is the embedded on-disk store as the web tier sees it. Every query
(from ``/sparql`` and from pages) goes to a ``catalogue.store.worker`` process (but one a
worker has proven cheap on this snapshot, ``catalogue.store.cheap``); the
caller waits at most ``limits.timeout`` seconds, and a query may hold at most
``limits.memory_mb`` of memory (its worker's resident set, looked at five times a
second while it runs). When a query outlives its time or memory, the worker
is killed (SIGKILL: Oxigraph cannot be interrupted any other way), its CPU is freed
at once, a fresh worker is started in its place, and the caller gets ``QueryTimeout``
(503). Other workers, and the queries after, are not affected.

Each web process (gunicorn worker) owns its own pool of ``limits.workers`` processes,
started on first use; each of its threads (``gunicorn.conf.py``: two) uses one at a
time, and the others take over at once while a killed one is replaced. Results are capped at
``limits.result_limit`` rows inside the worker, so a huge result never crosses the
pipe; the answer says when it was cut.

A query whose client went away is stopped too: the web layer sets ``CLIENT_GONE`` for
each request (a callable that looks at the client's socket), and the wait for the
worker's reply asks it five times a second; when it says yes, the worker is killed and
replaced as on a timeout, so no CPU is spent on an answer nobody will read.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar

from catalogue import errors
from catalogue.errors import CatalogueError, ClientGone, QueryTimeout, QueryTooLarge, ReadOnlyStore, StoreUnavailable
from catalogue.store import (
    BOOLEAN, GRAPH, UNION, Bindings, QueryLimits, RawResult, Triples, bindings_from, protocol_dataset,
    triples_from,
)
from catalogue.store import worker as wire
from catalogue.store.cheap import CheapQueries
from catalogue.store.results import Answer
from catalogue.store.snapshots import Layout

log = logging.getLogger(__name__)

#: The worker's own deadline, past the parent's: it only matters if the parent died.
HARD_LIMIT_FACTOR, HARD_LIMIT_GRACE = 1.5, 5.0
#: How long a new worker may take to open the store before it counts as failed.
START_TIMEOUT = 60.0
#: Exit statuses of a worker that the engine itself brought down (stack overflow, abort).
ENGINE_CRASHES = (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS, -signal.SIGILL)


class _Timeout(Exception):
    pass


class _Died(Exception):
    pass


class _TooBig(Exception):
    pass


class _Gone(Exception):
    pass


#: For the request being served: a callable that says whether its client has gone away.
CLIENT_GONE: ContextVar[Callable[[], bool] | None] = ContextVar("svcat_client_gone", default=None)


PAGE = os.sysconf("SC_PAGE_SIZE")
#: How often a running query's memory is looked at.
WATCH_INTERVAL = 0.2


class QueryWorker:
    """One worker process and its pipes."""

    def __init__(self, path: str, *, sandbox: bool, memory_limit: int = 0):
        self.memory_limit = memory_limit  # bytes of resident memory; 0 for none
        args = [sys.executable, "-m", "catalogue.store.worker", path] + (["--sandbox"] if sandbox else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
                                     start_new_session=True)
        self.pid = self.proc.pid
        self.ready = False
        self.sandboxed = False
        self._pending = bytearray()  # reply bytes read from the pipe but not yet used

    def _read(self, size: int, deadline: float) -> bytes:
        """``size`` bytes of the reply, waiting at most until ``deadline``.

        Reads whatever the pipe holds (up to 1 MB) at once into ``_pending``: a small
        reply, header and body, comes in one read after one wait.
        """
        fd = self.proc.stdout.fileno()
        while len(self._pending) < size:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise _Timeout()
            if not select.select([fd], [], [], min(wait, WATCH_INTERVAL))[0]:
                if self.memory_limit and self.resident() > self.memory_limit:
                    raise _TooBig()
                gone = CLIENT_GONE.get()
                if gone is not None and gone():
                    raise _Gone()
                continue
            chunk = os.read(fd, max(size - len(self._pending), 1 << 20))
            if not chunk:
                raise _Died()
            self._pending += chunk
        data, self._pending = bytes(self._pending[:size]), self._pending[size:]
        return data

    def receive(self, deadline: float):
        import pickle

        size = wire.HEADER.unpack(self._read(wire.HEADER.size, deadline))[0]
        return pickle.loads(self._read(size, deadline))

    def start(self, deadline: float) -> None:
        """Wait for the greeting sent once the worker has opened the store."""
        if not self.ready:
            tag, info = self.receive(deadline)
            self.ready, self.sandboxed = tag == "ready", bool(info.get("sandboxed"))

    def call(self, request: dict, deadline: float):
        try:
            wire.send(self.proc.stdin.fileno(), request)
        except (BrokenPipeError, OSError) as exc:
            raise _Died() from exc
        return self.receive(deadline)

    def resident(self) -> int:
        """Bytes of memory the worker holds now (its resident set)."""
        try:
            with open(f"/proc/{self.pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def kill(self) -> None:
        """SIGKILL the worker (and anything it started) and reap it."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.proc.wait()

    def alive(self) -> bool:
        return self.proc.poll() is None


class QueryPool:
    """At most ``size`` workers for one web process; a killed worker is replaced at once."""

    def __init__(self, path: str, size: int, *, sandbox: bool, memory_limit: int = 0):
        self.path, self.size, self.sandbox, self.memory_limit = path, max(1, size), sandbox, memory_limit
        self._idle: list[QueryWorker] = []
        self._count = 0
        self._cond = threading.Condition()
        self.killed = 0

    def _checkout(self, deadline: float) -> QueryWorker:
        with self._cond:
            while True:
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        return worker
                    self._count -= 1
                    worker.kill()
                if self._count < self.size:
                    self._count += 1
                    break
                wait = deadline - time.monotonic()
                if wait <= 0:
                    raise StoreUnavailable("every query worker is busy; try again in a moment")
                self._cond.wait(wait)
        try:
            return QueryWorker(self.path, sandbox=self.sandbox, memory_limit=self.memory_limit)
        except OSError as exc:
            self._release_slot()
            raise StoreUnavailable(f"cannot start a query worker: {exc}") from exc

    def _release_slot(self) -> None:
        with self._cond:
            self._count -= 1
            self._cond.notify()

    def _checkin(self, worker: QueryWorker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def _replace(self, worker: QueryWorker) -> None:
        """Kill ``worker`` and start its successor now, so the next query need not wait."""
        worker.kill()
        self.killed += 1
        try:
            fresh = QueryWorker(self.path, sandbox=self.sandbox, memory_limit=self.memory_limit)
        except OSError:
            self._release_slot()
            return
        self._checkin(fresh)

    def run(self, request: dict, timeout: float):
        deadline = time.monotonic() + timeout
        worker = self._checkout(deadline)
        request = dict(request, hard_limit=timeout * HARD_LIMIT_FACTOR + HARD_LIMIT_GRACE)
        try:
            worker.start(time.monotonic() + START_TIMEOUT)
        except (_Timeout, _Died, ValueError, EOFError) as exc:
            self._release_slot()
            worker.kill()
            raise StoreUnavailable(f"a query worker could not open the store ({type(exc).__name__})") from None
        try:
            reply = worker.call(request, time.monotonic() + timeout)
        except _Timeout:
            self._replace(worker)
            raise QueryTimeout(
                f"the query was stopped after {timeout:g} s (SVCAT_QUERY_TIMEOUT); narrow it down "
                "(fewer unbound patterns, a LIMIT) or ask the summary cubes instead of raw lines") from None
        except _TooBig:
            self._replace(worker)
            raise QueryTooLarge(
                f"the query was stopped when it held more than {self.memory_limit >> 20} MB of memory "
                "(SVCAT_QUERY_MEMORY_MB); narrow it down or aggregate the summary cubes") from None
        except _Gone:
            self._replace(worker)
            raise ClientGone("the client went away; its query was stopped") from None
        except _Died:
            code = worker.proc.wait()
            self._replace(worker)
            log.warning("query worker %s died (exit status %s) on a query", worker.pid, code)
            if code in ENGINE_CRASHES:
                raise errors.BadQuery("the query engine crashed on this query (nested or chained too "
                                      "deeply?); simplify it") from None
            raise StoreUnavailable("the query worker stopped unexpectedly (the query may need more "
                                   "memory than the machine has); it has been replaced") from None
        except BaseException:
            self._replace(worker)
            raise
        self._checkin(worker)
        if reply[0] == "error":
            _, name, message = reply
            if name == "CatalogueError":
                log.error("query worker failed: %s", message)
                raise CatalogueError("the query failed on our side; it has been logged")
            raise getattr(errors, name, CatalogueError)(message)
        return reply[1]

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._idle]

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.kill()


class GuardedStore:
    """The embedded on-disk store, read-only, every query held to ``limits``."""

    writable = False

    def __init__(self, path: str, limits: QueryLimits):
        self.path, self.limits = path, limits
        self.url = f"oxigraph:{path}"
        self.pool = QueryPool(path, limits.workers, sandbox=not limits.federation,
                              memory_limit=limits.memory_mb << 20)
        self.cheap = CheapQueries(limits.inprocess_ms / 1000)
        self.layout = Layout(path)
        self._local = None
        self._opening = threading.Lock()

    def _answer(self, sparql: str, dataset: dict, **types) -> Answer:
        """A query worker's answer, or the web process's own for a query proven cheap (``cheap``)."""
        key = self.cheap.key(sparql, dataset, types)
        stamp = self.layout.current_stamp()
        if self.cheap.known(key, stamp):
            return self._reader().answer(sparql, dataset, limit=self.limits.result_limit, **types)
        request = {"op": "answer", "sparql": sparql, "dataset": dataset, "limit": self.limits.result_limit,
                   "federation": self.limits.federation, **types}
        started = time.monotonic()
        answer = self.pool.run(request, self.limits.timeout)
        self.cheap.learn(key, stamp, time.monotonic() - started, answer, self.layout.current_stamp())
        return answer

    def select(self, sparql: str) -> Bindings:
        answer = self._answer(sparql, UNION)
        if answer.kind == BOOLEAN:
            return Bindings([], [], answer.boolean)
        if answer.kind == GRAPH:
            raise errors.BadQuery("expected a SELECT or ASK query")
        return bindings_from(answer)

    def construct(self, sparql: str) -> Triples:
        answer = self._answer(sparql, UNION)
        if answer.kind != GRAPH:
            raise errors.BadQuery("expected a CONSTRUCT or DESCRIBE query")
        return triples_from(answer)

    def query_raw(self, sparql: str, *, results_type: str, graph_type: str,
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  base_iri: str | None = None) -> RawResult:
        dataset = protocol_dataset(sparql, default_graphs, named_graphs, base_iri)
        return RawResult.of(self._answer(sparql, dataset, results_type=results_type, graph_type=graph_type))

    def _reader(self):
        """An in-process read view, for what needs no time limit (listing graphs, dumps)."""
        with self._opening:
            if self._local is None:
                from catalogue.store.embedded import EmbeddedStore

                self._local = EmbeddedStore(self.path, mode="read")
        return self._local

    def graphs(self) -> list[str]:
        return self._reader().graphs()

    def version(self) -> tuple[str, float] | None:
        """The published snapshot readers see (for HTTP validators), without a query."""
        from catalogue.store.snapshots import published_version

        return published_version(self.layout)

    def triple_count(self, graph: str | None = None) -> int:
        return self._reader().triple_count(graph)

    def dump(self, out, graph: str | None = None) -> None:
        self._reader().dump(out, graph)

    def update(self, sparql: str) -> None:
        raise ReadOnlyStore("this store was opened for reading")

    bulk_add = drop_graph = publish = update

    def close(self) -> None:
        self.pool.close()
        if self._local is not None:
            self._local.close()
            self._local = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
