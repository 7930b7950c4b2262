"""Our SELECT writers (needed for the row cap) say exactly what the engine's would."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from catalogue.store.results import WRITERS, capped_answer

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def store():
    store = ox.Store()
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    values = [
        ox.Literal("plain"), ox.Literal('quote " comma , newline \n tab \t cr \r', language="en-GB"),
        ox.Literal("12.50", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("<script>&amp;</script>"),
        ox.Literal("ünïcödé ✓ 𝄞"), ox.NamedNode(EX + "o?a=1&b=<2>".replace("<", "%3C").replace(">", "%3E")),
        ox.BlankNode("b1"), ox.Literal(""), ox.Literal("back\\slash"),
    ]
    for value in values:
        store.add(ox.Quad(s, p, value, ox.NamedNode(EX + "g")))
    store.add(ox.Quad(ox.BlankNode("b1"), p, ox.Literal("from a blank node"), ox.NamedNode(EX + "g")))
    return store


QUERIES = [
    "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o",
    "SELECT ?s ?unbound ?o WHERE { ?s ?p ?o OPTIONAL { ?o ?p ?unbound } } ORDER BY ?o",
    "SELECT * WHERE { ?s ?p ?o FILTER(false) }",
    "SELECT ?x WHERE { BIND(<<( <http://example.org/a> <http://example.org/b> 1 )>> AS ?x) }",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("fmt", [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.TSV])
def test_writers_read_back_as_the_engine_writes(store, query, fmt):
    try:
        engine = store.query(query, use_default_graph_as_union=True).serialize(format=fmt)
    except SyntaxError:
        pytest.fail("the engine refused the query")
    ours = capped_answer(store.query(query, use_default_graph_as_union=True), None,
                         results_type=fmt.media_type).body
    assert _rows(ours, fmt) == _rows(engine, fmt)


@pytest.mark.parametrize("query", QUERIES[:3])
def test_csv_is_byte_for_byte_the_engines(store, query):
    fmt = ox.QueryResultsFormat.CSV
    engine = store.query(query, use_default_graph_as_union=True).serialize(format=fmt)
    ours = capped_answer(store.query(query, use_default_graph_as_union=True), None, results_type=fmt.media_type)
    assert ours.body == engine


def test_the_cap_reads_no_more_than_it_needs(store):
    answer = capped_answer(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"), 3,
                           results_type=ox.QueryResultsFormat.JSON.media_type)
    assert answer.truncated and len(_rows(answer.body, ox.QueryResultsFormat.JSON)) == 3
    exact = capped_answer(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"), 10)
    assert not exact.truncated and len(exact.rows) == 10


def test_every_results_format_has_a_writer():
    assert set(WRITERS) == {f.media_type for f in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                                                   ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)}


def _rows(body: bytes, fmt) -> list:
    results = ox.parse_query_results(body, format=fmt)
    names = [v.value for v in results.variables]
    return [tuple(str(solution[n]) if solution[n] is not None else None for n in names) for solution in results]
