"""Social-value classes: each with its source and confidence; unknown stays unknown."""

from __future__ import annotations

from collections import defaultdict

import pytest

from catalogue.linking.classify import classify
from catalogue.linking.records import Flag, SupplierRecord
from catalogue.store.paging import csv_rows
from catalogue.vocab import RDFS, SV

SOURCES = {str(SV[s]): s.removesuffix("Source") for s in ("councilFlagSource", "selfDeclarationSource", "registeredIdentifierSource",
                                   "legalFormSource", "councilRegisterSource", "publicBodyNameSource",
                                   "personNameSource", "noEvidenceSource")}


@pytest.fixture(scope="module")
def evidence(linked_store):
    """(organisation, class local name, source, confidence, accepted, note) of every piece of evidence."""
    rows = csv_rows(linked_store, f"""SELECT ?o ?cls ?src ?conf ?ok ?note WHERE {{ ?o <{SV.classEvidence}> ?e .
        ?e <{SV.evidenceFor}> ?cls ; <{SV.evidenceSource}> ?src ; <{SV.accepted}> ?ok ; <{RDFS.comment}> ?note .
        OPTIONAL {{ ?e <{SV.confidence}> ?conf }} }}""")
    return [(r["o"], r["cls"].rsplit("#", 1)[-1], SOURCES[r["src"]], r.get("conf"), r["ok"] == "true", r["note"])
            for r in rows]


@pytest.fixture(scope="module")
def classes(linked_store):
    out = defaultdict(set)
    for r in csv_rows(linked_store, f"SELECT ?o ?c WHERE {{ ?o <{SV.socialValueClass}> ?c }}"):
        out[r["o"]].add(r["c"].rsplit("#", 1)[-1])
    return out


def test_every_organisation_has_classes_and_unknown_is_never_mixed_with_a_class(classes, evidence):
    assert classes and all(classes.values())
    assert not [o for o, c in classes.items() if "unknownClass" in c and len(c) > 1]
    unknown = {e[0] for e in evidence if e[1] == "unknownClass"}
    assert unknown == {o for o, c in classes.items() if c == {"unknownClass"}}
    assert all(e[2] == "noEvidence" for e in evidence if e[1] == "unknownClass")


def test_each_source_gives_its_class_with_its_confidence(evidence):
    seen = {(cls, source, conf) for _, cls, source, conf, _, _ in evidence}
    assert ("vcse", "councilFlag", "0.8") in seen  # Calderdale's own VCSE column
    assert ("sme", "selfDeclaration", "0.5") in seen  # Salford's contracts register: the supplier's word
    assert ("vcse", "registeredIdentifier", "0.95") in seen  # a charity number
    assert ("vcse", "legalForm", "0.9") in seen  # a CIC or CIO in the name
    assert ("publicBody", "councilRegister", "0.95") in seen  # a council paying a council
    assert ("publicBody", "publicBodyName", "0.8") in seen  # parish councils, NHS, police
    assert ("individual", "personName", "0.8") in seen


def test_evidence_names_where_it_came_from(evidence):
    flags = [e for e in evidence if e[2] == "councilFlag"]
    assert flags and all("E08000033" in e[5] and "spend file" in e[5] for e in flags)
    declared = [e for e in evidence if e[2] == "selfDeclaration"]
    assert declared and all("declared" in e[5] and "contracts file" in e[5] for e in declared)


def record(name: str, council: str = "E08000033", **facts) -> SupplierRecord:
    return SupplierRecord(f"https://data.example.gov.uk/id/supplier/{council}/{abs(hash(name))}", council, name,
                          **facts)


def test_contradicting_size_flags_are_weighed_and_a_tie_stays_unknown():
    sme = Flag("sme", True, "https://data.example.gov.uk/id/dataset/E08000006/contracts/a", "contracts")
    large = Flag("sme", False, "https://data.example.gov.uk/id/dataset/E08000033/suppliers/b", "suppliers")
    found, evidence = classify([record("Restore Scan Ltd", flags={sme}), record("RESTORE SCAN LIMITED", flags={large})])
    assert found == ["largeEnterprise"]  # the council's own flag (0.8) outweighs a self-declaration (0.5)
    assert [e.accepted for e in evidence if e.cls == "sme"] == [False]
    found, evidence = classify([record("A Ltd", flags={Flag("sme", True, "d1", "suppliers")}),
                                record("A Ltd", "E08000036", flags={Flag("sme", False, "d2", "suppliers")})])
    assert found == ["unknownClass"] and {e.cls for e in evidence if not e.accepted} == {"sme", "largeEnterprise"}


def test_names_alone_never_make_a_class_up():
    for name in ("Mott MacDonald Ltd", "Amazon.co.uk", "Capita Intelligent Communications (CIC)", "Iceland"):
        found, evidence = classify([record(name)])
        assert found == ["unknownClass"], (name, [e.note for e in evidence])
