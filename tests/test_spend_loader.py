"""The spend loader on small real excerpts and on files named after their defect."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from catalogue.ingest import load_file, validate_file
from loaders import RowEvent, SkipEvent, open_source
from tests.conftest import BASE, DATA, OGL
from tests.golden import loader_graph as golden_graph

SPEND = DATA / "spend"


def loader_graph(path, **options) -> Graph:
    return golden_graph("spend", path, **options)


def test_leeds_excerpt_matches_golden_graph():
    got = loader_graph(SPEND / "leeds-2010-excerpt.csv")
    want = Graph().parse(SPEND / "leeds-2010-excerpt.ttl")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        raise AssertionError("graphs differ:\nonly in loader output:\n"
                             + only_got.serialize(format="nt") + "\nonly in golden file:\n"
                             + only_want.serialize(format="nt"))


def test_same_input_gives_same_iris():
    first = loader_graph(SPEND / "leeds-2010-excerpt.csv")
    second = loader_graph(SPEND / "leeds-2010-excerpt.csv")
    assert set(first) == set(second)


def test_council_recognised_from_the_body_uri():
    source = open_source("spend", SPEND / "leeds-2010-excerpt.csv", base=BASE)
    assert source.council.gss == "E08000035"


def test_blank_and_all_empty_rows_are_skipped_with_row_numbers():
    source = open_source("spend", SPEND / "leeds-2010-excerpt.csv", base=BASE)
    skipped = [(e.row, e.reason) for e in source.events() if isinstance(e, SkipEvent)]
    assert skipped == [(7, "blank row"), (8, "all cells empty")]


def test_defective_file_is_refused_naming_rows_and_columns():
    report = validate_file("spend", SPEND / "bad-date-bad-amount-missing-supplier.csv", base=BASE)
    assert not report.valid
    assert report.flatten(["row", "column", "value", "kind", "severity"]) == [
        [3, "Date paid", "31/02/2010", "bad-date", "violation"],
        [4, "Net amount", "TBC", "bad-amount", "violation"],
        [5, "Supplier name", None, "missing-supplier", "warning"],
    ]
    assert report.violations == 2 and report.warnings == 1
    assert all(issue.fix for issue in report.issues)


def test_refused_file_leaves_the_store_unchanged(memory_store):
    good = load_file(memory_store, "spend", SPEND / "leeds-2010-excerpt.csv", base=BASE, licence=OGL)
    assert good.loaded
    before = sorted(map(str, memory_store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")))
    graphs_before = memory_store.graphs()
    bad = load_file(memory_store, "spend", SPEND / "bad-date-bad-amount-missing-supplier.csv", base=BASE,
                    licence=OGL)
    assert not bad.loaded
    after = sorted(map(str, memory_store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")))
    assert memory_store.graphs() == graphs_before
    assert after == before


def test_unknown_council_asks_for_publisher(tmp_path):
    path = tmp_path / "no-body.csv"
    path.write_text("Payment Date,Amount,Supplier Name\n01/04/2022,12.50,ACME LTD\n", encoding="utf-8")
    report = validate_file("spend", path, base=BASE)
    assert not report.valid and "--publisher" in report.fatal
    assert validate_file("spend", path, base=BASE, publisher="E08000035").valid


def test_unrecognised_dialect_names_missing_fields_and_headers(tmp_path):
    path = tmp_path / "no-amount-column.csv"
    path.write_text("When,Who,What\n01/04/2022,ACME LTD,paper and ink\n", encoding="utf-8")
    report = validate_file("spend", path, base=BASE, publisher="E08000035")
    assert not report.valid
    assert "net_amount" in report.fatal and "'What'" in report.fatal
    assert "column 3 'What': 100% text" in report.fatal  # what each column looked like


def test_redacted_payees_are_redactions_not_suppliers():
    graph = loader_graph(DATA / "real" / "salford" / "2022-06.csv", publisher="E08000006")
    rows = list(graph.query("""
        PREFIX pay: <http://reference.data.gov.uk/def/payment#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX sv: <https://w3id.org/svcat/def#>
        SELECT ?kind (COUNT(*) AS ?n) WHERE {
          ?line pay:payee ?payee . ?payee a ?kind ; rdfs:label ?label
          FILTER(CONTAINS(LCASE(?label), "redacted")) } GROUP BY ?kind"""))
    kinds = {str(k).rsplit("#", 1)[1]: int(n) for k, n in rows}
    assert kinds.get("Redaction", 0) > 0 and "Supplier" not in kinds


def test_cp1252_file_is_read_with_its_pound_signs_and_accents():
    source = open_source("spend", DATA / "real" / "harrogate" / "2015-04.csv", base=BASE, publisher="E07000165")
    assert source.info.encoding == "cp1252"
    rows = [e for e in source.events() if isinstance(e, RowEvent)]
    assert len(rows) == 2168
