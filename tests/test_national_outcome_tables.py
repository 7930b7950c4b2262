"""Issue 17, item 6: a national outcome table (one row per area code, period and measure,
for every area) loads without --publisher, each observation in its own row's area; the
dataset's publisher is the body that published it, or "not stated"; extra columns (region,
median, rank) are reported as not loaded, never taken for the value.

The table is made from the real Trafford Data Lab outcome files by ``tests.national_table``
(38 area codes: councils, wards, England), with the indicator in a ``Measure`` column."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from catalogue import iris
from catalogue.app import create_app
from catalogue.ingest import load_file, validate_file
from catalogue.vocab import SDMX_DIMENSION, SDMX_MEASURE
from loaders import open_source
from loaders.common import KindContext
from loaders.councils import register
from loaders.outcomes import row_to_triples
from tests import national_table
from tests.conftest import BASE, OGL

TABLE = national_table.TABLE
REF_AREA, OBS_VALUE = str(SDMX_DIMENSION.refArea), str(SDMX_MEASURE.obsValue)
GEOGRAPHY = iris.ONS_GEOGRAPHY


def source_rows() -> list[dict]:
    with open(TABLE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_table_is_what_the_generator_makes_from_the_real_files():
    assert TABLE.read_text(encoding="utf-8") == national_table.text()
    assert len({r["Area Code"] for r in source_rows()}) == 38


@pytest.fixture(scope="module")
def loaded():
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    outcome = load_file(store, "outcomes", TABLE, base=BASE, licence=OGL)
    yield store, outcome
    store.close()


def test_national_table_loads_without_publisher_each_value_in_its_area(loaded):
    store, outcome = loaded
    assert outcome.loaded, outcome.report.to_json()
    rows = source_rows()
    found = store.select(f"""
        SELECT ?area ?value ?indicator WHERE {{ GRAPH <{outcome.graph}> {{
            ?obs <{REF_AREA}> ?area ; <{OBS_VALUE}> ?value ;
                 <https://w3id.org/svcat/def#indicator> ?i . ?i <http://www.w3.org/2004/02/skos/core#prefLabel> ?indicator
        }} }}""").rows
    got = sorted((str(r["area"]), Decimal(str(r["value"])), str(r["indicator"])) for r in found)
    want = sorted((GEOGRAPHY + r["Area Code"], Decimal(r["Value"]), r["Measure"]) for r in rows)
    assert got == want  # the value column only: never the median or the rank; the measure is the indicator


def test_publisher_not_stated_in_the_catalogue(loaded):
    store, outcome = loaded
    assert outcome.dataset == iris.dataset(BASE, "not-stated", "outcomes", TABLE.stem)
    notes = {i.kind: i for i in outcome.report.notes}
    assert "publisher-not-stated" in notes
    assert notes["columns-not-loaded"].column == "Region, Median, Rank"
    client = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE}).test_client()
    rows = list(csv.DictReader(client.get("/catalogue.csv").get_data(as_text=True).splitlines()))
    assert [r["council_name"] for r in rows] == ["Publisher not stated"]
    assert client.get("/councils.csv").get_data(as_text=True).strip().count("\n") == 0  # not a council
    page = client.get("/doc/dataset/not-stated/outcomes/" + TABLE.stem)
    assert page.status_code == 200 and "Publisher not stated" in page.get_data(as_text=True)
    indicators = list(csv.DictReader(client.get("/outcomes.csv").get_data(as_text=True).splitlines()))
    assert len(indicators) == len({r["Measure"] for r in source_rows()})
    assert {r["councilLabel"] for r in indicators} == {"Publisher not stated"}
    key = "household-waste-sent-for-reuse-recycling-or-composting"
    values = list(csv.DictReader(client.get(f"/outcomes/not-stated/{key}/not-stated.csv")
                                 .get_data(as_text=True).splitlines()))
    want = [r for r in source_rows() if r["Measure"].startswith("Household waste")]
    assert len(values) == len(want) and {v["gss"] for v in values} == {r["Area Code"] for r in want}
    page = client.get(f"/doc/concept/not-stated/indicator/{key}")
    assert page.status_code == 200 and "Measure not stated" in page.get_data(as_text=True)


def test_a_national_body_is_the_publisher_with_its_web_page(tmp_path):
    url = "https://www.gov.uk/government/organisations/department-for-education"
    source = open_source("outcomes", TABLE, base=BASE, publisher="Department for Education", publisher_url=url)
    assert (source.council.name, source.council.url, source.council.is_council) == (
        "Department for Education", url, False)
    assert source.dataset == iris.dataset(BASE, "department-for-education", "outcomes", TABLE.stem)
    report = validate_file("outcomes", TABLE, base=BASE, publisher="E08000009")  # a council still may publish it
    assert report.loadable and report.council == "E08000009"


def test_areas_of_councils_since_abolished_keep_their_code():
    table = open_source("outcomes", TABLE, base=BASE).table
    ctx = KindContext(BASE, register().resolve("E08000009"), BASE + "id/dataset/x", BASE + "file/x", table)
    for code in ("E06000028", "E07000004", "E05000823"):  # Bournemouth (2019), Aylesbury Vale (2020), a ward
        cells = ["England", code, "Somewhere", "2018/19", "Household waste recycled", "Percentage", "40.1", "", ""]
        triples = row_to_triples(table.values(cells), 2, ctx).triples
        assert any(p == f"<{REF_AREA}>" and o == f"<{GEOGRAPHY}{code}>" for _, p, o in triples)
