"""Classification with conflicts resolved and shown (issue 18, item 6), on the DEV files that showed them.

The defects: Bolton NHS Foundation Trust (Salford's contracts register, row 250) was a
large enterprise, a public body and a VCSE at once, because the register's "Company
Number" column gave its NHS charity's number (CHA1050488) and "SME Supplier?" said No;
Mott MacDonald Ltd, an engineering consultancy, was VCSE because Wakefield's 2018-Q4 file
(row 7712) gives it the charity number 275040; "The Secretary Of State" and other public
bodies were unknown.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from catalogue.linking.names import parse
from catalogue.linking.precedence import EXCLUSIVE
from catalogue.linking.publicbodies import DATA, public_body_kind, public_scheme
from catalogue.vocab import RDFS, SV
from tests.conftest import BASE, DATA as TEST_DATA, OGL, REAL

ROOT = Path(__file__).resolve().parent.parent


def classes_of(store, label: str) -> set[str]:
    rows = store.select(f"""SELECT ?c WHERE {{ GRAPH ?g {{ ?org <{RDFS.label}> "{label}" ;
        <{SV.socialValueClass}> ?c }} }}""").rows
    return {str(r["c"]).rsplit("#", 1)[-1] for r in rows}


def evidence_of(store, label: str) -> list[dict]:
    rows = store.select(f"""SELECT ?c ?accepted ?conflict ?column ?level WHERE {{ GRAPH ?g {{
        ?org <{RDFS.label}> "{label}" ; <{SV.classEvidence}> ?e . ?e <{SV.evidenceFor}> ?c ; <{SV.accepted}> ?accepted .
        OPTIONAL {{ ?e <{SV.conflict}> ?conflict }} OPTIONAL {{ ?e <{SV.evidenceColumn}> ?column }}
        OPTIONAL {{ ?e <{SV.precedence}> ?level }} }} }}""").rows
    return [{"class": str(r["c"]).rsplit("#", 1)[-1], "accepted": str(r["accepted"]) == "true",
             "conflict": str(r.get("conflict") or ""), "column": str(r.get("column") or ""),
             "level": int(str(r["level"])) if r.get("level") else None} for r in rows]


def test_an_nhs_foundation_trust_was_large_public_and_vcse_at_once(linked_store):
    assert classes_of(linked_store, "Bolton NHS Foundation Trust") == {"publicBody"}
    evidence = {e["class"]: e for e in evidence_of(linked_store, "Bolton NHS Foundation Trust")}
    assert not evidence["vcse"]["accepted"] and "not the body's own" in evidence["vcse"]["conflict"]
    assert evidence["vcse"]["column"] == "charity number"
    assert not evidence["largeEnterprise"]["accepted"] and "agrees with a public body" in \
        evidence["largeEnterprise"]["conflict"]


def test_no_organisation_holds_two_classes_that_exclude_each_other(linked_store):
    rows = linked_store.select(f"SELECT ?org ?c WHERE {{ GRAPH ?g {{ ?org <{SV.socialValueClass}> ?c }} }}").rows
    classes: dict[str, set] = {}
    for r in rows:
        classes.setdefault(str(r["org"]), set()).add(str(r["c"]).rsplit("#", 1)[-1])
    assert len(classes) > 1000
    for org, held in classes.items():
        for a, b in EXCLUSIVE:
            assert not {a, b} <= held, (org, held)


def test_every_set_aside_piece_of_evidence_says_why(linked_store):
    rows = linked_store.select(f"""SELECT ?e ?conflict WHERE {{ GRAPH ?g {{ ?e <{SV.accepted}> false .
        OPTIONAL {{ ?e <{SV.conflict}> ?conflict }} }} }}""").rows
    assert rows
    assert all(r.get("conflict") for r in rows), [str(r["e"]) for r in rows if not r.get("conflict")][:5]


def test_a_charity_number_outweighs_a_school_name_by_precedence(linked_store):
    """Wakefield's 2018-Q4 file gives WAKEFIELD GIRLS HIGH SCHOOL (an independent school) its
    charity number: what the council published stands above a pattern in the name."""
    assert classes_of(linked_store, "WAKEFIELD GIRLS HIGH SCHOOL") == {"vcse"}
    public = [e for e in evidence_of(linked_store, "WAKEFIELD GIRLS HIGH SCHOOL") if e["class"] == "publicBody"]
    assert public and not public[0]["accepted"] and "outweighed by what a council" in public[0]["conflict"]


@pytest.mark.parametrize("label", ["The Secretary Of State", "HM REVENUE & CUSTOMS", "Inland Revenue",
                                   "University Of Leeds", "Salford Royal NHS Foundation Trust"])
def test_secretary_of_state_and_other_public_bodies_were_unknown(linked_store, label):
    assert classes_of(linked_store, label) == {"publicBody"}


@pytest.mark.parametrize("name, kind", [
    ("Secretary of State for Education", "central government body"), ("HMRC", "central government body"),
    ("Department for Work and Pensions", "central government body"), ("Leeds Teaching Hospitals NHS Trust", "NHS body"),
    ("West Yorkshire Police", "police"), ("WEST YORKSHIRE FIRE & RESCUE SERVICE", "fire and rescue"),
    ("BOROUGHBRIDGE TOWN COUNCIL", "local authority"), ("Old Earth Primary School", "state school or academy"),
    ("University of Leeds", "university"),
])
def test_public_bodies_are_recognised_from_the_one_data_file(name, kind):
    assert public_body_kind(parse(name))[0] == kind
    assert public_scheme("GB-LAE-TRF").kind == "local authority" and public_scheme("GB-COH-01243967") is None


def test_public_body_words_live_in_one_data_file_only():
    kinds = {row["kind"] for row in csv.DictReader(open(DATA, encoding="utf-8")) if row["kind"]}
    assert {"NHS body", "police", "fire and rescue", "central government body", "local authority",
            "state school or academy", "university"} <= kinds
    spelled = [p for p in (ROOT / "catalogue").rglob("*.py") if re.search(r"constabulary|secretary of state",
                                                                            p.read_text(encoding="utf-8"), re.I)]
    assert spelled == [], spelled


def test_an_engineering_consultancy_was_vcse_because_of_a_charity_number_in_an_unrelated_column(memory_store,
                                                                                               tmp_path):
    """Wakefield's row 7712 gives MOTT MACDONALD LTD (company 01243967) the charity number
    275040. When the Companies House register says what the company is, a company limited
    by shares cannot be that charity: the number is not its own and is not evidence."""
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all

    header = (TEST_DATA / "registers" / "BasicCompanyData-dev-sample-part1_1.csv").read_text(
        encoding="utf-8").splitlines()[0]
    columns = next(csv.reader([header]))
    row = {c.strip(): "" for c in columns}
    row.update({"CompanyName": "MOTT MACDONALD LIMITED", "CompanyNumber": "01243967",
                "CompanyCategory": "Private Limited Company", "CompanyStatus": "Active",
                "Accounts.AccountCategory": "FULL"})
    register = tmp_path / "BasicCompanyData-mott.csv"
    with open(register, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerow([row[c.strip()] for c in columns])
    for kind, path, publisher in (("spend", REAL / "wakefield" / "2018-Q4.csv", "E08000036"),
                                  ("companies-house", register, None)):
        outcome = load_file(memory_store, kind, path, base=BASE, publisher=publisher, licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
    link_all(memory_store, BASE, licence=OGL)
    label = "MOTT MACDONALD LTD"
    assert "vcse" not in classes_of(memory_store, label)
    charity = [e for e in evidence_of(memory_store, label) if e["class"] == "vcse"]
    assert charity and not charity[0]["accepted"]
    assert "not the supplier's own" in charity[0]["conflict"] and "Private Limited Company" in charity[0]["conflict"]


def test_the_organisation_page_shows_the_settled_class_the_evidence_and_the_conflict(linked_client, linked_store):
    org = linked_store.select(f"""SELECT ?org WHERE {{ GRAPH ?g {{ ?org <{RDFS.label}> "Bolton NHS Foundation Trust" ;
        <{SV.socialValueClass}> ?c }} }}""").rows[0]["org"]
    page = linked_client.get(str(org).replace(BASE + "id/", "/doc/")).get_data(as_text=True)
    section = page[page.index('id="h-classes"'):page.index('id="h-councils"')]
    assert "Settled class: <strong>public body</strong>" in section
    assert "2 pieces of evidence set aside" in section
    assert "row 250 of contracts-register-2022-07.csv" in section  # file, row and column of the evidence
    assert "column &#34;Company Number&#34; of contracts-register-2022-07.csv" in section  # the header as written


def test_social_value_bars_went_above_100_percent(linked_client):
    """The stacked chart counted an SME that is also VCSE in both classes (Salford's and
    Wakefield's bars passed 100%): it now stacks one class per payee over a stated base."""
    rows = linked_client.get("/social-value/stacked-shares.json?_size=max").get_json()["rows"]
    assert len(rows) == 10
    for row in rows:
        shares = [v for k, v in row.items() if k.endswith("_share")]
        assert all(0 <= v <= 1 for v in shares), row
        assert abs(sum(shares) - 1) < 1e-9, row
    svg = linked_client.get("/social-value/shares.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
