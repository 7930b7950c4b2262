"""Issue 17 item 8: .xlsx and .ods workbooks load like the CSV they were made from.

Each test writes a real DEV spend CSV into a workbook the way a spreadsheet would hold
it (amounts as numbers, payment dates as dates; openpyxl for .xlsx, odfpy for .ods) and
checks the loader reads the same lines, total, payees and dates as from the CSV.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from loaders import FileRefused, open_source
from loaders.read import sniff
from loaders.spreadsheet import xlsx_text
from tests.conftest import BASE
from tests.reading import dev_spend, spend_summary, typed_rows, write_ods, write_xlsx

COUNCILS = ["oxford", "harrogate"]


@pytest.fixture(scope="module", params=COUNCILS)
def dev_file(request, tmp_path_factory):
    path, gss = dev_spend(request.param)
    folder = tmp_path_factory.mktemp(request.param)
    rows = typed_rows(path, gss)
    return {"csv": path, "gss": gss, "rows": rows, "folder": folder, "summary": spend_summary(path, gss)}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_workbook_loads_the_same_lines_total_and_payees_as_its_csv(dev_file, fmt):
    target = dev_file["folder"] / f"{dev_file['csv'].stem}.{fmt}"
    (write_xlsx if fmt == "xlsx" else write_ods)(dev_file["rows"], target)
    assert sniff(target).format == fmt
    got, want = spend_summary(target, dev_file["gss"]), dev_file["summary"]
    assert got.lines == want.lines
    assert got.total == want.total
    assert got.payees == want.payees
    assert got.dates == want.dates


def test_the_first_sheet_with_a_header_is_read_and_sheet_chooses_another(tmp_path):
    path, gss = dev_spend("oxford")
    target = write_xlsx(typed_rows(path, gss), tmp_path / "oxford.xlsx")  # sheets: Notes, Spend
    assert open_source("spend", target, base=BASE, publisher=gss).sheet == "Spend"
    assert open_source("spend", target, base=BASE, publisher=gss, sheet="2").sheet == "Spend"
    with pytest.raises(FileRefused, match=r"no sheet 'Totals'; the sheets are 1: 'Notes', 2: 'Spend'"):
        open_source("spend", target, base=BASE, publisher=gss, sheet="Totals")


def test_cli_validate_takes_sheet(tmp_path):
    path, gss = dev_spend("oxford")
    target = write_xlsx(typed_rows(path, gss), tmp_path / "oxford.xlsx")
    ok = CliRunner().invoke(cli, ["--store", "memory:", "validate", "spend", str(target), "--publisher", gss,
                                  "--sheet", "Spend", "--quiet"])
    assert ok.exit_code == 0, ok.output
    wrong = CliRunner().invoke(cli, ["--store", "memory:", "validate", "spend", str(target), "--publisher", gss,
                                     "--sheet", "Notes", "--quiet"])
    assert wrong.exit_code == 1 and "cannot read this file as spend" in wrong.output


def test_cli_inspect_reads_a_workbook(tmp_path):
    path, gss = dev_spend("oxford")
    target = write_ods(typed_rows(path, gss), tmp_path / "oxford.ods")
    result = CliRunner().invoke(cli, ["inspect", str(target), "--kind", "spend", "--publisher", gss,
                                      "--sheet", "1"])
    assert result.exit_code == 0 and "ods" in result.output and "Paid Date" in result.output, result.output


@pytest.mark.parametrize("value, text", [
    (0.1 + 0.2, "0.3"),  # no float artefacts: what the spreadsheet shows
    (1234.5699999999999, "1234.57"),
    (834.29, "834.29"),
    (-12.0, "-12"),
    (1140, "1140"),
    (12345678901234567, "12345678901234567"),  # an integer (a reference) keeps every digit
    (datetime(2017, 10, 6), "2017-10-06"),
    (datetime(2017, 10, 6, 14, 30), "2017-10-06T14:30:00"),
    (date(2017, 10, 6), "2017-10-06"),
    (True, "true"),
    (None, ""),
    (Decimal("0.10"), "0.10"),
])
def test_spreadsheet_cells_become_the_text_the_csv_path_reads(value, text):
    assert xlsx_text(value) == text


def test_money_cells_sum_exactly(tmp_path):
    rows = [[("string", "Paid Date"), ("string", "Amount"), ("string", "Supplier Name")]]
    rows += [[("date", "2021-04-01"), ("float", "0.1"), ("string", "A LTD")]] * 3
    rows += [[("date", "2021-04-02"), ("float", "0.2"), ("string", "B LTD")]] * 7
    for fmt, writer in (("xlsx", write_xlsx), ("ods", write_ods)):
        target = writer(rows, tmp_path / f"small.{fmt}")
        assert spend_summary(target, "E07000178").total == Decimal("1.7")


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_period_column_of_dates_shown_as_months_is_read_as_months(fmt, tmp_path):
    """Gateshead's Period (202205) held as a workbook does: the first of the month in a date
    cell shown "May-22". The months are read, as from the CSV; never the first of each month."""
    path, gss = dev_spend("gateshead")
    rows = typed_rows(path, gss)
    column = rows[0].index(("string", "Period"))
    for row in rows[1:]:
        if (written := row[column][1]).isdigit():
            row[column] = ("month", f"{written[:4]}-{written[4:]}")
    target = (write_xlsx if fmt == "xlsx" else write_ods)(rows, tmp_path / f"gateshead.{fmt}")
    got, want = spend_summary(target, gss), spend_summary(path, gss)
    assert got.lines == want.lines > 1000 and got.total == want.total
    assert got.dates == want.dates and "2022-05-31" in got.dates  # the months' first and last days


@pytest.mark.parametrize(("number_format", "text"), [
    ("mmm-yy", "2022-05"), ("mmmm yyyy", "2022-05"), ("[$-809]mmm-yy;@", "2022-05"), ("yyyy", "2022"),
    ("dd/mm/yyyy", "2022-05-01"), ("d-mmm-yy", "2022-05-01"), ("yyyy-mm-dd h:mm", "2022-05-01"),
    ('"Day "mmm yyyy', "2022-05"), ("General", "2022-05-01"), (None, "2022-05-01"), ("mmm", "May"),
    ("mmmm", "May"), ("h:mm", "2022-05-01"),
])
def test_a_date_cell_is_what_its_number_format_shows(number_format, text):
    assert xlsx_text(datetime(2022, 5, 1), number_format) == text


def test_a_month_column_of_dates_shown_as_month_names_beside_a_financial_year(tmp_path):
    """A ledger's workbook: *Financial Year* 2017/18 as text, *Month* a date cell shown "Oct".
    Each line is dated to its month (the month's name read beside the year), as the CSV's
    days say; never the first of the month, never the whole year."""
    from collections import Counter

    path, gss = dev_spend("oxford")
    rows = typed_rows(path, gss)
    column = rows[0].index(("string", "Paid Date"))
    want = Counter()
    for row in rows[1:]:
        kind, day = row[column]
        assert kind == "date"
        year = int(day[:4]) if int(day[5:7]) >= 4 else int(day[:4]) - 1
        row[column:column + 1] = [("string", f"{year}/{str(year + 1)[2:]}"), ("month name", day[:7])]
        want[day[:7]] += 1
    rows[0][column:column + 1] = [("string", "Financial Year"), ("string", "Month")]
    target = write_xlsx(rows, tmp_path / "oxford.xlsx", notes_sheet=False)
    got = Counter(e.facts["month"] for e in open_source("spend", target, base=BASE, publisher=gss).events()
                  if hasattr(e, "facts") and e.facts)
    assert got == want and len(want) == 3


def test_a_wide_table_with_months_as_date_titles_reads_them_as_months(tmp_path):
    """An outcome table whose period titles are date cells shown "Apr-22": month periods."""
    from catalogue.vocab import SDMX_DIMENSION
    from tests.golden import loader_graph

    months = ["2022-04", "2022-05", "2022-06"]
    rows = [[("string", "Indicator"), ("string", "Measure")] + [("month", m) for m in months]]
    rows += [[("string", "Calls answered within 20 seconds"), ("string", "Percentage")]
             + [("float", f"{80 + i}.5") for i in range(3)]]
    target = write_xlsx(rows, tmp_path / "calls.xlsx", notes_sheet=False)
    graph = loader_graph("outcomes", target, publisher="E08000035")
    assert {str(p).rsplit("/", 2)[-2:][0] + "/" + str(p).rsplit("/", 1)[-1]
            for p in graph.objects(None, SDMX_DIMENSION.refPeriod)} == {f"month/{m}" for m in months}

