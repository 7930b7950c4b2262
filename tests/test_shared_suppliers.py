"""A council's supplier is one ``sv:Supplier`` record across its spend, supplier and contract files."""

from __future__ import annotations

from catalogue.ingest import load_file
from tests.conftest import BASE, DATA, OGL, REAL

SALFORD = "E08000006"
QUERY = """
PREFIX sv: <https://w3id.org/svcat/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX pay: <http://reference.data.gov.uk/def/payment#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?supplier ?g ?how WHERE {
  ?supplier a sv:Supplier ; rdfs:label "Seddon Construction Limited" .
  GRAPH ?g { { ?x pay:payee ?supplier BIND("paid" AS ?how) }
             UNION { ?x sv:awardedTo ?supplier BIND("contract" AS ?how) }
             UNION { ?supplier org:identifier ?id BIND("listed" AS ?how) } }
}"""


def test_one_record_across_spend_supplier_list_and_contracts(memory_store):
    graphs = {}
    for kind, path in (("spend", REAL / "salford/2022-06.csv"),
                       ("suppliers", DATA / "samples/salford/suppliers-2022-06.csv"),
                       ("contracts", REAL / "salford/contracts-register-2022-07.csv")):
        outcome = load_file(memory_store, kind, path, base=BASE, publisher=SALFORD, licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
        graphs[outcome.graph] = kind
    rows = memory_store.select(QUERY).rows
    assert len({str(r["supplier"]) for r in rows}) == 1
    assert {graphs[str(r["g"])] for r in rows} == {"spend", "suppliers", "contracts"}
    assert {str(r["how"]) for r in rows} == {"paid", "contract", "listed"}
    facts = memory_store.select("""
        PREFIX sv: <https://w3id.org/svcat/def#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT DISTINCT ?id ?sme ?postcode WHERE { ?s rdfs:label "Seddon Construction Limited" ;
          org:identifier ?id ; sv:smeFlag ?sme ; sv:postcode ?postcode }""".replace(
        "SELECT", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT")).rows
    # The list and the register both give 172081 (without its leading zeros); the register
    # also gives two other Seddon group company numbers on other rows: all kept, as published.
    assert "GB-COH-00172081" in {str(f["id"]) for f in facts}
    assert {str(f["postcode"]) for f in facts} == {"BL4 0NN"}
