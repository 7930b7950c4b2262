"""Titles in two languages: Welsh councils head their columns in English and Welsh.

"Supplier Name / Enw'r Cyflenwr", "Date | Dyddiad", or the two on two lines of one cell:
each repository spend file with the titles of its fields so written gives the very triples
of the original. Before, a known title with its Welsh beside it was no longer known, and a
field whose English words alone were not enough went unread ("organisational_unit /
Gwasanaeth" lost Oxford's service areas; Leeds was read by another dialect).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from rdflib.namespace import RDFS

from catalogue.ingest import validate_file
from catalogue.vocab import PAY, SDMX_DIMENSION, SV
from loaders import converters as cv
from loaders import open_source
from loaders.words import title_words
from tests.conftest import BASE, REAL, manifest
from tests.golden import loader_graph, row_triples
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


# ---------------------------------------------------------------- titles in Welsh alone

#: Every field's title in Welsh alone, as a council's Welsh-language edition of its file
#: words them (the words a Welsh finance team uses: Swm, Dyddiad, Cyflenwr, Trafodyn...).
WELSH_ONLY = {**WELSH, "gross_amount": "Swm Gros", "irrecoverable_vat": "TAW Anadferadwy",
              "vat_number": "Rhif Cofrestru TAW", "expense_category": "Categori Gwariant",
              "procurement_category": "Dosbarthiad Caffael", "company_number": "Rhif Cwmni",
              "charity_number": "Rhif Elusen", "body": "Cod y Corff", "purchase_card": "Cerdyn Prynu",
              "vcse": "Cyflenwr Trydydd Sector", "seq": "Rhif Llinell"}
#: Fields English titles place by their exact title alone (no words are kept for them, in
#: either language): a Welsh title does not place them either.
TITLE_ONLY = {"body", "expense_code", "vat_number", "vcse", "purchase_card", "seq"}
#: The Welsh of the titles the repository files leave unread for what their words say.
UNREAD_WELSH = {"updated": "Diweddarwyd", "effectivedate": "Dyddiad Effeithiol", "vat": "TAW",
                "servicedivisionlabel": "Is-adran Gwasanaeth"}
#: What a payment line says (each predicate's objects), compared line by line.
LINE_FACTS = tuple(str(p) for p in (PAY.netAmount, PAY.grossAmount, PAY.date, SDMX_DIMENSION.refPeriod,
                                    PAY.expenditureCategory, SV.serviceArea, PAY.narrative,
                                    PAY.procurementCategory, SV.invoiceReference, SV.irrecoverableVat))


def welsh_only(entry: dict, folder) -> Path:
    source = open_source("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
    with open(entry["file"], encoding=source.info.encoding, newline="") as handle:
        records = list(csv.reader(handle, delimiter=source.info.delimiter))
    header = records[source.table.header_row - 1]
    read = {index: WELSH_ONLY[field] for field, index in source.table.fields.items()}
    # A column the original leaves unread is in Welsh too: its words where they say why it is
    # not read (an update's or an effective date, a division, the VAT), else "Colofn N".
    header[:] = [read.get(i, UNREAD_WELSH.get(cv.header_key(title), f"Colofn {i + 1}") if title.strip() else title)
                 for i, title in enumerate(header)]
    path = folder / entry["file"].name
    path.write_text(csv_text(records), encoding="utf-8", newline="")
    return path


def line_facts(graph) -> Counter:
    """Each line's amount, date or period, categories, text and payee's name, as a bag."""
    lines = set(graph.subjects(PAY.netAmount, None))
    return Counter(tuple(sorted((str(p), str(o)) for p, o in graph.predicate_objects(line) if str(p) in LINE_FACTS))
                   + tuple(sorted(str(n) for payee in graph.objects(line, PAY.payee)
                                  for n in graph.objects(payee, RDFS.label)))
                   for line in lines)


@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_a_file_titled_in_welsh_alone_says_what_the_original_says(entry, tmp_path):
    """Before, only the amount, the date and the supplier were placed (by their cells);
    the reference, service, expense type, VAT and registered numbers went unread."""
    path = welsh_only(entry, tmp_path)
    original = validate_file("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    assert report.valid == original.valid and report.rows_loaded == original.rows_loaded > 0
    unread = set(original.columns) - set(report.columns)
    assert unread <= TITLE_ONLY, report.columns
    assert set(report.columns) <= set(original.columns)
    want = line_facts(loader_graph("spend", entry["file"], publisher=entry["gss_code"]))
    assert line_facts(loader_graph("spend", path, publisher=entry["gss_code"])) == want and len(want) > 10


@pytest.mark.parametrize(("title", "words"), [
    ("Tŷ'r Cwmnïau", ("ty", "r", "cwmniau")), ("Enw'r Cyflenwr", ("enw", "r", "cyflenwr")),
    ("Café Total (£)", ("cafe", "total")),
])
def test_accented_letters_are_letters_of_their_word(title, words):
    assert title_words(title) == words
