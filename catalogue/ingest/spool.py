"""Many files at once: parse and validate in worker processes, write in one.

Reading, mapping and validating a file is pure Python, 30-40 µs a line, and needs no
store; writing needs the one store writer. So ``load_parallel`` hands each file to a
worker process (``prepare``), which streams it through the same ``RowStream`` a serial
load uses and *spools* the N-Triples chunks into a temporary file, returning the report
and the facts the record needs (``ingest.Streamed``). The writer (this process) takes the
results in manifest order and, for a file with no violations, bulk-loads its spool into
the fresh graph (two files' spools at once, on two threads) and switches the record
(``ingest.finish``), file after file in order: the very steps and checks a serial load
makes, so the store ends the same. Orphans of an earlier load are collected once, before
any graph is written, never while this load's fresh graphs are being written. A refused
file's rows never reach the store at all, and a crash at any point leaves at most an
unreferenced graph, collected by the next load (the crash-safety rule of ``catalogue.ingest``).

Workers come from a ``forkserver`` (not ``fork``): the writer holds the store open, with
RocksDB's threads, and a child forked from it would inherit its locks without them.
The settings the workers need (the caps) are read here and passed along, so a worker
never reads a stale environment.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from catalogue import iris
from catalogue.errors import CatalogueError
from catalogue.heap import fewer_collections
from catalogue.ingest.load import (LoadOutcome, Streamed, _drop_quietly, _new_report, collect_orphans, finish,
                              fresh_graph, open_checked)
from catalogue.records import now
from catalogue.store import Store
from catalogue.ingest.stream import RowStream
from catalogue.summaries import Pending
from loaders import FileRefused
from loaders.report import LoadReport

#: A spool up to this size is bulk-loaded in one call of the engine's loader (its own
#: threads parse and sort: 25-30% less wall time than chunk by chunk on ten 10,000-line
#: files, 24 MB of N-Triples each); a bigger one goes chunk by chunk, so that memory stays
#: bounded whatever the file's size (the engine's loader holds a call's sorted batches).
SPOOL_FILE_BYTES = 64_000_000
#: Spools bulk-loaded at once, each by one call of the engine's loader (on its own thread), while
#: this thread finishes the file before them. One call on a spool of a few MB keeps about one
#: core busy (it parses, sorts and writes in turn); two calls on two files overlap those steps:
#: twelve DEV spend files' spools loaded in 4.8-5.1 s two at a time against 6.6-6.7 s one after
#: another (bench/README.md). Each file stays its own dataset, finished in the files' order.
LOADING_AT_ONCE = 2
#: The worker processes' queue of progress ticks (set by ``_init`` in each worker).
_TICKS = None


@dataclass
class Prepared:
    """A worker's answer for one file: its report and, if it could be read, what to write."""

    report: LoadReport
    streamed: Streamed | None = None
    spool: str | None = None  # the N-Triples chunks, one after another
    sizes: list[int] = field(default_factory=list)  # each chunk's length in bytes
    seconds: float = 0.0


def default_jobs(files: int) -> int:
    """Workers for ``files`` files: one a core, never more than there are files."""
    return max(1, min(os.cpu_count() or 1, files))


class _Ticks:
    """A worker's progress bar: rows read (and files opened) go to the writer's bars."""

    def reset(self, total: int | None = None) -> None:
        if _TICKS is not None and total:
            _TICKS.put(("total", total))

    def update(self, n: int = 1) -> None:
        if _TICKS is not None and n:
            _TICKS.put(("rows", n))


def _init(ticks) -> None:
    global _TICKS
    _TICKS = ticks
    fewer_collections()


def prepare(kind: str, path: str, *, base: str, publisher: str | None, limits, spool_dir: str,
            keep: int = 1000) -> Prepared:
    """Read and validate one file, spooling what a load would write (runs in a worker)."""
    started_clock, started = time.monotonic(), now()
    path = Path(path)
    base = iris.normalise_base(base)
    report = _new_report(kind, path, keep)
    source = open_checked(kind, path, report, base=base, publisher=publisher, limits=limits)
    if source is None:
        return Prepared(report, seconds=time.monotonic() - started_clock)
    graph = fresh_graph(base, kind, source)
    stream = RowStream(source, report, graph, _Ticks(), keep_suppliers=True)
    handle, spool = tempfile.mkstemp(suffix=".nt", dir=spool_dir)
    sizes: list[int] = []
    with os.fdopen(handle, "wb") as out:
        try:
            for chunk in stream.chunks():
                out.write(chunk)
                sizes.append(len(chunk))
        except UnicodeDecodeError as exc:
            report.fatal = f"cannot decode the file: {exc}"
        except FileRefused as exc:  # a cap passed while streaming
            report.fatal = str(exc)
    if not report.loadable:
        os.unlink(spool)
        spool, sizes = None, []
    done = Streamed.of(kind, path, source, stream, graph, started, cells_as_list=True)
    return Prepared(report, done, spool, sizes, time.monotonic() - started_clock)


def spooled_chunks(spool: str, sizes: list[int]) -> Iterator[bytes]:
    """A spool's chunks as the worker wrote them (the store bulk-loads one at a time)."""
    with open(spool, "rb") as handle:
        for size in sizes:
            yield handle.read(size)


def write_spool(store: Store, prepared: Prepared) -> None:
    """Bulk-load a valid file's spool into its fresh graph (the graph dropped if that fails),
    then delete the spool."""
    done = prepared.streamed
    if prepared.spool is None or done is None:
        return
    try:
        if _whole(store, prepared):
            store.bulk_add_file(prepared.spool, done.graph)
        else:
            store.bulk_add(spooled_chunks(prepared.spool, prepared.sizes), done.graph)
    except BaseException:
        _drop_quietly(store, done.graph)
        raise
    finally:
        Path(prepared.spool).unlink(missing_ok=True)


def _whole(store: Store, prepared: Prepared) -> bool:
    """Whether the spool goes to the engine's loader in one call (small enough, embedded store)."""
    return getattr(store, "bulk_add_file", None) is not None and sum(prepared.sizes) <= SPOOL_FILE_BYTES


def apply(store: Store, prepared: Prepared, *, base: str, licence: str, pending: Pending | None,
          sources: Path | None = None, allow_shrink: bool = False, who: str | None = None) -> LoadOutcome:
    """The writer's part once the file's spool is in its fresh graph (``write_spool``): finish
    the load exactly as ``load_file`` does (record switch, or refusal)."""
    started_clock = time.monotonic() - prepared.seconds
    done, report = prepared.streamed, prepared.report
    if done is None:
        return LoadOutcome(report, seconds=prepared.seconds)
    return finish(store, report, done, base=base, licence=licence, sources=sources, pending=pending,
                  allow_shrink=allow_shrink, who=who, started_clock=started_clock)


def load_parallel(store: Store, files: list, *, jobs: int, base: str, licence: str, pending: Pending,
                  limits, sources: Path | None = None, progress: Callable | None = None,
                  done: Callable | None = None, allow_shrink: bool = False,
                  who: str | None = None) -> list[tuple[object, LoadOutcome]]:
    """Load ``files`` (``manifest.Entry``) with ``jobs`` worker processes and this one
    writing, in the files' order: up to ``LOADING_AT_ONCE`` spools bulk-loaded at once, each
    file finished (record switch or refusal) once its own spool is in. ``progress()`` gives
    a bar of rows (it hears totals and rows from every worker); ``done`` hears of each
    outcome as it comes."""
    base = iris.normalise_base(base)
    # Once, before this load writes a graph: the graphs it is writing are no one's orphans.
    collect_orphans(store, base)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["catalogue.ingest.spool"])
    ticks = context.Queue()
    bar = progress() if progress else None
    listener = threading.Thread(target=_listen, args=(ticks, bar), daemon=True)
    listener.start()
    outcomes = []
    window = 2 * jobs  # files read ahead of the writer: bounds the spool on disk
    writing: deque[tuple[object, Prepared, Future | None]] = deque()  # written or being written, not finished
    finish_args = {"base": base, "licence": licence, "pending": pending, "sources": sources,
                   "allow_shrink": allow_shrink, "who": who}

    def settle(until: int) -> None:
        """Finish the oldest files, in the files' order, while more than ``until`` wait."""
        while len(writing) > until:
            entry, prepared, loading = writing.popleft()
            if loading is not None:
                loading.result()
            outcome = apply(store, prepared, **finish_args)
            outcomes.append((entry, outcome))
            if done:
                done(entry, outcome)

    with tempfile.TemporaryDirectory(prefix="svcat-spool-") as spool_dir, \
            ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=(ticks,)) as pool, \
            ThreadPoolExecutor(LOADING_AT_ONCE, thread_name_prefix="svcat-bulk") as loaders:
        futures: list[Future] = []

        def submit_upto(n: int) -> None:
            while len(futures) < min(n, len(files)):
                entry = files[len(futures)]
                futures.append(pool.submit(prepare, entry.kind, str(entry.file), base=base,
                                           publisher=entry.publisher, limits=limits, spool_dir=spool_dir))
        try:
            for index, entry in enumerate(files):
                submit_upto(index + 1 + window)
                try:
                    prepared = futures[index].result()
                except BrokenProcessPool as exc:
                    raise CatalogueError(
                        f"the worker process reading {entry.label} stopped unexpectedly (out of memory?); the files "
                        f"before it are loaded, it and those after it are not. Load again with --jobs 1 to read "
                        "one file at a time.") from exc
                futures[index] = None  # its spool and report are the writer's now
                if prepared.spool is None:  # refused, or nothing to write: finished in its turn
                    writing.append((entry, prepared, None))
                elif _whole(store, prepared):
                    writing.append((entry, prepared, loaders.submit(write_spool, store, prepared)))
                else:  # a big spool (chunk by chunk, on the loader's own threads) or a remote store: alone
                    settle(0)
                    write_spool(store, prepared)
                    writing.append((entry, prepared, None))
                settle(LOADING_AT_ONCE - 1)
            settle(0)
        except BaseException:
            for future in futures:
                if future is not None:
                    future.cancel()
            raise
        finally:
            ticks.put(None)
            listener.join(timeout=5)
            if bar is not None:
                bar.close()
    return outcomes


def _listen(ticks, bar) -> None:
    """Feed the workers' ticks to the rows bar, until ``None``."""
    while True:
        try:
            tick = ticks.get(timeout=1)
        except queue.Empty:
            continue
        except (EOFError, OSError):
            return
        if tick is None:
            return
        if bar is None:
            continue
        what, n = tick
        if what == "total":
            bar.total = (bar.total or 0) + n
            bar.refresh()
        else:
            bar.update(n)
