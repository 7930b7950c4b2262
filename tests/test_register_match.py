"""Matching supplier records without an identifier to register entries (issue 19, item 2).

On the DEV register sample (tests/data/registers) and the DEV Wakefield file, and on
generated variants of a registered name: the same name and postcode match; the same
name at another postcode, two entries of one name, or a brand's name alone are left
unmatched and listed for a person, on the command line and on a page.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from catalogue.ingest import load_file
from catalogue.linking import ambiguous, crosswalk
from catalogue.linking.records import SupplierRecord
from catalogue.linking.register_match import Candidate, candidates, decide, lookup_keys, one_body
from catalogue.linking.registers import live_registers
from loaders import FileRefused, Limits, open_source
from loaders.limits import REGISTER_FLOOR
from loaders.registers.charities import charity_id
from loaders.registers.companies_house import company_id
from loaders.registers.names import name_key
from catalogue.linking.run import link_all
from tests import written_files as written
from tests.conftest import BASE, DATA, OGL

CH_DEV = DATA / "registers" / "BasicCompanyData-dev-sample-part1_1.csv"
CHARITIES_DEV = DATA / "registers" / "publicextract.charity.dev-sample.txt"
CHARITIES_SYNTHETIC = DATA / "registers" / "synthetic" / "publicextract.charity.synthetic.txt"
ONSPD = DATA / "registers" / "synthetic" / "ONSPD_SYNTHETIC_2099_UK.csv"


def _suppliers(path, rows) -> str:
    return written.suppliers(path, rows, ("Supplier Name", "Supplier ID", "Postcode"))


def _load(store, kind, path, publisher=None):
    outcome = load_file(store, kind, path, base=BASE, publisher=publisher, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()


def _walk(store) -> dict[tuple[str, str], dict]:
    return {(r[0], r[1]): dict(zip(crosswalk.COLUMNS, r)) for r in crosswalk.rows(store, BASE)}


# ----------------------------------------------------------------- the rules


def test_a_name_key_folds_the_ways_registers_and_councils_spell_one_name():
    one = {"THE XYZ TRUST", "Xyz Trust (The)", "XYZ TRUST, THE", "The Xyz Trust", "xyz trust", "Xyz Trust CIO",
           "XYZ TRUST (C.I.O.)", "Xyz Trust Charitable Incorporated Organisation", "X.Y.Z. Trust", "X Y Z Trust"}
    assert {name_key(n) for n in one} == {"xyz trust"}
    assert name_key("SMITH & JONES LIMITED") == name_key("Smith and Jones Ltd.") == "smith and jones"
    assert name_key("Genesis Sale Moor CiC") == name_key("GENESIS SALE MOOR COMMUNITY INTEREST COMPANY")
    assert name_key("THE FOSTER CARE CO-OPERATIVE LIMITED") == name_key("Foster Care Co-operative Ltd (The)")
    assert name_key("Xyz Trustees") != name_key("Xyz Trust") and name_key("LIMITED") == "limited"
    # linking's reading of the name is looked up too: abbreviations, a trading name, a council's qualifier
    assert "xyz association" in lookup_keys("Xyz Assn") and "bunzl uk" in lookup_keys("Bunzl UK Ltd T/A Care Shop")
    assert "aecom" in lookup_keys("AECOM LIMITED (49780069)")


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
        _load(store, "companies-house", written.companies_house(tmp_path / "BasicCompanyData-2099-01-01.csv", [
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


def test_a_charitable_company_in_both_registers_is_one_candidate_not_two_rivals():
    company = Candidate("urn:c", "GB-COH-05384301", "AGE UK TRAFFORD")
    charity = Candidate("urn:h", "GB-CHC-1109047", "Age UK Trafford", company="GB-COH-05384301")
    assert one_body([company, charity]) == [charity]
    assert one_body([company, Candidate("urn:o", "GB-CHC-1", "Age UK Trafford")]) == [
        company, Candidate("urn:o", "GB-CHC-1", "Age UK Trafford")]


# ------------------------------ variants of the DEV register names (item 2)


def _register_names() -> list[tuple[str, str]]:
    """(org-id, name) of every entry of the DEV register samples (and the synthetic charities: a CIO)."""
    with open(CH_DEV, encoding="utf-8", newline="") as handle:
        out = [(company_id(r[" CompanyNumber"]), r["CompanyName"]) for r in csv.DictReader(handle)]
    for path in (CHARITIES_DEV, CHARITIES_SYNTHETIC):
        with open(path, encoding="utf-8", newline="") as handle:
            out += [(charity_id(r["registered_charity_number"], r["linked_charity_number"]), r["charity_name"])
                    for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return out


FORMS = {"ltd": ["Ltd", "Limited", "LTD.", "limited"], "limited": ["Ltd", "LIMITED", "Ltd."],
         "cic": ["C.I.C.", "Community Interest Company", "CIC"], "cio": ["C.I.O.", "Charitable Incorporated Organisation"]}


def variants(name: str) -> set[str]:
    """How another file may write a registered name: case, "The" first or last, punctuation,
    &/and, the legal form spelled another way, the form left out."""
    words = name.replace(",", "").split()
    the = bool(words) and words[0].lower() == "the"
    body = words[1:] if the else words
    form = body[-1].lower().strip(".") if body and body[-1].lower().strip(".") in FORMS else ""
    core = body[:-1] if form else body
    out = set()
    for text in (" ".join(core),):
        for case in (text.upper(), text.lower(), text.title(), text):
            spelled = [case, case.replace("-", " "), case.replace(" and ", " & ").replace(" AND ", " & "),
                       case.replace(" & ", " and ")]
            for one in spelled:
                endings = [f" {f}" for f in FORMS.get(form, [])] + ([""] if form else [" Ltd", ""])
                for ending in endings:
                    with_form = one + ending
                    out |= {with_form, f"The {with_form}", f"{with_form} (The)", f"{with_form}, THE",
                            with_form + ".", with_form.replace(" ", "  ")}
    return {v for v in out if v.strip() and v != name}


def test_differently_spelled_dev_names_find_their_register_entry_and_sister_names_do_not(memory_store):
    """Every DEV name of the register samples, written again in each way of ``variants``
    (hundreds of spellings), finds its entry; a sister firm's name (a word more) finds none.
    (Words after the legal form are a council's: "X LTD CLIENT ACCOUNT" is X Ltd.)"""
    _load(memory_store, "companies-house", CH_DEV)
    _load(memory_store, "charities", CHARITIES_DEV)
    _load(memory_store, "charities", CHARITIES_SYNTHETIC)
    graphs = [g for _, g, kind, _ in live_registers(memory_store, BASE)]
    entries = _register_names()
    records, expected, sisters = [], {}, []
    for org_id, name in entries:
        for n, variant in enumerate(sorted(variants(name))):
            record = SupplierRecord(f"urn:{org_id}:{n}", "E08000035", variant)
            records.append(record)
            expected[record.iri] = org_id
        words = name.split()  # a sister firm: a word more before the legal form
        at = -1 if words[-1].lower().strip(".") in FORMS else len(words)
        sister = SupplierRecord(f"urn:{org_id}:sister", "E08000035", " ".join(words[:at] + ["Holdings"] + words[at:]))
        records.append(sister)
        sisters.append(sister.iri)
    found = candidates(memory_store, graphs, records)
    assert len(expected) > 1000
    missed = [(r.name, expected[r.iri]) for r in records
              if r.iri in expected and expected[r.iri] not in {c.org_id for c in found.get(r.iri, [])}]
    assert missed == []
    assert [(iri, found[iri]) for iri in sisters if iri in found] == []
    foster = [r for r in records if r.name == "Foster Care Co-Operative Ltd (The)"]
    assert foster and [c.org_id for c in found[foster[0].iri]] == ["GB-CHC-1135574"]


def test_a_council_spelling_of_a_charity_name_matches_in_a_full_link(memory_store, tmp_path):
    _load(memory_store, "charities", CHARITIES_DEV)
    _load(memory_store, "suppliers", _suppliers(tmp_path / "leeds.csv", [
        ["Foster Care Co-operative Ltd (The)", "L1", ""], ["Royal Mencap Society (The)", "L2", ""]]), "E08000035")
    link_all(memory_store, BASE, licence=OGL)
    walk = _walk(memory_store)
    foster = walk[("E08000035", "Foster Care Co-operative Ltd (The)")]
    assert foster["register_match"] == "GB-CHC-1135574" and "THE FOSTER CARE CO-OPERATIVE LIMITED" in \
        foster["register_evidence"]
    assert walk[("E08000035", "Royal Mencap Society (The)")]["register_match"] == ""  # no legal form: listed
    assert [r["candidate"] for r in ambiguous.rows(memory_store, BASE)] == ["GB-CHC-222377"]


def test_a_register_is_read_under_its_own_size_caps_not_a_council_files(tmp_path):
    """The full registers (Companies House 2.5 GB, 5.6 million rows) are far above the caps
    that guard against a wrong council file: a register kind is read under caps of at least
    ``REGISTER_FLOOR``, a council file under the configured ones; a cap turned off stays off."""
    tight = Limits(max_file_bytes=40, max_rows=2)
    source = open_source("companies-house", CH_DEV, base=BASE, limits=tight)
    assert len(list(source.events())) == 8
    council = tmp_path / "suppliers.csv"
    _suppliers(council, [["Mott MacDonald Ltd", "L1", ""]])
    with pytest.raises(FileRefused, match="SVCAT_MAX_FILE_BYTES"):
        open_source("suppliers", council, base=BASE, publisher="E08000035", limits=tight)
    assert tight.for_register().max_rows == REGISTER_FLOOR["max_rows"]
    assert Limits(max_file_bytes=0).for_register().max_file_bytes == 0
