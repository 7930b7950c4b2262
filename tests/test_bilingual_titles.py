"""Titles in two languages: Welsh councils head their columns in English and Welsh.

"Supplier Name / Enw'r Cyflenwr", "Date | Dyddiad", or the two on two lines of one cell:
each repository spend file with the titles of its fields so written gives the very triples
of the original. Before, a known title with its Welsh beside it was no longer known, and a
field whose English words alone were not enough went unread ("organisational_unit /
Gwasanaeth" lost Oxford's service areas; Leeds was read by another dialect).
"""

from __future__ import annotations

import csv

import pytest

from loaders import converters as cv
from loaders import open_source
from tests.conftest import BASE, REAL, manifest
from tests.golden import row_triples
from tests.variants import csv_text

SPEND = manifest(REAL, "spend")
#: Welsh titles for the fields of a payment (as Welsh councils' bilingual files word them).
WELSH = {"date": "Dyddiad", "period": "Cyfnod", "supplier_name": "Enw'r Cyflenwr", "net_amount": "Swm Net",
         "transaction": "Rhif Trafodyn", "service_area": "Maes Gwasanaeth", "expense_type": "Math o Wariant",
         "supplier_id": "Rhif y Cyflenwr", "body_name": "Enw'r Corff", "narrative": "Disgrifiad",
         "expense_code": "Cod Gwariant", "capital_revenue": "Cyfalaf neu Refeniw", "invoice": "Rhif Anfoneb"}
SEPARATORS = {"slash": " / ", "bar": " | ", "line": "\n"}


@pytest.mark.parametrize("title,keys", [
    ("Date / Dyddiad", ("datedyddiad", "date", "dyddiad")),
    ("Supplier Name|Enw'r Cyflenwr", ("suppliernameenwrcyflenwr", "suppliername", "enwrcyflenwr")),
    ("Amount\nSwm", ("amountswm", "amount", "swm")),
    ("Capital/Revenue", ("capitalrevenue",)),  # no spaces around the slash: one title
    ("Net Amount", ("netamount",)),
    ("A / B / C", ("abc",)),  # three parts: not two languages
])
def test_a_title_in_two_languages_has_a_key_for_each_half(title, keys):
    assert cv.title_keys(title) == keys


def bilingual(entry: dict, folder, separator: str):
    source = open_source("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
    table = source.table
    with open(entry["file"], encoding=source.info.encoding, newline="") as handle:
        records = list(csv.reader(handle, delimiter=source.info.delimiter))
    header = records[table.header_row - 1]
    for field, index in table.fields.items():
        if field in WELSH:
            header[index] = f"{header[index]}{separator}{WELSH[field]}"
    path = folder / entry["file"].name
    path.write_text(csv_text(records), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_a_file_titled_in_english_and_welsh_gives_the_triples_of_the_original(entry, separator, tmp_path):
    path = bilingual(entry, tmp_path, separator)
    assert row_triples("spend", path, publisher=entry["gss_code"]) == row_triples(
        "spend", entry["file"], publisher=entry["gss_code"])
