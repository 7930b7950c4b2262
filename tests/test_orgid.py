"""Identifiers, postcodes, flags and periods in the forms councils write them."""

from __future__ import annotations

import pytest

from loaders.converters import text
from loaders.orgid import read_flag, read_identifier, read_postcode, read_vat
from loaders.periods import interval, period_ending

IDENTIFIERS = [
    # (cell, column, identifiers, unreadable) - every form seen in ../shared/data/real
    ("172081", "company", ("GB-COH-00172081",), None),  # Salford: leading zeros missing
    ("8911274", "company", ("GB-COH-08911274",), None),  # Calderdale
    ("09360642", "company", ("GB-COH-09360642",), None),
    (" 0796 2245 ", "company", ("GB-COH-07962245",), None),  # spaces
    ("SC249935", "company", ("GB-COH-SC249935",), None),  # Scottish company
    ("OC305934", "company", ("GB-COH-OC305934",), None),  # LLP
    ("RC000666", "company", ("GB-COH-RC000666",), None),  # Royal Charter
    ("CE016832", "company", ("GB-COH-CE016832",), None),  # CIO registered at Companies House
    ("IP29627R", "company", ("GB-MPR-29627R",), None),  # registered society
    ("20014R", "company", ("GB-MPR-20014R",), None),
    ("CHA1049226", "company", ("GB-CHC-1049226",), None),  # a charity number in the company column
    ("1049226", "charity", ("GB-CHC-1049226",), None),
    ("1234567-1", "charity", ("GB-CHC-1234567-1",), None),
    ("SC012345", "charity", ("GB-SC-SC012345",), None),  # OSCR
    ("NIC100123", "charity", ("GB-NIC-100123",), None),
    ("GB-COH-7597525", "orgid", ("GB-COH-07597525",), None),  # 360Giving identifier
    ("GB-CHC-1110767", "orgid", ("GB-CHC-1110767",), None),
    ("GB-LAE-TRF", "orgid", ("GB-LAE-TRF",), None),  # other org-id schemes kept as written
    ("360G-trafford-some_group", "orgid", (), None),  # the funder's own id: not an org-id, not a problem
    ("EXEMPT", "charity", (), None),  # Wakefield
    ("N/A", "charity", (), None),
    ("Various", "company", (), None),  # Salford
    ("-", "company", (), None),
    ("Registered Charity", "company", (), None),
    ("GBML4119704", "company", (), "GBML4119704"),
    ("SG298533", "company", (), "SG298533"),
    ("AIG 10737370\\nQBE 02641728", "company", (), "AIG 10737370\\nQBE 02641728"),
    ("004457083", "company", (), "004457083"),  # nine digits
    ("GB-COH-XX", "orgid", (), "GB-COH-XX"),
]


@pytest.mark.parametrize("cell,column,identifiers,unreadable", IDENTIFIERS, ids=[i[0] for i in IDENTIFIERS])
def test_identifiers_are_normalised_to_org_id_schemes(cell, column, identifiers, unreadable):
    reading = read_identifier(cell, column)
    assert reading.identifiers == identifiers and reading.unreadable == unreadable


def test_vat_numbers_postcodes_and_flags():
    assert read_vat("GB 123 4567 89").identifiers == ("GB123456789",)
    assert read_vat("123456789012").identifiers == ("GB123456789012",)
    assert read_vat("Nil").identifiers == () and read_vat("Nil").unreadable is None
    assert read_vat("GB20084738").unreadable == "GB20084738"
    assert read_postcode("sk67gh").identifiers == ("SK6 7GH",)
    assert read_postcode(" M50  3SL ").identifiers == ("M50 3SL",)
    assert read_postcode("Various").identifiers == () and read_postcode("Various").unreadable is None
    assert read_postcode("T12 VP94").unreadable == "T12 VP94"  # an Irish Eircode
    assert [read_flag(v) for v in ("Yes", "Y", "no", "N", "Various", "", "N/A", "Noo")] == [
        True, True, False, False, None, None, None, "Noo"]


PERIODS = [
    ("2017/18", "government-year/2017-2018", "2017-04-01", "2018-03-31"),
    ("2017-2018", "government-year/2017-2018", "2017-04-01", "2018-03-31"),
    ("1999/00", "government-year/1999-2000", "1999-04-01", "2000-03-31"),
    ("April 2021", "month/2021-04", "2021-04-01", "2021-04-30"),
    ("Feb 2024", "month/2024-02", "2024-02-01", "2024-02-29"),
    ("2021-04", "month/2021-04", "2021-04-01", "2021-04-30"),
    ("2021", "year/2021", "2021-01-01", "2021-12-31"),
    ("2021 Q1", "quarter/2021-Q1", "2021-01-01", "2021-03-31"),
    ("Q2 2021/22", "government-quarter/2021-2022/Q2", "2021-07-01", "2021-09-30"),
    ("2021/22 Q4", "government-quarter/2021-2022/Q4", "2022-01-01", "2022-03-31"),
    ("2021-03-31", "day/2021-03-31", "2021-03-31", "2021-03-31"),
]


@pytest.mark.parametrize("cell,key,start,end", PERIODS, ids=[p[0] for p in PERIODS])
def test_periods_become_reference_intervals(cell, key, start, end):
    found = interval(cell)
    assert found.iri == "http://reference.data.gov.uk/id/" + key and (found.start, found.end) == (start, end)


def test_unreadable_periods_and_period_ends():
    assert interval("Spring 2021") is None and interval("2017/19") is None
    assert period_ending("2018-03-31").iri.endswith("government-year/2017-2018")
    assert period_ending("2020-06-30").iri.endswith("month/2020-06")


def test_utf8_punctuation_that_lost_its_lead_byte_is_restored():
    assert text("Council\x80\x99s main classes") == "Council\u2019s main classes"  # Salford contracts
    assert text("Bramall Court \x80\x93 affordable") == "Bramall Court \u2013 affordable"
    assert text("REDACTED \x96 PERSONAL DATA") == "REDACTED \u2013 PERSONAL DATA"  # Harrogate, unchanged
