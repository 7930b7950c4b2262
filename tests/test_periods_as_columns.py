"""Outcome tables published wide: a row per indicator (and area), a column per period.

Trafford Data Lab's three indicator files (NEET, recycling, claimant count; long form,
one value a row) are pivoted as council performance reports and comparator tables are
published: ``area_code, area_name, indicator, measure, unit, 2016/17, 2017/18, ...``.
Each wide copy must say what the long original says (every area, period, indicator,
measure, unit and value, nothing more) under period titles written as councils write
them ("2016/17", "Outturn 2016-17", "2016/17 Actual"), with a *Target* column beside
them that is never read as a result. A wide table that does not say what its numbers
measure is refused, and says so, rather than given a name we made up.
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest

from catalogue.vocab import SDMX_DIMENSION, SDMX_MEASURE, SKOS, SV
from loaders import open_source
from loaders.inspect import candidates, guess
from loaders.periods import title_period
from tests.conftest import BASE, OGL, REAL
from tests.golden import loader_graph
from tests.kind_variants import write
from tests.table_shapes import PERIOD_TITLES as TITLES
from tests.table_shapes import by_period, long_rows

LONG_FILES = ["outcome_neet.csv", "outcome_household_waste_recycling.csv", "outcome_claimant_count.csv"]
KINDS = ["spend", "suppliers", "contracts", "grants", "outcomes", "framework"]
def said(graph) -> Counter:
    """(area, period, value, indicator, measure, unit) of each observation."""
    def label(obs, predicate):
        return str(graph.value(graph.value(obs, predicate), SKOS.prefLabel))
    return Counter((str(area), str(graph.value(obs, SDMX_DIMENSION.refPeriod)),
                    Decimal(str(graph.value(obs, SDMX_MEASURE.obsValue))),
                    label(obs, SV.indicator), label(obs, SV.measure), label(obs, SV.unit))
                   for obs, area in graph.subject_objects(SDMX_DIMENSION.refArea))


@pytest.fixture(scope="module")
def originals() -> dict[str, Counter]:
    return {name: said(loader_graph("outcomes", REAL / "trafford" / name)) for name in LONG_FILES}


@pytest.mark.parametrize("titles", sorted(TITLES))
@pytest.mark.parametrize("name", LONG_FILES)
def test_a_wide_table_says_what_the_long_table_says(name, titles, originals, tmp_path):
    path = write(tmp_path, name, by_period(REAL / "trafford" / name, TITLES[titles]))
    assert guess(candidates(path, KINDS))["kind"] == "outcomes"
    assert open_source("outcomes", path, base=BASE).table.dialect.id == "outcomes-by-period"
    want = originals[name]
    assert sum(want.values()) == len(long_rows(REAL / "trafford" / name)) > 100
    assert said(loader_graph("outcomes", path)) == want


def test_a_target_beside_the_periods_is_never_a_result(originals, tmp_path):
    from catalogue.ingest import validate_file

    name = "outcome_household_waste_recycling.csv"
    path = write(tmp_path, name, by_period(REAL / "trafford" / name, extra=("2023/24 Target", "RAG")))
    assert said(loader_graph("outcomes", path)) == originals[name]  # no value 99, no period 2023/24
    report = validate_file("outcomes", path, base=BASE)
    assert report.valid, report.to_json()
    notes = {n.kind: n for n in report.notes}
    assert notes["columns-not-loaded"].column == "2023/24 Target, RAG"
    assert "'2010/11' -> 2010-04-01 to 2011-03-31" in notes["period-columns"].message


def test_a_wide_table_loads_and_its_pages_give_the_long_tables_figures(tmp_path):
    """Loaded into a store and served: the indicator's CSV (period, area, value) is the long
    file's, and a SPARQL count of the observations is the count of filled cells."""
    from catalogue.app import create_app
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore

    name = "outcome_neet.csv"
    wide = by_period(REAL / "trafford" / name)
    path = write(tmp_path, "neet-by-year.csv", wide)
    served = {}
    for label, source in (("long", REAL / "trafford" / name), ("wide", path)):
        store = EmbeddedStore(None, mode="write")
        outcome = load_file(store, "outcomes", source, base=BASE, licence=OGL, publisher="E08000009")
        assert outcome.loaded, outcome.report.to_json()
        count = store.select(f"SELECT (COUNT(?o) AS ?n) WHERE {{ GRAPH <{outcome.graph}> {{ ?o <{SDMX_MEASURE.obsValue}> "
                             "?v } }").rows[0]["n"]
        client = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE}).test_client()
        values = []
        for row in client.get("/outcomes.json?_size=max").get_json()["rows"]:
            indicator, measure = row["indicator"].rsplit("/", 1)[1], row["measure"].rsplit("/", 1)[1]
            page = client.get(f"/outcomes/E08000009/{indicator}/{measure}.csv")
            assert page.status_code == 200
            values += [(row["indicatorLabel"], r["period"], r["gss"], r["value"])
                       for r in csv.DictReader(page.get_data(as_text=True).splitlines())]
        served[label] = (int(count), sorted(values))
        store.close()
    filled = sum(1 for row in wide[1:] for cell in row[5:] if cell.strip())
    assert served["wide"][0] == filled == len(long_rows(REAL / "trafford" / name))
    assert served["wide"] == served["long"] and len(served["wide"][1]) == filled


def test_the_title_gives_the_measure_when_the_rows_do_not(tmp_path):
    name = "outcome_neet.csv"  # every value a percentage
    rows = by_period(REAL / "trafford" / name, lambda p: f"{p} (%)")
    path = write(tmp_path, name, [[c for i, c in enumerate(r) if i != 3] for r in rows])  # no measure column
    graph = loader_graph("outcomes", path)
    measures = {str(graph.value(m, SKOS.prefLabel)) for m in graph.objects(None, SV.measure)}
    assert measures == {"Percentage"}
    assert len(set(graph.subjects(SDMX_MEASURE.obsValue))) == len(long_rows(REAL / "trafford" / name))


@pytest.mark.parametrize("drop", ["no indicator column", "the indicator column untitled"])
def test_a_wide_table_that_does_not_say_what_it_measures_is_refused(drop, tmp_path):
    from catalogue.ingest import validate_file

    rows = by_period(REAL / "trafford" / "outcome_neet.csv")
    if drop == "no indicator column":
        rows = [r[:2] + r[5:] for r in rows]
    else:
        rows = [[""] + rows[0][5:]] + [[r[2]] + r[5:] for r in rows[1:]]
    path = write(tmp_path, "neet.csv", rows)
    report = validate_file("outcomes", path, base=BASE, publisher="E08000009")
    assert not report.valid and report.rows_loaded == 0
    assert "no column for indicator or measure" in report.fatal  # not "no header row"
    assert "Headers seen: '2016/17'" in report.fatal or "'area_name', '2016/17'" in report.fatal


def test_a_supplier_total_by_month_is_not_an_outcome_table(tmp_path):
    rows = [["Supplier", "Apr-22", "May-22", "Jun-22"]] + [
        [f"Supplier {n} Limited", f"{100 + n}.00", f"{200 + n}.50", ""] for n in range(30)]
    (outcomes,) = candidates(write(tmp_path, "suppliers-by-month.csv", rows), ["outcomes"])
    assert not outcomes["readable"], outcomes


@pytest.mark.parametrize(("title", "period"), [
    ("2021/22", "2021-04-01/2022-03-31"), ("2021-22", "2021-04-01/2022-03-31"),
    ("Outturn 2020-21", "2020-04-01/2021-03-31"), ("2021/22 Actual", "2021-04-01/2022-03-31"),
    ("Q1 2022/23", "2022-04-01/2022-06-30"), ("Apr-22", "2022-04-01/2022-04-30"), ("2019", "2019-01-01/2019-12-31"),
    ("2022/23 (%)", "2022-04-01/2023-03-31"), ("FY2021", "2021-04-01/2022-03-31"),
    ("2022/23 Target", None), ("Target 2022/23", None), ("Forecast 2023", None), ("Spend 2021", None),
    ("2022/23 Budget", None), ("Supplier", None), ("1066", None), ("31/03/2022", None), ("Change 2021 to 2022", None),
])
def test_a_title_names_a_period_only_when_it_is_nothing_else(title, period):
    found = title_period(title)
    assert (f"{found.start}/{found.end}" if found else None) == period
