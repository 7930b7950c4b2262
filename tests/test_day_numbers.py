"""Dates a spreadsheet wrote as day numbers: a date column saved as a plain number.

A council that saves its ledger export from Excel with the date column formatted as
"General" publishes "44713" for 1 June 2022. Each repository spend file with a payment
date is rewritten with every date as its day number, under the same title: it must give
the very triples of the original, and the load report must say how the column was read.
Before, the title was refused for cells that are not dates and every line was refused
for an empty payment date ("Date of Payment" holding "44713").
"""

from __future__ import annotations

from datetime import date

import pytest

from loaders import converters as cv
from loaders import open_source
from tests.conftest import BASE, REAL, manifest
from tests.golden import row_triples
from tests.variants import csv_text, dates_rewritten

SPEND = manifest(REAL, "spend")


@pytest.mark.parametrize("raw,want", [
    ("44713", "2022-06-01"), ("25569", "1970-01-01"), ("44713.0", "2022-06-01"), (" 45292 ", "2024-01-01"),
    ("62093", "2069-12-31"), ("62094", None), ("25568", None), ("4471", None), ("44713.5", None), ("£44713", None),
])
def test_a_day_number_is_the_day_excel_counts(raw, want):
    assert cv.excel_day(raw) == want


def test_the_epoch_skips_the_leap_day_1900_never_had():
    assert cv.excel_day("43831") == date(2020, 1, 1).isoformat()  # as Excel shows 43831


def as_day_numbers(entry: dict, folder) -> tuple[object, int]:
    path, days = dates_rewritten(entry["file"], entry["gss_code"], folder,
                                 lambda day, row: str((day - date(1899, 12, 30)).days))
    return path, len(days)


@pytest.mark.parametrize("entry", [e for e in SPEND if "date" in open_source(
    "spend", e["file"], base=BASE, publisher=e["gss_code"]).table.fields], ids=lambda e: e["path"])
def test_a_date_column_of_day_numbers_gives_the_triples_of_the_dates(entry, tmp_path):
    path, changed = as_day_numbers(entry, tmp_path)
    assert changed >= 10
    want = row_triples("spend", entry["file"], publisher=entry["gss_code"])
    assert row_triples("spend", path, publisher=entry["gss_code"]) == want
    table = open_source("spend", path, base=BASE, publisher=entry["gss_code"]).table
    (decision,) = [d for d in table.decisions if d.field == "date"]
    assert "spreadsheet day numbers, read as the dates they stand for" in decision.why and decision.noted


def test_day_numbers_are_never_a_date_on_their_content_alone(tmp_path):
    rows = [["Supplier", "Ref", "Amount"]] + [[f"Supplier {i} Ltd", str(44700 + i), "100.00"] for i in range(30)]
    path = tmp_path / "refs.csv"
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    table = open_source("spend", path, base=BASE, publisher="E08000006").table
    assert "date" not in table.fields and table.title("transaction") == "Ref"
