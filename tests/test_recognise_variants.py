"""Issue 17, items 3 and 10: every line keeps its supplier, and recognition generalises.

Each DEV spend file is read through the loaders (events, no store); then each variant of
it (``tests/variants.py``: other finance-system titles, columns reordered, spacers and a
title line, net and gross both present, the supplier column titled "Description" or not
at all) must give the same number of lines, the same total and the same payees, without
``--mapping``. The fast lane uses the repository copies; the slow lane every file of
``../shared/data/real``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from loaders import RowEvent, open_source
from tests.conftest import BASE, REAL, manifest, real_files
from tests.variants import Original, variants

FAST = manifest(REAL, "spend")
SLOW = real_files("spend")


@dataclass
class Loaded:
    lines: int
    total: Decimal
    payees: Counter
    with_payee: int
    with_supplier_cell: int
    original: Original


def load(path: Path, gss: str) -> Loaded:
    """What the loaders make of a file: lines, total amount, payees, and supplier cells."""
    source = open_source("spend", path, base=BASE, publisher=gss)
    table = source.table
    columns = [table.fields[f] for f in ("supplier_name", "supplier_id") if f in table.fields]
    nulls = table.dialect.nulls
    lines, total, payees, with_payee, with_cell = 0, Decimal(0), Counter(), 0, 0
    for event in source.events():
        if not isinstance(event, RowEvent):
            continue
        lines += 1
        if amount := event.facts.get("amount"):
            total += Decimal(amount)
        payee = event.facts.get("payee")
        payees[payee] += 1
        with_payee += payee is not None
        cells = event.cells
        with_cell += any(i < len(cells) and cells[i].strip() and cells[i].strip().lower() not in nulls
                         for i in columns)
    return Loaded(lines, total, payees, with_payee, with_cell,
                  Original(Path(path), source.info.encoding, table.header_row, dict(table.fields)))


def check_file(entry: dict, tmp_path: Path) -> None:
    base = load(entry["file"], entry["gss_code"])
    assert base.lines > 0 and base.with_payee == base.with_supplier_cell, (
        f"{base.with_supplier_cell - base.with_payee} rows with a supplier cell have no payee")
    for variant in variants(base.original):
        path = tmp_path / f"{variant.name}.csv"
        path.write_text(variant.text, encoding="utf-8", newline="")
        got = load(path, entry["gss_code"])
        assert (got.lines, got.total) == (base.lines, base.total), variant.name
        assert got.payees == base.payees, f"{variant.name}: payees differ"
        assert got.with_payee == got.with_supplier_cell, variant.name


@pytest.mark.parametrize("entry", FAST, ids=[e["path"] for e in FAST])
def test_variants_of_repository_files_load_like_their_original(entry, tmp_path):
    check_file(entry, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("entry", SLOW, ids=[e["path"] for e in SLOW])
def test_variants_of_every_dev_file_load_like_their_original(entry, tmp_path):
    check_file(entry, tmp_path)
