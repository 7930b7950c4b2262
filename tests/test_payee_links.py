"""A refresh of many councils reads every payee's links once (``summaries.payee_links``);
the figures must be those of the council-by-council lookups, to the last penny."""

from __future__ import annotations

import pytest

from catalogue import iris
from catalogue.linking.run import link_all
from catalogue.summaries import councils as council_summary
from catalogue.summaries.payee_links import PayeeLinks
from tests.conftest import BASE, OGL, REAL
from tests.test_council_summary import FILES


@pytest.fixture(scope="module")
def linked():
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    for path, gss in FILES:
        assert load_file(store, "spend", REAL / path, base=BASE, publisher=gss, licence=OGL).loaded
    link_all(store, BASE, licence=OGL, say=lambda _: None)
    return store


def test_shared_lookups_give_the_chunked_lookups_figures(linked):
    shared = PayeeLinks(linked)
    assert shared.orgs and shared.identified  # the store has links and identified payees to look up
    for _, gss in FILES:
        council = iris.council(BASE, gss)
        by_chunks = council_summary.figures(linked, BASE, council)
        payees = sorted(p for p, _ in by_chunks["payees"])
        chunked_links = council_summary._links(linked, payees, chunk=50)
        chunked_identified = council_summary._identified(linked, payees, chunk=50)
        in_order = sorted(chunked_links, key=lambda r: (r["payee"], r["org"]))  # figures sorts them too
        assert council_summary._links(linked, payees, shared=shared) == in_order
        assert council_summary._identified(linked, payees, shared=shared) == chunked_identified
        assert council_summary.figures(linked, BASE, council, shared=shared) == by_chunks
        assert by_chunks["organisations"]  # payees linked to organisations were summed


def test_a_refresh_of_every_council_writes_what_one_by_one_refreshes_write(linked):
    def summaries() -> dict:
        return {gss: sorted(map(str, linked.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iris.council_summary_graph(BASE, gss)}> {{ ?s ?p ?o }} }}")))
            for _, gss in FILES}

    council_summary.refresh(linked, BASE)  # every council: the shared lookups
    together = summaries()
    for _, gss in FILES:
        council_summary.refresh(linked, BASE, [iris.council(BASE, gss)])  # one: looked up by chunks
    assert summaries() == together and all(together.values())


def test_shared_classes_are_the_per_dataset_queries_classes(linked):
    """The social-value summary of many datasets takes its payees' classes from the shared
    links: for every dataset they must be those its own query finds."""
    from catalogue.summaries import social_value

    shared = PayeeLinks(linked)
    datasets = social_value.spend_datasets(linked, BASE)
    assert len(datasets) == len(FILES)
    for _, graph, _ in datasets:
        asked = social_value.payee_classes(linked, graph)
        payees = [str(r["p"]) for r in linked.select(
            f"SELECT DISTINCT ?p WHERE {{ GRAPH <{graph}> {{ ?p a <{social_value.SV.Supplier}> }} }}").rows]
        assert asked and shared.known_classes(payees) == dict(asked)
        assert social_value.UNKNOWN not in set().union(*asked.values())


def test_social_value_from_cells_is_the_same_with_shared_links(linked):
    """Observations written from a load's cells are the same whether classes come from the
    per-dataset query or from the shared links."""
    from catalogue.summaries import social_value

    cells = {}
    for dataset, graph, _ in social_value.spend_datasets(linked, BASE):
        cells[dataset] = [(str(r["month"]), str(r["payee"]), council_summary.Decimal(str(r["spend"])),
                           int(str(r["lines"]))) for r in linked.select(
            f"""SELECT ?month ?payee ?spend ?lines WHERE {{ GRAPH <{graph}> {{
                  ?obs <{social_value.QB.dataSet}> <{dataset}/summary/by-payee> ; <{social_value.SV.month}> ?month ;
                       <{social_value.SV.payeeRecord}> ?payee ; <{social_value.SV.spendTotal}> ?spend ;
                       <{social_value.SV.lineCount}> ?lines }} }}""").rows]
    graph = iris.class_summary_graph(BASE)

    def written() -> list[str]:
        return sorted(map(str, linked.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")))

    asked = social_value.refresh(linked, BASE, cells=cells)
    one_by_one = written()
    assert social_value.refresh(linked, BASE, cells=cells, links=PayeeLinks(linked)) == asked > 0
    assert written() == one_by_one
    # a serial load's cells are a stream, read once: the shared links must not use it up
    streams = {dataset: iter(rows) for dataset, rows in cells.items()}
    assert social_value.refresh(linked, BASE, cells=streams, links=PayeeLinks(linked)) == asked
    assert written() == one_by_one


def test_the_cube_across_councils_from_memory_is_the_one_from_the_cubes(linked):
    """A refresh of every council adds up what it has just summed for the cube across
    councils; it must equal the query over the councils' cubes, to the penny."""
    from catalogue.summaries import organisations

    paid = {}
    council_summary.refresh(linked, BASE)
    for council in council_summary.Plan(linked, BASE).live:
        paid[council] = council_summary.figures(linked, BASE, council)["organisations"]
    from_cubes = organisations.figures(linked)
    assert from_cubes and organisations.figures_from(paid) == from_cubes
    assert all(councils > 1 for _, councils, _, _ in from_cubes)


def test_a_full_link_hands_the_summaries_the_links_it_wrote():
    """A full link gives the refresh that follows every payee's links from memory
    (``PayeeLinks.made``): they must be what the three scans of the store find, payee for
    payee (identifiers: for every payee a cube sums)."""
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore
    from catalogue.summaries import Pending

    store = EmbeddedStore(None, mode="write")
    for path, gss in FILES:
        assert load_file(store, "spend", REAL / path, base=BASE, publisher=gss, licence=OGL).loaded
    pending = Pending()
    link_all(store, BASE, licence=OGL, say=lambda _: None, pending=pending)
    held, read = pending.links, PayeeLinks(store)
    assert held is not None and held.orgs
    assert {p: set(o) for p, o in held.orgs.items()} == {p: set(o) for p, o in read.orgs.items()}
    assert {o: c for o, c in held.classes.items() if c} == {o: c for o, c in read.classes.items() if c}
    payees = {p for _, gss in FILES for p, _ in council_summary.figures(store, BASE, iris.council(BASE, gss))["payees"]}
    assert held.identified & payees == read.identified & payees and held.identified & payees
    assert held.known_classes(payees) == read.known_classes(payees)
