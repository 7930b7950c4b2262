"""Chunks of N-Triples or N-Quads into the embedded store through Oxigraph's bulk loader.

``LOADER_THREADS`` threads each run the bulk loader on one piece at a time (it releases
the GIL) while the caller's thread makes the next: reading, mapping and writing overlap.
The queue holds one piece, so memory stays bounded by a few pieces (loading, waiting,
being built) whatever the size of what is written.

Consecutive chunks are joined into pieces of ``BULK_CALL_BYTES`` first. Why: each call of
the loader ingests its own sorted files into RocksDB's level 0, where hashed keys overlap
all the others, and past four such files RocksDB rewrites level 1 whole. A link that wrote
its 570,000 organisation triples in 23 calls and summaries that wrote theirs in 10 kept the
compaction threads busy: 14 of a DEV manifest load's 37 writer CPU seconds, and the final
publish waited for them (RocksDB holds a flush while level 0 is full). Joined: 10 s, and
the load 11% shorter (bench/README.md).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from catalogue.errors import StoreUnavailable
from catalogue.heap import give_back

LOADER_THREADS = 2
#: Bytes of consecutive chunks joined into one call of the bulk loader.
BULK_CALL_BYTES = 16_000_000


def joined(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """Consecutive chunks (whole lines each) joined into pieces of at least ``size`` bytes."""
    held: list[bytes] = []
    count = 0
    for chunk in chunks:
        held.append(chunk)
        count += len(chunk)
        if count >= size:
            yield b"".join(held)
            held, count = [], 0
    if held:
        yield b"".join(held)


def load_chunks(store: ox.Store, chunks: Iterable[bytes], fmt: ox.RdfFormat, target: dict) -> None:
    """Bulk-load ``chunks`` (``target``: ``to_graph`` for triples); the loader's failure is
    raised as ``StoreUnavailable``, the producer's own exception as it was."""
    work: queue.Queue = queue.Queue(maxsize=1)
    errors: list[BaseException] = []

    def loader():
        while (piece := work.get()) is not None:
            if not errors:
                try:
                    store.bulk_load(piece, format=fmt, lenient=True, **target)
                except BaseException as exc:  # surfaced to the producer below
                    errors.append(exc)
    threads = [threading.Thread(target=loader, daemon=True) for _ in range(LOADER_THREADS)]
    for thread in threads:
        thread.start()
    try:
        for piece in joined(chunks, BULK_CALL_BYTES):
            if errors:
                break
            work.put(piece)
    finally:
        for _ in threads:
            work.put(None)
        for thread in threads:
            thread.join()
        give_back(collect=False)  # the loader threads' freed batches (catalogue.heap)
    if errors:
        raise StoreUnavailable(f"bulk load failed: {errors[0]}") from errors[0]
