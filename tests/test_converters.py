"""Cell converters on the forms councils write."""

from __future__ import annotations

import pytest

from loaders import converters as cv
from loaders.redaction import is_marker


@pytest.mark.parametrize("raw,want", [
    ("1616.23 ", "1616.23"), (" 1,234.50 ", "1234.50"), ("£-12", "-12"), ("(3.00)", "-3.00"),
    ("12.00-", "-12.00"), ("3499.1", "3499.1"), ("3000", "3000"), ("-0.5", "-0.5"), ("£1 234", "1234"),
    (".5", "0.5"), ("TBC", None), ("", None), ("1.2.3", None), ("12/03/2020", None),
    # the currency's ISO code as ledgers print it, and debits and credits marked DR and CR
    ("GBP 1,234.56", "1234.56"), ("1234.56 GBP", "1234.56"), ("gbp-12.00", "-12.00"), ("500.00DR", "500.00"),
    ("500.00 dr", "500.00"), ("500.00 CR", "-500.00"), ("€1,234.56", None), ("USD 12.00", None), ("GBPX", None),
])
def test_money(raw, want):
    assert cv.money(raw) == want


@pytest.mark.parametrize("raw,want", [
    ("1,234,567.89", "1234567.89"), ("-£1,234.56", "-1234.56"), ("1,234.56 CR", "-1234.56"), ("1,234", "1234"),
    # a comma before one or two last digits is a decimal comma (a European locale's export)
    ("1.234,56", "1234.56"), ("1 234,56", "1234.56"), ("1234,56", "1234.56"), ("(12,5)", "-12.5"),
    ("-1.234.567,8", "-1234567.8"),
    # any other comma: not an amount (reported), never the digits with the commas dropped
    ("12,34.00", None), ("1234,567", None), ("0010,287", None), (",5", None), ("1,", None),
])
def test_money_reads_a_comma_only_as_a_grouping_or_a_decimal_comma(raw, want):
    assert cv.money(raw) == want


@pytest.mark.parametrize("raw,want", [
    ("87.5%", "87.5"), (" 87.5 % ", "87.5"), ("1,234.5%", "1234.5"), ("-3%", "-3"), ("12,5%", "12.5"),
    ("87.5", None), ("£5%", None), ("n/a%", None), ("%", None), ("5%%", None),
])
def test_a_percentage_is_the_number_before_its_sign(raw, want):
    assert cv.percentage(raw) == want
    assert cv.money(raw) is None or want is None  # never an amount of money


@pytest.mark.parametrize("raw,want", [
    ("24/12/2010", ("2010-12-24", "date")), ("20-Dec-13", ("2013-12-20", "date")),
    ("2021-12-01 00:00:00", ("2021-12-01", "date")), ("2022-08-17", ("2022-08-17", "date")),
    ("201009", ("2010-09", "gYearMonth")), ("1/4/22", ("2022-04-01", "date")),
    ("31/02/2010", None), ("TBC", None), ("", None), ("2010-13-01", None),
    ("2023/04/12", ("2023-04-12", "date")), ("2023.4.2", ("2023-04-02", "date")),
    ("2023/04/12 00:00:00", ("2023-04-12", "date")), ("2023/02/30", None), ("2023/13/01", None),
    # a time after the day, as .NET, Oracle and spreadsheet exports write it: the day is the date
    ("01/04/2022 12:00:00 AM", ("2022-04-01", "date")), ("01/04/2022 10:15", ("2022-04-01", "date")),
    ("01 Apr 2022 10:15", ("2022-04-01", "date")), ("2023/04/12 13:00", ("2023-04-12", "date")),
    # month names with ordinals, or first: never ambiguous
    ("1st April 2022", ("2022-04-01", "date")), ("April 1, 2022", ("2022-04-01", "date")),
    ("Sept 3rd, 2022", ("2022-09-03", "date")), ("01-SEPT-2022", ("2022-09-01", "date")),
    ("1 Mayor 2022", None), ("1 Ma 2022", None), ("Foo 1 2022", None),
    # a weekday before the day (a spreadsheet's long date format), checked against it
    ("Friday, 1 April 2022", ("2022-04-01", "date")), ("Fri 01/04/2022", ("2022-04-01", "date")),
    ("Sunday, April 3, 2022", ("2022-04-03", "date")), ("Sat, 2 Apr 2022", ("2022-04-02", "date")),
    ("Thursday, 1 April 2022", None), ("Monday", None), ("Mon 2022-04", None),
    # a cell alone is read day first: month-first numbers only as a whole column (test_month_first.py)
    ("04/13/2022", None), ("04/13/2022 10:00 PM", None), ("01/04/2022 25:00", None),
])
def test_payment_date(raw, want):
    assert cv.payment_date(raw) == want


@pytest.mark.parametrize("name", ["REDACTED PERSONAL DATA", "Redacted", "REDACTED \u0096 PERSONAL DATA",
                                  "*****", "Personal Data", "DETAILS REDACTED", "REDACTED - Personal Information"])
def test_redactions(name):
    assert is_marker(cv.text(name))


@pytest.mark.parametrize("name", ["Total Gas & Power Ltd", "Redbridge Supplies", "A & A ELECTRICAL"])
def test_not_redactions(name):
    assert not is_marker(name)


def test_c1_controls_become_cp1252_punctuation():
    assert cv.text("REDACTED \u0096 PERSONAL DATA") == "REDACTED \u2013 PERSONAL DATA"


def test_header_keys_ignore_case_spacing_and_punctuation():
    assert cv.header_key("Capital /Revenue") == cv.header_key("capital / revenue") == "capitalrevenue"
    assert cv.header_key(" Amount ") == "amount"
