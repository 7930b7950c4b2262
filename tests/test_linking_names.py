"""Name normalisation and word alignment, on names as the real files spell them."""

from __future__ import annotations

import pytest

from catalogue.linking.names import parse
from catalogue.linking.publicbodies import CouncilIndex, public_body_kind
from catalogue.linking.run import council_index
from catalogue.linking.similarity import align


@pytest.mark.parametrize("published, key", [
    ("Mott MacDonald Ltd", "mott macdonald"),
    ("MOTT MACDONALD LIMITED", "mott macdonald"),
    ("The Copyright Licensing Agency Ltd", "copyright licensing agency"),
    ("AWARD SCHEME LTD THE", "award scheme"),
    ("E.ON UK Plc", "eon uk"),
    ("R N I B", "rnib"),
    ("Disclosure & Barring Service", "disclosure and barring service"),
    ("ROYAL MAIL GROUP LTD_****3201", "royal mail group"),
    ("Bunzl UK Ltd T/A Care Shop", "bunzl uk"),  # the legal entity, not the trading name
    ("T/A Cbre Ltd", "cbre"),
    ("OCEAN HEALTHCARE (TRADING AS TAHER LIMITED)", "taher"),  # "X (trading as Y Ltd)": Y is the company
    ("ESTEEM TEAM COMMUNITY INTEREST COMPANY", "esteem team"),
    ("Calderdale MBC", "calderdale metropolitan borough council"),
])
def test_keys_fold_case_punctuation_legal_forms_and_trading_names(published, key):
    assert parse(published).key == key


def test_core_drops_what_councils_add_but_keeps_registered_qualifiers():
    assert parse("AECOM LIMITED (49780069)").core == "aecom"
    assert parse("BRITISH GAS BUSINESS (GAS)").core == "british gas business"
    assert parse("D W F LAW LLP CLIENT ACCOUNT").core == "dwf law"
    assert parse("TESCO STORE 2149").core == "tesco store"  # a branch number
    assert parse("Amazon.co.uk 2L43L4RZ4").core == "amazon co uk"  # an order reference
    # "(Leeds)" before "Ltd" is part of the registered name: two PFI companies, two names.
    assert parse("TAY VALLEY LIGHTING ( LEEDS ) LTD").core == "tay valley lighting leeds"
    assert parse("CORONA ENERGY RETAIL 4 LIMITED").core == "corona energy retail 4"


def test_legal_forms_and_people_are_recognised():
    assert parse("ACME C.I.C.").forms == {"cic"}
    assert "cio" in parse("Age UK Salford & Trafford CIO").forms
    assert "plc" in parse("Zurich Insurance plc").forms
    assert parse("MR J KEOWN").person
    assert parse("T W Buxey T/A Sorted").person  # a sole trader
    assert not parse("Global Environmental Excellence t/a Genex").person
    assert not parse("DR JHETAM LIMITED").person


@pytest.mark.parametrize("a, b", [
    ("Royal Nat Institute of Blind People", "Royal National Institute of Blind People"),  # abbreviation
    ("EBBERLY HOUSE", "EBBERLEY HOUSE"),  # typo
    ("WILSON DAVID PARTNERSHIP LTD", "DAVID WILSON PARTNERSHIP"),  # word order
    ("Northgate Vehicle Hire (Yorkshire &", "Northgate Vehicle Hire (Yorkshire and Humberside) Ltd"),  # cut short
    ("CO-LAB EXETER", "COLAB EXETER"),
    ("Turner & Townsend Proj Mgmnt Ltd", "Turner & Townsend Project Management Ltd"),
])
def test_spellings_of_one_name_align_strictly(a, b):
    pa, pb = parse(a), parse(b)
    assert align(pa.key, pb.key, len(a), len(b)).strict


@pytest.mark.parametrize("a, b", [
    ("Old Earth Primary School", "Old Earth Junior School"),
    ("THE WHITE HORSE", "WHITE HOUSE"),  # one letter apart, two places
    ("Randstad Solutions Ltd", "RANDSTAD EDUCATION LIMITED"),
    ("Excel Care (UK) Ltd", "EXCEL CHILDCARE C.I.C."),  # "care" is not short for "childcare"
    ("Lifeways Paragon Ltd", "Lifeways Community Care Limited"),
])
def test_different_organisations_do_not_align(a, b):
    pa, pb = parse(a), parse(b)
    alignment = align(pa.core, pb.core, len(a), len(b))
    assert not alignment.strict and not alignment.containment


def test_containment_and_initials_are_weaker_evidence_than_a_strict_match():
    peters = align(parse("Peters Limited").core, parse("PETERS BOOKSELLING SERVICES").core)
    assert peters.containment and not peters.strict
    nyas = align(parse("National Youth Adv Service").core, parse("N Y A S").core)
    assert nyas.containment and not nyas.strict and nyas.initials == 1  # initials need other evidence
    assert "name_similarity" in peters.features() and peters.score < 0.95


def test_registered_names_treat_group_as_a_different_company():
    a, b = parse("MEARS GROUP PLC").core, parse("MEARS LIMITED").core
    assert align(a, b).strict  # as names alone, "group" is a weak word...
    assert not align(a, b, registered=True).strict  # ...but two registered names are two companies


def test_councils_are_recognised_however_finance_systems_spell_them():
    index = council_index()
    assert index.find(parse("Calderdale MBC")) == "E08000033"
    assert index.find(parse("KIRKLEES METROPOLITAN COUNCIL")) == "E08000034"
    assert index.find(parse("BRADFORD MET COUNCIL")) == "E08000032"
    assert index.find(parse("Leeds City Council Int")) == "E08000035"
    assert index.find(parse("Leeds Teaching Hospitals")) is None
    assert len(CouncilIndex([("E00000001", ["Testshire County Council"])])) > 1


@pytest.mark.parametrize("name, kind", [
    ("Leeds Teaching Hospitals NHS Foundation Trust", "NHS body"),
    ("West Yorkshire Police", "police"),
    ("HM Revenue & Customs", "central government body"),
    ("SHAROW PARISH COUNCIL", "local authority"),
    ("Old Earth Primary School", "state school or academy"),
    ("SMART MULTI ACADEMY TRUST", "state school or academy"),
])
def test_public_bodies_are_named(name, kind):
    assert public_body_kind(parse(name))[0] == kind


@pytest.mark.parametrize("name", ["BREDON SCHOOL LIMITED", "ST PETER'S PREPARATORY SCHOOL", "Play Academy Limited",
                                  "Field Studies Council", "Refugee Council"])
def test_private_schools_and_charities_called_council_are_not_public_bodies(name):
    assert public_body_kind(parse(name)) is None
