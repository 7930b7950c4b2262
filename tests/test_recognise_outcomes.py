"""Outcome tables under other publishers' titles, and performance tables no mapping knows.

*Long tables.* Trafford Data Lab's three indicator files (NEET, recycling, claimant count)
are retitled as ONS, Nomis, DfE and LG Inform write the same columns ("Geography code",
"Time period", "Observation value"; "LA code", "Statistic"; "ONS code", "Area", "Figure")
and reordered: each variant must give the very triples of the original. Before outcome
columns were recognised by title words and content, three of the four title sets were
read as *spend* (an amount and a date, no payee) and refused for want of a supplier.

*Performance tables.* Trafford's prompt-payment and counter-fraud tables have mappings of
their own; retitled (so that those mappings do not apply) they are read by the
``outcomes-table`` mapping, which takes each column of numbers for a measure: every
filled cell must still become one observation of the same period and value, NA cells
none, and each indicator is the column's title in words (``loaders/measures.py``).
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest

from catalogue.iris import ONS_GEOGRAPHY as GEOGRAPHY
from catalogue.vocab import SDMX_DIMENSION, SDMX_MEASURE, SKOS, SV
from loaders import open_source
from loaders.inspect import candidates, guess
from loaders.measures import indicator_label, statistic
from tests.conftest import BASE, REAL, manifest
from tests.golden import loader_graph, row_triples
from tests.kind_variants import LONG_OUTCOME_TITLES as LONG_TITLES
from tests.kind_variants import OUTCOME_ORDER as ORDER
from tests.kind_variants import PROMPT_PAYMENT_TITLES as PROMPT
from tests.kind_variants import observations, write

LONG_FILES = ["outcome_neet.csv", "outcome_household_waste_recycling.csv", "outcome_claimant_count.csv"]
KINDS = ["spend", "suppliers", "contracts", "grants", "outcomes", "framework"]


def records(name: str) -> list[list[str]]:
    with open(REAL / "trafford" / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, set]:
    folder = tmp_path_factory.mktemp("long") / "original"
    return {name: row_triples("outcomes", write(folder, name, records(name))) for name in LONG_FILES}


@pytest.mark.parametrize("titles", sorted(LONG_TITLES))
@pytest.mark.parametrize("name", LONG_FILES)
def test_a_long_table_under_other_titles_gives_the_triples_of_the_original(name, titles, originals, tmp_path):
    rows = records(name)
    path = write(tmp_path, name, [LONG_TITLES[titles]] + rows[1:])
    assert guess(candidates(path, KINDS))["kind"] == "outcomes"
    got = row_triples("outcomes", path)
    assert len(originals[name]) > 1000
    assert got == originals[name], f"{len(originals[name] - got)} triples lost, {len(got - originals[name])} added"


def test_a_reordered_long_table_gives_the_same_triples(originals, tmp_path):
    rows = records("outcome_neet.csv")
    titles = LONG_TITLES["ons-nomis"]
    path = write(tmp_path, "outcome_neet.csv", [[titles[i] for i in ORDER]] + [[r[i] for i in ORDER] for r in rows[1:]])
    assert row_triples("outcomes", path) == originals["outcome_neet.csv"]


def test_values_written_with_a_per_cent_sign_are_the_same_numbers(originals, tmp_path):
    rows = records("outcome_neet.csv")  # every value a percentage, measure "Percentage"
    path = write(tmp_path, "outcome_neet.csv", [rows[0]] + [r[:-1] + [r[-1] + "%"] for r in rows[1:]])
    assert row_triples("outcomes", path) == originals["outcome_neet.csv"]


def test_areas_named_without_codes_are_councils_by_name_or_refused(tmp_path):
    from catalogue.ingest import validate_file

    rows = records("outcome_neet.csv")  # area_code, area_name, period, indicator, measure, unit, value
    councils = write(tmp_path / "councils", "neet.csv", [rows[0][1:]] + [r[1:] for r in rows[1:]])
    graph = loader_graph("outcomes", councils)
    named = {str(a) for a in graph.objects(None, SDMX_DIMENSION.refArea)}
    # each council found by its name has its own code, and England (the comparator row) its own
    assert "E92000001" in {r[0] for r in rows[1:]}
    assert named == {GEOGRAPHY + r[0] for r in rows[1:]}
    wards = [r[1:] for r in rows[1:]]
    wards[0][0] = "Sale Central"  # a ward: no council of that name
    report = validate_file("outcomes", write(tmp_path / "wards", "neet.csv", [rows[0][1:]] + wards), base=BASE,
                           publisher="E08000009")
    assert not report.valid
    (issue,) = [i for i in report.issues if i.value == "Sale Central"]
    assert (issue.row, issue.column, issue.kind) == (2, "area_name", "bad-area")


def test_names_under_area_are_the_area_name_and_the_codes_beside_them_the_area(tmp_path):
    rows = records("outcome_neet.csv")
    path = write(tmp_path, "outcome_neet.csv", [LONG_TITLES["area-figure"]] + rows[1:])
    table = open_source("outcomes", path, base=BASE).table
    assert table.title("area_code") == "ONS code"
    assert table.title("indicator") == "Description"  # not the measure taken for the indicator
    assert table.dialect.id == "outcomes-long"


# ------------------------------------------------------------ performance tables

def labels(graph, predicate) -> set[str]:
    return {str(label) for node in set(graph.objects(None, predicate)) for label in graph.objects(node, SKOS.prefLabel)}


def test_a_performance_table_no_mapping_knows_gives_an_observation_a_filled_cell(tmp_path):
    rows = records("prompt_payment.csv")
    path = write(tmp_path, "invoices.csv", [PROMPT] + rows[1:])
    found = guess(candidates(path, KINDS))
    assert found["kind"] == "outcomes", found
    source = open_source("outcomes", path, base=BASE)
    assert source.table.dialect.id == "outcomes-table"
    want = observations(loader_graph("outcomes", REAL / "trafford" / "prompt_payment.csv"))
    got = loader_graph("outcomes", path)
    assert observations(got) == want and sum(want.values()) == 4 * (len(rows) - 1)
    assert labels(got, SV.indicator) == {"Invoices Paid On Time", "Interest Paid", "Interest Liable",
                                        "Number of Invoices Paid Late"}
    assert labels(got, SV.measure) == {"Percentage", "Amount", "Count"}
    assert labels(got, SV.unit) == {"Pounds sterling"}  # only where the title names the currency


def test_na_cells_of_a_performance_table_are_no_observations(tmp_path):
    rows = records("trafford_counter_fraud.csv")
    header = ["Fraud powers used" if t == "TotalOccasionsFraudPowers" else t for t in rows[0]]
    path = write(tmp_path, "fraud.csv", [header] + rows[1:])
    assert open_source("outcomes", path, base=BASE).table.dialect.id == "outcomes-table"
    want = observations(loader_graph("outcomes", REAL / "trafford" / "trafford_counter_fraud.csv"))
    filled = sum(1 for r in rows[1:] for cell in r[3:] if cell.strip() not in ("", "NA"))
    assert observations(loader_graph("outcomes", path)) == want and sum(want.values()) == filled


def test_a_table_of_areas_with_a_column_per_indicator_says_what_the_long_table_says(tmp_path):
    header, *data = records("outcome_claimant_count.csv")
    rows = [dict(zip(header, r)) for r in data]
    indicators = sorted({r["indicator"] for r in rows})
    by_row: dict[tuple, dict] = {}
    for r in rows:
        by_row.setdefault((r["area_code"], r["area_name"], r["period"]), {})[r["indicator"]] = r["value"]
    path = write(tmp_path, "claimants.csv", [["Area Code", "Area Name", "Month"] + indicators]
                 + [list(key) + [values.get(i, "") for i in indicators] for key, values in by_row.items()])
    assert guess(candidates(path, KINDS))["kind"] == "outcomes"
    assert open_source("outcomes", path, base=BASE).table.dialect.id == "outcomes-table"

    def said(graph) -> Counter:
        return Counter((str(area), str(period), Decimal(str(value)), str(label))
                       for obs, area in graph.subject_objects(SDMX_DIMENSION.refArea)
                       for period in graph.objects(obs, SDMX_DIMENSION.refPeriod)
                       for value in graph.objects(obs, SDMX_MEASURE.obsValue)
                       for label in graph.objects(graph.value(obs, SV.indicator), SKOS.prefLabel))

    want = said(loader_graph("outcomes", REAL / "trafford" / "outcome_claimant_count.csv"))
    assert said(loader_graph("outcomes", path)) == want and sum(want.values()) == len(rows)


def test_a_column_of_percentages_is_a_percentage_whatever_its_title(tmp_path):
    rows = records("prompt_payment.csv")
    path = write(tmp_path, "kpi.csv", [["Council", "Year", "Invoices paid on time", "Interest paid (£)"]]
                 + [[r[0], r[3], r[4] + "%", r[5]] for r in rows[1:]])
    graph = loader_graph("outcomes", path)
    on_time = {obs for obs in graph.subjects(SV.indicator) if "Invoices paid on time" in labels_of(graph, obs)}
    assert len(on_time) == len(rows) - 1
    assert {str(graph.value(graph.value(obs, SV.measure), SKOS.prefLabel)) for obs in on_time} == {"Percentage"}
    assert sorted(Decimal(str(graph.value(obs, SDMX_MEASURE.obsValue))) for obs in on_time) == \
        sorted(Decimal(r[4]) for r in rows[1:])


def labels_of(graph, obs) -> set[str]:
    return {str(label) for label in graph.objects(graph.value(obs, SV.indicator), SKOS.prefLabel)}


def test_a_column_that_identifies_rows_is_no_measure(tmp_path):
    from catalogue.ingest import validate_file

    rows = records("prompt_payment.csv")
    path = write(tmp_path, "kpi.csv", [["Row ID", "Council", "Year", "Late invoices"]]
                 + [[str(n), r[0], r[3], r[7]] for n, r in enumerate(rows[1:], start=1)])
    report = validate_file("outcomes", path, base=BASE)
    notes = {n.kind: n for n in report.notes}
    assert notes["measure-columns"].column == "Late invoices"
    assert notes["columns-not-loaded"].column == "Row ID"


def test_a_target_or_a_rank_beside_a_measure_is_no_measure(tmp_path):
    """A council's table puts its target and its rank among councils beside the result:
    figures about the result, never indicators named "Target" or "Rank"."""
    from catalogue.ingest import validate_file

    rows = records("prompt_payment.csv")
    path = write(tmp_path, "kpi.csv", [["Council", "Year", "Invoices paid on time (%)", "Target (%)",
                                        "Rank in region", "Lower quartile"]]
                 + [[r[0], r[3], r[4], "95", str(n), "88.5"] for n, r in enumerate(rows[1:], start=1)])
    report = validate_file("outcomes", path, base=BASE)
    notes = {n.kind: n for n in report.notes}
    assert notes["measure-columns"].column == "Invoices paid on time (%)"
    assert notes["columns-not-loaded"].column == "Target (%), Rank in region, Lower quartile"
    graph = loader_graph("outcomes", path)
    assert labels(graph, SV.indicator) == {"Invoices paid on time"}
    assert len(set(graph.subjects(SV.indicator))) == len(rows) - 1


def test_the_load_report_says_what_each_column_of_numbers_became(tmp_path):
    from catalogue.ingest import validate_file

    path = write(tmp_path, "invoices.csv", [PROMPT] + records("prompt_payment.csv")[1:])
    report = validate_file("outcomes", path, base=BASE)
    (note,) = [n for n in report.notes if n.kind == "measure-columns"]
    assert "'Invoices Paid On Time (%)' -> indicator 'Invoices Paid On Time', measure Percentage" in note.message
    assert "'Number of Invoices Paid Late' -> indicator 'Number of Invoices Paid Late', measure Count" in note.message
    assert report.valid


@pytest.mark.parametrize(("title", "said"), [
    ("CouncilTaxCollectedPercent", ("Percentage", None)), ("Proportion of calls answered", ("Percentage", None)),
    ("Rent arrears (£)", ("Amount", "Pounds sterling")), ("FraudSpentAmount", ("Amount", None)),
    ("Complaints received", (None, None)), ("NumberNotPaidOnTime", ("Count", None)),
    ("Invoices paid on time", (None, None)),
    ("Average days to pay", (None, None)),
])
def test_a_measure_is_stated_only_where_the_title_says_it(title, said):
    assert statistic(title) == said


def test_an_indicator_is_its_title_in_words():
    assert indicator_label("TotalFraudEmployeesCount") == "Total fraud employees count"
    assert indicator_label("Rent arrears (£)") == "Rent arrears"
    assert indicator_label("Claimants as a proportion of residents aged 16-64") == \
        "Claimants as a proportion of residents aged 16-64"  # as published, hyphen and all


@pytest.mark.parametrize("entry", manifest(REAL, "spend"), ids=lambda e: e["path"])
def test_a_spend_file_does_not_read_as_an_outcome_table(entry):
    (outcomes,) = candidates(entry["file"], ["outcomes"])
    assert not outcomes["readable"], outcomes


def test_a_long_table_is_not_taken_for_a_performance_table():
    table = open_source("outcomes", REAL / "trafford" / "outcome_claimant_count.csv", base=BASE).table
    assert table.dialect.id == "outcomes-long"


def test_a_table_naming_nations_and_regions_without_codes_gives_their_codes(tmp_path):
    """A national comparator table: the UK, the nations and England's regions by name (as
    ONS and DLUHC tables write them, "Yorkshire & The Humber" too) are their ONS areas."""
    from catalogue.ingest import validate_file

    areas = {"United Kingdom": "K02000001", "England": "E92000001", "Wales": "W92000004",
             "North East": "E12000001", "Yorkshire & The Humber": "E12000003", "East of England": "E12000006",
             "London": "E12000007", "South West": "E12000009", "Trafford": "E08000009"}
    rows = [["Area", "Year", "Indicator", "Measure", "Value"]] + [
        [name, "2022/23", "Household waste recycled", "Percentage", f"{40 + i}.5"] for i, name in enumerate(areas)]
    path = write(tmp_path, "recycling-by-region.csv", rows)
    graph = loader_graph("outcomes", path)
    assert {str(a) for a in graph.objects(None, SDMX_DIMENSION.refArea)} == {GEOGRAPHY + c for c in areas.values()}
    report = validate_file("outcomes", path, base=BASE, publisher="E08000009")
    assert report.valid and report.rows_loaded == len(areas)
