"""Queries proven cheap on the published snapshot: answered in the web process, no worker hop.

Why: every query goes to a query worker process so that one outliving its time or memory
limit can be killed (``catalogue.store.pool``). For a query that takes the engine a few
tens of microseconds, that hop (pickling, a pipe each way, waking a process whose caches
have gone cold) cost more CPU than the query itself: about 0.25 ms a request of the 0.8
ms our ``/sparql`` spent on a simple query (bench/README.md, issue 22).

The rule: a query (its text, dataset and wanted formats) runs in the web process only
after a query worker has answered it, under every limit, on the same published snapshot,
within ``inprocess_ms`` milliseconds counted round trip included, with a small answer, and
only if it names no ``SERVICE`` (the workers run without network; the web process has
one). Oxigraph on a read-only snapshot does the same work for the same query each time,
so such a query cannot come near the time or memory limit (5 ms against 30 s by default).
A newly published snapshot forgets every proof; a query never seen, or seen slow, goes
to a worker as before. ``SVCAT_QUERY_INPROCESS_MS=0`` sends every query to a worker.
"""

from __future__ import annotations

import threading

#: Largest answer (bytes of serialised body, or rows and triples at ~100 bytes each) that
#: may be proven cheap: small answers only, so the web process never holds a big one.
CHEAP_BYTES = 256 << 10
#: Proofs kept at most per snapshot (query texts are short; 2,048 of them is a few MB).
KNOWN_MAX = 2048


def answer_size(answer) -> int:
    return len(answer.body) + 100 * (len(answer.rows) + len(answer.triples))


class CheapQueries:
    """The queries proven cheap on the current snapshot (one set per web process)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._stamp = None
        self._known: set = set()
        self._lock = threading.Lock()

    @staticmethod
    def key(sparql: str, dataset: dict, types: dict) -> tuple | None:
        """What identifies a query's work; None for one that may never run in-process."""
        if "SERVICE" in sparql.upper():
            return None
        return (sparql, dataset.get("base_iri"), bool(dataset.get("union")), tuple(dataset.get("default_graphs") or ()),
                tuple(dataset.get("named_graphs") or ()), types.get("results_type"), types.get("graph_type"))

    def known(self, key: tuple | None, stamp) -> bool:
        return key is not None and self.seconds > 0 and stamp == self._stamp and key in self._known

    def learn(self, key: tuple | None, stamp, seconds: float, answer, stamp_after) -> None:
        """Remember ``key`` as cheap when a worker answered it quickly, small, on one snapshot."""
        if key is None or seconds > self.seconds or stamp is None or stamp != stamp_after:
            return
        if answer_size(answer) > CHEAP_BYTES:
            return
        with self._lock:
            if stamp != self._stamp:
                self._known, self._stamp = set(), stamp
            if len(self._known) >= KNOWN_MAX:
                self._known.clear()
            self._known.add(key)
