"""Council pages' SME, VCSE, public-body and local shares, and organisation pages' registry
facts (issue 19, item 5), on real council files with the register samples loaded.

The store holds Salford's real spend file and contracts register (whose suppliers give
postcodes), the DEV-number and synthetic register samples (tests/data/registers), and a
postcode directory written by ``postcode_directory`` below: it places each postcode of
the Salford contracts register by its postcode area alone (M: Salford, BL: Bolton, both
in county E11000001; any other: Leeds, county E11000006). That placement is deliberately
rough, made up for this test to exercise "local" and "in its county"; it is not a
statement of where any postcode lies.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from catalogue import iris
from catalogue.analysis.supplier_shares import Place, recipients, shares
from tests.conftest import BASE, DATA, OGL, REAL
from tests.test_figures_consistency import assert_shares_agree, lines_by_payee

SALFORD = "E08000006"
REGISTERS = DATA / "registers"
SYNTHETIC = REGISTERS / "synthetic"
CONTRACTS = REAL / "salford/contracts-register-2022-07.csv"
PLACES = {"M": ("E08000006", "E11000001"), "BL": ("E08000001", "E11000001")}
ELSEWHERE = ("E08000035", "E11000006")


def postcode_directory(path) -> dict[str, tuple[str, str]]:
    """An ONSPD-shaped CSV placing every Salford contracts postcode by its area (see above)."""
    with open(CONTRACTS, encoding="latin-1", newline="") as handle:
        found = {r["Supplier Postcode"].strip().upper() for r in csv.DictReader(handle)}
    placed = {}
    squeezed = {p.replace(" ", "") for p in found if re.match(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", p)}
    for postcode in sorted(f"{p[:-3]} {p[-3:]}" for p in squeezed):
        placed[postcode] = PLACES.get(re.match(r"[A-Z]+", postcode).group(), ELSEWHERE)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["pcd", "pcds", "doterm", "oslaua", "oscty", "rgn"])
        for postcode, (district, county) in placed.items():
            writer.writerow([postcode.replace(" ", ""), postcode, "", district, county, "E12000002"])
    return placed


@pytest.fixture(scope="module")
def shares_site(tmp_path_factory):
    from catalogue.app import create_app
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    directory = tmp_path_factory.mktemp("postcodes") / "ONSPD_TEST_PLACEMENTS_UK.csv"
    placed = postcode_directory(directory)
    for kind, path, publisher in (
            ("spend", REAL / "salford/2022-06.csv", SALFORD), ("contracts", CONTRACTS, SALFORD),
            ("companies-house", REGISTERS / "BasicCompanyData-dev-sample-part1_1.csv", None),
            ("charities", REGISTERS / "publicextract.charity.dev-sample.txt", None),
            ("companies-house", SYNTHETIC / "BasicCompanyData-2099-01-01-synthetic.csv", None),
            ("charities", SYNTHETIC / "publicextract.charity.synthetic.txt", None),
            ("postcodes", SYNTHETIC / "ONSPD_SYNTHETIC_2099_UK.csv", None),
            ("suppliers", SYNTHETIC / "suppliers-synthetic.csv", "E08000036"),
            ("postcodes", directory, None)):
        outcome = load_file(store, kind, path, base=BASE, publisher=publisher, licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
    link_all(store, BASE, licence=OGL)
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE})
    yield {"client": app.test_client(), "store": store, "placed": placed}
    store.close()


# ---------------------------------------------------------------- council pages


def test_salfords_shares_equal_an_independent_count_with_local_and_county(shares_site):
    client, store = shares_site["client"], shares_site["store"]
    council = iris.council(BASE, SALFORD)
    rows = assert_shares_agree(client, store, council, SALFORD, lines_by_payee(store, council))
    by = {(r["measure"], r["basis"]): r for r in rows}
    local, county = by[("local", "count")], by[("county", "count")]
    # Salford's suppliers with an M postcode are local; BL ones are in the county, not local.
    assert local["yes"] > 0 and local["no"] > 0 and local["unknown"] > 0
    assert county["yes"] > local["yes"] and county["unknown"] == local["unknown"]
    assert by[("sme", "count")]["yes"] > 0 and Decimal(by[("public_body", "value")]["yes"]) > 0
    assert by[("sme", "value")]["total"] == by[("local", "value")]["total"]  # one base for every measure


def test_salfords_page_draws_each_share_as_an_accessible_svg_with_its_figures_in_words(shares_site):
    client = shares_site["client"]
    rows = {(r["measure"], r["basis"]): r for r in client.get(f"/council/{SALFORD}/shares.json").get_json()["rows"]}
    page = BeautifulSoup(client.get(f"/doc/council/{SALFORD}").get_data(as_text=True), "html.parser")
    section = page.find("section", id="shares")
    charts = section.find_all("svg", attrs={"role": "img"})
    assert [c.find("title")["id"] for c in charts] == [f"share-{m}-t" for m in
                                                      ("sme", "vcse", "public_body", "local", "county")]
    for chart in charts:
        measure = chart.find("title")["id"][len("share-"):-len("-t")]
        assert chart["aria-labelledby"] == f"share-{measure}-t share-{measure}-d"
        value, count = rows[(measure, "value")], rows[(measure, "count")]
        desc = chart.find("desc").get_text()
        for row in (value, count):
            assert f"at least {row['yes_share'] * 100:.1f}%, unknown {row['unknown_share'] * 100:.1f}%" in desc
        widths = [float(r["width"]) for r in chart.find_all("rect")]
        assert len(widths) == 6 and abs(sum(widths[:3]) - 360) < 0.05 and abs(sum(widths[3:]) - 360) < 0.05
        assert abs(widths[0] - value["yes_share"] * 360) < 0.01 and abs(widths[4] - count["unknown_share"] * 360) < 0.01
        caption = chart.find_parent("figure").find("figcaption").get_text()
        assert f"({count['yes']:,} of {count['total']:,} suppliers)" in caption
    table = section.find("table")
    assert [th.get_text() for th in table.find_all("th", scope="row")] == [
        "SME", "VCSE", "Public body", "Local (in the council's area)", "In the council's county"]
    assert "E11000001" in section.find("p", class_="lede").get_text()


def test_the_shares_table_is_csv_too(shares_site):
    text = shares_site["client"].get(f"/council/{SALFORD}/shares.csv").get_data(as_text=True)
    header, *body = list(csv.reader(text.splitlines()))
    assert header[:5] == ["label", "basis", "yes_share", "unknown_share", "no_share"] and len(body) == 10


def test_a_credit_leaves_a_recipient_out_and_a_withheld_payee_counts_by_value_only():
    sme = Place({"sme": "yes", "local": "yes"}, "E08000006")
    rows = [{"payee": "p1", "organisation": "o1", "total": Decimal(100)},
            {"payee": "p2", "organisation": "o1", "total": Decimal(-20)},  # o1 nets 80
            {"payee": "p3", "organisation": None, "total": Decimal(-5)},  # repaid more than paid: left out
            {"payee": f"{BASE}id/redaction/x", "organisation": None, "total": Decimal(20)}]
    assert sorted((o or "", t, w) for o, t, w in recipients(rows)) == [("", Decimal(20), True), ("o1", Decimal(80), False)]
    got = {(r["measure"], r["basis"]): r for r in shares(rows, {"o1": sme}, "E08000006", set())}
    assert (got[("sme", "value")]["yes"], got[("sme", "value")]["unknown"], got[("sme", "value")]["yes_share"]) == \
        (Decimal(80), Decimal(20), 0.8)
    assert (got[("sme", "count")]["yes"], got[("sme", "count")]["total"]) == (1, 1)
    assert got[("local", "count")]["yes_share"] == 1.0 and ("county", "value") not in got  # no county known


# ---------------------------------------------------------------- organisation pages


def test_an_organisation_page_shows_its_registry_facts_with_source_and_date(shares_site):
    client = shares_site["client"]
    page = BeautifulSoup(client.get("/doc/organisation/GB-COH-99000001").get_data(as_text=True), "html.parser")
    block = page.find("section", attrs={"aria-labelledby": "h-registry"})
    caption = block.find("caption").get_text(" ", strip=True)
    assert caption.startswith("Companies House GB-COH-99000001 · source:") and caption.endswith("as of 2099-01-01")
    link = block.find("caption").find("a")["href"]
    assert link.startswith("/doc/dataset/companies-house/") and client.get(link).status_code == 200
    facts = {tr.th.get_text(): tr.td.get_text() for tr in block.find_all("tr")}
    assert facts["Status"] == "Active" and facts["Company category or charity type"] == "Private Limited Company"
    assert facts["SIC codes"] == "99999 - Synthetic activity" and facts["Accounts category"] == "MICRO ENTITY"
    assert facts["Registered postcode"].startswith("ZZ1 1AA (local authority E08000036")
    assert facts["Incorporated"] == "2010-04-01" and facts["Accounts made up to"] == "2025-03-31"
    body = client.get("/doc/organisation/GB-COH-99000001.json").get_json()
    [entry] = body["registry"]
    assert entry["facts"]["status"] == "Active" and entry["facts"]["sic"] == "99999 - Synthetic activity"
    assert (entry["date"], entry["local_authority"], entry["dataset"]) == (
        "2099-01-01", "E08000036", f"{BASE}{link[len('/doc/'):].replace('dataset/', 'id/dataset/', 1)}")


def test_a_charitable_companys_page_shows_both_registers_and_the_charitys_income(shares_site):
    body = shares_site["client"].get("/doc/organisation/GB-COH-99000005.json").get_json()
    by_register = {e["register"]: e for e in body["registry"]}
    assert set(by_register) == {"Companies House", "Charity Commission register"}
    charity = by_register["Charity Commission register"]
    assert (charity["identifier"], charity["facts"]["income"], charity["facts"]["status"]) == \
        ("GB-CHC-9900005", "120000", "Registered")
    assert charity["date"] == "2099-01-02"


def test_an_organisation_no_register_knows_says_so(shares_site):
    client = shares_site["client"]
    listed = client.get("/organisations.json?_size=max").get_json()["rows"]
    bare = next(r for r in listed if not r["identifiers"])
    key = bare["organisation"].split("/id/organisation/", 1)[1]
    assert client.get(f"/doc/organisation/{key}.json").get_json()["registry"] == []
    assert "No register entry" in client.get(f"/doc/organisation/{key}").get_data(as_text=True)
    assert client.get("/doc/organisation/GB-COH-00000000.json").status_code == 404


def test_in_its_county_counts_a_supplier_in_another_district_of_the_councils_county():
    rows = [{"payee": "p1", "organisation": "o1", "total": Decimal(30)},
            {"payee": "p2", "organisation": "o2", "total": Decimal(70)}]
    places = {"o1": Place({"local": "no"}, "E07000163", "E10000023"),  # a neighbouring district, same county
              "o2": Place({"local": "no"}, "E08000035", "")}  # elsewhere
    got = {(r["measure"], r["basis"]): r for r in shares(rows, places, "E07000165", {"E10000023"})}
    assert (got[("county", "value")]["yes"], got[("county", "value")]["no"]) == (Decimal(30), Decimal(70))
    assert got[("local", "count")]["no"] == 2 and got[("sme", "count")]["unknown"] == 2
