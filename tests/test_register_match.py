"""Matching supplier records without an identifier to register entries (issue 19, item 2).

On the DEV register sample (tests/data/registers) and the DEV Wakefield file, and on
generated variants of a registered name: the same name and postcode match; the same
name at another postcode, two entries of one name, or a brand's name alone are left
unmatched and listed for a person, on the command line and on a page.
"""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from catalogue.cli import cli
from catalogue.ingest import load_file
from catalogue.linking import ambiguous, crosswalk
from catalogue.linking.records import SupplierRecord
from catalogue.linking.register_match import Candidate, decide, spellings
from catalogue.linking.run import link_all
from tests.conftest import BASE, DATA, OGL

CH_DEV = DATA / "registers" / "BasicCompanyData-dev-sample-part1_1.csv"
ONSPD = DATA / "registers" / "synthetic" / "ONSPD_SYNTHETIC_2099_UK.csv"


def _companies_house(path, rows) -> str:
    header = CH_DEV.read_text(encoding="utf-8").splitlines()[0]
    columns = next(csv.reader([header]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\r\n")
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for values in rows:
            writer.writerow([values.get(c.strip(), "") for c in columns])
    return str(path)


def _suppliers(path, rows) -> str:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Supplier Name", "Supplier ID", "Postcode"])
        writer.writerows(rows)
    return str(path)


def _load(store, kind, path, publisher=None):
    outcome = load_file(store, kind, path, base=BASE, publisher=publisher, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()


def _walk(store) -> dict[tuple[str, str], dict]:
    return {(r[0], r[1]): dict(zip(crosswalk.COLUMNS, r)) for r in crosswalk.rows(store, BASE)}


# ----------------------------------------------------------------- the rules


def test_registers_spellings_of_a_name_are_looked_up():
    assert {"MOTT MACDONALD LIMITED", "MOTT MACDONALD LTD", "Mott Macdonald Ltd", "Mott MacDonald Ltd"} <= \
        spellings("Mott MacDonald Ltd")
    assert {"ROYAL MAIL GROUP", "ROYAL MAIL GROUP LTD", "ROYAL MAIL GROUP PLC"} <= spellings("Royal Mail Group")
    assert "SMITH & JONES LIMITED" in spellings("Smith and Jones Ltd")


def _decide(record_postcodes, entries, name="Synthetic Widgets Ltd", areas=None):
    record = SupplierRecord("urn:r", "E08000035", name, postcodes=set(record_postcodes))
    found = {"urn:r": [Candidate(f"urn:e{n}", f"GB-COH-9900000{n}", name.upper(), pc)
                       for n, pc in enumerate(entries, start=1)]}
    matches, left = decide([record], found, areas or {})
    return matches.get("urn:r"), left.get("urn:r")


def test_generated_variants_same_postcode_matches_another_postcode_does_not():
    match, left = _decide({"ZZ1 1AA"}, ["ZZ1 1AA"])
    assert match and match.score == 0.95 and match.fields == ("name", "postcode") and not left
    match, left = _decide({"ZZ1 1AB"}, ["ZZ1 1AA"])  # one postcode district: one town
    assert match and match.fields == ("name", "postcode-district")
    match, left = _decide({"ZZ9 9ZZ"}, ["ZZ1 1AA"])
    assert match is None and left and "is not the file's" in left.reason
    areas = {"ZZ9 9ZZ": {"local_authority": "E08000036"}, "ZZ1 1AA": {"local_authority": "E08000036"}}
    match, _ = _decide({"ZZ9 9ZZ"}, ["ZZ1 1AA"], areas=areas)
    assert match and match.fields == ("name", "local-authority") and match.score == 0.85


def test_two_entries_of_one_name_or_a_brand_alone_are_left_for_a_person():
    match, left = _decide(set(), ["ZZ1 1AA", "ZZ2 2AA"])  # a registered name, two entries, no postcode
    assert match is None and left and len(left.candidates) == 2 and "within" in left.reason
    match, left = _decide({"ZZ1 1AA"}, ["ZZ1 1AA", "ZZ2 2AA"])  # the postcode settles it
    assert match and match.org_id == "GB-COH-99000001"
    match, left = _decide(set(), ["ZZ1 1AA"], name="Synthetic Widgets")  # no legal form: a brand
    assert match is None and left and left.candidates[0][1] == 0.6
    match, left = _decide(set(), ["ZZ1 1AA"])  # a registered name, one entry, nothing to contradict
    assert match and match.score == 0.8 and match.fields == ("name",)


# -------------------------------------------------- on the DEV register sample


def test_a_dev_supplier_without_a_number_matches_the_register_sample_and_keeps_its_evidence(memory_store, tmp_path):
    """Calderdale's file gives Mott MacDonald Ltd its number; a council file that does not is
    matched to the sample's entry 01243967 by its registered name, with the evidence in the
    crosswalk; a brand-like name alone ("Royal Mail Group" without Ltd) is listed instead."""
    _load(memory_store, "companies-house", CH_DEV)
    _load(memory_store, "suppliers", _suppliers(tmp_path / "leeds.csv", [
        ["Mott MacDonald Ltd", "L1", ""], ["Royal Mail Group", "L2", ""], ["Nobody Ltd", "L3", ""]]), "E08000035")
    link_all(memory_store, BASE, licence=OGL)
    walk = _walk(memory_store)
    mott = walk[("E08000035", "Mott MacDonald Ltd")]
    assert mott["register_match"] == "GB-COH-01243967" and float(mott["register_score"]) == 0.8
    assert mott["register_evidence"].startswith("agreed: name;")
    assert walk[("E08000035", "Royal Mail Group")]["register_match"] == ""
    assert walk[("E08000035", "Nobody Ltd")]["register_match"] == ""
    listed = ambiguous.rows(memory_store, BASE)
    assert [(r["supplier_name"], r["candidate"], r["score"]) for r in listed] == [
        ("Royal Mail Group", "GB-COH-04138203", 0.6)]
    assert listed[0]["candidate_name"] == "ROYAL MAIL GROUP LTD" and listed[0]["organisation"]


def test_same_name_at_two_postcodes_is_listed_on_the_command_line_and_the_page(tmp_path):
    from catalogue.app import create_app
    from catalogue.store import open_store

    path = str(tmp_path / "store")
    with open_store(path, "write") as store:
        _load(store, "postcodes", ONSPD)
        _load(store, "companies-house", _companies_house(tmp_path / "BasicCompanyData-2099-01-01.csv", [
            {"CompanyName": "SYNTHETIC TWIN WIDGETS LIMITED", "CompanyNumber": "99000101",
             "RegAddress.PostCode": "ZZ1 1AA"},
            {"CompanyName": "SYNTHETIC LONE WIDGETS LIMITED", "CompanyNumber": "99000102",
             "RegAddress.PostCode": "ZZ1 1AB"}]))
        _load(store, "suppliers", _suppliers(tmp_path / "wakefield.csv", [
            ["Synthetic Twin Widgets Ltd", "W1", "ZZ9 9ZZ"], ["Synthetic Lone Widgets Ltd", "W2", "ZZ1 1AB"]]),
              "E08000036")
        link_all(store, BASE, licence=OGL)
        walk = _walk(store)
        listed = ambiguous.rows(store, BASE)
    lone = walk[("E08000036", "Synthetic Lone Widgets Ltd")]
    assert lone["register_match"] == "GB-COH-99000102" and float(lone["register_score"]) == 0.95
    assert "postcode" in lone["register_evidence"] and lone["local_authority"] == "E08000036"
    lone_org = lone["organisation"]
    assert walk[("E08000036", "Synthetic Twin Widgets Ltd")]["register_match"] == ""
    assert [(r["supplier_name"], r["candidate"], r["score"]) for r in listed] == [
        ("Synthetic Twin Widgets Ltd", "GB-COH-99000101", 0.0)]

    runner = CliRunner()
    args = ["--store", path, "--base-uri", BASE, "link", "--ambiguous"]
    found = runner.invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert found.exit_code == 0, found.output
    assert [r["candidate"] for r in json.loads(found.output)] == ["GB-COH-99000101"]
    as_csv = runner.invoke(cli, [*args, "--format", "csv"], catch_exceptions=False).output
    assert as_csv.splitlines()[0] == ",".join(ambiguous.COLUMNS) and "GB-COH-99000101" in as_csv
    assert "Synthetic Twin Widgets Ltd" in runner.invoke(cli, args, catch_exceptions=False).output

    with open_store(path, "read") as store:
        client = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE}).test_client()
        org_page = client.get("/doc/organisation/" + lone_org.rsplit("/id/organisation/", 1)[1]).get_data(as_text=True)
        assert "matched to the register by name (score 0.95)" in org_page and "agreed: name, postcode" in org_page
        page = client.get("/organisations/ambiguous")
        assert page.status_code == 200 and "Synthetic Twin Widgets Ltd" in page.get_data(as_text=True)
        data = client.get("/organisations/ambiguous.json").get_json()
        assert [r["candidate"] for r in data["rows"]] == ["GB-COH-99000101"]
        text = client.get("/organisations/ambiguous.csv").get_data(as_text=True)
        assert text.splitlines()[0].startswith("council,supplier_name") and "GB-COH-99000101" in text
