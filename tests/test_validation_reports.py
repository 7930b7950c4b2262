"""Validation reports people can act on: table, JSON, the SHACL report in Turtle; exit codes;
--skip-invalid-rows loads the valid rows and records every row it left out."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from catalogue.cli import cli
from catalogue.ingest import load_file, validate_file
from catalogue.shacl import pyshacl_results
from loaders import KINDS
from loaders.terms import to_rdflib
from tests.conftest import BASE, DATA, OGL
from tests.golden import loader_triples

BAD_SPEND = DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv"
SV = "https://w3id.org/svcat/def#"


@pytest.fixture
def run(tmp_path):
    def invoke(*args):
        return CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), *args], catch_exceptions=False)
    return invoke


@pytest.mark.parametrize("kind,path", [
    ("spend", BAD_SPEND),
    ("outcomes", DATA / "outcomes" / "bad-area-bad-period-bad-value.csv"),
    ("framework", DATA / "framework" / "measure-without-code.csv"),
    ("contracts", DATA / "real" / "salford" / "contracts-register-2022-07.csv"),
], ids=lambda v: getattr(v, "name", v))
def test_turtle_report_is_the_shacl_report_pyshacl_gives(run, kind, path):
    result = run("validate", kind, str(path), "--publisher", "E08000009", "--format", "turtle")
    report = Graph().parse(data=result.output, format="turtle")
    (node,) = report.subjects(predicate=None, object=SH.ValidationReport)
    found = {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
              str(report.value(r, SH.value)) if report.value(r, SH.value) is not None else None,
              str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[1].lower(),
              str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1],
              str(report.value(r, SH.sourceShape))) for r in report.objects(node, SH.result)}
    triples = loader_triples(kind, path, publisher="E08000009")
    theirs = {(r.focus, r.path, r.value, r.severity, r.component, r.shape)
              for r in pyshacl_results(to_rdflib(triples), KINDS[kind].SHAPES)}
    assert found == theirs and found
    conforms = report.value(node, SH.conforms).toPython()
    assert conforms is (result.exit_code == 0)
    for r in report.objects(node, SH.result):  # every result says where it came from in the CSV
        assert report.value(r, SH.resultMessage) and report.value(r, report.namespace_manager.expand_curie("sv:rowNumber"))


def test_json_report_has_the_documented_shape(run):
    result = run("validate", "spend", str(BAD_SPEND), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) >= {"file", "kind", "valid", "loadable", "skip_invalid_rows", "fatal", "council", "dialect",
                           "encoding", "header_row", "columns", "rows", "triples", "counts", "summary", "issues",
                           "skipped", "notes", "truncated"}
    assert report["rows"] == {"preamble": 0, "header_row": 1, "read": 4, "loaded": 0, "skipped": 0, "invalid": 0,
                              "refused": 4, "with_violations": 2, "held_back": 2}  # read = loaded+skipped+refused
    assert [(s["severity"], s["kind"], s["count"]) for s in report["summary"]] == [
        ("violation", "bad-date", 1), ("violation", "bad-amount", 1), ("warning", "missing-supplier", 1)]
    first = report["issues"][0]
    assert {k: first[k] for k in ("row", "column", "value", "kind", "component", "term")} == {
        "row": 3, "column": "Date paid", "value": "31/02/2010", "kind": "bad-date",
        "component": "OrConstraintComponent", "term": '"31/02/2010"'}
    assert first["message"] and first["fix"] and first["shape"].endswith("#bad-date")


def test_problems_are_grouped_with_counts(run):
    result = run("validate", "contracts", str(DATA / "real/salford/contracts-register-2022-07.csv"),
                 "--publisher", "E08000006", "--format", "json")
    summary = {s["kind"]: s["count"] for s in json.loads(result.output)["summary"]}
    assert summary["contract-without-reference"] == 28 and summary["contract-without-supplier"] == 19
    assert result.exit_code == 0  # warnings only
    table = run("validate", "contracts", str(DATA / "real/salford/contracts-register-2022-07.csv"),
                "--publisher", "E08000006")
    assert "contract-without-reference        28" in table.output and "How to fix" in table.output


def test_exit_codes(run, tmp_path):
    good = str(DATA / "spend" / "leeds-2010-excerpt.csv")
    assert run("validate", "spend", good).exit_code == 0
    assert run("validate", "spend", str(BAD_SPEND)).exit_code == 1
    assert run("validate", "spend", str(BAD_SPEND), "--format", "turtle").exit_code == 1
    assert run("validate", "spend", str(tmp_path / "missing.csv")).exit_code == 2
    assert run("validate", "spend", good, "--publisher", "Nowhere Borough").exit_code == 2
    assert run("validate", "spend", good, "--licence", "not an iri").exit_code == 2
    assert run("validate", "spend", str(BAD_SPEND), "--skip-invalid-rows").exit_code == 0  # 2 rows would load


def test_skip_invalid_rows_loads_the_rest_and_records_every_skipped_row(memory_store):
    outcome = load_file(memory_store, "spend", BAD_SPEND, base=BASE, licence=OGL, skip_invalid=True)
    assert outcome.loaded and outcome.report.rows_loaded == 2
    assert [(i.row, i.kind) for i in outcome.report.invalid_rows] == [(3, "invalid-row"), (4, "invalid-row")]
    lines = memory_store.select(f"""
        SELECT (COUNT(?l) AS ?n) (SUM(?a) AS ?total) WHERE {{ GRAPH <{outcome.graph}> {{
          ?l <http://reference.data.gov.uk/def/payment#netAmount> [] ;
             <http://reference.data.gov.uk/def/payment#netAmount> ?a }} }}""").rows[0]
    cubes = memory_store.select(f"""
        SELECT ?cube (SUM(?t) AS ?total) (SUM(?n) AS ?lines) WHERE {{ GRAPH <{outcome.graph}> {{
          ?o <http://purl.org/linked-data/cube#dataSet> ?cube ; <{SV}spendTotal> ?t ; <{SV}lineCount> ?n }} }}
        GROUP BY ?cube""").rows
    assert int(lines["n"]) == 2 and len(cubes) == 2
    for cube in cubes:  # summaries count only the rows written
        assert (int(cube["lines"]), Decimal(str(cube["total"]))) == (2, Decimal(str(lines["total"])))
    recorded = memory_store.select(f"""
        SELECT ?row ?reason WHERE {{ GRAPH <{BASE}graph/catalogue> {{
          <{outcome.dataset}> <{SV}skippedRow> ?s ; <{SV}invalidRowCount> 2 . ?s <{SV}rowNumber> ?row ; <{SV}reason> ?reason }} }}
        ORDER BY ?row""").rows
    assert [int(r["row"]) for r in recorded] == [3, 4]
    assert "Date paid: The payment date is not a date. ('31/02/2010')" in str(recorded[0]["reason"])
    assert "Net amount: The amount is not a number. ('TBC')" in str(recorded[1]["reason"])


def test_skip_invalid_rows_refuses_a_file_with_no_valid_row(memory_store, tmp_path):
    path = tmp_path / "all-bad.csv"
    path.write_text("Date paid,Supplier name,Net amount\n31/02/2010,ACME LTD,10.00\n01/03/2010,ACME LTD,TBC\n",
                    encoding="utf-8")
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher="E08000035", licence=OGL, skip_invalid=True)
    assert not outcome.loaded and "no row is valid" in outcome.report.fatal
    assert memory_store.graphs() == []


def test_skipped_descriptions_are_written_by_a_later_valid_row(memory_store, tmp_path):
    """A supplier first named on an invalid row is still described when a valid row names it."""
    path = tmp_path / "first-row-bad.csv"
    path.write_text("Date paid,Supplier name,Net amount\n31/02/2010,ACME LTD,10.00\n01/03/2010,ACME LTD,12.00\n",
                    encoding="utf-8")
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher="E08000035", licence=OGL, skip_invalid=True)
    assert outcome.loaded
    rows = memory_store.select(f"""SELECT ?s WHERE {{ GRAPH <{outcome.graph}> {{
        ?s a <{SV}Supplier> ; <http://www.w3.org/2000/01/rdf-schema#label> "ACME LTD" }} }}""").rows
    assert len(rows) == 1


def test_validate_report_lists_what_skip_would_leave_out():
    report = validate_file("spend", BAD_SPEND, base=BASE, skip_invalid=True)
    assert report.loadable and not report.valid and report.rows_loaded == 2
    assert report.to_json()["rows"]["invalid"] == 2
