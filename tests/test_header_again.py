"""A header row repeated part way down: files joined one after another, reports exported page
by page.

Each repository spend file is rewritten with its header again, after a blank line, half way
down (two monthly extracts joined), and again every 500 rows (a paged export): every payment
still loads, and each repeated header is a skipped row the report lists with its reason and
row. Before, the repeated header was read as a payment whose date was "Date" and amount
"Amount", and the whole file was refused for it.
"""

from __future__ import annotations

import csv

import pytest

from catalogue.ingest import validate_file
from loaders import HEADER_AGAIN, open_source
from tests.conftest import BASE, REAL, manifest
from tests.variants import csv_text

SPEND = manifest(REAL, "spend")


def records_of(entry: dict) -> tuple[list[list[str]], int]:
    source = open_source("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
    with open(entry["file"], encoding=source.info.encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=source.info.delimiter)), source.table.header_row


def skipped_for_the_header(report) -> list[int]:
    return [issue.row for issue in report.skipped if issue.message.endswith(HEADER_AGAIN)]


@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_a_header_repeated_half_way_down_is_skipped_and_every_payment_loads(entry, tmp_path):
    records, header_row = records_of(entry)
    original = validate_file("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
    middle = header_row + (len(records) - header_row) // 2
    joined = records[:middle] + [[], records[header_row - 1]] + records[middle:]
    path = tmp_path / entry["file"].name
    path.write_text(csv_text(joined), encoding="utf-8", newline="")
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    assert report.violations == original.violations == 0
    assert report.rows_loaded == original.rows_loaded > 1000
    assert skipped_for_the_header(report) == [middle + 2]


def test_a_header_on_every_page_is_skipped_each_time(tmp_path):
    entry = next(e for e in SPEND if e["path"].startswith("calderdale/"))
    records, header_row = records_of(entry)
    header, rows = records[header_row - 1], records[header_row:]
    paged = records[:header_row]
    for start in range(0, len(rows), 500):
        paged += rows[start:start + 500] + ([header] if start + 500 < len(rows) else [])
    path = tmp_path / entry["file"].name
    path.write_text(csv_text(paged), encoding="utf-8", newline="")
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    assert report.violations == 0 and report.rows_loaded == len(rows)
    assert len(skipped_for_the_header(report)) == (len(rows) - 1) // 500


def test_a_row_that_shares_only_a_title_or_two_with_the_header_is_a_row(tmp_path):
    rows = [["Date", "Supplier", "Amount", "Reference"], ["01/04/2022", "Acme Ltd", "600.00", "R1"],
            ["Date", "Supplier", "700.00", "R2"]]  # two cells as the header's: not the header again
    path = tmp_path / "spend.csv"
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    report = validate_file("spend", path, base=BASE, publisher="E08000033")
    assert skipped_for_the_header(report) == [] and report.violations
