"""The summary work a step owes before it publishes, so that a load and its link pay it once.

Why: the social-value summary (``class_summary``) and the councils' cubes
(``council_summary``) must agree with the lines in every published snapshot. A load
used to refresh them and publish, and the incremental link that ``svcat load`` runs
next refreshed them again (the new payees' organisations change classes and the spend
by organisation) and published again: the same council summed twice, 15-18 s per
100,000 lines each time, and at 5,000,000 lines the second pass set the load's peak
memory. Now a load can hand its part to the link that follows (``Pending``): the link
adds its own datasets and councils, and ``settle`` refreshes the union once and
publishes once. Readers go from the old snapshot straight to the new lines with their
links, never seeing the new lines unlinked.

``settle`` runs at most once per ``Pending``; the CLI calls it in a ``finally`` so that a
link that fails still publishes the load it follows, with summaries that agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogue import class_summary, council_summary
from catalogue.heap import give_back
from catalogue.store import Store


@dataclass
class Pending:
    """Datasets whose social-value observations and councils whose cubes are stale.

    ``everything`` means every dataset and council (a full link). ``cells`` holds a
    loaded dataset's (month, payee, spend, lines) cells, which spare re-summing its
    cube in the store (see ``class_summary.refresh``).
    """

    datasets: set[str] = field(default_factory=set)
    councils: set[str] = field(default_factory=set)
    cells: dict = field(default_factory=dict)
    everything: bool = False
    settled: bool = False

    def add(self, datasets=(), councils=(), cells: dict | None = None, everything: bool = False) -> "Pending":
        self.datasets |= set(datasets)
        self.councils |= set(councils)
        self.cells.update(cells or {})
        self.everything = self.everything or everything
        return self


def settle(store: Store, base: str, pending: Pending | None) -> bool:
    """Refresh what ``pending`` names, then publish; once. Returns whether it did anything."""
    if pending is None or pending.settled:
        return False
    pending.settled = True
    give_back()  # what the load's rows and the link freed, before the summaries' queries (catalogue.heap)
    if pending.everything:
        class_summary.refresh(store, base, cells=pending.cells or None)
        council_summary.refresh(store, base)
    elif pending.datasets or pending.councils:
        datasets = sorted(pending.datasets)
        class_summary.refresh(store, base, datasets, cells=pending.cells or None)
        councils = pending.councils | council_summary.spend_councils(store, base, datasets)
        council_summary.refresh(store, base, sorted(councils))
    store.publish()
    return True
