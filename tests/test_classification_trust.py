"""Classes people can trust (issue 18 item 6, issue 19 item 3): whose identifier it is,
what a public body's name is, and what settled each class, said the same on every page.

The defects, each on the real file that showed it:
- Mott MacDonald Ltd, an engineering consultancy, was VCSE with no register loaded because
  Wakefield's 2018-Q4 file (row 7712) gives it the charity number 275040 beside its company
  number 01243967: a charity number "somewhere in the row" is not evidence that the
  supplier is that charity;
- "University Of Salford Busy Bees" (a nursery, Salford 2022-06) was a public body by the
  name pattern "university";
- Odd Arts (Salford's contracts register, a CIO) had its self-declared size cited in the
  crosswalk as if the register had said it, where the register is silent on size.
"""

from __future__ import annotations

import csv
import io

import pytest

from catalogue.linking.classify import charity_number_not_own, classify
from catalogue.linking.names import parse
from catalogue.linking.publicbodies import public_body_kind
from catalogue.linking.records import SupplierRecord
from catalogue.linking.registers import Entry, Registers
from tests.conftest import BASE, DATA, OGL, REAL

WAKEFIELD = "E08000036"


def _crosswalk_csv(client) -> list[dict]:
    response = client.get("/organisations/crosswalk.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# ---------------------------------------------------------------- whose charity number


def test_mott_macdonald_is_not_vcse_by_a_charity_number_its_record_does_not_own(linked_store, linked_client):
    """No register loaded: the number is set aside, the class is unknown, and the crosswalk
    CSV, the organisation page and its JSON say so, with the conflict."""
    rows = [r for r in _crosswalk_csv(linked_client) if r["supplier_name"] == "MOTT MACDONALD LTD"]
    assert rows and all(r["vcse"] == "unknown" for r in rows)
    doc = rows[0]["organisation"].replace(BASE + "id/", "/doc/")
    data = linked_client.get(doc + ".json").get_json()
    classification = data["classification"]
    found = [e for e in classification["evidence"] if e["class"] == "vcse"]
    assert found and not any(e["accepted"] for e in found)
    assert "GB-CHC-275040" in found[0]["note"] and "not shown to be the supplier's own" in found[0]["conflict"]
    assert "VCSE" not in classification["classes"]
    assert classification["settled"]["vcse"].startswith("unknown: registered charity GB-CHC-275040")
    page = linked_client.get(doc).get_data(as_text=True)
    section = page[page.index('id="h-classes"'):page.index('id="h-councils"')]
    assert "not shown to be the supplier&#39;s own" in section or "not shown to be the supplier's own" in section
    assert rows[0]["vcse_evidence"] == classification["settled"]["vcse"]  # one wording, page and CSV


@pytest.mark.parametrize("name, ids, own", [
    ("MOTT MACDONALD LTD", {"GB-COH-01243967", "GB-CHC-275040"}, False),  # a firm naming another body's number
    ("SWIM ENGLAND TRADING LIMITED", {"GB-COH-03001915", "GB-CHC-1175603"}, False),  # a charity's trading arm
    ("THINK CRE8TIVE GROUP CIC", {"GB-COH-11184273", "GB-CHC-326552"}, False),  # a CIC cannot be a charity
    ("AKHTER COMPUTERS PLC", {"GB-COH-02253061", "GB-CHC-1000001"}, False),
    ("EASTMOOR COMMUNITY PROJECT LTD", {"GB-COH-04372563", "GB-CHC-1157557"}, True),  # a charitable company
    ("ROYAL MENCAP SOCIETY", {"GB-COH-00550457", "GB-CHC-222377"}, True),  # no "Limited": a charity may omit it
    ("WAKEFIELD CIVIC SOCIETY", {"GB-CHC-236034"}, True),  # no company: the charity is the body
    ("EDGELANDS ARTS", {"GB-COH-CE011280", "GB-CHC-1173773"}, True),  # a CIO's own number
])
def test_a_charity_number_is_evidence_only_when_the_record_can_be_that_charity(name, ids, own):
    record = SupplierRecord("urn:x", WAKEFIELD, name, org_ids=ids)
    assert (charity_number_not_own(record) == "") is own
    classes, evidence = classify([record])
    charity = [e for e in evidence if e.cls == "vcse" and "registered charity" in e.reason]
    assert charity and charity[0].accepted is own
    if not own:  # set aside, saying why; a CIC stays VCSE by its own legal form
        assert charity[0].conflict and ("vcse" in classes) == name.endswith("CIC")


def test_one_record_that_owns_the_number_is_enough():
    """The same charity number from a record where it can be the supplier's own stands."""
    records = [SupplierRecord("urn:a", WAKEFIELD, "SUSTRANS LTD", org_ids={"GB-COH-01797726", "GB-CHC-326550"}),
               SupplierRecord("urn:b", "E08000035", "Sustrans", org_ids={"GB-CHC-326550"})]
    classes, _ = classify(records)
    assert "vcse" in classes


def test_a_register_charity_that_is_another_company_is_not_the_supplier():
    """With the registers loaded, the charity the number leads to is the supplier's only
    when the register of charities gives it the supplier's company number."""
    charity = Entry("urn:chc", "GB-CHC-275040", "charities", "urn:ds", facts={"status": "Registered", "income": "5000"})
    company = Entry("urn:coh", "GB-COH-01243967", "companies-house", "urn:ds2", facts={"category": ""})
    registers = Registers(entries={"GB-CHC-275040": charity, "GB-COH-01243967": company})
    record = SupplierRecord("urn:r", WAKEFIELD, "MOTT MACDONALD LTD", org_ids={"GB-COH-01243967", "GB-CHC-275040"})
    _, evidence = classify([record], registers=registers)  # blanks in both registers say nothing either way
    assert [e.accepted for e in evidence if e.source == "register" and e.cls == "vcse"] == [True]
    company.facts["category"] = "Private Limited Company"
    record = SupplierRecord("urn:r", WAKEFIELD, "MOTT MACDONALD LTD", org_ids={"GB-COH-01243967", "GB-CHC-275040"})
    classes, evidence = classify([record], registers=registers)
    assert "vcse" not in classes and "sme" not in classes
    register = [e for e in evidence if e.source == "register" and e.cls in ("vcse", "sme")]
    assert register and not any(e.accepted for e in register)
    assert "gives it no company number, and Companies House says" in register[0].conflict
    charity.facts["company"] = "GB-COH-01243967"  # the register says the charity is that company
    classes, _ = classify([record], registers=registers)
    assert "vcse" in classes


# ---------------------------------------------------------------- public-body names


@pytest.mark.parametrize("name, kind", [
    ("University Of Salford Busy Bees", None),  # Salford 2022-06: a nursery named after the university
    ("X University Nursery", None),
    ("University of Leeds Nursery", None),
    ("Leeds University Union", None),
    ("University Of Salford Students Union", None),
    ("UNIVERSITY OF SUNDERLAND ENTERPRISES", None),
    ("Council Street Surgery", None),
    ("NHS Street Dental Practice Ltd", None),
    ("NHS Street Dental Practice", None),
    ("Police Social Club", None),
    ("OXFORD UNIVERSITY PRESS", None),
    ("University Of Salford", "university"),
    ("The University of Salford", "university"),
    ("LEEDS METROPOLITAN UNIVERSITY", "university"),
    ("UNIVERSITY OF EXETER-FINANCE OFF", "university"),
    ("UNIVERSITY OF PLYMOUTH(FINANCE)", "university"),
    ("UNIVERSITY OF THE W OF ENGLAND", "university"),
    ("University College London", "university"),
    ("Manchester University NHSFT", "NHS body"),
    ("UNIVERSITY HOSPITALS BIRMINGHAM", "NHS body"),
    ("Lee Brigg Infant and Nursery School", "state school or academy"),
    ("BRADFORD DISTRICT CARE NHS FOUNDATION TRUST", "NHS body"),
])
def test_a_name_that_merely_contains_a_public_bodys_name_is_not_that_body(name, kind):
    found = public_body_kind(parse(name))
    assert (found[0] if found else None) == kind


def test_university_of_salford_busy_bees_is_not_a_public_body_on_salfords_file(linked_client):
    rows = {r["supplier_name"]: r for r in _crosswalk_csv(linked_client) if r["council"] == "E08000006"}
    nursery = rows["University Of Salford Busy Bees"]
    assert nursery["public_body"] != "yes" and nursery["organisation"] != rows["University Of Salford"]["organisation"]
    assert rows["University Of Salford"]["public_body"] == "yes"


# ---------------------------------------------------------------- a silent register


def test_odd_arts_self_declared_size_stands_where_the_register_is_silent_and_says_so(memory_store):
    """Salford's contracts register: Odd Arts (CIO CE016832) declared itself an SME; the
    Companies House entry gives no accounts category, so it says nothing of size: the
    declaration stands, and the crosswalk says the register is silent."""
    from catalogue.ingest import load_file
    from catalogue.linking import crosswalk
    from catalogue.linking.run import link_all

    for kind, path, publisher in (("contracts", REAL / "salford/contracts-register-2022-07.csv", "E08000006"),
                                  ("companies-house", DATA / "registers/BasicCompanyData-dev-sample-part1_1.csv", None)):
        outcome = load_file(memory_store, kind, path, base=BASE, publisher=publisher, licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
    link_all(memory_store, BASE, licence=OGL)
    rows = [dict(zip(crosswalk.COLUMNS, r)) for r in crosswalk.rows(memory_store, BASE)]
    odd = next(r for r in rows if r["supplier_name"] == "Odd Arts")
    assert odd["sme"] == "yes" and odd["vcse"] == "yes"
    assert odd["size_evidence"].startswith("an SME, the supplier declared to E08000006 (contracts file)")
    assert "the register is silent on size, so this stands (size unknown: no accounts category " \
           "(Companies House GB-COH-CE016832" in odd["size_evidence"]


# ---------------------------------------------------------------- local through time


@pytest.mark.parametrize("place, council, inside", [
    ("E07000165", "E06000065", True),  # Harrogate's postcode, paid by North Yorkshire Council after 2023
    ("E07000165", "E07000165", True),  # and by Harrogate before
    ("E06000065", "E07000165", None),  # a newer directory's North Yorkshire: which district is not known
    ("E10000023", "E06000065", True),  # the county continued as the unitary council
    ("E08000035", "E08000036", False),  # Leeds is not Wakefield
])
def test_a_postcode_in_an_abolished_district_is_local_to_its_successor(place, council, inside):
    from catalogue.council_areas import within
    from catalogue.linking.crosswalk_classes import COLUMNS, Facts

    assert within(place, council) is inside
    local = dict(zip(COLUMNS, Facts(local_authority=place).columns(council)))["local"]
    assert local == {True: "yes", False: "no", None: "unknown"}[inside]


def test_council_times_reads_the_one_changes_file():
    """The loaders' dated succession and the areas pages read are built on one reader."""
    from catalogue import council_areas
    from loaders import council_times

    assert council_times.succession().changes == list(council_areas.read_changes())
    assert council_times.succession().same_area("E07000165", "E06000065")


# ---------------------------------------------------------------- the column as the council wrote it


def test_evidence_names_the_exact_header_and_file_on_page_json_and_crosswalk(linked_store, linked_client):
    """Wakefield heads its column "Charity Number", Salford's contracts register "SME
    Supplier?": the evidence says so, not "charity number column" or "self-declared"."""
    rows = [r for r in _crosswalk_csv(linked_client) if r["supplier_name"] == "MOTT MACDONALD LTD"]
    assert 'read from column "Charity Number" of 2018-Q4.csv' in rows[0]["vcse_evidence"]
    doc = rows[0]["organisation"].replace(BASE + "id/", "/doc/")
    evidence = linked_client.get(doc + ".json").get_json()["classification"]["evidence"]
    charity = next(e for e in evidence if e["class"] == "vcse")
    assert charity["where"] == 'column "Charity Number" of 2018-Q4.csv'
    page = linked_client.get(doc).get_data(as_text=True)
    assert "column &#34;Charity Number&#34; of 2018-Q4.csv" in page or 'column "Charity Number" of 2018-Q4.csv' in page
    salford = [r for r in _crosswalk_csv(linked_client) if r["council"] == "E08000006" and r["sme"] == "yes"
               and "declared" in r["size_evidence"]]
    assert salford and all('column "SME Supplier?" of contracts-register-2022-07.csv' in r["size_evidence"]
                           for r in salford)
