"""A contracts register under the titles other councils give its columns (issue 17's rule,
applied to the second kind users bring most).

Salford's register is rewritten with each title set below (taken from councils' published
registers: "Awarded To", "Name of Contract", "Commencement Date", "Estimated Total Value
(£)", "SME Status"...), with its columns reordered, with semicolons between cells, and under
a title line with spacer columns; every variant must give the very triples the original
gives (the last, the same facts: its rows, and so its contracts' IRIs, move down two),
without --mapping. Before contracts were recognised by title
words and content, the first set was refused whole ("no column for title or
contract_reference").
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from catalogue.vocab import PROV
from loaders.mapping import DialectError
from loaders.terms import iri
from tests.conftest import REAL
from tests.golden import row_triples
from tests.variants import csv_text

REGISTER = REAL / "salford" / "contracts-register-2022-07.csv"
SALFORD = "E08000006"
PROV_ROW = iri(str(PROV.wasDerivedFrom))

TITLE_SETS = {
    "awarded-to": {
        "Process Used": "Procurement Method", "Contract Reference": "Our Ref", "Contract Title": "Name of Contract",
        "Contract Description": "Description of Works, Goods or Services", "Supplier Company Name": "Awarded To",
        "Annual Value": "Estimated Annual Spend", "Total Contract Value (including extensions)":
        "Estimated Total Value (£)", "Start Date": "Commencement Date", "End Date": "Contract End",
        "Current Expiry Date": "Expiry", "SME Supplier?": "SME Status"},
    "provider": {
        "Directorate Name": "Lead Department", "Process Used": "Procurement Route", "Contract Reference":
        "Contract ID", "Contract Title": "Subject Matter", "Contract Description": "Scope of Contract",
        "Supplier Company Name": "Provider Name", "Annual Value": "Value per Year",
        "Total Contract Value (including extensions)": "Whole Life Value", "Start Date": "Contract Start",
        "End Date": "Finish Date", "Current Expiry Date": "Extended End Date", "SME Supplier?": "Is SME"},
    "successful-supplier": {
        "Contract Reference": "Reference No", "Contract Title": "Title of Contract", "Contract Description":
        "Summary", "Supplier Company Name": "Successful Supplier", "Annual Value": "Yearly Value",
        "Total Contract Value (including extensions)": "Total Cost", "Start Date": "Begin Date",
        "End Date": "Expires", "Current Expiry Date": "Current End Date"},
    "welsh": {
        "Directorate Name": "Cyfarwyddiaeth", "Process Used": "Proses Gaffael", "Contract Reference":
        "Cyfeirnod y Contract", "Contract Title": "Teitl y Contract", "Contract Description": "Disgrifiad",
        "Supplier Company Name": "Enw'r Cyflenwr", "Annual Value": "Gwerth Blynyddol",
        "Total Contract Value (including extensions)": "Cyfanswm Gwerth y Contract", "Start Date": "Dyddiad Dechrau",
        "End Date": "Dyddiad Diwedd", "Current Expiry Date": "Dyddiad Dod i Ben Presennol",
        "SME Supplier?": "Cyflenwr BBaCh?"},
}


def records() -> list[list[str]]:
    with open(REGISTER, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0][0] = rows[0][0].removeprefix("\u00ef\u00bb\u00bf")  # the register's double-encoded BOM
    return rows


def write(folder: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    folder.mkdir()
    path = folder / REGISTER.name
    path.write_text(csv_text(rows, delimiter), encoding="utf-8", newline="")
    return path


def triples(path: Path) -> set:
    return row_triples("contracts", path, publisher=SALFORD)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> set:
    return triples(write(tmp_path_factory.mktemp("register") / "original", records()))


@pytest.mark.parametrize("name", sorted(TITLE_SETS))
def test_a_register_under_other_titles_gives_the_same_triples(name, original, tmp_path):
    rows = records()
    titles = TITLE_SETS[name]
    assert set(titles) <= set(rows[0]), "every renamed title is one of the register's"
    rows[0] = [titles.get(h, h) for h in rows[0]]
    got = triples(write(tmp_path / name, rows))
    assert len(original) > 5000
    assert got == original, f"{len(original - got)} triples lost, {len(got - original)} added"


def test_a_register_under_other_titles_and_in_another_order_gives_the_same_triples(original, tmp_path):
    rows = records()
    rows[0] = [TITLE_SETS["provider"].get(h, h) for h in rows[0]]
    order = list(range(len(rows[0])))
    random.Random(7).shuffle(order)
    rows = [[r[i] if i < len(r) else "" for i in order] for r in rows]
    assert triples(write(tmp_path / "reordered", rows)) == original


def facts(found: set) -> Counter:
    """Each contract's facts without its IRI and its row (both move with the rows above)."""
    by_subject = defaultdict(set)
    for subject, predicate, obj in found:
        if predicate != PROV_ROW:
            by_subject[subject].add((predicate, obj))
    return Counter(frozenset(f) for f in by_subject.values())


def test_a_register_under_a_title_line_with_spacer_columns_gives_the_same_facts(original, tmp_path):
    rows = records()
    rows[0] = [TITLE_SETS["awarded-to"].get(h, h) for h in rows[0]]

    def spaced(record: list[str]) -> list[str]:
        return [cell for i, c in enumerate(record) for cell in ([c, ""] if i % 3 == 1 else [c])]
    variant = [["Contracts register, published under the Local Government Transparency Code 2015"], []]
    got = triples(write(tmp_path / "spaced", variant + [spaced(r) for r in rows]))
    assert facts(got) == facts(original)


def test_a_register_with_semicolons_between_cells_gives_the_same_triples(original, tmp_path):
    rows = records()
    rows[0] = [TITLE_SETS["provider"].get(h, h) for h in rows[0]]
    assert triples(write(tmp_path / "semicolons", rows, delimiter=";")) == original


def test_a_register_whose_titles_say_nothing_is_refused_with_what_each_column_held(tmp_path):
    rows = records()
    rows[0] = [f"Column {i + 1}" for i in range(len(rows[0]))]
    with pytest.raises(DialectError) as refused:
        triples(write(tmp_path / "untitled", rows))
    message = str(refused.value)
    assert "no column for title or contract_reference" in message
    assert "What each column looked like: column 1 'Column 1':" in message
