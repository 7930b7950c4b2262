"""A full link with nothing changed since the last one stops at once (``link_all``): the
same dataset versions, decisions and linking code give the same links. ``force`` re-links,
and a new dataset version is a change."""

from __future__ import annotations

from catalogue.ingest import load_file
from catalogue.linking.records import linkset_graph
from catalogue.linking.run import link_all
from catalogue.store import open_store
from tests.conftest import BASE, DATA

OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
FILES = (DATA / "spend" / "leeds-2010-excerpt.csv", "E08000035")


def test_nothing_changed_nothing_relinked(tmp_path):
    with open_store(str(tmp_path / "store"), "write") as store:
        assert load_file(store, "spend", FILES[0], base=BASE, publisher=FILES[1], licence=OGL).loaded
        first = link_all(store, BASE, licence=OGL)
        assert first.mode == "full" and first.organisations > 0
        graph = linkset_graph(store, BASE)
        again = link_all(store, BASE, licence=OGL)
        assert again.mode == "unchanged" and again.graph == graph == linkset_graph(store, BASE)
        forced = link_all(store, BASE, licence=OGL, force=True)
        assert forced.mode == "full" and forced.organisations == first.organisations
        assert load_file(store, "spend", FILES[0], base=BASE, publisher=FILES[1], licence=OGL).loaded  # a new version
        assert link_all(store, BASE, licence=OGL).mode == "full"
        assert link_all(store, BASE, licence=OGL).mode == "unchanged"
