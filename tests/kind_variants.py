"""Supplier lists and outcome tables as other publishers write them, made from the DEV files.

The next council's supplier list or indicator table will not use our mappings' titles.
These title sets are typical of public data (ONS, Nomis, DfE and LG Inform for outcome
tables; finance systems' pivot exports for supplier lists; see
``loaders/data/column_words.csv`` for where each form is seen). They are shared by
``tests/test_recognise_outcomes.py``, ``tests/test_recognise_suppliers.py`` and
``bench/recognition_kinds.py``, which counts how many variants keep their triples.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from catalogue.vocab import SDMX_DIMENSION, SDMX_MEASURE
from loaders import converters as cv
from loaders import open_source
from loaders.read import records
from tests.variants import csv_text

#: Titles for area_code, area_name, period, indicator, measure, unit, value, in that order.
LONG_OUTCOME_TITLES = {
    "ons-nomis": ["Geography code", "Geography name", "Time period", "Indicator name", "Measure type",
                  "Unit of measurement", "Observation value"],
    "dfe": ["LA code", "Local authority", "Year", "Indicator", "Statistic", "Units", "Value"],
    "area-figure": ["ONS code", "Area", "Period", "Description", "Measure", "Unit", "Figure"],
    "bare-words": ["Code", "Name", "Date", "Metric", "Type", "Unit", "Amount"],
    "welsh": ["Cod Ardal", "Enw'r Ardal", "Cyfnod", "Dangosydd", "Mesur", "Uned", "Gwerth"],
}
#: A column order other than the original's (value first, codes last).
OUTCOME_ORDER = [6, 3, 4, 5, 2, 1, 0]
#: Prompt payment's eight columns as a council might title its own table.
PROMPT_PAYMENT_TITLES = ["Council", "Organisation URI", "Effective Date", "Financial Year",
                         "Invoices Paid On Time (%)", "Interest Paid (£)", "Interest Liable (£)",
                         "Number of Invoices Paid Late"]
#: Titles for a supplier list's name, id, total and number of payments.
SUPPLIER_LIST_CANONICAL = ["Supplier Name", "Supplier ID", "Total Net Amount", "Number of Payments"]
SUPPLIER_LIST_TITLES = {
    "vendor": ["Vendor", "Vendor Code", "Total Paid (£)", "No. of Payments"],
    "creditor": ["Creditor Name", "Creditor Ref", "Sum of Net", "Count of Transactions"],
    "payee": ["Payee", "Account Number", "Spend", "Invoices"],
    "organisation": ["Organisation", "Supplier Code", "Total", "Payments Made"],
    "welsh": ["Enw'r Cyflenwr", "Rhif y Cyflenwr", "Cyfanswm Net", "Nifer y Taliadau"],
}


def supplier_list(path: Path, gss: str, base: str) -> list[list[str]]:
    """``[name, id (where the file has ids), net total, lines]`` per supplier of a spend
    file: the list its council could publish, totalled from the cells the spend loader reads."""
    source = open_source("spend", path, base=base, publisher=gss)
    table = source.table
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    lines: dict[tuple[str, str], int] = defaultdict(int)
    for number, cells in records(source.info):
        if number <= table.header_row:
            continue
        values = table.values(cells)
        amount = cv.money(values.get("net_amount", ""))
        if "supplier_name" in values and amount is not None:
            key = (cv.text(values["supplier_name"]), cv.text(values.get("supplier_id", "")))
            totals[key] += Decimal(amount)
            lines[key] += 1
    with_id = "supplier_id" in table.fields
    return [[name] + ([ident] if with_id else []) + [f"{totals[name, ident]:.2f}", str(lines[name, ident])]
            for name, ident in sorted(totals)]


def write(folder: Path, name: str, rows: list[list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    return path


def write_supplier_list(folder: Path, titles: list[str], rows: list[list[str]]) -> Path:
    """The list under ``titles`` (the id's title left out when the list has no ids)."""
    header = titles if len(rows[0]) == 4 else [titles[0]] + titles[2:]
    return write(folder, "suppliers.csv", [header] + rows)


def observations(graph) -> Counter:
    """(period, value) of each observation: what a table says, whatever its columns are called."""
    return Counter((str(period), Decimal(str(value))) for obs, period in graph.subject_objects(SDMX_DIMENSION.refPeriod)
                   for value in graph.objects(obs, SDMX_MEASURE.obsValue))
