"""Values written into generated SPARQL stay values: IRIs and names with ``>``, ``"``,
``}``, newlines and SPARQL keywords round-trip and never become query text."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, Literal, URIRef

from catalogue.store.sparql_text import has_dataset_clause, iri, lexical, literal, term, tokens

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"
NASTY = [
    'plain', 'a "quoted" name', "it's", "back\\slash", "line\nbreak\r\nand\ttab", "} ; DROP ALL ; {",
    '" } INSERT DATA { <http://x/a> <http://x/b> "c" } #', "> ?p ?o } #", "SERVICE <http://10.0.0.1/>",
    "\\u0022 escaped-looking", "ünïcödé ✓ 𝄞", "", "NUL\x00inside", "'''", '"""',
]


@pytest.fixture
def store():
    return ox.Store()


@pytest.mark.parametrize("value", NASTY)
def test_literals_round_trip_through_the_engine(store, value):
    store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> {literal(value)} }} }}")
    rows = list(store.query(f"SELECT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(?o = {literal(value)}) }} }}"))
    assert [r["o"].value for r in rows] == [value]
    assert len(store) == 1  # nothing else was written


@pytest.mark.parametrize("value", NASTY)
def test_iris_cannot_break_out_of_their_brackets(store, value):
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o")))
    query = f"SELECT * WHERE {{ {iri(EX + value)} ?p ?o }}"
    assert list(store.query(query)) == []  # parses, and names nothing
    found = [t for t in tokens(query) if t.kind == "iri"]
    assert len(found) == 1


def test_literals_with_language_and_datatype():
    assert literal("x", lang="en-GB") == '"x"@en-GB'
    assert literal("1", datatype="http://www.w3.org/2001/XMLSchema#integer").endswith("#integer>")
    with pytest.raises(ValueError):
        literal("x", lang="en GB} ; DROP ALL")
    assert term(URIRef(EX + "a>b")) == f"<{EX}a%3Eb>"
    assert term(Literal('a"b', lang="en")) == '"a\\"b"@en'


def test_tokens_follow_the_grammar():
    query = ('PREFIX ex: <http://e/#x> SELECT * FROM <http://g> WHERE { ?s ex:p\\#q "FROM # not a comment" '
             "# FROM in a comment\n . ?s ex:q 'it''s' }")
    kinds = [(t.kind, t.text) for t in tokens(query) if t.kind in ("pname", "comment", "string", "iri")]
    assert ("pname", "ex:p\\#q") in kinds and ("comment", "# FROM in a comment") in kinds
    assert ("string", '"FROM # not a comment"') in kinds
    assert has_dataset_clause(query)
    assert not has_dataset_clause('SELECT * WHERE { ?s ?p "FROM" } # FROM <x>')


def test_no_generated_query_pastes_an_iri_raw():
    """Queries in catalogue/ write IRIs with ``sparql_text.iri`` (or prefixed names), never ``<{x}>``."""
    allowed = {
        "catalogue/store/sparql_text.py": 2,  # the helper itself (its fast path and its escaping path)
        "catalogue/vocab.py": 1,  # PREFIX lines from the ontology files
    }  # (the compiled shapes' N-Triples keys come from loaders.terms.iri: tests/test_mapping_terms.py)
    found = {}
    for path in ROOT.glob("catalogue/**/*.py"):
        count = len(re.findall(r"<\{", path.read_text(encoding="utf-8")))
        if count:
            found[str(path.relative_to(ROOT))] = count
    assert found == allowed


def test_resource_paths_cannot_inject_into_page_queries(client):
    for path in ["x> ?p ?o } #", 'x" } INSERT DATA { <a:b> <a:c> <a:d> } #', "x%3E%20%7D", "x}\n{",
                 "council/E08000035> ?p ?o . ?s ?p2"]:
        response = client.get("/doc/" + path, headers={"Accept": "text/html"})
        assert response.status_code == 404, (path, response.status_code)


@pytest.mark.parametrize("count", [0, 1, 399, 400, 401, 1001])
def test_replace_graph_drops_then_writes_every_triple_in_chunks(tmp_path, count):
    """Updates made lazily from a generator: the old graph gone, then every triple once,
    no update over the chunk (Virtuoso's limit), whatever the count's remainder; on disk,
    with the memtables flushed between updates (``FLUSH_BYTES``) and the data still there
    after reopening."""
    from catalogue.store import embedded, open_store, replace_graph
    from catalogue.store.sparql_text import insert_data

    graph = "http://example.org/summary"
    made = lambda: (("<http://example.org/s%d>" % n, "<http://example.org/p>", literal(str(n)))  # noqa: E731
                    for n in range(count))
    updates = list(insert_data(graph, made(), 400))
    assert len(updates) == -(-count // 400)
    assert all(u.startswith("INSERT DATA") and u.count(" .\n") <= 400 for u in updates)
    path = str(tmp_path / "store")
    embedded.FLUSH_BYTES, before = 10_000, embedded.FLUSH_BYTES
    try:
        with open_store(path, "write") as store:
            store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/old> <http://example.org/p> 1 }} }}")
            replace_graph(store, graph, made(), 400)
            assert store._unflushed < embedded.FLUSH_BYTES
            store.publish()
    finally:
        embedded.FLUSH_BYTES = before
    with open_store(path, "read") as store:
        rows = store.select(f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    assert {(str(r["s"]), str(r["o"])) for r in rows} == {(f"http://example.org/s{n}", str(n)) for n in range(count)}


def test_the_fast_paths_write_what_the_escaping_tables_write():
    """``iri`` and ``literal`` skip ``str.translate`` when nothing needs escaping: over every
    character that does and a spread of those that do not, the output is the table's."""
    from catalogue.store import sparql_text

    special = [chr(c) for c in range(0x21)] + list('<>"{}|^`\\\'') + ["\x7f", "é", "#", "%", "~"]
    for a in special:
        for b in ("", "x", *special[::7]):
            value = f"ab{a}c{b}"
            assert iri(value) == f"<{value.translate(sparql_text._IRI_TABLE)}>"
            assert literal(value) == f'"{value.translate(sparql_text._LITERAL_TABLE)}"'


@pytest.mark.parametrize("value", ["abc", "", 'a"b\\c\nd\re\tf', "\x01 \x7f \b \f", "Café “x” it's", "\\u0041 not a code"])
def test_lexical_reads_back_what_either_literal_writer_wrote(value):
    from loaders.terms import literal as ntriples_literal

    for written in (literal(value), literal(value, str(XSD.string)), ntriples_literal(value),
                    ntriples_literal(value, "http://example.org/type"), ntriples_literal(value, lang="en-GB")):
        assert lexical(written) == value


def test_lexical_gives_an_iri_without_brackets_and_a_blank_node_as_it_is():
    assert lexical("<https://data.example.gov.uk/id/council/E08000006>") == "https://data.example.gov.uk/id/council/E08000006"
    assert lexical("_:b0") == "_:b0"
    assert lexical('"a\\bb\\fc"') == "a\bb\fc"  # ECHAR \b and \f, which SHACL's own reading once kept as "b" and "f"
