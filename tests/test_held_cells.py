"""A manifest load sums each council from the cells it has just counted, not from its cubes
read back (``Pending.held``, ``councils.figures(held=...)``): the figures and the graphs
written must be those summed from the store, to the penny, on real files."""

from __future__ import annotations

import pytest

from catalogue import iris
from catalogue.ingest.manifest import Entry, load_all
from catalogue.summaries import Pending
from catalogue.summaries import councils as council_summary
from catalogue.summaries import refresh as refresh_summaries
from tests.conftest import BASE, OGL, REAL
from tests.test_council_summary import FILES, NEW

pytestmark = pytest.mark.slow  # worker processes read the files (catalogue.ingest.spool)


@pytest.fixture(scope="module")
def loaded():
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    files = [Entry(REAL / path, "spend", gss, path) for path, gss in (*FILES, NEW)]
    pending = Pending()
    outcomes = load_all(store, files, base=BASE, licence=OGL, pending=pending, jobs=2)
    assert all(o.loaded for _, o in outcomes)
    return store, pending


def test_held_cells_give_the_figures_read_from_the_cubes(loaded):
    store, pending = loaded
    held = pending.held()
    assert len(held) == len(FILES) + 1 and all(cells and categories for cells, categories in held.values())
    for _, gss in (*FILES, NEW):
        council = iris.council(BASE, gss)
        mine = [d for d, _, c in council_summary.social_value.spend_datasets(store, BASE) if c == council]
        from_cubes = council_summary.figures(store, BASE, council)
        assert from_cubes["payees"] and from_cubes["types"] and from_cubes["areas"]
        assert council_summary.figures(store, BASE, council, held=[held[d] for d in mine]) == from_cubes


def test_a_refresh_with_held_cells_writes_what_one_from_the_cubes_writes(loaded):
    store, pending = loaded

    def graphs() -> dict:
        return {gss: sorted(map(str, store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iris.council_summary_graph(BASE, gss)}> {{ ?s ?p ?o }} }}")))
            for _, gss in (*FILES, NEW)}

    assert refresh_summaries(store, BASE, pending)  # the manifest load's one refresh: from the held cells
    held = graphs()
    council_summary.refresh(store, BASE)  # every council again, read from the cubes
    assert graphs() == held and all(held.values())


def test_a_later_load_without_category_cells_drops_the_stale_ones():
    pending = Pending().add(["d"], ["c"], {"d": [("2022-01", "p", 1, 1)]}, categories={"d": []})
    assert set(pending.held()) == {"d"}
    pending.add(["d"], ["c"], {"d": iter(())})  # a serial load's cells: a stream, no categories
    assert pending.held() == {}
