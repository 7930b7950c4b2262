"""The linking rules of issue 19 item 4, each on real files (tests/data/real) or real names.

Establishments merge across councils only with corroboration; a branch joins its parent;
a renamed firm joins through its number and the register's names; a firm written with
one more word at the end joins by a scored similarity whose threshold the crosswalk's
method column shows.
"""

from __future__ import annotations

from catalogue.ingest import load_file
from catalogue.linking import crosswalk
from catalogue.linking.cluster import cluster_records
from catalogue.linking.establishments import branch_parent, corroboration, is_establishment
from catalogue.linking.names import parse
from catalogue.linking.records import SupplierRecord
from catalogue.linking.run import council_index, link_all
from catalogue.linking.similarity import SCORE_THRESHOLD
from catalogue.vocab import RDFS, SV
from tests import written_files as written
from tests.conftest import BASE, OGL, REAL


def _walk(store) -> dict[tuple[str, str], dict]:
    return {(r[0], r[1]): dict(zip(crosswalk.COLUMNS, r)) for r in crosswalk.rows(store, BASE)}


def _load(store, kind, path, publisher=None):
    outcome = load_file(store, kind, path, base=BASE, publisher=publisher, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()


# ------------------------------------------------------------ establishments


def test_the_words_that_make_an_establishment_come_from_the_data_file():
    for name in ("St Marys Care Home", "Oak Lodge Care Home", "Richardson Dees Primary School",
                 "The Kings Arms", "Unicorn Nursery", "Eden Grove School Priory", "Lloyds Pharmacy"):
        assert is_establishment(parse(name).key), name
    for name in ("Mott MacDonald Ltd", "Affinity Trust", "Yorkshire Water"):
        assert not is_establishment(parse(name).key), name


def test_two_care_homes_of_one_name_paid_by_two_councils_stay_apart(memory_store, tmp_path):
    """Leeds pays "St Marys Care Home" (its real file); a Devon file names one too: two homes."""
    _load(memory_store, "spend", REAL / "leeds/2013-12.csv", "E08000035")
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "devon.csv", [["ST MARYS CARE HOME", "D1", "", "EX4 1AA"]]),
          "E10000008")
    link_all(memory_store, BASE, licence=OGL)
    walk = _walk(memory_store)
    leeds = [row for (council, name), row in walk.items() if council == "E08000035" and parse(name).key == "st marys care home"]
    devon = walk[("E10000008", "ST MARYS CARE HOME")]
    assert leeds and all(row["organisation"] != devon["organisation"] for row in leeds)


def test_same_named_establishments_join_across_councils_only_with_a_postcode_or_town(tmp_path):
    """Real names (Leeds and Devon files) in two councils: apart, unless corroborated."""
    def records(pc_a, pc_b, name="Oak Lodge Care Home"):
        a = SupplierRecord("urn:a", "E08000035", name, "A1", postcodes={pc_a} if pc_a else set())
        b = SupplierRecord("urn:b", "E08000036", name.upper(), "B1", postcodes={pc_b} if pc_b else set())
        clustering = cluster_records({"urn:a": a, "urn:b": b}, None, council_index().find)
        return len(clustering.clusters) == 1, clustering.links["urn:b"]

    assert records(None, None)[0] is False
    assert records("LS6 2AB", "EX4 1AA")[0] is False
    joined, link = records("WF1 2AB", "WF1 3CD")
    assert joined and link.method == "exactName" and "postcode district WF1" in link.evidence
    joined, link = records("LS6 2AB", "LS6 2AB")
    assert joined and "the same postcode LS6 2AB" in link.evidence
    joined, link = records(None, None, name="St Marys School Leeds")
    assert joined and "'leeds'" in link.evidence
    assert corroboration("leeds road primary school", set(), set()) == ""  # a road, not the town


# ------------------------------------------------------------------ branches


def test_a_branch_joins_its_parent_in_the_real_leeds_file(linked_store):
    walk = _walk(linked_store)
    branch = walk[("E08000035", "Affinity Trust North Divisional Office")]
    parent = walk[("E08000035", "Affinity Trust")]
    assert branch["organisation"] == parent["organisation"]
    assert branch["method"] == "fuzzy-name"


def test_branch_names_give_their_parent():
    assert branch_parent(parse("Affinity Trust North Divisional Office")) == "affinity trust"
    assert branch_parent(parse("Mencap Northern Division")) == "mencap"
    assert branch_parent(parse("Kier Construction Ltd Leeds Branch")) == "kier construction"
    assert branch_parent(parse("Leeds Branch")) == ""  # nothing but a town is left: no parent
    assert branch_parent(parse("Tay Valley Lighting (Leeds) Ltd")) == ""  # part of a registered name
    # "X Ltd (Leeds)" and "X Ltd - North" lose what follows the legal form in their core.
    assert parse("Mears Ltd (Leeds)").core == parse("Mears Ltd - North").core == "mears"


# --------------------------------------------------------------- renamed firm


def test_a_renamed_firm_joins_through_its_number_and_the_registers_names(memory_store, tmp_path):
    """Wakefield's real file pays "ENGIE REGENERATION LTD" with company number 01738371;
    another council pays "Equans Regeneration Limited" (its name since) without a number.
    Apart on names alone; one organisation once Companies House gives both names."""
    _load(memory_store, "spend", REAL / "wakefield/2018-Q4.csv", "E08000036")
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "leeds.csv", [["Equans Regeneration Limited", "L9", "", ""]]),
          "E08000035")
    link_all(memory_store, BASE, licence=OGL)
    walk = _walk(memory_store)
    engie, equans = walk[("E08000036", "ENGIE REGENERATION LTD")], walk[("E08000035", "Equans Regeneration Limited")]
    assert engie["organisation"] != equans["organisation"]

    _load(memory_store, "companies-house", written.companies_house(tmp_path / "BasicCompanyData-2099-01-01.csv", [{
        "CompanyName": "EQUANS REGENERATION LIMITED", "CompanyNumber": "01738371",
        "CompanyStatus": "Active", "PreviousName_1.CONDATE": "01/06/2022",
        "PreviousName_1.CompanyName": "ENGIE REGENERATION LIMITED"}]))
    link_all(memory_store, BASE, licence=OGL)
    walk = _walk(memory_store)
    engie, equans = walk[("E08000036", "ENGIE REGENERATION LTD")], walk[("E08000035", "Equans Regeneration Limited")]
    assert engie["organisation"] == equans["organisation"]
    assert equans["method"] == "exact-name"
    assert walk[("E08000036", "ENGIE SERVICES LIMITED")]["organisation"] != equans["organisation"]
    evidence = memory_store.select(f"""SELECT ?e WHERE {{ GRAPH ?g {{ ?link <{SV.linkMethod}> ?m ; <{RDFS.comment}> ?e .
        FILTER(CONTAINS(?e, "01738371")) }} }}""").rows
    assert any("registered name" in str(r["e"]) for r in evidence), evidence


# ------------------------------------------------------------- scored names


def test_one_more_word_at_the_end_joins_by_a_scored_similarity_shown_in_the_method(linked_store):
    walk = _walk(linked_store)
    short, full = walk[("E08000035", "Springwood Garden")], walk[("E08000035", "Springwood Garden Services Ltd")]
    assert short["organisation"] == full["organisation"]
    assert {short["method"], full["method"]} == {f"scored-name>={SCORE_THRESHOLD}"}
    assert SCORE_THRESHOLD <= float(short["score"]) < 0.95


def test_scored_similarity_keeps_apart_what_differs_by_a_first_word_or_a_place():
    def together(a, b):
        ra = SupplierRecord("urn:a", "E08000035", a)
        rb = SupplierRecord("urn:b", "E08000036", b)
        return len(cluster_records({"urn:a": ra, "urn:b": rb}, None, council_index().find).clusters) == 1

    assert not together("South Central Ambulance Service", "Central Ambulance Service Ltd")
    assert not together("Environments For Learning Leeds PFI One Ltd", "Environments For Learning PFI One Ltd")
    assert not together("St Michael & All Angels School", "St Michaels & All Angels Pre-School")
    assert not together("Capita Business Services Ltd", "Capita Property And Infrastructure Ltd")
