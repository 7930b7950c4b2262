"""Dates written month first: a ledger exported from a spreadsheet set to US English.

Each repository spend file with a payment date is rewritten with every date month first
(``12/20/2013`` for 20 December 2013), under the same title. Where the first hundred rows
hold a date that only month first can read, the column is read month first and the file
gives the very triples of the original, the report saying so. Where those rows do not tell
(a file sorted by date starting on the first days of a month), day first stays and the file
is refused whole at its first month-first date, never loaded half one way; a mapping that
gives the format loads it. UK files are never read month first. Before, every such file was
refused.
"""

from __future__ import annotations

import json

import pytest

from catalogue.ingest import validate_file
from loaders import converters as cv
from loaders import open_source
from loaders.header import SAMPLE_ROWS
from tests.conftest import BASE, REAL, manifest
from tests.golden import row_triples
from tests.variants import dates_rewritten

SPEND = [e for e in manifest(REAL, "spend")
         if "date" in open_source("spend", e["file"], base=BASE, publisher=e["gss_code"]).table.fields]


@pytest.mark.parametrize("raw,order,month_first", [
    ("04/05/2022", "either", "2022-04-05"), ("13/04/2022", "day", None), ("04/13/2022", "month", "2022-04-13"),
    ("13/13/2022", "neither", None), ("4/13/22", "month", "2022-04-13"), ("04/13/2022 00:00:00", "month", "2022-04-13"),
    ("02/30/2022", "neither", None), ("30/02/2022", "neither", None), ("2022-04-13", None, None),
    ("13 April 2022", None, None), ("44713", None, None),
])
def test_a_date_of_numbers_says_which_way_round_it_can_be_read(raw, order, month_first):
    assert cv.date_order(raw) == order
    assert cv.month_first_date(raw) == month_first


def month_first(entry: dict, folder, *, day_first_at: int | None = None):
    """The file with every payment date month first (the one on row ``day_first_at`` left day
    first); its path and whether its first rows show a date only month first can read."""
    path, days = dates_rewritten(entry["file"], entry["gss_code"], folder, lambda day, row: (
        f"{day.day:02d}/{day.month:02d}/{day.year}" if row == day_first_at else
        f"{day.month:02d}/{day.day:02d}/{day.year}"))
    return path, any(day.day > 12 for _, day in days[:SAMPLE_ROWS])


@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_a_month_first_column_is_read_month_first_or_the_file_is_refused_whole(entry, tmp_path):
    path, telling = month_first(entry, tmp_path)
    table = open_source("spend", path, base=BASE, publisher=entry["gss_code"]).table
    (decision,) = [d for d in table.decisions if d.field == "date"]
    if telling:
        assert "dates written month first, read so" in decision.why and decision.noted
        assert row_triples("spend", path, publisher=entry["gss_code"]) == row_triples(
            "spend", entry["file"], publisher=entry["gss_code"])
    else:
        assert "month first" not in decision.why
        report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
        bad = [i for i in report.issues if i.severity == "violation"]
        assert report.violations and bad and {i.kind for i in bad} == {"bad-date"}
        assert all(cv.date_order(i.value) == "month" for i in bad), bad[:3]


def test_at_least_most_repository_files_tell_their_order_in_their_first_rows(tmp_path):
    told = [month_first(e, tmp_path)[1] for e in SPEND]
    assert sum(told) >= len(SPEND) - 3, told


def test_a_day_first_date_below_a_month_first_column_is_refused_not_read_the_other_way(tmp_path):
    entry = next(e for e in SPEND if e["path"].startswith("calderdale/"))
    _, days = dates_rewritten(entry["file"], entry["gss_code"], tmp_path, lambda day, row: "")
    row = next(row for row, day in days[SAMPLE_ROWS:] if day.day > 12)  # only day first can read it
    path, telling = month_first(entry, tmp_path, day_first_at=row)
    assert telling
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    bad = [(i.kind, i.row) for i in report.issues if i.severity == "violation"]
    assert bad == [("bad-date", row)], bad


def test_a_mapping_giving_the_format_loads_a_file_whose_first_rows_do_not_tell(tmp_path):
    entry = next(e for e in SPEND if e["path"].startswith("salford/"))
    path, telling = month_first(entry, tmp_path)
    assert not telling
    assert validate_file("spend", path, base=BASE, publisher=entry["gss_code"]).violations
    table = open_source("spend", entry["file"], base=BASE, publisher=entry["gss_code"]).table
    columns = [{"titles": table.title(name), "propertyUrl": url,
                "datatype": {"base": "date", "format": "MM/dd/yyyy"} if name == "date" else "string"}
               for name, url in (("date", "pay:date"), ("supplier_name", "pay:payee"))]
    columns.append({"titles": table.title("net_amount"), "propertyUrl": "pay:netAmount", "datatype": "decimal"})
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "sv:kind": "spend",
                                   "tableSchema": {"columns": columns}}), encoding="utf-8")
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"], mapping=str(mapping))
    assert report.violations == 0 and report.rows_loaded > 1000


@pytest.mark.parametrize("entry", manifest(REAL, "spend"), ids=lambda e: e["path"])
def test_a_uk_file_is_never_read_month_first(entry):
    table = open_source("spend", entry["file"], base=BASE, publisher=entry["gss_code"]).table
    assert not any("month first" in d.why for d in table.decisions)
