"""Issue 17, item 2: a spend file whose "date" cells are periods (a month, a quarter, a range
of months, a financial year) loads with the period, never an invented day, never refused.

The files are made from the real Salford June 2022 file (tests/data/real/salford, OGL v3.0,
see tests/data/real/SOURCES.md): its payment dates replaced by one period form at a time,
as councils that publish by period write them. Counts and totals are computed here with
the csv module and Decimal, independently of the loaders."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from catalogue import iris
from catalogue.ingest import load_file
from loaders.periods import interval
from tests.conftest import BASE, OGL, REAL

SALFORD = REAL / "salford" / "2022-06.csv"
SALFORD_GSS = "E08000006"
ID = iris.REFERENCE_INTERVALS

#: cell written in the date column -> (interval IRI, first day, last day, summary key)
FORMS = {
    "June 2022": ("month/2022-06", "2022-06-01", "2022-06-30", "2022-06"),
    "Jun-22": ("month/2022-06", "2022-06-01", "2022-06-30", "2022-06"),
    "06/2022": ("month/2022-06", "2022-06-01", "2022-06-30", "2022-06"),
    "202206": ("month/2022-06", "2022-06-01", "2022-06-30", "2022-06"),
    "Q1 2022/23": ("government-quarter/2022-2023/Q1", "2022-04-01", "2022-06-30", "2022-04/2022-06"),
    "2022 Q2": ("quarter/2022-Q2", "2022-04-01", "2022-06-30", "2022-04/2022-06"),
    "Apr-Jun 2022": ("quarter/2022-Q2", "2022-04-01", "2022-06-30", "2022-04/2022-06"),
    "May 2022-August 2022": ("gregorian-interval/2022-05-01T00:00:00/P4M", "2022-05-01", "2022-08-31",
                             "2022-05/2022-08"),
    "2022/23": ("government-year/2022-2023", "2022-04-01", "2023-03-31", "2022-04/2023-03"),
    "FY2022": ("government-year/2022-2023", "2022-04-01", "2023-03-31", "2022-04/2023-03"),
}


def salford_with_period(folder, cell: str):
    """The Salford file with every 'Date of Payment' replaced by ``cell``; its lines and total."""
    with open(SALFORD, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("Date of Payment")
    net = rows[0].index("Net")
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    for r in body:
        r[column] = cell
    path = folder / "salford-2022-06-by-period.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0]] + body)
    return path, len(body), sum(Decimal(r[net].replace(",", "")) for r in body)


@pytest.mark.parametrize("cell", list(FORMS))
def test_period_cells_become_reference_intervals(cell):
    key, start, end, summary_key = FORMS[cell]
    found = interval(cell)
    assert (found.iri, found.start, found.end, found.key) == (ID + key, start, end, summary_key)


def test_quarters_follow_their_form_financial_year_or_calendar():
    assert interval("Q1 2021/22").start == "2021-04-01"  # financial-year quarter: April-June
    assert interval("Q1 2021").start == "2021-01-01"  # calendar quarter: January-March
    assert interval("Jan-Mar 2014").iri == ID + "quarter/2014-Q1"
    assert interval("Nov-Feb 2021").start == "2020-11-01"  # a range that crosses a year


@pytest.mark.parametrize("cell", ["June 2022", "Q1 2022/23", "May 2022-August 2022", "2022/23"])
def test_spend_file_dated_by_periods_loads_every_line_with_its_period(cell, memory_store, tmp_path):
    path, lines, total = salford_with_period(tmp_path, cell)
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher=SALFORD_GSS, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    assert outcome.report.rows_loaded == lines
    key, start, end, summary_key = FORMS[cell]
    graph = outcome.graph
    row = memory_store.select(f"""
        PREFIX pay: <http://reference.data.gov.uk/def/payment#>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT (COUNT(?line) AS ?n) (SUM(?amount) AS ?total) (SAMPLE(?start) AS ?s) (SAMPLE(?end) AS ?e)
        WHERE {{ GRAPH <{graph}> {{ ?line pay:netAmount ?amount ;
                                          sdmx-dimension:refPeriod <{ID + key}> .
                                    <{ID + key}> dcat:startDate ?start ; dcat:endDate ?end }} }}""").rows[0]
    assert int(row["n"]) == lines and Decimal(str(row["total"])) == total
    assert (str(row["s"]), str(row["e"])) == (start, end)
    days = memory_store.select(f"""PREFIX pay: <http://reference.data.gov.uk/def/payment#>
        SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?line pay:date ?d
            FILTER(DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#date>) }} }}""").rows[0]
    assert int(days["n"]) == 0, "no line may get a day the file did not give"
    # The council's summary counts the lines in their period, not spread over months.
    months = memory_store.select(f"""PREFIX sv: <https://w3id.org/svcat/def#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT ?month ?total WHERE {{ GRAPH <{iris.council_summary_graph(BASE, SALFORD_GSS)}> {{
            ?obs qb:dataSet <{iris.council_summary(BASE, SALFORD_GSS, "by-month")}> ; sv:month ?month ;
                 sv:spendTotal ?total }} }}""").rows
    assert [(str(m["month"]), Decimal(str(m["total"]))) for m in months] == [(summary_key, total)]


def test_unreadable_period_is_still_reported_with_its_cell(memory_store, tmp_path):
    path, _, _ = salford_with_period(tmp_path, "Spring 2022")
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher=SALFORD_GSS, licence=OGL)
    assert not outcome.loaded
    problems = {(i.kind, i.column, i.value) for i in outcome.report.issues}
    assert ("bad-date", "Date of Payment", "Spring 2022") in problems, problems


def test_pages_say_period_for_lines_dated_by_a_period(memory_store, tmp_path):
    from catalogue.app import create_app

    path, lines, total = salford_with_period(tmp_path, "Q1 2022/23")
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher=SALFORD_GSS, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    client = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": memory_store, "SVCAT_BASE_URI": BASE}).test_client()
    page = client.get(outcome.dataset.replace(BASE + "id/", "/doc/")).get_data(as_text=True)
    assert "Date or period" in page and "Q1 2022/23" in page
    months = list(csv.DictReader(client.get(f"/council/{SALFORD_GSS}/months.csv").get_data(as_text=True)
                                 .splitlines()))
    assert [(m["month"], Decimal(m["spend"]), int(m["lines"])) for m in months] == [("2022-04/2022-06", total, lines)]
    dashboard = client.get(f"/doc/council/{SALFORD_GSS}").get_data(as_text=True)
    assert "Month or period" in dashboard


def test_a_year_written_with_a_leading_zero_keeps_iso_dates():
    """Found by the fuzz test: "0218" is the year 218; its first and last days must still be
    ISO dates (four-digit years), so its length in months is 12, not a crash on "218-"."""
    year = interval("0218")
    assert (year.start, year.end, year.months, year.key) == ("0218-01-01", "0218-12-31", 12, "0218-01/0218-12")
