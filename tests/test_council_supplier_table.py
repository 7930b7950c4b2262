"""A council's supplier table: one row per organisation, with what it is (issue 18, items 3 and 5).

The defect: Wakefield's 2018-Q4 file pays npower under two names ("NPOWER LTD" and
"NPOWER YORKSHIRE LTD", one company at Companies House, one canonical organisation), and
the supplier table listed the organisation twice, each row with part of what it was paid.
"""

from __future__ import annotations

import csv
import io

TYPES = {"council", "other public body", "company", "charity", "CIC", "mutual", "person or sole trader", "unknown",
         "withheld or not stated"}


def test_a_council_supplier_table_listed_one_organisation_once_per_name_it_was_paid_under(linked_client):
    rows = list(csv.DictReader(io.StringIO(linked_client.get("/council/E08000036/suppliers.csv").get_data(
        as_text=True))))
    npower = [r for r in rows if r["organisation_label"].startswith("NPOWER")]
    assert len(npower) == 1 and npower[0]["records"] == "2", npower
    paged = linked_client.get("/council/E08000036/suppliers.json?_size=10").get_json()["rows"]
    assert [r["spend"] for r in paged if r["organisation"] == npower[0]["organisation"]] == [npower[0]["spend"]]
    whole = linked_client.get("/council/E08000036/suppliers.json?_size=max").get_json()["rows"]
    assert sum(1 for r in whole if r["organisation"] == npower[0]["organisation"]) == 1


def test_every_supplier_row_says_what_the_organisation_is(linked_client):
    rows = list(csv.DictReader(io.StringIO(linked_client.get("/council/E08000036/suppliers.csv").get_data(
        as_text=True))))
    assert {r["type"] for r in rows} <= TYPES
    kinds = {r["supplier"]: r["type"] for r in rows}
    assert kinds["BRADFORD DISTRICT CARE NHS FOUNDATION TRUST"] == "other public body"
    assert kinds["CHOICE SUPPORT"] == "charity"
    assert kinds["redacted (personal data)"] == "withheld or not stated"
    page = linked_client.get("/doc/council/E08000036").get_data(as_text=True)
    assert ">Type</th>" in page
