"""Dates written month first: a ledger exported from a spreadsheet set to US English.

Each repository spend file with a payment date is rewritten with every date month first
(``12/20/2013`` for 20 December 2013), under the same title: the column is read month first
and the file gives the very triples of the original, the report saying so, whether its
first hundred rows tell (a day over 12) or a row further on does (a file sorted by date
starting on the first days of a month). A file that does not tell soon enough is refused
whole at its first month-first date, never loaded half one way; a mapping that gives the
format loads it. UK files are never read month first. Before, every such file was refused.
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


def days_of(entry: dict, folder) -> list:
    """``(row, day)`` of every payment date of the original."""
    folder.mkdir()
    return dates_rewritten(entry["file"], entry["gss_code"], folder, lambda day, row: day.isoformat())[1]


@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_a_month_first_column_gives_the_triples_of_the_day_first_original(entry, tmp_path):
    path, _ = month_first(entry, tmp_path)
    table = open_source("spend", path, base=BASE, publisher=entry["gss_code"]).table
    (decision,) = [d for d in table.decisions if d.field == "date"]
    assert "dates written month first, read so" in decision.why and decision.noted
    assert row_triples("spend", path, publisher=entry["gss_code"]) == row_triples(
        "spend", entry["file"], publisher=entry["gss_code"])


def test_first_rows_that_do_not_tell_are_settled_by_the_first_row_that_does(tmp_path):
    entry = next(e for e in SPEND if e["path"].startswith("salford/"))
    path, telling = month_first(entry, tmp_path)
    assert not telling  # every day of its first hundred rows is 12 or under
    days = days_of(entry, tmp_path / "days")
    first = next(row for row, day in days if day.day > 12)
    table = open_source("spend", path, base=BASE, publisher=entry["gss_code"]).table
    (decision,) = [d for d in table.decisions if d.field == "date"]
    assert f"on row {first}; no cell before it is day first" in decision.why


def test_a_file_that_does_not_tell_soon_enough_is_refused_whole_and_a_mapping_loads_it(tmp_path, monkeypatch):
    from loaders import date_columns

    entry = next(e for e in SPEND if e["path"].startswith("salford/"))
    path, _ = month_first(entry, tmp_path)
    monkeypatch.setattr(date_columns, "SETTLE_ROWS", 50)  # as if its first 13th came after 50,000 rows
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    bad = [i for i in report.issues if i.severity == "violation"]
    assert bad and {i.kind for i in bad} == {"bad-date"}
    assert all(cv.date_order(i.value) == "month" for i in bad), bad[:3]
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


def test_a_day_first_date_below_a_month_first_column_is_refused_not_read_the_other_way(tmp_path):
    entry = next(e for e in SPEND if e["path"].startswith("calderdale/"))
    days = days_of(entry, tmp_path / "days")
    row = next(row for row, day in days[SAMPLE_ROWS:] if day.day > 12)  # only day first can read it
    path, telling = month_first(entry, tmp_path, day_first_at=row)
    assert telling
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    bad = [(i.kind, i.row) for i in report.issues if i.severity == "violation"]
    assert bad == [("bad-date", row)], bad


@pytest.mark.parametrize("entry", manifest(REAL, "spend"), ids=lambda e: e["path"])
def test_a_uk_file_is_never_read_month_first(entry):
    table = open_source("spend", entry["file"], base=BASE, publisher=entry["gss_code"]).table
    assert not any("month first" in d.why for d in table.decisions)


DATED = ("start_date", "end_date", "current_expiry", "award_date")


@pytest.mark.parametrize("entry", [e for e in manifest(REAL) if e["kind"] in ("contracts", "grants")],
                         ids=lambda e: e["path"])
def test_a_register_whose_dates_are_month_first_gives_the_triples_of_the_original(entry, tmp_path):
    """A contracts register's start, end and expiry dates, a grants register's award dates:
    each such column month first is read so, and the register's triples are the original's."""
    kind = entry["kind"]
    columns = set(open_source(kind, entry["file"], base=BASE, publisher=entry["gss_code"]).table.fields) & set(DATED)
    path, days = dates_rewritten(entry["file"], entry["gss_code"], tmp_path, lambda day, row: (
        f"{day.month:02d}/{day.day:02d}/{day.year}"), kind=kind, fields=DATED)
    assert columns and len(days) > 100
    table = open_source(kind, path, base=BASE, publisher=entry["gss_code"]).table
    assert {d.field for d in table.decisions if "dates written month first" in d.why} == set(columns)
    assert row_triples(kind, path, publisher=entry["gss_code"]) == row_triples(
        kind, entry["file"], publisher=entry["gss_code"])
