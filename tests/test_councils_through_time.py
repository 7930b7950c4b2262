"""Councils through time: a council named as a supplier is the body that existed on the date.

The defect: Harrogate Borough Council's April 2015 payments to "NORTH YORKSHIRE COUNTY
COUNCIL" (tests/data/real/harrogate/2015-04.csv) were linked to North Yorkshire Council
(E06000065), a council that only exists from 1 April 2023 (The North Yorkshire
(Structural Changes) Order 2022).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalogue import iris
from catalogue.linking.names import parse
from catalogue.linking.run import council_index
from catalogue.vocab import OWL, RDFS, SV
from loaders.council_times import succession
from loaders.councils import register
from tests.conftest import BASE, OGL, REAL


def test_every_change_joins_councils_of_the_register_and_the_dates_meet():
    changes = succession().changes
    assert len(changes) >= 50
    for change in changes:
        before, after = register().by_gss(change.predecessor), register().by_gss(change.successor)
        assert before is not None and after is not None, change
        assert before.status == "abolished", change
        day_before = (date.fromisoformat(change.date) - timedelta(days=1)).isoformat()
        assert before.end_date == day_before, (change, before.end_date)
        assert change.legislation.startswith("The ") and "Order" in change.legislation, change


@pytest.mark.parametrize("gss, on, expected", [
    ("E06000065", "2015-04-29", "E10000023"),  # North Yorkshire Council in 2015: the county council it continues
    ("E06000065", "2024-01-31", "E06000065"),
    ("E10000023", "2024-01-31", "E06000065"),  # the county council's name after 1 April 2023: its successor
    ("E06000066", "2021-12-10", "E10000027"),  # Somerset Council before 1 April 2023
    ("E07000190", "2024-01-01", "E06000066"),  # Taunton Deane -> Somerset West and Taunton -> Somerset
    ("E10000006", "2024-01-01", "E10000006"),  # Cumbria was split in two: no one successor to name
    ("E08000035", "2015-04-01", "E08000035"),  # Leeds never changed
])
def test_a_council_is_read_as_the_body_that_existed_on_the_date(gss, on, expected):
    assert succession().on(gss, on) == expected


def test_a_name_the_register_gives_a_council_wins_over_a_spelling_derived_from_another():
    index = council_index()
    assert index.find(parse("NORTH YORKSHIRE COUNTY COUNCIL")) == "E10000023"
    assert index.find(parse("SOMERSET COUNTY COUN (TREAS)")) == "E10000027"
    assert index.find(parse("North Yorkshire Council")) == "E06000065"
    assert index.find(parse("North Yorkshire Council"), on="2016-05-01") == "E10000023"
    assert index.find(parse("North Yorkshire County Council"), on="2024-05-01") == "E06000065"


def test_an_abolished_district_lies_within_its_successor():
    s = succession()
    assert s.same_area("E07000165", "E06000065") and s.same_area("E06000065", "E07000165")
    assert not s.same_area("E07000165", "E07000166")  # Harrogate and Richmondshire: neighbours, not one


def test_payments_to_a_council_resolved_to_its_successor_before_it_existed(memory_store):
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all

    outcome = load_file(memory_store, "spend", REAL / "harrogate" / "2015-04.csv", base=BASE,
                        publisher="E07000165", licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    link_all(memory_store, BASE, licence=OGL)
    rows = memory_store.select(f"""SELECT DISTINCT ?org ?council WHERE {{ GRAPH ?g {{
        ?record <{SV.canonicalOrganisation}> ?org }} GRAPH ?l {{ ?org <{OWL.sameAs}> ?council }}
        GRAPH ?d {{ ?record <{RDFS.label}> "NORTH YORKSHIRE COUNTY COUNCIL" }} }}""").rows
    councils = {str(r["council"]) for r in rows}
    assert councils == {iris.council(BASE, "E10000023")}, councils
