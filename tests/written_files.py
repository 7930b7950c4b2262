"""Small council and register files written by tests, in the layouts their publishers use.

Several linking tests need a supplier list or a Companies House part with just the rows a
rule turns on; writing them here keeps one statement of each layout.
"""

from __future__ import annotations

import csv

from tests.conftest import DATA

#: A real BasicCompanyData part's header (leading spaces and all), from the DEV sample.
CH_DEV = DATA / "registers" / "BasicCompanyData-dev-sample-part1_1.csv"
SUPPLIER_COLUMNS = ("Supplier Name", "Supplier ID", "Company Number", "Postcode")


def companies_house(path, rows) -> str:
    """A Companies House part: each row a dict by column name (stripped), every field quoted."""
    header = CH_DEV.read_text(encoding="utf-8").splitlines()[0]
    columns = next(csv.reader([header]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\r\n")
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for values in rows:
            writer.writerow([values.get(c.strip(), "") for c in columns])
    return str(path)


def suppliers(path, rows, columns=SUPPLIER_COLUMNS) -> str:
    """A council's supplier list with the given columns."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return str(path)
