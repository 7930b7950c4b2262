"""Every spend file in the manifest loads, with as many lines and the same total as the CSV.

The expected figures are computed here independently of the loaders: the csv module,
the amount and date columns named per file by hand, and ``Decimal``. A payment line is
a record whose date cell is filled; blank, all-empty and footer/total rows have none.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from catalogue.ingest import load_file
from tests.conftest import BASE, OGL, real_files

#: (amount column, date column) exactly as each file's header spells them.
COLUMNS = {
    "leeds/2010-12.csv": ("Net amount", "Date paid"),
    "leeds/2013-12.csv": ("NetAmount", "DatePaid"),
    "leeds/2020-06.csv": ("Amount", "Payment Date"),
    "devon/DCCSpendingOver500_201101.csv": ("Amount", "Date"),
    "devon/DCCSpendingOver500_202112.csv": ("Amount", "Date"),
    "devon/DCCSpendingOver500_202603.csv": (" Amount ", "Date"),
    "oxford/expenditure-over-500-jan-mar-2014.csv": ("amount", "paid_date"),
    "oxford/expenditure-over-500-oct-dec-2017.csv": ("Amount", "Paid Date"),
    "trafford/trafford-supplier-spend-2026-27.csv": ("Amount", "PaymentDate"),
    "trafford/government_procurement_card_transactions_2026-27.csv": ("Amount", "PaymentDate"),
    "calderdale/2010-10.csv": ("Amount", "Date"),
    "calderdale/2022-08.csv": ("Net Amount", "Date"),
    "wakefield/2018-Q4.csv": ("Net Amount", "Payment Date"),
    "wakefield/2021-Q4.csv": ("Net Amount", "Payment Date"),
    "north-tyneside/2014-04_i.csv": ("Amount", "Payment Date"),
    "north-tyneside/2022-07_i.csv": ("Net Amount", "Payment Date"),
    "salford/2011-08.csv": ("Net", "Date of Payment"),
    "salford/2022-06.csv": ("Net", "Date of Payment"),
    "harrogate/2015-04.csv": ("Net amount", "Payment Date"),
    "harrogate/2022-08.csv": ("Net Amount", "Payment Date"),
    "gateshead/2010-12.csv": ("Amount", "Period"),
    "gateshead/2022-08.csv": ("Amount", "Period"),
}


def decoded(path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def expected(path, amount_column: str, date_column: str) -> tuple[int, Decimal]:
    text = decoded(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    lines, total = 0, Decimal(0)
    for record in reader:
        if (record.get(date_column) or "").strip():
            lines += 1
            total += Decimal(record[amount_column].strip().replace(",", ""))
    return lines, total


FILES = real_files("spend")


def test_every_manifest_file_has_expected_columns():
    assert {f["path"] for f in FILES} <= set(COLUMNS)


@pytest.mark.parametrize("entry", FILES, ids=[f["path"] for f in FILES])
def test_spend_file_loads_with_the_same_lines_and_total(entry, memory_store):
    outcome = load_file(memory_store, "spend", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    lines, total = expected(entry["file"], *COLUMNS[entry["path"]])
    row = memory_store.select(f"""
        PREFIX pay: <http://reference.data.gov.uk/def/payment#>
        SELECT (COUNT(?line) AS ?n) (SUM(?amount) AS ?total)
        WHERE {{ GRAPH <{outcome.graph}> {{ ?line pay:netAmount ?amount }} }}""").rows[0]
    assert int(row["n"]) == lines == outcome.report.rows_loaded
    assert Decimal(str(row["total"])) == total
    skipped = outcome.report.rows_read - outcome.report.rows_loaded
    assert skipped == outcome.report.rows_skipped
    # Issue 17 item 9: the counts add up, and every record after the header is read once.
    counts = outcome.report.row_counts()
    records = len(list(csv.reader(io.StringIO(decoded(entry["file"]), newline="")))) - counts["header_row"]
    assert counts["read"] == counts["loaded"] + counts["skipped"] + counts["refused"] == records


SUMMARY_TOTALS = """
PREFIX sv: <https://w3id.org/svcat/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?cube (SUM(?spend) AS ?total) (SUM(?lines) AS ?n) WHERE {{ GRAPH <{graph}> {{
  ?obs qb:dataSet ?cube ; sv:spendTotal ?spend ; sv:lineCount ?lines }} }} GROUP BY ?cube"""


@pytest.mark.parametrize("entry", FILES[::4], ids=[f["path"] for f in FILES[::4]])
def test_summary_cubes_add_up_to_the_lines(entry, memory_store):
    """Both per-dataset cubes hold exactly the lines' count and total, by an independent sum."""
    outcome = load_file(memory_store, "spend", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)
    lines, total = expected(entry["file"], *COLUMNS[entry["path"]])
    rows = memory_store.select(SUMMARY_TOTALS.format(graph=outcome.graph)).rows
    assert {str(r["cube"]).rsplit("/", 1)[-1] for r in rows} == {"by-payee", "by-category"}
    for row in rows:
        assert (int(row["n"]), Decimal(str(row["total"]))) == (lines, total)
