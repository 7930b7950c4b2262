"""A load, then its link, then the one summary refresh and publish: what ``svcat load`` runs.

Why one function: the order matters and is easy to get wrong. The load leaves its summary
work ``Pending``; the link that follows adds its own (new payees change organisations'
classes and spend); one refresh then settles both and publishes once, so readers go from
the old snapshot straight to the new lines with their links. A link that fails still
publishes the load it follows (the refresh runs in ``finally``). After an official
register loads, every organisation's class and place may change, so the link is a full one.
The incremental link gives the organisations a full link would (``linking.incremental``); when
the links were a full link's before the load and the load added a dataset (not a new version
of one, whose dropped records only a full link unlinks), it is stamped as one
(``exact``), so a ``svcat link`` after loads has nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalogue.ingest.load import LoadOutcome, load_file
from catalogue.kinds import REGISTER_KINDS
from catalogue.linking.incremental import link_new
from catalogue.linking.run import link_all, unchanged
from catalogue.store import Store
from catalogue.summaries import Pending
from catalogue.summaries import refresh as refresh_summaries


@dataclass
class Loaded:
    outcome: LoadOutcome
    link: object | None  # the link's outcome (linking.run / linking.incremental), None if none ran


def load_and_link(store: Store, kind: str, path: str | Path, *, base: str, licence: str, link_licence: str,
                  link: bool = True, say=None, **options) -> Loaded:
    """``load_file`` (``licence`` and ``options`` are the dataset's), then, if it loaded and
    ``link``, the link (``link_licence``: the linkset's licence, the service's own)."""
    pending = Pending() if link else None
    outcome = linked = None
    exact = link and unchanged(store, base)
    try:
        outcome = load_file(store, kind, path, base=base, licence=licence, pending=pending, **options)
        if outcome.loaded and pending is not None:
            linked = link_after(store, base, licence=link_licence, full=kind in REGISTER_KINDS, say=say,
                                pending=pending, exact=exact and not outcome.replaced_graph,
                                datasets=[outcome.dataset])
    finally:
        if outcome is not None and outcome.loaded:
            refresh_summaries(store, base, pending)
    return Loaded(outcome, linked)


def link_after(store: Store, base: str, *, licence: str, full: bool, say=None, pending: Pending | None = None,
               exact: bool = False, datasets=()):
    """The link that follows loads, adding its summary work to ``pending``: incremental, or
    full when an official register was among them (every organisation's class and place
    may change). ``exact``: the links were a full link's before the loads, which only
    added datasets (the incremental link is then stamped as a full one). ``datasets``: the
    datasets loaded, whose records the incremental link re-links even if already linked."""
    if full:
        return link_all(store, base, licence=licence, say=say or (lambda *_: None), pending=pending)
    return link_new(store, base, licence=licence, say=say or (lambda *_: None), pending=pending, exact=exact,
                    datasets=datasets)
