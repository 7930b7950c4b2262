"""Dialect detection and overrides, each on a sample file named after its defect."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from catalogue.cli import cli
from catalogue.ingest import validate_file
from loaders import open_source
from loaders.mapping import DialectError, user_dialect
from tests.conftest import BASE, DATA
from tests.golden import loader_graph

D = DATA / "dialects"
LEEDS = {"publisher": "E08000035"}
PAY = "http://reference.data.gov.uk/def/payment#"
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def lines(graph) -> set[str]:
    return {str(s).rsplit("/", 1)[-1] for s in graph.subjects(URIRef(PAY + "netAmount"), None)}


def test_header_after_preamble_lines_is_found():
    report = validate_file("spend", D / "preamble-lines.csv", base=BASE, **LEEDS)
    assert report.valid and report.header_row == 5 and report.rows_loaded == 2
    assert [(n.kind, n.row, n.value) for n in report.notes] == [("preamble", 1, "Leeds City Council")]
    assert lines(loader_graph("spend", D / "preamble-lines.csv", **LEEDS)) == {"6", "7"}


def test_duplicate_header_names_read_the_first_and_say_so():
    report = validate_file("spend", D / "duplicate-header-names.csv", base=BASE, **LEEDS)
    assert [(n.kind, n.column) for n in report.notes] == [
        ("duplicate-header", "Supplier name"), ("duplicate-header", "Procurement Classification")]
    assert "only column 2 is read" in report.notes[0].message
    labels = {str(o) for o in loader_graph("spend", D / "duplicate-header-names.csv", **LEEDS).objects(None, RDFS_LABEL)}
    assert "A & A ELECTRICAL DISTRIBUTORS LTD" in labels and "AAED" not in labels


def test_unnamed_columns_with_values_and_spacer_columns_are_reported():
    report = validate_file("spend", D / "unnamed-column-and-spacer-column.csv", base=BASE, **LEEDS)
    assert report.valid
    assert [(n.kind, n.row, n.column, n.value) for n in report.notes] == [
        ("spacer-column", 1, "(column 3)", None), ("unnamed-column", 3, "(column 5)", "checked by JB")]


def test_ragged_rows_warn_with_the_extra_cells():
    report = validate_file("spend", D / "ragged-rows.csv", base=BASE, **LEEDS)
    assert report.flatten(["row", "kind", "value", "severity"]) == [
        [4, "missing-supplier", None, "warning"],  # a short row: its missing cells are just empty
        [3, "ragged-row", "A & SONS", "warning"],  # one warning for the file, naming the first rows
    ]
    assert "1 row(s) have more cells than the 4 the header names (rows 3; row 3 has 5)" in report.issues[1].message
    assert report.valid and report.rows_loaded == 3


def test_a_problem_on_many_rows_is_one_warning_with_a_count(tmp_path):
    path = tmp_path / "trailing-cells.csv"
    rows = [f"2{i:02d}/12/2013,ACME LTD,{i}.00,T{i},extra {i}" for i in range(1, 29)]
    path.write_text("Date paid,Supplier name,Net amount,Transaction number\n" + "\n".join(
        r.replace("2", "", 1) if r.startswith("2") else r for r in rows) + "\n", encoding="utf-8")
    report = validate_file("spend", path, base=BASE, **LEEDS)
    ragged = [i for i in report.issues if i.kind == "ragged-row"]
    assert len(ragged) == 1 and ragged[0].row == 2 and ragged[0].value == "extra 1"
    assert ragged[0].message.startswith("28 row(s) have more cells") and "rows 2, 3, 4, 5, 6, ..." in ragged[0].message


def test_rows_read_add_up_and_a_spend_file_without_payment_rows_is_refused(tmp_path):
    report = validate_file("spend", D / "preamble-lines.csv", base=BASE, **LEEDS)
    rows = report.to_json()["rows"]
    assert (rows["preamble"], rows["header_row"], rows["read"], rows["loaded"]) == (3, 5, 2, 2)
    assert rows["read"] == rows["loaded"] + rows["skipped"] + rows["refused"]
    path = tmp_path / "header-only.csv"
    path.write_text("Date paid,Supplier name,Net amount\n,,\n,Total,0.00\n", encoding="utf-8")
    empty = validate_file("spend", path, base=BASE, **LEEDS)
    assert not empty.valid and "followed by no spend rows (2 rows read, all skipped)" in empty.fatal


def test_quoted_line_breaks_keep_record_numbers():
    graph = loader_graph("spend", D / "quoted-line-breaks.csv", **LEEDS)
    assert lines(graph) == {"2", "3"}  # RFC 7111 counts records, not physical lines
    assert Literal("A & A ELECTRICAL\r\nDISTRIBUTORS LTD") in set(graph.objects(None, RDFS_LABEL))
    assert Literal("Cable,\nand conduit") in set(graph.objects(None, URIRef(PAY + "narrative")))


def test_bare_cr_line_endings_are_records():
    source = open_source("spend", D / "bare-cr-line-endings.csv", base=BASE, **LEEDS)
    assert source.info.newline == "CR"
    assert lines(loader_graph("spend", D / "bare-cr-line-endings.csv", **LEEDS)) == {"2", "3"}


def test_null_markers_are_not_values():
    graph = loader_graph("spend", D / "null-markers.csv", **LEEDS)
    text = graph.serialize(format="nt")
    for marker in ("#N/A", '"NA"', '"Nil"', "Not yet available"):
        assert marker not in text
    assert '"S123"' in text and '"GB-COH-01234567"' in text
    assert validate_file("spend", D / "null-markers.csv", base=BASE, **LEEDS).warnings == 0


def test_columns_with_unknown_titles_are_recognised_by_content_and_the_report_says_why():
    report = validate_file("spend", D / "unrecognised-headers.csv", base=BASE, **LEEDS)
    assert report.valid and report.rows_loaded == 2
    assert report.columns == {"date": "When", "supplier_name": "Who", "net_amount": "How much"}
    notes = {n.column: n for n in report.notes if n.kind == "column-recognised"}
    assert "recognised by its content (100% money" in notes["How much"].message
    assert "--mapping" in notes["How much"].fix


def test_a_file_without_an_amount_is_refused_with_what_each_column_looked_like():
    report = validate_file("spend", D / "no-amount-column.csv", base=BASE, **LEEDS)
    assert not report.valid
    assert "no column for net_amount" in report.fatal
    assert "'Net Amount'" in report.fatal  # what we would have recognised
    assert "Headers seen: 'When', 'Who', 'Notes'" in report.fatal and "--mapping" in report.fatal
    assert "column 1 'When': 100% dates" in report.fatal and "column 3 'Notes': 100% text" in report.fatal


def test_a_csvw_mapping_reads_an_unknown_dialect():
    mapping = D / "unrecognised-headers-metadata.json"
    report = validate_file("spend", D / "unrecognised-headers.csv", base=BASE, mapping=str(mapping), **LEEDS)
    assert report.valid and report.rows_loaded == 2
    assert report.columns == {"date": "When", "supplier_name": "Who", "net_amount": "How much"}
    graph = loader_graph("spend", D / "unrecognised-headers.csv", mapping=str(mapping), **LEEDS)
    assert {str(o) for o in graph.objects(None, URIRef(PAY + "netAmount"))} == {"1616.23", "780.80"}


def test_a_mapping_says_what_it_cannot_resolve(tmp_path):
    def mapping(columns):
        path = tmp_path / "m.json"
        path.write_text(json.dumps({"tableSchema": {"columns": columns}}), encoding="utf-8")
        return path
    with pytest.raises(DialectError, match="not a property spend files are read into"):
        user_dialect("spend", mapping([{"titles": "X", "propertyUrl": "dcterms:title"}]))
    with pytest.raises(DialectError, match="neither a propertyUrl nor a name"):
        user_dialect("spend", mapping([{"titles": "X"}]))
    with pytest.raises(DialectError, match="feeds several fields"):
        user_dialect("spend", mapping([{"titles": "X", "propertyUrl": "org:identifier"}]))
    named = user_dialect("spend", mapping([{"titles": "X", "name": "charity_number", "propertyUrl": "org:identifier"}]))
    assert named.columns[0].name == "charity_number"


def test_inspect_describes_a_file_without_loading_it(tmp_path):
    runner = CliRunner()
    store = tmp_path / "store"
    result = runner.invoke(cli, ["--store", str(store), "inspect", str(D / "preamble-lines.csv"), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert (found["kind"], found["header_row"], found["preamble_rows"]) == ("spend", 5, [1, 2, 3])
    assert [c["field"] for c in found["columns"]] == ["date", "supplier_name", "net_amount", "transaction"]
    assert found["sample"][0] == {"row": 6, "values": {
        "date": "24/12/2013", "supplier_name": "A & A ELECTRICAL DISTRIBUTORS LTD", "net_amount": "1616.23",
        "transaction": "1312-00001"}}
    assert not store.exists()  # nothing was loaded, not even a store created
    table = runner.invoke(cli, ["inspect", str(DATA / "real/trafford/prompt_payment.csv")])
    assert table.exit_code == 0 and "kind outcomes" in table.output and "E08000009 Trafford Council" in table.output
    unknown = runner.invoke(cli, ["inspect", str(D / "no-amount-column.csv")])
    assert unknown.exit_code == 1 and "Headers seen: 'When', 'Who', 'Notes'" in unknown.output
