"""A payment line is never taken for the header row.

When no row's titles could be read, the loader used to try the rows below, and recognition
by content could accept the first payment line as a "header" whose columns looked right:
that line then went to the preamble note, and the file loaded one line short. Now a row
holding two or more dates or sums of money is never a header: the file loads from its real
header, or it is refused saying there is none.
"""

from __future__ import annotations

import csv

import pytest

from catalogue.ingest import validate_file
from loaders import DialectError, open_source
from loaders.title_rows import holds_data
from loaders.read import records, sniff
from tests.conftest import BASE
from tests.reading import dev_spend, spend_summary


def rewritten(source, target, change):
    """``source``'s records, passed through ``change(records)``, as a new CSV."""
    rows = [cells for _, cells in records(sniff(source))]
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(change(rows))
    return target


@pytest.mark.parametrize("council", ["oxford", "salford"])
def test_a_file_without_its_header_is_refused_naming_the_row_not_loaded_a_line_short(tmp_path, council):
    path, gss = dev_spend(council)
    header_row = open_source("spend", path, base=BASE, publisher=gss).table.header_row
    headerless = rewritten(path, tmp_path / f"{council}-header-removed.csv", lambda rows: rows[header_row:])
    with pytest.raises(DialectError, match=r"no header row: the rows where it would be hold data \(row 1: "):
        open_source("spend", headerless, base=BASE, publisher=gss)
    report = validate_file("spend", headerless, base=BASE, publisher=gss)
    assert not report.loadable and report.rows_loaded == 0


def test_an_amount_titled_in_words_the_loader_lacked_reads_every_line(tmp_path):
    """'Amount (exc VAT)' was not known: the first payment became the header."""
    path, gss = dev_spend("oxford")
    table = open_source("spend", path, base=BASE, publisher=gss).table
    amount = table.fields["net_amount"]

    def retitle(rows):
        rows[table.header_row - 1][amount] = "Amount (exc VAT)"
        return rows
    variant = rewritten(path, tmp_path / "oxford-amount-exc-vat.csv", retitle)
    assert open_source("spend", variant, base=BASE, publisher=gss).table.header_row == table.header_row
    original, got = spend_summary(path, gss), spend_summary(variant, gss)
    assert (got.lines, got.total, got.payees) == (original.lines, original.total, original.payees)


@pytest.mark.parametrize("cells, expected", [
    (["ACME Ltd", "12/04/2023", "100.00"], True),
    (["Tarmac Ltd", "£1,020", "INV-1", "2023-04-19"], True),
    (["Supplier", "Date", "Amount"], False),
    (["Measure", "2021", "2022", "2023"], False),  # years as titles
    (["Spend over £500", "", ""], False),
    (["ACME Ltd", "100.00", "INV-1"], False),  # one figure alone does not make a data row
    (["STOWE SCHOOL", "06/10/2017", "1140"], True),  # a whole sum beside a date: Oxford's second line
    (["Column", "1", "2", "3"], False),  # small numbers as titles
    (["Indicator", "2022-04", "2022-05", "2022-06"], False),  # months as titles (a workbook's date cells)
    (["ACME Ltd", "2022-05", "120.00", "200078807"], True),  # a period beside a sum and a reference
])
def test_holds_data_tells_a_payment_line_from_titles(cells, expected):
    assert holds_data(cells) is expected
