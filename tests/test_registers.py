"""Official registers: loading them as published, matching supplier records to them by
identifier, and the classes and places they give (issue 19, items 1-3 and the crosswalk).

The register samples under tests/data/registers are in the published formats: the DEV
ones carry only identifiers and names the DEV council files give (every other field
empty: no real register rows could be fetched here), the synthetic ones are fabricated
companies and charities (numbers 99xxxxxx, postcodes ZZ) that exercise each rule.
"""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from catalogue import iris
from catalogue.cli import cli
from catalogue.ingest import load_file, validate_file
from catalogue.linking import crosswalk
from catalogue.linking.records import read_records
from catalogue.store.paging import csv_rows
from catalogue.linking.run import link_all
from catalogue.vocab import DCTERMS, SV
from loaders import LoadError, open_source
from tests.conftest import BASE, DATA, OGL, REAL

REGISTERS = DATA / "registers"
SYNTHETIC = REGISTERS / "synthetic"
CH_DEV = REGISTERS / "BasicCompanyData-dev-sample-part1_1.csv"
CC_DEV = REGISTERS / "publicextract.charity.dev-sample.txt"
PC_DEV = REGISTERS / "ONSPD-dev-sample.csv"


def _load(store, kind, path, publisher=None):
    outcome = load_file(store, kind, path, base=BASE, publisher=publisher, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    return outcome


def _crosswalk(store) -> dict[tuple[str, str], dict]:
    header = crosswalk.COLUMNS
    return {(r[0], r[1]): dict(zip(header, r)) for r in crosswalk.rows(store, BASE)}


# ---------------------------------------------------------------- loaders


def test_companies_house_file_loads_as_published_with_the_register_body_as_publisher(memory_store):
    outcome = _load(memory_store, "companies-house", CH_DEV)
    report = outcome.report
    assert (report.rows_read, report.rows_loaded, report.violations, report.warnings) == (8, 8, 0, 0)
    assert report.header[1] == " CompanyNumber"  # the published header, leading space and all
    assert report.columns["company_number"] == " CompanyNumber"
    assert outcome.dataset == f"{BASE}id/dataset/companies-house/companies-house/basiccompanydata-dev-sample-part1-1"
    rows = memory_store.select(f"""SELECT ?publisher ?kind WHERE {{ GRAPH <{iris.catalogue_graph(BASE)}> {{
        <{outcome.dataset}> <{DCTERMS.publisher}> ?publisher ; <{DCTERMS.type}> ?kind }} }}""").rows
    assert [(str(r["publisher"]), str(r["kind"])) for r in rows] == [
        (iris.register_body(BASE, "companies-house"), str(SV.companiesHouse))]
    ids = csv_rows(memory_store, f"SELECT ?id WHERE {{ GRAPH <{outcome.graph}> {{ ?e a <{SV.RegisterEntry}> ; "
                                 f"<http://www.w3.org/ns/org#identifier> ?id }} }}")
    assert {r["id"] for r in ids} >= {"GB-COH-01243967", "GB-COH-01738371", "GB-COH-04138203", "GB-COH-CE016832",
                                      "GB-COH-RS007220"}


def test_a_register_refuses_a_council_as_publisher(tmp_path):
    with pytest.raises(LoadError, match="published by Companies House, not a council"):
        open_source("companies-house", CH_DEV, base=BASE, publisher="E08000035")


def test_the_charity_extract_is_split_on_tabs_only_so_quotes_are_text(memory_store):
    outcome = _load(memory_store, "charities", SYNTHETIC / "publicextract.charity.synthetic.txt")
    assert (outcome.report.rows_loaded, outcome.report.warnings) == (5, 0)
    ids = {r["id"] for r in csv_rows(memory_store, f"SELECT ?id WHERE {{ GRAPH <{outcome.graph}> {{ "
                                                   f"?e <http://www.w3.org/ns/org#identifier> ?id }} }}")}
    assert ids == {"GB-CHC-9900005", "GB-CHC-9900011", "GB-CHC-9900011-1", "GB-CHC-9900012", "GB-CHC-9900013"}
    income = csv_rows(memory_store, f"SELECT ?i ?c WHERE {{ GRAPH <{outcome.graph}> {{ ?e <{SV.latestIncome}> ?i ; "
                                    f"<{SV.registeredCompany}> ?c }} }}")
    assert income == [{"i": "120000", "c": "GB-COH-99000005"}]  # xsd:decimal, canonical


def test_a_bad_date_in_a_register_is_a_warning_naming_row_column_and_value():
    report = validate_file("companies-house", SYNTHETIC / "BasicCompanyData-2099-01-01-synthetic.csv", base=BASE)
    assert report.loadable and report.violations == 0
    found = {(i.row, i.column, i.value) for i in report.issues if i.severity == "warning"}
    assert found == {(12, "IncorporationDate", "not a date"), (12, "Accounts.LastMadeUpDate", "31/13/2025")}


def test_a_file_that_is_not_the_register_is_refused_with_the_columns_it_lacks(tmp_path):
    wrong = tmp_path / "not-companies.csv"
    wrong.write_text("Supplier Name,Amount\nA Ltd,10\n", encoding="utf-8")
    report = validate_file("companies-house", wrong, base=BASE)
    assert not report.loadable
    assert "company_number" in report.fatal and "'CompanyNumber'" in report.fatal


def test_postcodes_place_each_postcode_in_its_district_county_and_region(memory_store):
    outcome = _load(memory_store, "postcodes", SYNTHETIC / "ONSPD_SYNTHETIC_2099_UK.csv")
    rows = csv_rows(memory_store, f"""SELECT ?pc ?la ?county WHERE {{ GRAPH <{outcome.graph}> {{
        ?u <{SV.postcode}> ?pc ; <{SV.localAuthorityArea}> ?la . OPTIONAL {{ ?u <{SV.countyArea}> ?county }} }} }}""")
    got = {r["pc"]: (r["la"].rsplit("/", 1)[-1], (r.get("county") or "").rsplit("/", 1)[-1]) for r in rows}
    assert got == {"ZZ1 1AA": ("E08000036", ""), "ZZ1 1AB": ("E08000036", ""), "ZZ2 2BB": ("E08000035", ""),
                   "ZZ3 3CC": ("E07000163", "E10000023")}  # E99999999 (no county) is not an area
    assert _load(memory_store, "postcodes", PC_DEV).report.rows_loaded == 4


# ---------------------------------------------------------------- classification by the registers


@pytest.fixture(scope="module")
def synthetic_store():
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    _load(store, "companies-house", SYNTHETIC / "BasicCompanyData-2099-01-01-synthetic.csv")
    _load(store, "charities", SYNTHETIC / "publicextract.charity.synthetic.txt")
    _load(store, "postcodes", SYNTHETIC / "ONSPD_SYNTHETIC_2099_UK.csv")
    _load(store, "suppliers", SYNTHETIC / "suppliers-synthetic.csv", publisher="E08000036")
    link_all(store, BASE, licence=OGL)
    yield _crosswalk(store)
    store.close()


def _row(walk, name):
    return walk[("E08000036", name)]


@pytest.mark.parametrize("name, sme, vcse, public", [
    ("Synthetic Micro Trading Ltd", "yes", "no", "no"),  # micro accounts; a private limited company
    ("Synthetic Full Accounts PLC", "yes", "no", "no"),  # full accounts prove nothing; the council's flag says SME
    ("Synthetic Dormant Ltd", "unknown", "no", "unknown"),  # dormant: size unknown
    ("Synthetic Community CIC", "yes", "yes", "no"),  # a CIC filing small accounts
    ("Synthetic Charitable Company", "yes", "yes", "no"),  # guarantee company + registered charity
    ("Synthetic Guarantee Ltd", "yes", "unknown", "no"),  # a guarantee company alone is not VCSE
    ("Synthetic Old Name Ltd", "yes", "no", "no"),  # medium accounts
    ("Synthetic NHS Foundation Trust", "no", "no", "yes"),  # a public body is never an SME, whatever it files
    ("Synthetic Registered Society Limited", "unknown", "yes", "no"),  # co-operative or community benefit society
    ("Synthetic Large Charity", "no", "yes", "no"),  # income above £44m
    ("Synthetic CIO", "yes", "yes", "no"),
    ("Synthetic Removed Charity", "unknown", "unknown", "unknown"),  # removed: neither its number nor its name count
    ("Synthetic Unregistered Firm", "unknown", "unknown", "unknown"),
])
def test_classes_come_from_the_registers_by_the_official_definitions(synthetic_store, name, sme, vcse, public):
    row = _row(synthetic_store, name)
    assert (row["sme"], row["vcse"], row["public_body"]) == (sme, vcse, public), row


def test_every_register_claim_names_its_register_identifier_and_date(synthetic_store):
    micro = _row(synthetic_store, "Synthetic Micro Trading Ltd")
    assert micro["size_evidence"].startswith("files micro entity accounts")
    assert micro["size_evidence"].endswith("(Companies House GB-COH-99000001, 2025-03-31) (settled by the register)")
    cic = _row(synthetic_store, "Synthetic Community CIC")
    assert cic["vcse_evidence"].endswith("(Companies House GB-COH-99000004, 2099-01-01) (settled by the register)")
    company = _row(synthetic_store, "Synthetic Charitable Company")
    assert company["vcse_evidence"] == ("a registered charity (Charitable company) "
                                        "(Charity Commission register GB-CHC-9900005, 2099-01-02) (settled by the register)")
    flagged = _row(synthetic_store, "Synthetic Full Accounts PLC")
    assert flagged["size_evidence"].startswith('an SME, flagged by E08000036 (suppliers file); read from column "SME" of '
                                               "suppliers-synthetic.csv; the register is silent on size, so this stands "
                                               "(size unknown: files full accounts")
    large = _row(synthetic_store, "Synthetic Large Charity")
    assert "£50,000,000 is above PPN 001's £44m" in large["size_evidence"]
    removed = _row(synthetic_store, "Synthetic Removed Charity")
    assert removed["vcse_evidence"].startswith("removed from the register of charities on 2023-06-30")


def test_local_means_the_registered_postcode_lies_in_the_paying_councils_area(synthetic_store):
    assert [_row(synthetic_store, n)[k] for n in ("Synthetic Micro Trading Ltd",) for k in
            ("postcode", "local_authority", "local")] == ["ZZ1 1AA", "E08000036", "yes"]
    assert _row(synthetic_store, "Synthetic Full Accounts PLC")["local"] == "no"  # Leeds, paid by Wakefield
    assert _row(synthetic_store, "Synthetic CIO")["local_authority"] == "E07000163"  # the charity's contact postcode
    unregistered = _row(synthetic_store, "Synthetic Unregistered Firm")  # the file's own postcode
    assert (unregistered["postcode"], unregistered["local_authority"], unregistered["local"]) == \
        ("ZZ2 2BB", "E08000035", "no")
    assert _row(synthetic_store, "Synthetic Dormant Ltd")["local"] == "unknown"


# ---------------------------------------------------------------- DEV suppliers meet the register samples


def test_every_dev_supplier_with_a_number_in_a_sample_gets_register_evidence(memory_store):
    """Loaded with the DEV-number samples, each supplier record of the DEV files whose
    company or charity number is in a sample is matched to that register entry by its
    identifier, and its crosswalk row says what the register gives (here: that the
    sample's fields are empty, so the size and status stay unknown, said so)."""
    for kind, path, publisher in (("spend", REAL / "calderdale/2022-08.csv", "E08000033"),
                                  ("grants", REAL / "trafford/trafford_council_voluntary_sector_grants.csv", None),
                                  ("spend", REAL / "wakefield/2018-Q4.csv", "E08000036"),
                                  ("contracts", REAL / "salford/contracts-register-2022-07.csv", "E08000006")):
        _load(memory_store, kind, path, publisher)
    for kind, path in (("companies-house", CH_DEV), ("charities", CC_DEV), ("postcodes", PC_DEV)):
        _load(memory_store, kind, path)
    link_all(memory_store, BASE, licence=OGL)
    in_samples = {f"GB-COH-{r['CompanyNumber']}" for r in _read(CH_DEV, ",")} | \
                 {f"GB-CHC-{r['registered_charity_number']}" for r in _read(CC_DEV, "\t")}
    walk = _crosswalk(memory_store)
    records = read_records(memory_store, BASE)
    checked = set()
    for record in records.values():
        numbers = record.org_ids & in_samples
        if not numbers:
            continue
        row = walk[(record.council, record.name)]
        said = row["size_evidence"] + " " + row["vcse_evidence"]
        assert any(n in said for n in numbers), (record.name, numbers, row)
        assert "Companies House" in said or "Charity Commission register" in said
        checked |= numbers
    assert checked == in_samples
    mott = walk[("E08000033", "Mott MacDonald Ltd")]
    assert mott["size_evidence"].startswith("size unknown: no accounts category (Companies House GB-COH-01243967")


def _read(path, delimiter):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=delimiter,
                               skipinitialspace=True, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL))


def test_svcat_load_register_needs_no_publisher_and_links_in_full(tmp_path):
    runner = CliRunner()
    args = ["--store", str(tmp_path / "store"), "--base-uri", BASE]
    result = runner.invoke(cli, [*args, "load", "suppliers", str(SYNTHETIC / "suppliers-synthetic.csv"),
                                 "--publisher", "E08000036", "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*args, "load", "companies-house",
                                 str(SYNTHETIC / "BasicCompanyData-2099-01-01-synthetic.csv"), "-q"])
    assert result.exit_code == 0, result.output
    assert "full link" in result.output  # classes change for organisations already linked
    result = runner.invoke(cli, [*args, "export", "crosswalk"])
    rows = {r["supplier_name"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["Synthetic Micro Trading Ltd"]["sme"] == "yes"
    refused = runner.invoke(cli, [*args, "load", "charities", str(CC_DEV), "--publisher", "E08000036", "-q"])
    assert refused.exit_code == 1 and "leave out --publisher" in refused.output


# ---------------------------------------------------------------- OCDS notices


def test_ocds_notices_give_the_buying_councils_supplier_records_with_declared_scale(memory_store):
    _load(memory_store, "companies-house", SYNTHETIC / "BasicCompanyData-2099-01-01-synthetic.csv")
    outcome = _load(memory_store, "ocds", SYNTHETIC / "ocds-release-package-synthetic.json")
    assert (outcome.report.rows_read, outcome.report.rows_loaded, outcome.report.warnings) == (2, 2, 0)
    notices = csv_rows(memory_store, f"""SELECT ?ocid ?buyer ?value WHERE {{ GRAPH <{outcome.graph}> {{
        ?n a <{SV.ProcurementNotice}> ; <{DCTERMS.identifier}> ?ocid .
        OPTIONAL {{ ?n <{SV.noticeBuyer}> ?buyer }} OPTIONAL {{ ?n <{SV.noticeValue}> ?value }} }} }} ORDER BY ?ocid""")
    assert [(r["ocid"], r.get("buyer", ""), r.get("value", "")) for r in notices] == [
        ("ocds-synthetic-000001", iris.council(BASE, "E08000036"), "98500.5"),  # the award's value
        ("ocds-synthetic-000002", "", "")]  # a buyer that is not a council: no supplier records
    link_all(memory_store, BASE, licence=OGL)
    walk = _crosswalk(memory_store)
    micro = walk[("E08000036", "SYNTHETIC MICRO TRADING LTD")]
    assert micro["sme"] == "yes" and micro["size_evidence"].startswith("files micro entity accounts")
    records = read_records(memory_store, BASE)
    plc = next(r for r in records.values() if r.name == "SYNTHETIC FULL ACCOUNTS PLC")
    assert plc.org_ids == {"GB-COH-99000002", "GB-PPON-PSYN-0000-0002"}
    assert {(f.name, f.value, f.kind) for f in plc.flags} == {("sme", False, "procurementNotices")}


def test_a_json_file_that_is_not_an_ocds_package_is_refused(tmp_path):
    wrong = tmp_path / "list.json"
    wrong.write_text("[1, 2]", encoding="utf-8")
    report = validate_file("ocds", wrong, base=BASE)
    assert not report.loadable and "not an OCDS package" in report.fatal


def test_an_ocds_package_cut_short_is_refused_with_a_violation_on_the_release_where_it_breaks(tmp_path):
    cut = tmp_path / "cut.json"
    cut.write_bytes((SYNTHETIC / "ocds-release-package-synthetic.json").read_bytes()[:900])
    report = validate_file("ocds", cut, base=BASE)
    assert not report.loadable
    assert [(i.row, i.column) for i in report.issues if i.severity == "violation"] == [(2, "release")]
