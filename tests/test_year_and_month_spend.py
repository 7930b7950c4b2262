"""A spend file dated by a year column and a month or quarter column, not by payment days.

Some ledgers export *Financial Year* ``2017/18`` beside *Month* ``October`` (or *Year* and
*Month*, or *Fin Year* and *Qtr*) instead of a payment date. Before, each line was dated to
the whole financial year and the month column was neither read nor said to be unread. Each
line's period must be the two together: the month its payment day fell in.

The files are made from the real Oxford October-December 2017 file (tests/data/real/oxford,
OGL v3.0, see tests/data/real/SOURCES.md): its *Paid Date* replaced by the two columns, in
the forms and orders councils write them. What each line should get is computed here from
the original's days with the csv and datetime modules, independently of the loaders.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest

from catalogue import iris
from catalogue.ingest import load_file, validate_file
from catalogue.vocab import PAY, SDMX_DIMENSION
from loaders.periods import interval, within
from loaders import open_source
from loaders.mapping import choose
from tests.conftest import BASE, OGL, REAL, manifest
from tests.golden import loader_graph
from tests.kind_variants import write
from tests.table_shapes import YEAR_AND_PART, row_facts, year_and_part

OXFORD = REAL / "oxford" / "expenditure-over-500-oct-dec-2017.csv"
OXFORD_GSS = "E07000178"
MONTH = iris.REFERENCE_INTERVALS + "month/"


def _financial(day: date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{str(first + 1)[2:]}"


#: (titles, cells from the payment day) for each way of splitting the date
SPLITS = {
    "financial year, month name": (["Financial Year", "Month"], lambda d: [_financial(d), d.strftime("%B")]),
    "financial year, month abbreviated": (["Financial Year", "Month"], lambda d: [_financial(d), d.strftime("%b")]),
    "month first": (["Month", "Financial Year"], lambda d: [d.strftime("%B"), _financial(d)]),
    "calendar year, month name": (["Year", "Month"], lambda d: [str(d.year), d.strftime("%B")]),
    "calendar year, month number": (["Year", "Month"], lambda d: [str(d.year), str(d.month)]),
    "financial year, month and year": (["Financial Year", "Payment Month"], lambda d: [_financial(d),
                                                                                        d.strftime("%B %Y")]),
    "other words": (["Fin Yr", "Month of Payment"], lambda d: [_financial(d), d.strftime("%b")]),
}


def oxford_split(folder, titles: list[str], cells) -> tuple:
    """The Oxford file with 'Paid Date' replaced by ``titles``; the months its lines should get."""
    with open(OXFORD, encoding="utf-8-sig", errors="replace", newline="") as handle:
        header, *rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
    at = header.index("Paid Date")
    days = [datetime.strptime(r[at], "%d/%m/%Y").date() for r in rows]
    out = [header[:at] + titles + header[at + 1:]] + [
        r[:at] + cells(day) + r[at + 1:] for r, day in zip(rows, days)]
    months = Counter(f"{day.year}-{day.month:02d}" for day in days)
    return write(folder, "oxford-by-year-and-month.csv", out), months


def months_of(graph) -> Counter:
    return Counter(str(p).removeprefix(MONTH) for p in graph.objects(None, SDMX_DIMENSION.refPeriod))


@pytest.mark.parametrize("split", list(SPLITS))
def test_each_line_gets_the_month_of_its_payment(split, tmp_path):
    path, want = oxford_split(tmp_path, *SPLITS[split])
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert report.valid, report.to_json()
    assert report.columns.get("sub_period") and report.columns.get("period"), report.columns
    assert "period-from-two-columns" in {n.kind for n in report.notes}
    graph = loader_graph("spend", path, publisher=OXFORD_GSS)
    assert months_of(graph) == want and sum(want.values()) > 3800 and len(want) == 3
    # A line dated by a month says so in pay:date too, as xsd:gYearMonth (never an invented day).
    assert Counter(str(d) for d in graph.objects(None, PAY.date)) == want


def test_quarters_beside_a_financial_year_are_its_quarters(tmp_path):
    path, want = oxford_split(tmp_path, ["Fin Year", "Qtr"], lambda d: [_financial(d), "Q3"])
    graph = loader_graph("spend", path, publisher=OXFORD_GSS)
    q3 = iris.REFERENCE_INTERVALS + "government-quarter/2017-2018/Q3"  # October-December 2017
    assert Counter(str(p) for p in graph.objects(None, SDMX_DIMENSION.refPeriod)) == {q3: sum(want.values())}


def test_a_month_number_beside_a_financial_year_is_refused_named(tmp_path):
    """Ledgers number periods from April (period 7 is October), others count months from
    January: the file does not say which, so the number is refused, never guessed."""
    path, _ = oxford_split(tmp_path, ["Financial Year", "Period"], lambda d: [_financial(d), str(d.month - 3)])
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert not report.valid
    issue = next(i for i in report.issues if i.kind == "bad-period-part")
    assert (issue.row, issue.value) == (2, "7") and issue.column in ("Period", "Financial Year")
    assert "month's name" in issue.fix and "April" in issue.fix


def test_a_mapping_that_suppresses_the_period_number_dates_each_line_to_its_year(tmp_path):
    """The refusal's fix, followed: a --mapping marking the column suppressOutput (CSVW) is
    never read, not even by its title's words; the lines are dated to their financial year."""
    import json

    path, want = oxford_split(tmp_path, ["Financial Year", "Period"], lambda d: [_financial(d), str(d.month - 3)])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "tableSchema": {
        "columns": [{"titles": "Period", "suppressOutput": True}]}}), encoding="utf-8")
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS, mapping=mapping)
    assert report.valid and report.columns.get("period") == "Financial Year" and "sub_period" not in report.columns
    year = iris.REFERENCE_INTERVALS + "government-year/2017-2018"
    graph = loader_graph("spend", path, publisher=OXFORD_GSS, mapping=mapping)
    assert Counter(str(p) for p in graph.objects(None, SDMX_DIMENSION.refPeriod)) == {year: sum(want.values())}


def test_a_month_outside_its_year_is_refused_with_the_month_named(tmp_path):
    path, _ = oxford_split(tmp_path, ["Financial Year", "Month"], lambda d: ["2017/18", "October 2019"])
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert not report.valid
    issue = next(i for i in report.issues if i.kind == "bad-period-part")
    assert (issue.row, issue.column, issue.value) == (2, "Month", "October 2019")


def test_a_month_column_beside_payment_days_changes_nothing(tmp_path):
    path, _ = oxford_split(tmp_path, ["Paid Date", "Month"], lambda d: [d.strftime("%d/%m/%Y"), d.strftime("%B")])
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert report.valid and "sub_period" not in report.columns and "period" not in report.columns
    graph = loader_graph("spend", path, publisher=OXFORD_GSS)
    original = loader_graph("spend", OXFORD, publisher=OXFORD_GSS)
    assert Counter(str(d) for d in graph.objects(None, PAY.date)) == Counter(
        str(d) for d in original.objects(None, PAY.date))


def test_a_month_column_alone_is_the_period(tmp_path):
    path, want = oxford_split(tmp_path, ["Month"], lambda d: [d.strftime("%B %Y")])
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert report.valid and report.columns.get("period") == "Month" and "sub_period" not in report.columns
    assert months_of(loader_graph("spend", path, publisher=OXFORD_GSS)) == want


def test_loaded_and_summarised_by_month(memory_store, tmp_path):
    """Served, the council's months hold what the original's days add up to, each month's
    lines counted by an independent SPARQL query as well."""
    path, want = oxford_split(tmp_path, *SPLITS["financial year, month abbreviated"])
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher=OXFORD_GSS, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    with open(OXFORD, encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Paid Date"].strip()]
    totals = Counter()
    for r in rows:
        totals[r["Paid Date"][6:10] + "-" + r["Paid Date"][3:5]] += Decimal(r["Amount"].replace(",", ""))
    summary = memory_store.select(f"""PREFIX sv: <https://w3id.org/svcat/def#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT ?month ?total WHERE {{ GRAPH <{iris.council_summary_graph(BASE, OXFORD_GSS)}> {{
            ?obs qb:dataSet <{iris.council_summary(BASE, OXFORD_GSS, "by-month")}> ; sv:month ?month ;
                 sv:spendTotal ?total }} }}""").rows
    assert {str(m["month"]): Decimal(str(m["total"])) for m in summary} == dict(totals)
    counted = memory_store.select(f"""PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        SELECT ?p (COUNT(?line) AS ?n) WHERE {{ GRAPH <{outcome.graph}> {{ ?line sdmx-dimension:refPeriod ?p }} }}
        GROUP BY ?p""").rows
    assert {str(r["p"]).removeprefix(MONTH): int(r["n"]) for r in counted} == dict(want)


@pytest.mark.parametrize(("outer", "part", "months", "start"), [
    ("2022", "6", True, "2022-06-01"), ("2022", "12", True, "2022-12-01"), ("2022", "6", False, None),
    ("2021/22", "6", True, None), ("2022", "13", True, None), ("2022", "0", True, None),
])
def test_a_month_number_is_read_only_in_a_calendar_year_under_a_month_title(outer, part, months, start):
    found = within(interval(outer), part, months=months)
    assert (found.start if found else None) == start


SPEND = manifest(REAL, "spend")


@pytest.mark.slow
@pytest.mark.parametrize("form", list(YEAR_AND_PART))
@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_every_repository_spend_file_split_so_keeps_its_lines_months(entry, form, tmp_path):
    """Each spend file dated by days, its date column split into a year and a month (or
    quarter): as many lines load, and each gets its day's month (or quarter)."""
    made = year_and_part(entry, tmp_path, form)
    if made is None:  # dated by ledger periods (Gateshead's 202208): nothing to split
        assert entry["path"].startswith("gateshead/")
        return
    path, want = made
    original = validate_file("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    assert report.valid == original.valid and report.rows_loaded == original.rows_loaded > 0, report.to_json()
    got = row_facts(open_source("spend", path, base=BASE, publisher=entry["gss_code"]), "period")
    assert len(want) > 100 and all(got.get(row) == period for row, period in want.items())


def test_a_councils_own_dialect_without_dates_gives_way_to_one_that_reads_them():
    """Harrogate's dialect knows its Payment Date only; its export by Financial Year and Month
    is read by the generic dialect, which reads both, rather than refused line by line."""
    header = ["Body Name", "Expenditure Category", "Capital / Revenue", "Service Label", "Service Code",
              "Expenditure Code", "Financial Year", "Month", "Supplier Name", "Transaction No.", "Net Amount",
              "Narrative"]
    sample = [["Harrogate Borough Council", "Supplies", "Revenue", "Parks", "Parks", "Fuel/Oil", "2022/23",
               "August", f"Supplier {n}", f"T{n}", "510.00", "Fuel"] for n in range(20)]
    assert choose("spend", header[:6] + ["Payment Date"] + header[8:], sample=[
        r[:6] + ["01/08/2022"] + r[8:] for r in sample]).dialect.id == "spend-harrogate"
    table = choose("spend", header, sample=sample)
    assert table.dialect.id == "spend-transparency-code"
    assert (table.title("period"), table.title("sub_period")) == ("Financial Year", "Month")
