"""`svcat link` on the real sample files: every record linked once, identifiers win, IRIs stay."""

from __future__ import annotations

from collections import defaultdict

import pytest

from catalogue import iris
from catalogue.linking import crosswalk
from catalogue.linking.cluster import is_scoped
from catalogue.linking.names import parse
from catalogue.linking.records import linkset_graph
from catalogue.store.paging import csv_rows
from catalogue.linking.run import link_all
from catalogue.vocab import DCAT, DCTERMS, OWL, PROV, RDF, SV, VOID
from tests.conftest import BASE, OGL, copy_store

MOTT = iris.organisation(BASE, "GB-COH-01243967")


@pytest.fixture(scope="module")
def walk(linked_store):
    """The crosswalk of the linked sample store, by organisation."""
    rows = crosswalk.rows(linked_store, BASE)
    by_org = defaultdict(list)
    for row in rows:
        by_org[row[3]].append(row)
    return rows, by_org


def test_every_supplier_record_has_exactly_one_organisation_with_a_method_and_score(linked_store):
    records = csv_rows(linked_store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH <{iris.catalogue_graph(BASE)}> {{ ?ds <{SV.namedGraph}> ?g }} GRAPH ?g {{ ?s a <{SV.Supplier}> }} }}""")
    per_record = csv_rows(linked_store, f"""SELECT ?s (COUNT(DISTINCT ?o) AS ?n) (COUNT(DISTINCT ?m) AS ?methods)
        (COUNT(DISTINCT ?score) AS ?scores) WHERE {{ ?s <{SV.canonicalOrganisation}> ?o ; <{SV.organisationLink}> ?l .
        ?l <{SV.linkMethod}> ?m ; <{SV.linkScore}> ?score ; <{SV.linkedOrganisation}> ?o }} GROUP BY ?s""")
    assert int(records[0]["n"]) == len(per_record) > 8000
    assert {(r["n"], r["methods"], r["scores"]) for r in per_record} == {("1", "1", "1")}


def test_the_links_are_a_dataset_of_their_own_with_dcat_void_and_prov(linked_store):
    graph = linkset_graph(linked_store, BASE)
    assert graph and graph.startswith(f"{BASE}graph/linkset/")
    record = {(r["p"], r["o"]) for r in csv_rows(linked_store, f"""SELECT ?p ?o WHERE {{
        GRAPH <{iris.catalogue_graph(BASE)}> {{ <{iris.linkset(BASE)}> ?p ?o }} }}""")}
    assert (str(RDF.type), str(DCAT.Dataset)) in record and (str(RDF.type), str(VOID.Linkset)) in record
    assert (str(VOID.linkPredicate), str(SV.canonicalOrganisation)) in record
    assert (str(SV.namedGraph), graph) in record
    assert {p for p, _ in record} >= {str(DCTERMS.modified), str(PROV.wasGeneratedBy), str(VOID.triples)}
    used = csv_rows(linked_store, f"SELECT (COUNT(?d) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a <{PROV.used}> ?d }} }}")
    assert int(used[0]["n"]) == 12  # the ten spend files, the contracts register and the grants file


def test_a_company_number_joins_spellings_across_councils_and_renamed_firms(walk):
    rows, by_org = walk
    mott = {(r[0], r[1]) for r in by_org[MOTT]}
    assert {("E08000033", "Mott MacDonald Ltd"), ("E08000036", "MOTT MACDONALD LTD"),
            ("E08000035", "Mott Macdonald Limited")} <= mott
    assert {r[4] for r in by_org[MOTT] if r[0] in ("E08000033", "E08000036")} == {"company-number"}
    engie = iris.organisation(BASE, "GB-COH-01738371")  # Equans Regeneration, renamed from Engie Regeneration
    assert {"Equans Regeneration Ltd", "ENGIE REGENERATION LTD"} <= {r[1] for r in by_org[engie]}


def test_group_companies_with_different_numbers_stay_distinct(walk):
    rows, _ = walk
    org = {(r[0], r[1]): r[3] for r in rows}
    business = iris.organisation(BASE, "GB-COH-02299747")
    assert org[("E08000036", "CAPITA BUSINESS SERVICES LTD")] == business
    assert org[("E08000006", "Capita Property and Infrastructure Limited")] == iris.organisation(BASE, "GB-COH-02018542")
    assert org[("E08000022", "CAPITA SYMONDS LTD")] not in (business, iris.organisation(BASE, "GB-COH-02018542"))


def test_councils_paying_councils_are_one_public_body_tied_to_the_council(linked_store, walk):
    rows, by_org = walk
    kirklees = iris.organisation(BASE, "council-E08000034")
    assert {("E08000033", "Kirklees Council"), ("E08000036", "KIRKLEES METROPOLITAN COUNCIL")} <= \
        {(r[0], r[1]) for r in by_org[kirklees]}
    facts = {(r["p"], r["o"]) for r in csv_rows(linked_store, f"SELECT ?p ?o WHERE {{ <{kirklees}> ?p ?o }}")}
    assert (str(OWL.sameAs), iris.council(BASE, "E08000034")) in facts
    assert (str(SV.socialValueClass), str(SV.publicBody)) in facts


def test_people_and_local_establishments_are_never_joined_across_councils_by_name(walk):
    _, by_org = walk
    for org, rows in by_org.items():
        councils = {r[0] for r in rows}
        if len(councils) < 2 or rows[0][4] in ("company-number", "charity-number", "vat-number"):
            continue
        scoped = [r for r in rows if r[1] and is_scoped(parse(r[1])) and r[4] in ("exact-name", "fuzzy-name")]
        assert len({r[0] for r in scoped}) <= 1 or any(r[4] in ("company-number", "charity-number")
                                                        for r in rows), (org, scoped)


def test_organisation_iris_come_from_the_strongest_identifier(walk):
    _, by_org = walk
    keys = [iris.organisation_key(BASE, org) for org in by_org if org]
    assert all(k.split("-")[0] in ("GB", "council", "vat", "name") for k in keys)
    assert any(k.startswith("GB-CHC-") for k in keys) and any(k.startswith("council-E") for k in keys)


def test_relinking_keeps_every_iri_and_rewrites_nothing(linked_store):
    store = copy_store(linked_store)
    before = crosswalk.rows(store, BASE)
    messages = []
    outcome = link_all(store, BASE, licence=OGL, say=messages.append, force=True)  # unforced, it stops at once
    assert crosswalk.rows(store, BASE) == before
    assert outcome.new_organisations == 0 and outcome.graph == linkset_graph(linked_store, BASE)
    assert any("0 organisations rewritten, 0 removed" in m for m in messages)
