"""Cell converters on the forms councils write."""

from __future__ import annotations

import pytest

from loaders import converters as cv


@pytest.mark.parametrize("raw,want", [
    ("1616.23 ", "1616.23"), (" 1,234.50 ", "1234.50"), ("£-12", "-12"), ("(3.00)", "-3.00"),
    ("12.00-", "-12.00"), ("3499.1", "3499.1"), ("3000", "3000"), ("-0.5", "-0.5"), ("£1 234", "1234"),
    (".5", "0.5"), ("TBC", None), ("", None), ("1.2.3", None), ("12/03/2020", None),
])
def test_money(raw, want):
    assert cv.money(raw) == want


@pytest.mark.parametrize("raw,want", [
    ("24/12/2010", ("2010-12-24", "date")), ("20-Dec-13", ("2013-12-20", "date")),
    ("2021-12-01 00:00:00", ("2021-12-01", "date")), ("2022-08-17", ("2022-08-17", "date")),
    ("201009", ("2010-09", "gYearMonth")), ("1/4/22", ("2022-04-01", "date")),
    ("31/02/2010", None), ("TBC", None), ("", None), ("2010-13-01", None),
])
def test_payment_date(raw, want):
    assert cv.payment_date(raw) == want


@pytest.mark.parametrize("name", ["REDACTED PERSONAL DATA", "Redacted", "REDACTED \u0096 PERSONAL DATA",
                                  "*****", "Personal Data", "DETAILS REDACTED", "REDACTED - Personal Information"])
def test_redactions(name):
    assert cv.is_redacted(cv.text(name))


@pytest.mark.parametrize("name", ["Total Gas & Power Ltd", "Redbridge Supplies", "A & A ELECTRICAL"])
def test_not_redactions(name):
    assert not cv.is_redacted(name)


def test_c1_controls_become_cp1252_punctuation():
    assert cv.text("REDACTED \u0096 PERSONAL DATA") == "REDACTED \u2013 PERSONAL DATA"


@pytest.mark.parametrize("raw,want", [("8911274", "08911274"), ("01243967", "01243967"), ("SC123456", "SC123456"),
                                      ("EXEMPT", None), ("N/A", None), ("0", None)])
def test_company_numbers(raw, want):
    assert cv.company_number(raw) == want


@pytest.mark.parametrize("raw,want", [("GB 123 4567 89", "GB123456789"), ("123456789", "GB123456789"),
                                      ("NA", None), ("12345", None)])
def test_vat_numbers(raw, want):
    assert cv.vat_number(raw) == want


def test_header_keys_ignore_case_spacing_and_punctuation():
    assert cv.header_key("Capital /Revenue") == cv.header_key("capital / revenue") == "capitalrevenue"
    assert cv.header_key(" Amount ") == "amount"
