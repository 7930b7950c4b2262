"""Summaries: the small RDF Data Cubes pages read instead of summing payment lines.

One module per summary, one orchestrator (``refresh``) that every step calls:

- ``cells``: a spend dataset's by-payee and by-category cubes, summed as its rows stream
  past and written in the dataset's own graph (``catalogue.ingest.stream``);
- ``social_value``: spend by social-value class per council and month;
- ``councils``: each council's spend by organisation, category and year;
- ``organisations``: each organisation's spend by council and year.

The summary work a step owes before it publishes is paid once per load and its link.
Why: the social-value summary (``social_value``) and the councils' cubes
(``councils``) must agree with the lines in every published snapshot. A load
used to refresh them and publish, and the incremental link that ``svcat load`` runs
next refreshed them again (the new payees' organisations change classes and the spend
by organisation) and published again: the same council summed twice, 15-18 s per
100,000 lines each time, and at 5,000,000 lines the second pass set the load's peak
memory. Now a load can hand its part to the link that follows (``Pending``): the link
adds its own datasets and councils, and ``refresh`` refreshes the union once and
publishes once. Readers go from the old snapshot straight to the new lines with their
links, never seeing the new lines unlinked.

``refresh`` runs at most once per ``Pending``; the CLI calls it in a ``finally`` so that a
link that fails still publishes the load it follows, with summaries that agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogue.heap import give_back
from catalogue.store import Store
from catalogue.summaries import councils, social_value
from catalogue.summaries.payee_links import PayeeLinks


@dataclass
class Pending:
    """Datasets whose social-value observations and councils whose cubes are stale.

    ``everything`` means every dataset and council (a full link). ``cells`` holds a
    loaded dataset's (month, payee, spend, lines) cells, which spare re-summing its
    cube in the store (see ``social_value.refresh``); ``categories`` its by-category
    cells, when a manifest load holds both as lists: with them a council whose every
    current dataset was just loaded is summed without reading its cubes back
    (``councils.figures``).
    """

    datasets: set[str] = field(default_factory=set)
    councils: set[str] = field(default_factory=set)
    cells: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    everything: bool = False
    settled: bool = False
    #: Every payee's links as a full link has just written them (``PayeeLinks.made``), if it has.
    links: PayeeLinks | None = None
    #: dataset -> (its graph, the supplier records' descriptions its load wrote there): a full
    #: link that follows reads those records from here, not the store (``linking.records``).
    suppliers: dict = field(default_factory=dict)

    def add(self, datasets=(), councils=(), cells: dict | None = None, everything: bool = False,
            categories: dict | None = None, suppliers: dict | None = None) -> "Pending":
        self.datasets |= set(datasets)
        self.councils |= set(councils)
        self.cells.update(cells or {})
        for dataset in cells or {}:
            self.categories.pop(dataset, None)  # a later load of the dataset without them: they are stale
        self.categories.update(categories or {})
        self.suppliers.update(suppliers or {})
        self.everything = self.everything or everything
        return self

    def held(self) -> dict[str, tuple[list, list]]:
        """dataset -> (payee cells, category cells) for the datasets whose both are lists."""
        return {d: (self.cells[d], cats) for d, cats in self.categories.items()
                if isinstance(self.cells.get(d), list)}


def refresh(store: Store, base: str, pending: Pending | None) -> bool:
    """Refresh what ``pending`` names, then publish; once. Returns whether it did anything."""
    if pending is None or pending.settled:
        return False
    pending.settled = True
    give_back()  # what the load's rows and the link freed, before the summaries' queries (catalogue.heap)
    if pending.everything or pending.datasets or pending.councils:
        datasets = None if pending.everything else sorted(pending.datasets)
        stale = None if pending.everything else \
            sorted(pending.councils | councils.spend_councils(store, base, datasets))
        plan = councils.Plan(store, base, stale)
        # Many councils: every payee's links read once serve both summaries (PayeeLinks).
        links = pending.links or (PayeeLinks(store) if plan.many else None)
        social_value.refresh(store, base, datasets, cells=pending.cells or None, links=links)
        councils.refresh(store, base, plan=plan, links=links, held=pending.held())
    store.publish()
    return True
