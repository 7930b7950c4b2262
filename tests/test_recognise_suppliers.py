"""Supplier lists as councils and finance systems write them: "Vendor", "Creditor Name",
"Payee", "Organisation"; "Total Paid (£)", "Sum of Net", "Spend"; "No. of Payments",
"Count of Transactions", "Invoices".

Each repository spend file is turned into the supplier list its council could publish
(one row per supplier: name, id where the file has one, the net total and the number of
lines; totals added from the cells the spend loader reads) and written under two of the
title sets below. Every variant must give the very triples of the same list under the
suppliers mapping's own titles, and be recognised as a supplier list. Before supplier lists were
recognised by title words and content, the first three sets were read by no kind at all,
and the last as a grants register.
"""

from __future__ import annotations

import pytest

from loaders import open_source
from loaders.inspect import candidates, guess
from tests.conftest import BASE, REAL, manifest
from tests.golden import row_triples
from tests.kind_variants import SUPPLIER_LIST_CANONICAL as CANONICAL
from tests.kind_variants import SUPPLIER_LIST_TITLES as TITLE_SETS
from tests.kind_variants import supplier_list as made
from tests.kind_variants import write_supplier_list as write

KINDS = ["spend", "suppliers", "contracts", "grants", "outcomes", "framework"]
SPEND = manifest(REAL, "spend")
#: Each file under two of the four title sets, every set over the files in turn (all 88
#: pairs of the DEV files are counted by ``bench/recognition_kinds.py``).
PAIRS = [(entry, name) for i, entry in enumerate(SPEND)
         for name in (sorted(TITLE_SETS)[i % 4], sorted(TITLE_SETS)[(i + 2) % 4])]


def supplier_list(entry: dict) -> list[list[str]]:
    return made(entry["file"], entry["gss_code"], BASE)


@pytest.fixture(scope="module")
def lists(tmp_path_factory) -> dict[str, tuple[list[list[str]], set]]:
    out = {}
    for entry in SPEND:
        rows = supplier_list(entry)
        path = write(tmp_path_factory.mktemp("suppliers") / entry["path"].replace("/", "-"), CANONICAL, rows)
        out[entry["path"]] = rows, row_triples("suppliers", path, publisher=entry["gss_code"])
    return out


@pytest.mark.parametrize(("entry", "titles"), PAIRS, ids=[f"{e['path']}-{n}" for e, n in PAIRS])
def test_a_supplier_list_under_other_titles_gives_the_triples_of_the_mappings_titles(entry, titles, lists, tmp_path):
    rows, original = lists[entry["path"]]
    path = write(tmp_path, TITLE_SETS[titles], rows)
    found = guess(candidates(path, KINDS))
    assert found["kind"] == "suppliers", found
    got = row_triples("suppliers", path, publisher=entry["gss_code"])
    assert len(rows) >= 10 and len(original) >= 4 * len(rows)
    assert got == original, f"{len(original - got)} triples lost, {len(got - original)} added"


def test_the_count_of_payments_is_not_taken_for_the_total(tmp_path):
    rows = supplier_list(SPEND[0])
    path = write(tmp_path, ["Name", "Reference", "Number", "Amount"], [[r[0], r[1], r[3], r[2]] for r in rows]
                 if len(rows[0]) == 4 else [[r[0], r[2], r[1]] for r in rows])
    table = open_source("suppliers", path, base=BASE, publisher=SPEND[0]["gss_code"]).table
    assert table.title("total_amount") == "Amount" and table.title("payments") == "Number"
