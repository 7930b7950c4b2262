"""Give freed memory back to the operating system between the big steps of a load.

Why: glibc keeps memory a thread frees in that thread's own arena. The bulk loader's
threads free their sorted batches when the rows are written, and then the main thread's
link and summaries allocate afresh in the main arena, so a 5,000,000-line load's peak was
the rows' leftovers plus the summaries' working memory. ``malloc_trim(0)`` hands the free
pages of every arena back (glibc 2.8 and later), so the next step starts from what is
really in use. Measured after a 100,000-line load: 367 MB resident before, 196 MB after.
Elsewhere than glibc (musl, macOS) it does nothing.

And collect cyclic garbage seldom during batch work (``fewer_collections``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache


@lru_cache(maxsize=1)
def _trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def give_back(collect: bool = True) -> None:
    """Collect Python's garbage (unless not ``collect``), then return every arena's free
    pages to the system.

    ``collect=False`` where what was freed is native memory (the bulk loader's batches) or
    Python objects without cycles, freed as they go: a full collection costs 0.1-0.2 s on
    a loaded writer's heap, and a manifest load of ten files paid it 21 times (3 s).
    """
    if collect:
        gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)


def prepare() -> None:
    """Look ``malloc_trim`` up now, on this thread. Finding libc runs ``ldconfig``, a child
    process, and under gevent only the main thread may start one: ``/publish`` calls this
    before it hands a load to a native thread (``catalogue.web.publish.off_the_loop``)."""
    _trim()


#: ``gc.set_threshold`` for batch work: a young collection every 100,000 container
#: allocations (Python's default: 700), an old one far more rarely.
BATCH_THRESHOLDS = (100_000, 50, 1000)


def fewer_collections() -> None:
    """Let Python's cyclic collector run seldom in this process (a load, a link, a worker).

    Why: the objects a load, a link and the summaries make are freed by their reference
    counts as they go; the collector only rescans them. With the default thresholds a DEV
    manifest load spent 2.9 of its 31 s in 2,680 automatic collections, 15 of them full
    scans of a heap of millions of objects; with these, 0.4 s (mostly the explicit
    collections of ``give_back``, which still collect the cycles where memory matters),
    and the same peak memory (bench/README.md).
    """
    gc.set_threshold(*BATCH_THRESHOLDS)
