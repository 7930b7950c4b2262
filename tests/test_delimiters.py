"""Files whose cells are separated by tabs, semicolons or pipes read like the comma original.

Each real DEV spend file is written again with another delimiter, as a finance system's
export would be: cells quoted only where they hold that delimiter, so commas stay bare
inside amounts (``£1,234.00``) and names. The loader must find the delimiter from what the
rows hold (``loaders.delimiter``) and read the same lines, total, payees and dates.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from loaders import converters as cv
from loaders import open_source
from loaders.csvw_dialect import CsvDialect
from loaders.delimiter import detect
from loaders.read import records, sniff
from tests.conftest import BASE
from tests.reading import dev_spend, spend_summary

COUNCILS = ("oxford", "leeds", "salford", "devon")
DELIMITERS = {"tab": "\t", "semicolon": ";", "pipe": "|"}


def redelimited(source, target, delimiter: str, encoding: str = "utf-8"):
    """``source``'s records written again with ``delimiter`` (minimal quoting)."""
    with open(target, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        for _, cells in records(sniff(source)):
            writer.writerow(cells)
    return target


@pytest.fixture(scope="module")
def originals():
    return {name: (*dev_spend(name), spend_summary(*dev_spend(name))) for name in COUNCILS}


@pytest.mark.parametrize("council", COUNCILS)
@pytest.mark.parametrize("name", DELIMITERS)
def test_real_file_with_another_delimiter_reads_like_the_original(tmp_path, originals, council, name):
    path, gss, original = originals[council]
    variant = redelimited(path, tmp_path / f"{council}-{name}-separated.txt", DELIMITERS[name])
    assert sniff(variant).delimiter == DELIMITERS[name]
    got = spend_summary(variant, gss)
    assert original.lines > 0
    assert (got.lines, got.total, got.payees, got.dates) == (original.lines, original.total, original.payees,
                                                             original.dates)


def test_unquoted_commas_inside_cells_do_not_win_over_the_real_delimiter(originals, tmp_path):
    path, gss, original = originals["oxford"]
    variant = redelimited(path, tmp_path / "oxford-tab-with-commas.tsv", "\t")
    assert b"," in variant.read_bytes()  # the amounts and names keep their commas, bare
    assert sniff(variant).delimiter == "\t"


def test_cp1252_semicolon_file_reads_like_the_original(tmp_path):
    path, gss = dev_spend("harrogate")  # Windows-1252, with a pound sign in it
    assert sniff(path).encoding == "cp1252"
    variant = redelimited(path, tmp_path / "harrogate-semicolon-cp1252.csv", ";", encoding="cp1252")
    info = sniff(variant)
    assert (info.encoding, info.delimiter) == ("cp1252", ";")
    original, got = spend_summary(path, gss), spend_summary(variant, gss)
    assert (got.lines, got.total, got.payees) == (original.lines, original.total, original.payees)


def european(amount: str) -> str:
    """An amount as a spreadsheet in a European locale writes it: ``-1.234,50``."""
    grouped = f"{abs(Decimal(amount)):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return ("-" if amount.startswith("-") else "") + grouped


def test_european_locale_export_reads_like_the_original(originals, tmp_path):
    """Semicolons between cells, dots grouping thousands and a decimal comma in the amounts."""
    path, gss, original = originals["oxford"]
    table = open_source("spend", path, base=BASE, publisher=gss).table
    amount = table.fields["net_amount"]
    target = tmp_path / "oxford-european-locale.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        for number, cells in records(sniff(path)):
            if number > table.header_row and amount < len(cells) and (value := cv.money(cells[amount])) is not None:
                cells = [*cells[:amount], european(value), *cells[amount + 1:]]
            writer.writerow(cells)
    assert re.search(r";-?\d{1,3}\.\d{3},\d\d;", target.read_text(encoding="utf-8"))  # 1.234,56 in a cell
    got = spend_summary(target, gss)
    assert (got.lines, got.total, got.payees, got.dates) == (original.lines, original.total, original.payees,
                                                             original.dates)


@pytest.mark.parametrize("text, expected", [
    ("Supplier,Amount,Note\nACME,10.00,paid; late\nBeta,5.00,ok\n", ","),  # a semicolon in a note
    ('Supplier,Amount\n"Smith\tJones",10.00\nBeta,5.00\n', ","),  # a quoted tab
    ("Date;Supplier;Amount\n01/04/2023;ACME;1234,56\n02/04/2023;Beta;10,00\n", ";"),  # decimal commas
    ("Supplier|Amount\nSmith, J & Co|1,234.00\nBeta|5.00\n", "|"),
    ("Spend over 500\n\nSupplier\tAmount\nACME\t1,234.00\nBeta\t5.00\n", "\t"),  # a title row first
    ("Supplier\nACME\nBeta\n", ","),  # one column: nothing to choose, so the comma
    ("", ","),
    ("a,b\tc\nd,e\tf\n", ","),  # a full tie: the comma
    ("Supplier,Amount,Ref,Note\nACME,10.00,1,a;b;c\nBeta,5.00,2,d;e;f\n", ","),  # semicolons in every row
])
def test_detect_takes_the_delimiter_that_splits_rows_consistently(text, expected):
    assert detect(text) == expected


def test_a_mappings_stated_delimiter_is_never_guessed_over(tmp_path):
    path = tmp_path / "tab-looking.csv"
    path.write_text("a\tb\tc,d\ne\tf\tg,h\n", encoding="utf-8")
    info = sniff(path)
    assert info.delimiter == "\t"  # both split every row; the tab into more cells
    assert [cells for _, cells in records(info)][0] == ["a", "b", "c,d"]
    assert [cells for _, cells in records(info, CsvDialect(delimiter=","))][0] == ["a\tb\tc", "d"]


def test_inspect_says_which_delimiter_it_found(originals, tmp_path):
    path, gss, _ = originals["salford"]
    variant = redelimited(path, tmp_path / "salford-pipe.txt", "|")
    result = CliRunner().invoke(cli, ["inspect", str(variant), "--publisher", gss, "--rows", "1"])
    assert result.exit_code == 0, result.output
    assert "cells separated by pipes" in result.output.splitlines()[0]
    assert "kind spend" in result.output
