"""A header written across two rows: a spreadsheet with merged cells, saved as CSV.

A finance team's workbook often groups its titles: *Supplier* over *Name* and *Number*,
*Payment* over *Date*, *Amount* over *Net* and *Irrecoverable VAT*. Saved as CSV, the
group title stands in the first column of its group and the cells to its right are
blank. Each repository file (every kind) is rewritten so, two ways: each title cut at its
first space (the first word above the rest), and the same with the first word written
once per run of titles that share it (a merged cell). Every file must load with the
fields, rows and triples of its original, the report saying the header spans two rows.
Before, the second title row was read as a payment ("Date" as its date) and the whole
file was refused for it.
"""

from __future__ import annotations

import pytest

from catalogue.ingest import validate_file
from loaders import open_source
from loaders.title_rows import join_titles
from tests.conftest import BASE, REAL, manifest
from tests.golden import loader_triples
from tests.table_shapes import header_over_two_rows
from tests.variants import csv_text

FILES = [e for e in manifest(REAL) if e["kind"] in ("spend", "contracts", "grants", "outcomes")]


def shifted(triples, by: int) -> set:
    """The triples with each source row (``#row=N``) and line (``/line/N``) moved down ``by`` rows."""
    import re

    bump = re.compile(r"(#row=|/line/)(\d+)>")
    return {tuple(bump.sub(lambda m: f"{m[1]}{int(m[2]) + by}>", term) for term in triple) for triple in triples}


@pytest.mark.slow
@pytest.mark.parametrize("merged", [False, True], ids=["cut", "merged"])
@pytest.mark.parametrize("entry", FILES, ids=lambda e: e["path"])
def test_a_header_over_two_rows_gives_the_original(entry, merged, tmp_path):
    path, row = header_over_two_rows(entry, tmp_path, merged)
    original = validate_file(entry["kind"], entry["file"], base=BASE, publisher=entry["gss_code"])
    report = validate_file(entry["kind"], path, base=BASE, publisher=entry["gss_code"])
    assert report.violations == original.violations
    assert report.rows_loaded == original.rows_loaded > 0
    assert set(report.columns) == set(original.columns)
    assert report.header_row == original.header_row + 1
    (note,) = [n for n in report.notes if n.kind == "header-two-rows"]
    assert f"rows {row} and {row + 1}" in note.message


def test_a_spend_file_with_merged_titles_gives_the_original_triples(tmp_path):
    entry = next(e for e in FILES if e["path"] == "calderdale/2022-08.csv")
    path, _ = header_over_two_rows(entry, tmp_path, merged=True)
    want = shifted(loader_triples("spend", entry["file"], publisher=entry["gss_code"]), 1)
    got = set(loader_triples("spend", path, publisher=entry["gss_code"]))
    assert len(want) > 10_000
    assert got == want, (sorted(want - got)[:5], sorted(got - want)[:5])


def test_a_title_line_above_a_two_row_header_stays_the_preamble(tmp_path):
    entry = next(e for e in FILES if e["path"] == "calderdale/2022-08.csv")
    path, row = header_over_two_rows(entry, tmp_path, merged=True)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("Spend over £500 - August 2022\r\n\r\n" + "".join(lines), encoding="utf-8")
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    assert report.valid and report.header_row == row + 3
    notes = {n.kind: n for n in report.notes}
    assert notes["preamble"].value == "Spend over £500 - August 2022"
    assert f"rows {row + 2} and {row + 3}" in notes["header-two-rows"].message


def test_a_supplier_lists_first_names_are_never_titles(tmp_path):
    rows = [["Supplier Name", "Post Code"]] + [[f"Alpha Services {n} Limited", "LS1 4AP"] for n in range(40)]
    path = tmp_path / "suppliers.csv"
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    source = open_source("suppliers", path, base=BASE, publisher="E08000035")
    assert source.table.header_row == 1 and source.table.joined_row is None


@pytest.mark.parametrize(("top", "bottom", "merged", "joined"), [
    (["Supplier", "", "Payment"], ["Name", "Number", "Date"], True, ["Supplier Name", "Supplier Number", "Payment Date"]),
    (["Supplier", "", "Payment"], ["Name", "Number", "Date"], False, ["Supplier Name", "Number", "Payment Date"]),
    (["Amount", "", "Purpose"], ["Net", "VAT", ""], True, ["Amount Net", "Amount VAT", "Purpose"]),
    (["Date"], ["", "Extra"], True, ["Date", "Date Extra"]),
])
def test_titles_are_joined_column_by_column(top, bottom, merged, joined):
    assert join_titles(top, bottom, merged) == joined


@pytest.mark.parametrize("merged", [False, True], ids=["cut", "merged"])
def test_a_header_over_two_rows_repeated_part_way_down_is_skipped(merged, tmp_path):
    """Two months' extracts joined one after the other, each with its header over two rows:
    both title rows of the second are the header again (skipped, listed), not payments."""
    entry = next(e for e in FILES if e["path"] == "calderdale/2022-08.csv")
    path, row = header_over_two_rows(entry, tmp_path, merged)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    titles, body = lines[row - 1:row + 1], lines[row + 1:]
    joined = tmp_path / "calderdale-two-months.csv"
    joined.write_text("".join(lines + titles + body), encoding="utf-8", newline="")
    original = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    report = validate_file("spend", joined, base=BASE, publisher=entry["gss_code"])
    assert report.valid and report.rows_loaded == 2 * original.rows_loaded > 1000, report.to_json()
    again = [s.row for s in report.skipped if "header row again" in s.message]
    assert again == [len(lines) + 1, len(lines) + 2]
