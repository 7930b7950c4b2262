"""Issue 17, item 5: a supplier list's totals (``sv:SupplierTotal``) are shown as list totals
on the council's page and never added to its payment totals.

Regression: with Salford's June 2022 payments (the real file, tests/data/real/salford) and
Salford's supplier list for June 2022 (tests/data/samples/salford) loaded, the council's
full supplier table summed both: 24,902,903.07 where the payments add up to 21,292,074.37."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from catalogue.app import create_app
from catalogue.ingest import load_file
from tests.conftest import BASE, DATA, OGL, REAL

SALFORD = "E08000006"
SPEND = REAL / "salford" / "2022-06.csv"
LIST = DATA / "samples" / "salford" / "suppliers-2022-06.csv"


def column_sum(path, title: str) -> Decimal:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum((Decimal(r[title].replace(",", "")) for r in csv.DictReader(handle) if r[title].strip()),
                   Decimal(0))


@pytest.fixture(scope="module")
def salford_client():
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    for kind, path in (("spend", SPEND), ("suppliers", LIST)):
        outcome = load_file(store, kind, path, base=BASE, publisher=SALFORD, licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
    yield create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE}).test_client()
    store.close()


def table(client, name: str) -> list[dict]:
    response = client.get(f"/council/{SALFORD}/{name}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_supplier_table_adds_up_payments_only(salford_client):
    payments = column_sum(SPEND, "Net")
    assert payments == Decimal("21292074.37")
    assert sum(Decimal(r["spend"]) for r in table(salford_client, "suppliers")) == payments
    assert sum(Decimal(r["spend"]) for r in table(salford_client, "months")) == payments


def test_list_totals_are_shown_apart_with_their_period(salford_client):
    rows = table(salford_client, "supplier-lists")
    assert len(rows) == 14
    assert sum(Decimal(r["spend"]) for r in rows) == column_sum(LIST, "Total Net Amount")
    assert {r["period"] for r in rows} == {"June 2022"}
    page = salford_client.get(f"/doc/council/{SALFORD}").get_data(as_text=True)
    assert "Supplier lists: totals as listed" in page and "never added to the payment" in page


def test_organisation_page_shows_list_totals_apart(salford_client):
    from catalogue.linking.run import link_all

    app = salford_client.application
    store = app.config["SVCAT_STORE_OBJECT"]
    link_all(store, BASE, licence=OGL)
    store.publish()
    from catalogue.linking import profile

    with app.app_context():
        crosswalk = salford_client.get("/organisations/crosswalk.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(crosswalk)) if r["supplier_name"].startswith("Seddon"))
    found = profile.profile(store, BASE, row["organisation"])
    assert [(t["period"], t["total"], t["lines"]) for t in found.list_totals] == [
        ("June 2022", Decimal("1004581.79"), "6")]
    # Salford paid "Seddon Construction Limited" and "Seddon Construction Ltd": one organisation
    payments = column_sum_where(SPEND, "Net", "Vendor Name", "Seddon Construction L")
    assert payments == Decimal("1007138.83")
    assert sum(t["total"] for t in found.totals) == payments  # the list total is not added
    page = salford_client.get(row["organisation"].replace(BASE + "id/", "/doc/")).get_data(as_text=True)
    assert "Supplier list totals" in page and "£1,004,582" in page


def column_sum_where(path, title: str, key: str, value: str) -> Decimal:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum((Decimal(r[title]) for r in csv.DictReader(handle) if r[key].startswith(value)), Decimal(0))
