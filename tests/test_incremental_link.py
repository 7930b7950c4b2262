"""The incremental link (``svcat load``) gives the organisations a full link (``svcat link``) gives.

Issue 22 item 3: adding one file re-links only the records it touched. A record can bridge
two organisations (a name shared with one, a company number with the other); an
incremental link that pinned the records it already held left them apart, so loading
files one by one gave more organisations than a full link (7,807 against 7,801 on
tests/data/real). Now the region around the new records is re-clustered from scratch
with every name's statistics, IRIs follow the full link's rule, and the incremental link
is stamped as a full one: a ``svcat link`` after loads has nothing to do.
"""

from __future__ import annotations

import pytest

from catalogue import iris
from catalogue.ingest.steps import load_and_link
from catalogue.linking import ambiguous, crosswalk
from catalogue.linking.cluster import Constraints, cluster_records
from catalogue.linking.corpus import corpus_of
from catalogue.linking.identity import assign, derived_key
from catalogue.linking.inputs import input_digest, stored_digest
from catalogue.linking.records import SupplierRecord, linked_records, linkset_graph, retired_organisations
from catalogue.linking.run import link_all
from tests import written_files as written
from tests.conftest import BASE, OGL, REAL, manifest



def _load(store, kind, path, publisher=None):
    done = load_and_link(store, kind, path, base=BASE, licence=OGL, link_licence=OGL, publisher=publisher)
    assert done.outcome.loaded, done.outcome.report.to_json()
    return done.link


def _partition(store) -> tuple[dict[str, str], set[frozenset[str]]]:
    links = linked_records(store, linkset_graph(store, BASE))
    groups: dict[str, set[str]] = {}
    for record, org in links.items():
        groups.setdefault(org, set()).add(record)
    return links, {frozenset(m) for m in groups.values()}


def _walk(store) -> list[tuple]:
    return sorted(crosswalk.rows(store, BASE))


# ------------------------------------------------------------------ pure


def _record(iri, council, name, number=""):
    return SupplierRecord(iri, council, name, org_ids={f"GB-COH-{number}"} if number else set())


def test_a_bridging_record_merges_two_organisations_only_when_they_are_not_pinned():
    """r3 shares r1's name and r2's company number: one organisation in a full link. The old
    incremental link pinned r1 and r2 to their organisations and so kept two."""
    records = {r.iri: r for r in (_record("urn:r1", "E08000035", "Zebrafin Telecom PLC"),
                                  _record("urn:r2", "E10000008", "ZFT Holdings PLC", "07654321"),
                                  _record("urn:r3", "E08000036", "Zebrafin Telecom PLC", "07654321"))}
    assert cluster_records(records).clusters == [["urn:r1", "urn:r2", "urn:r3"]]
    org1, org2 = iris.organisation(BASE, "name-zebrafin"), iris.organisation(BASE, "GB-COH-07654321")
    pinned = cluster_records(records, Constraints(pinned={"urn:r1": org1, "urn:r2": org2}))
    assert len(pinned.clusters) == 2
    # the merged organisation keeps the IRI its identifier names; the other is retired to it
    key = derived_key(list(records.values()), None, "zebrafin telecom")
    chosen = assign(BASE, [sorted(records)], [key], {"urn:r1": org1, "urn:r2": org2}, {}, {})
    assert chosen.iris == [org2] and chosen.retired == {org1: org2}


def test_clustering_a_region_with_every_names_statistics_decides_as_clustering_all():
    """An initials form joins a public body's name only when it spells exactly one among
    all names: "DT" next to the Departments for Transport and for Trade joins neither. A
    region holding "DT" and one department decides so only with the corpus of every name."""
    everything = {r.iri: r for r in (_record("urn:a", "E08000035", "DT"),
                                     _record("urn:b", "E10000008", "Department for Transport"),
                                     _record("urn:c", "E08000036", "Department for Trade"))}
    assert len(cluster_records(everything).clusters) == 3
    region = {k: everything[k] for k in ("urn:a", "urn:b")}
    assert cluster_records(region).clusters == [["urn:a", "urn:b"]]  # what a region alone would do
    corpus = corpus_of((r.iri, r.name, r.council) for r in everything.values())
    assert cluster_records(region, corpus=corpus).clusters == [["urn:a"], ["urn:b"]]


# ------------------------------------------------------------ on a store


def test_a_later_file_that_bridges_two_organisations_merges_them_and_retires_an_iri(memory_store, tmp_path):
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "leeds.csv", [["Zebrafin Telecom PLC", "L1", "", ""]]),
          "E08000035")
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "devon.csv", [["ZFT Holdings PLC", "D1", "07654321", ""]]),
          "E10000008")
    before, groups = _partition(memory_store)
    assert len(groups) == 2
    link = _load(memory_store, "suppliers", written.suppliers(tmp_path / "wakefield.csv", [
        ["Zebrafin Telecom PLC", "W1", "07654321", ""]]), "E08000036")
    assert link.mode == "incremental"
    links, groups = _partition(memory_store)
    assert len(groups) == 1 and len(links) == 3
    survivor = iris.organisation(BASE, "GB-COH-07654321")
    assert set(links.values()) == {survivor}
    (gone,) = set(before.values()) - {survivor}
    assert retired_organisations(memory_store, linkset_graph(memory_store, BASE)) == {gone: survivor}
    # stamped as a full link: svcat link has nothing to do, and a forced one changes nothing
    assert stored_digest(memory_store, BASE) == input_digest(memory_store, BASE)
    walk = _walk(memory_store)
    assert link_all(memory_store, BASE, licence=OGL).mode == "unchanged"
    assert link_all(memory_store, BASE, licence=OGL, force=True).mode == "full"
    assert _partition(memory_store)[0] == links and _walk(memory_store) == walk


def test_a_new_version_of_a_dataset_is_not_stamped_as_a_full_link(memory_store, tmp_path):
    path = written.suppliers(tmp_path / "leeds.csv", [["Zebrafin Telecom PLC", "L1", "", ""], ["Acme Ltd", "L2", "", ""]])
    _load(memory_store, "suppliers", path, "E08000035")
    assert stored_digest(memory_store, BASE) == input_digest(memory_store, BASE)
    written.suppliers(tmp_path / "leeds.csv", [["Zebrafin Telecom PLC", "L1", "", ""], ["Acme Widgets Ltd", "L3", "", ""]])
    assert _load(memory_store, "suppliers", path, "E08000035").mode == "incremental"
    assert stored_digest(memory_store, BASE) != input_digest(memory_store, BASE)  # "Acme Ltd" only a full link drops
    assert link_all(memory_store, BASE, licence=OGL).mode == "full"


def test_register_name_matches_of_an_incremental_link_are_a_full_links(memory_store, tmp_path):
    """With the register sample loaded, a file's records without a number are matched to
    register entries by name (or listed for a person) by the incremental link exactly as
    by a full one: the crosswalk (organisation, method, register match, score, evidence,
    classes) and the ambiguous list are equal."""
    _load(memory_store, "companies-house", written.CH_DEV)
    link = _load(memory_store, "suppliers", written.suppliers(tmp_path / "leeds.csv", [
        ["Mott MacDonald Ltd", "L1", "", ""], ["Royal Mail Group", "L2", "", ""], ["Nobody Ltd", "L3", "", ""]]),
        "E08000035")
    assert link.mode == "incremental"
    walk, listed = _walk(memory_store), ambiguous.rows(memory_store, BASE)
    mott = [row for row in walk if row[1] == "Mott MacDonald Ltd"][0]
    assert "GB-COH-01243967" in mott
    assert [(r["supplier_name"], r["candidate"]) for r in listed] == [("Royal Mail Group", "GB-COH-04138203")]
    assert link_all(memory_store, BASE, licence=OGL).mode == "unchanged"
    link_all(memory_store, BASE, licence=OGL, force=True)
    assert _walk(memory_store) == walk and ambiguous.rows(memory_store, BASE) == listed


@pytest.mark.slow
def test_loading_the_real_files_one_by_one_gives_the_full_links_organisations(tmp_path):
    """tests/data/real, each file loaded and linked incrementally as ``svcat load`` does, then
    a forced full link on the same store: the same organisations, with the same IRIs."""
    from catalogue.store import open_store

    with open_store(str(tmp_path / "store"), "write") as store:
        modes = [_load(store, e["kind"], REAL / e["path"], e["gss_code"]).mode for e in manifest(REAL)]
        assert modes[0] == "full" and set(modes[1:]) == {"incremental"}
        links, groups = _partition(store)
        assert stored_digest(store, BASE) == input_digest(store, BASE)
        assert link_all(store, BASE, licence=OGL).mode == "unchanged"
        summaries = _summaries(store)
        full = link_all(store, BASE, licence=OGL, force=True)  # refreshes every summary
        assert full.organisations == len(groups)
        assert _partition(store) == (links, groups)
        assert _summaries(store) == summaries


def _summaries(store) -> dict[str, set[tuple]]:
    """Every summary graph (councils' cubes, the cube across councils) as sets of triples."""
    from catalogue.store.paging import csv_rows

    prefixes = (iris.council_summary_graph(BASE, ""), iris.organisation_summary_graph(BASE),
                iris.class_summary_graph(BASE))
    out = {}
    for graph in sorted(g for g in store.graphs() if g.startswith(prefixes)):
        rows = csv_rows(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        out[graph] = {(r["s"], r["p"], r["o"]) for r in rows}
    return out


def _leeds_spend(path, payee="ZEBRAFIN TELECOM PLC") -> str:
    path.write_text(
        "Body name,Body,Service label,Service division label,Expenditure category,Detailed expenditure type,"
        "Detailed expenditure code,Date paid,Transaction number,Net amount,Capital or revenue,Supplier name\n"
        "Leeds City Council,http://statistics.data.gov.uk/doc/local-authority/00DA,Central,Commercial,Supplies,"
        f"Phones,205,24/12/2010,1012-00001,1616.23,R,{payee}\n", encoding="utf-8")
    return str(path)


def test_an_identifier_a_later_file_gives_a_linked_record_relinks_it(memory_store, tmp_path):
    """Leeds' spend file pays "ZEBRAFIN TELECOM PLC" (no number); Leeds' supplier list later
    states the same record with its company number, which Devon's list gives "ZFT Holdings
    PLC": the record, already linked, is re-linked and joins Devon's, as in a full link."""
    _load(memory_store, "spend", _leeds_spend(tmp_path / "leeds.csv"), "E08000035")
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "devon.csv", [["ZFT Holdings PLC", "D1", "07654321", ""]]),
          "E10000008")
    assert len(_partition(memory_store)[1]) == 2
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "leeds-suppliers.csv", [
        ["ZEBRAFIN TELECOM PLC", "", "07654321", ""]]), "E08000035")
    links, groups = _partition(memory_store)
    assert len(groups) == 1 and set(links.values()) == {iris.organisation(BASE, "GB-COH-07654321")}
    walk, summaries = _walk(memory_store), _summaries(memory_store)
    assert link_all(memory_store, BASE, licence=OGL).mode == "unchanged"
    link_all(memory_store, BASE, licence=OGL, force=True)
    assert _walk(memory_store) == walk and _summaries(memory_store) == summaries


def test_a_bridge_refreshes_the_summaries_of_the_council_whose_payee_it_moved(memory_store, tmp_path):
    """Leeds pays "Zebrafin Telecom PLC"; a Wakefield list later ties that name to a company
    number Devon's list gives: Leeds' payee moves to the merged organisation, so Leeds'
    summaries are refreshed by Wakefield's load, and equal those a full link writes."""
    spend = _leeds_spend(tmp_path / "leeds.csv")
    _load(memory_store, "spend", spend, "E08000035")
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "devon.csv", [["ZFT Holdings PLC", "D1", "07654321", ""]]),
          "E10000008")
    _load(memory_store, "suppliers", written.suppliers(tmp_path / "wakefield.csv", [
        ["Zebrafin Telecom PLC", "W1", "07654321", ""]]), "E08000036")
    survivor = iris.organisation(BASE, "GB-COH-07654321")
    leeds = _summaries(memory_store)[iris.council_summary_graph(BASE, "E08000035")]
    assert any(o == survivor for _, _, o in leeds)
    summaries = _summaries(memory_store)
    link_all(memory_store, BASE, licence=OGL, force=True)
    assert _summaries(memory_store) == summaries
