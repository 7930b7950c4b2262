"""Run an analysis query for a page, once per data version (``conditional.cached``)."""

from __future__ import annotations

from catalogue.analysis import Query, Result, run
from catalogue.web import get_store
from catalogue.web.conditional import cached


def fetch(query: Query) -> Result:
    return cached(query.text, lambda: run(get_store(), query))
