"""The ``svcat`` command: exit codes, reports, help for every command."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from tests.conftest import DATA

BAD = str(DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv")
GOOD = str(DATA / "spend" / "leeds-2010-excerpt.csv")


@pytest.fixture
def run(tmp_path):
    store = str(tmp_path / "store")

    def invoke(*args):
        return CliRunner().invoke(cli, ["--store", store, *args], catch_exceptions=False)
    return invoke


def test_load_valid_file_exits_0_and_says_where(run):
    result = run("load", "spend", GOOD)
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "id/dataset/E08000035/spend/leeds-2010-excerpt" in result.output


def test_load_refused_file_exits_1_with_rows_and_columns(run):
    result = run("load", "spend", BAD)
    assert result.exit_code == 1
    assert "REFUSED" in result.output
    for expected in ("Date paid", "'31/02/2010'", "Net amount", "'TBC'", "Supplier name", "How to fix"):
        assert expected in result.output


def test_refused_load_in_json_names_its_dataset_and_loads_no_rows(run):
    result = run("load", "spend", BAD, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["loaded"] is False and report["replaced"] is False
    assert report["dataset"].endswith("/id/dataset/E08000035/spend/bad-date-bad-amount-missing-supplier")
    assert report["rows"]["read"] == 4 and report["rows"]["loaded"] == 0


def test_validate_json_report_has_the_documented_shape(run):
    result = run("validate", "spend", BAD, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) >= {"file", "kind", "valid", "rows", "counts", "summary", "issues", "skipped", "columns"}
    assert report["counts"] == {"violations": 2, "warnings": 1}
    assert report["issues"][0]["row"] == 3 and report["issues"][0]["column"] == "Date paid"


def test_usage_and_io_errors_exit_2(run, tmp_path):
    assert run("load", "spend", str(tmp_path / "missing.csv")).exit_code == 2
    assert run("load", "nonsense", GOOD).exit_code == 2


def test_unknown_publisher_is_a_usage_error_with_a_hint(run):
    result = CliRunner().invoke(cli, ["validate", "spend", GOOD, "--publisher", "Leeds Citty Council"])
    assert result.exit_code == 2 and "Did you mean: Leeds City Council" in result.output


def test_export_writes_gzipped_n_quads(run, tmp_path):
    assert run("load", "spend", GOOD).exit_code == 0
    out = tmp_path / "dump.nq.gz"
    assert run("export", "-o", str(out)).exit_code == 0
    text = gzip.decompress(out.read_bytes()).decode()
    assert "payment#netAmount" in text and text.count("\n") > 100


def test_query_prints_results(run):
    run("load", "spend", GOOD)
    result = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://reference.data.gov.uk/def/payment#netAmount> [] }")
    assert result.exit_code == 0 and result.output.split() == ["n", "5"]


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_optimize_compacts_and_republishes_the_same_quads(run, tmp_path):
    assert run("load", "spend", GOOD).exit_code == 0
    assert run("load", "spend", GOOD).exit_code == 0  # a reload leaves superseded entries
    before, after = tmp_path / "before.nq.gz", tmp_path / "after.nq.gz"
    assert run("export", "-o", str(before)).exit_code == 0
    result = run("optimize")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Optimized ") and " MB -> " in result.output
    assert run("export", "-o", str(after)).exit_code == 0  # read from the newly published snapshot
    lines = [sorted(gzip.decompress(p.read_bytes()).decode().splitlines()) for p in (before, after)]
    assert lines[0] == lines[1] and len(lines[0]) > 100


def test_optimize_refuses_a_store_it_cannot_compact():
    result = CliRunner().invoke(cli, ["--store", "memory:", "optimize"])
    assert result.exit_code == 2 and "only an on-disk embedded store" in result.output


def test_query_format_json_prints_sparql_json_not_a_traceback(run):
    """Issue 21 slip: ``svcat query --format json`` raised AttributeError."""
    assert run("load", "spend", GOOD, "--no-link", "-q").exit_code == 0
    result = run("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?t } }", "--format", "json")
    assert result.exit_code == 0, result.output
    assert int(json.loads(result.output)["results"]["bindings"][0]["n"]["value"]) > 0
    graph = run("query", "CONSTRUCT { ?s a ?t } WHERE { GRAPH ?g { ?s a ?t } } LIMIT 3", "--format", "json")
    assert graph.exit_code == 0 and json.loads(graph.output)  # JSON-LD for a graph
    bad = run("query", "SELECT * WHERE { ?s ?p ?o }", "--format", "yaml")
    assert bad.exit_code == 2 and "--format 'yaml'" in bad.output
