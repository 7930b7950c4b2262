"""Manual decisions survive re-linking; loads link their new records incrementally."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from catalogue import iris
from catalogue.cli import cli
from catalogue.ingest import load_file
from catalogue.linking import crosswalk
from catalogue.linking.decisions import DecisionError
from catalogue.linking.incremental import link_new, unlinked
from catalogue.linking.records import linkset_graph
from catalogue.store.paging import csv_rows
from catalogue.linking.run import link_all
from catalogue.vocab import DCTERMS, SV
from tests.conftest import BASE, OGL, REAL, copy_store

MOTT = iris.organisation(BASE, "GB-COH-01243967")
MINE = iris.organisation(BASE, "name-a-team-of-our-own")
COLUMNS = ["decision", "council", "supplier_name", "supplier_id", "other_council", "other_supplier_name",
           "other_supplier_id", "organisation", "note"]


def _load(store, council: str, path: str) -> None:
    outcome = load_file(store, "spend", REAL / path, base=BASE, publisher=council, licence=OGL)
    assert outcome.loaded


@pytest.fixture(scope="module")
def calderdale_and_salford():
    """Two councils' spend (unlinked): Calderdale publishes company numbers, Salford only names."""
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    _load(store, "E08000033", "calderdale/2022-08.csv")
    _load(store, "E08000006", "salford/2022-06.csv")
    return store


def organisation_of(store) -> dict[tuple[str, str], tuple[str, str]]:
    return {(r[0], r[1]): (r[3], r[4]) for r in crosswalk.rows(store, BASE)}


def write_decisions(path, rows) -> str:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_confirm_reject_assign_and_forget_survive_relinking(calderdale_and_salford, tmp_path):
    store = copy_store(calderdale_and_salford)
    link_all(store, BASE, licence=OGL)
    before = organisation_of(store)
    assert before[("E08000006", "Mott Macdonald Ltd")] == (MOTT, "exact-name")
    p_and_i, business = before[("E08000006", "Capita P And I Ltd")][0], \
        before[("E08000006", "Capita Business Services Ltd")][0]
    assert p_and_i != business
    decisions = write_decisions(tmp_path / "decisions.csv", [
        {"decision": "reject", "council": "E08000006", "supplier_name": "Mott Macdonald Ltd", "organisation": MOTT,
         "note": "Salford pays a different Mott MacDonald"},
        {"decision": "confirm", "council": "E08000006", "supplier_name": "Capita P And I Ltd",
         "other_council": "E08000006", "other_supplier_name": "Capita Business Services Ltd"},
        {"decision": "assign", "council": "E08000033", "supplier_name": "AECOM", "supplier_id": "S211979",
         "organisation": MINE},
    ])
    outcome = link_all(store, BASE, licence=OGL, decisions_file=decisions)
    after = organisation_of(store)
    assert after[("E08000006", "Mott Macdonald Ltd")][0] != MOTT
    assert after[("E08000033", "Mott MacDonald Ltd")] == (MOTT, "company-number")
    merged = after[("E08000006", "Capita P And I Ltd")]
    assert merged == after[("E08000006", "Capita Business Services Ltd")] and merged[1] == "manual"
    assert after[("E08000033", "AECOM")] == (MINE, "manual")
    assert outcome.decisions == 3 and outcome.retired == 1
    retired = p_and_i if merged[0] == business else business
    graph = linkset_graph(store, BASE)
    assert csv_rows(store, f"SELECT ?n WHERE {{ GRAPH <{graph}> {{ <{retired}> <{DCTERMS.isReplacedBy}> ?n }} }}")[0]["n"] \
        == merged[0]

    link_all(store, BASE, licence=OGL)  # no file: the stored decisions apply again
    assert organisation_of(store) == after
    forget = write_decisions(tmp_path / "forget.csv", [
        {"decision": "forget", "council": "E08000006", "supplier_name": "Mott Macdonald Ltd"}])
    link_all(store, BASE, licence=OGL, decisions_file=forget)
    assert organisation_of(store)[("E08000006", "Mott Macdonald Ltd")] == (MOTT, "exact-name")
    stored = csv_rows(store, f"SELECT ?d WHERE {{ GRAPH <{linkset_graph(store, BASE)}> {{ ?x <{SV.decision}> ?d }} }}")
    assert sorted(r["d"] for r in stored) == ["assign", "confirm"]


def test_a_decisions_file_with_mistakes_is_refused_whole(calderdale_and_salford, tmp_path):
    store = copy_store(calderdale_and_salford)
    link_all(store, BASE, licence=OGL)
    before = organisation_of(store)
    bad = write_decisions(tmp_path / "bad.csv", [
        {"decision": "confirm", "council": "E08000006", "supplier_name": "Capita P And I Ltd",
         "other_council": "E08000006", "other_supplier_name": "Capita Business Services Ltd"},
        {"decision": "merge", "council": "E08000006", "supplier_name": "Capita P And I Ltd"},
        {"decision": "reject", "council": "E08000006", "supplier_name": "No Such Supplier Ltd",
         "organisation": MOTT},
        {"decision": "assign", "council": "E08000033", "supplier_name": "AECOM", "supplier_id": "S211979",
         "organisation": "https://elsewhere.example/org/1"},
    ])
    with pytest.raises(DecisionError) as refused:
        link_all(store, BASE, licence=OGL, decisions_file=bad)
    assert [row for row, _ in refused.value.problems] == [3, 4, 5]
    assert organisation_of(store) == before


def test_the_cli_reports_a_bad_decisions_file_and_exits_1(tmp_path):
    store_path = tmp_path / "store"
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--store", str(store_path), "--base-uri", BASE, "load", "spend",
                                 str(REAL / "salford/2022-06.csv"), "--publisher", "E08000006", "-q"])
    assert loaded.exit_code == 0, loaded.output
    assert "full link:" in loaded.output  # the first load links everything it brings
    bad = write_decisions(tmp_path / "bad.csv", [{"decision": "maybe", "council": "E08000006",
                                                  "supplier_name": "Mott Macdonald Ltd"}])
    result = runner.invoke(cli, ["--store", str(store_path), "--base-uri", BASE, "link", "--decisions", bad])
    assert result.exit_code == 1
    assert "row 2: decision must be one of confirm, reject, assign, forget" in result.output


def test_a_load_links_its_new_records_and_keeps_every_organisation_iri(calderdale_and_salford):
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    _load(store, "E08000033", "calderdale/2022-08.csv")
    link_all(store, BASE, licence=OGL)
    before = organisation_of(store)
    _load(store, "E08000006", "salford/2022-06.csv")
    assert unlinked(store, BASE, linkset_graph(store, BASE))  # the new file's records
    outcome = link_new(store, BASE, licence=OGL)
    after = organisation_of(store)
    assert outcome.mode == "incremental" and outcome.records == len(after) - len(before) > 300
    assert not unlinked(store, BASE, linkset_graph(store, BASE))
    assert {k: v[0] for k, v in after.items() if k in before} == {k: v[0] for k, v in before.items()}
    assert after[("E08000006", "Mott Macdonald Ltd")] == (MOTT, "exact-name")
    # The same grouping of records as a full link of both files makes.
    full = copy_store(calderdale_and_salford)
    link_all(full, BASE, licence=OGL)
    assert partition(organisation_of(full)) == partition(after)


def partition(organisations: dict) -> set[frozenset]:
    groups: dict[str, set] = {}
    for record, (org, _) in organisations.items():
        groups.setdefault(org, set()).add(record)
    return {frozenset(g) for g in groups.values()}
