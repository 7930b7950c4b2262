"""Sample files named after their defects: each kind names the row, column, value and problem."""

from __future__ import annotations

import pytest

from catalogue.ingest import validate_file
from tests.conftest import BASE, DATA

CASES = [
    ("contracts", "contracts/bad-value-negative-value-unnamed-supplier.csv", [
        [2, "Annual Value", "£15k", "bad-annual-value", "violation"],
        [3, "Total Contract Value (including extensions)", "-36000.00", "negative-total-value", "warning"],
        [4, "Supplier Company Name", "Various Providers", "contract-without-supplier", "warning"],
        [5, "Start Date", "31/02/2022", "bad-start-date", "warning"],
        [5, "Company Number", "SG298533", "unreadable-identifier", "warning"],
        [5, "SME Supplier?", "Maybe", "bad-sme-flag", "warning"],
    ]),
    ("grants", "grants/bad-amount-bad-date-no-recipient.csv", [
        [2, "Amount Awarded", "two thousand", "bad-amount", "violation"],
        [3, "Award Date", "2023-02-30", "bad-award-date", "violation"],
        [4, "Recipient Org:Name", None, "grant-without-recipient", "warning"],
    ]),
    ("outcomes", "outcomes/bad-area-bad-period-bad-value.csv", [
        [2, "area_code", "Trafford", "bad-area", "violation"],
        [3, "period", "Spring 2021", "bad-period", "violation"],
        [4, "value", "5.3%", "bad-value", "violation"],
    ]),
    ("framework", "framework/measure-without-code.csv", [
        [3, "Measure Code", None, "measure-without-code", "violation"],
        [4, "Outcome", None, "measure-without-outcome", "warning"],
        [4, "Unit", None, "measure-without-unit", "warning"],
    ]),
    ("suppliers", "suppliers/bad-total-unreadable-postcode-company.csv", [
        [3, "Company Number", "AIG 10737370", "unreadable-identifier", "warning"],
        [4, "Total Net Amount", "TBC?", "bad-total", "violation"],
        [4, "Postcode", "T12 VP94", "unreadable-postcode", "warning"],
    ]),
]


@pytest.mark.parametrize("kind,path,expected", CASES, ids=[c[1] for c in CASES])
def test_defects_are_named_by_row_column_value_and_problem(kind, path, expected):
    report = validate_file(kind, DATA / path, base=BASE, publisher="E08000009")
    assert report.flatten(["row", "column", "value", "kind", "severity"]) == expected
    assert not report.valid  # each sample has at least one violation: refused whole
    assert all(issue.message and issue.fix for issue in report.issues)


def test_rows_with_nothing_to_load_are_listed_not_dropped():
    report = validate_file("outcomes", DATA / "outcomes/bad-area-bad-period-bad-value.csv", base=BASE,
                           publisher="E08000009")
    assert [(i.row, i.message) for i in report.skipped] == [
        (5, "no value in this row (empty or NA): nothing to observe")]
    report = validate_file("suppliers", DATA / "suppliers/bad-total-unreadable-postcode-company.csv", base=BASE,
                           publisher="E08000006")
    assert [i.row for i in report.skipped] == [5]
