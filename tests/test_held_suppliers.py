"""A manifest load hands its link the supplier records it wrote (``Pending.suppliers``), so
that a full link need not read them back from the store (``linking.records.read_records``):
the records built from those must be the store's, field for field, on real files of every
kind that names suppliers (spend, a contracts register with SME and VCSE flags, grants)."""

from __future__ import annotations

import csv

import pytest

from catalogue.ingest.manifest import Entry, load_all
from catalogue.linking import records as supplier_records
from catalogue.linking.records import read_records
from catalogue.summaries import Pending
from tests.conftest import BASE, OGL, REAL

pytestmark = pytest.mark.slow  # worker processes read the files (catalogue.ingest.spool)

KINDS = {"spend", "contracts", "grants"}


@pytest.fixture(scope="module")
def loaded():
    from catalogue.store.embedded import EmbeddedStore

    with open(REAL / "manifest.csv", encoding="utf-8", newline="") as handle:
        files = [Entry(REAL / row["path"], row["kind"], row["gss_code"], row["path"])
                 for row in csv.DictReader(handle) if row["kind"] in KINDS]
    store = EmbeddedStore(None, mode="write")
    pending = Pending()
    outcomes = load_all(store, files, base=BASE, licence=OGL, pending=pending, jobs=2)
    assert all(o.loaded for _, o in outcomes)
    return store, pending, read_records(store, BASE)


def test_records_from_the_load_are_the_stores(loaded, monkeypatch):
    store, pending, stored = loaded
    assert len(pending.suppliers) == len({d for d in pending.suppliers}) >= 12
    records = list(stored.values())
    # The comparison covers every fact linking reads, not only names.
    assert sum(bool(r.flags) for r in records) > 100 and any(r.org_ids for r in records)
    assert any(r.postcodes for r in records) and any(r.supplier_id for r in records)
    assert any(len(r.datasets) > 1 for r in records) and any(r.columns for r in records)

    def no_store_read(*args, **kwargs):
        raise AssertionError("every live dataset was held: the store must not be read")

    monkeypatch.setattr(supplier_records, "_stored_records", no_store_read)
    held = read_records(store, BASE, held=pending.suppliers)
    assert held == stored
    assert list(held) == list(stored)  # the same order: linking is repeatable


def test_datasets_not_held_or_held_for_an_old_graph_are_read_from_the_store(loaded):
    store, pending, stored = loaded
    datasets = sorted(pending.suppliers)
    some = {d: pending.suppliers[d] for d in datasets[::2]}
    stale = datasets[1]
    some[stale] = ("https://data.example.gov.uk/graph/not-the-live-one", pending.suppliers[stale][1][:1])
    assert read_records(store, BASE, held=some) == stored


def test_only_some_records_are_read_from_the_store_even_with_held_ones(loaded):
    store, pending, stored = loaded
    wanted = sorted(stored)[:50]
    assert read_records(store, BASE, only=wanted, held=pending.suppliers) == {i: stored[i] for i in wanted}
