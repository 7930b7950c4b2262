"""A lean payment line (issue 22): what every line of a file shares is stated once per file,
and no fact is lost. The payer is the dataset's ``dcterms:publisher``, the source row is the
line's own number in the dataset's file, and the types follow from ``pay:payment``'s domain
and range; a line's page (HTML and RDF) still states all of them, derived when served.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rdflib import Graph, URIRef

from catalogue import iris
from catalogue.shacl import compiled
from catalogue.vocab import DCAT, DCTERMS, PAY, PROV, RDF, SV
from loaders.terms import iri
from tests.conftest import BASE
from tests.golden import loader_triples

ROOT = Path(__file__).resolve().parent.parent
EXCERPT = ROOT / "tests" / "data" / "spend" / "leeds-2010-excerpt.csv"
LEEDS = "E08000035/spend/2013-12"
LINE = f"{BASE}id/dataset/{LEEDS}/line/2"


def test_a_line_states_only_its_own_facts():
    triples = loader_triples("spend", EXCERPT)
    predicates = Counter(p for _, p, _ in triples)
    assert not predicates[iri(str(PAY.payer))] and not predicates[iri(str(PROV.wasDerivedFrom))]
    lines = {s for s, _, _ in triples if "/line/" in s}
    assert len(lines) == 5
    per_line = Counter(s for s, _, _ in triples if s in lines)
    assert max(per_line.values()) <= 8  # amount, date, payee, 2 categories, code, area, payment
    # Every line here has a payment, so none states its type: pay:payment's domain says it.
    assert not [t for t in triples if t[0] in lines and t[1] == iri(str(RDF.type))]
    payments = {o for s, p, o in triples if p == iri(str(PAY.payment))}
    assert payments and not [t for t in triples if t[0] in payments and t[1] == iri(str(RDF.type))]


def test_the_implied_type_is_still_validated():
    """A line with a payment and no type is checked as a pay:ExpenditureLine (no amount: violation)."""
    line, payment = iri(LINE), iri(f"{BASE}id/dataset/{LEEDS}/payment/x")
    results = compiled(("spend.ttl", "suppliers.ttl")).check_triples([(line, iri(str(PAY.payment)), payment)])
    assert {r.kind for r in results} >= {"missing-amount", "missing-date"}


def test_the_payer_and_source_row_come_from_the_dataset_record(loaded_store):
    """Summed through the record, every line has its council: no line is lost without pay:payer."""
    dataset = f"{BASE}id/dataset/{LEEDS}"
    record = loaded_store.select(f"""SELECT ?publisher ?file ?rows WHERE {{ GRAPH <{iris.catalogue_graph(BASE)}> {{
        <{dataset}> <{DCTERMS.publisher}> ?publisher ; <{SV.loadedRowCount}> ?rows ;
          <{DCAT.distribution}>/<{DCAT.downloadURL}> ?file }} }}""").rows[0]
    lines = loaded_store.select(f"""SELECT (COUNT(?line) AS ?n) WHERE {{
        <{dataset}> <{SV.namedGraph}> ?g ; <{DCTERMS.publisher}> <{record['publisher']}> .
        GRAPH ?g {{ ?line <{PAY.netAmount}> ?amount }} }}""").rows[0]
    assert int(lines["n"]) == int(record["rows"]) > 9000
    assert str(record["publisher"]) == f"{BASE}id/council/E08000035"
    assert iris.line_of(LINE) == (dataset, 2)
    assert iris.source_row(str(record["file"]), 2) == f"{BASE}file/{LEEDS}/2013-12.csv#row=2"


def test_a_line_page_links_its_source_row_and_names_its_payer(client):
    page = client.get(f"/doc/dataset/{LEEDS}/line/2", headers={"Accept": "text/html"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert re.search(rf'href="[^"]*file/{re.escape(LEEDS)}/2013-12\.csv#row=2"', text), "no link to the source row"
    assert "Leeds City Council" in text and "pay:payer" in text and "pay:ExpenditureLine" in text
    turtle = client.get(f"/doc/dataset/{LEEDS}/line/2", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    line = URIRef(LINE)
    assert graph.value(line, PROV.wasDerivedFrom) == URIRef(f"{BASE}file/{LEEDS}/2013-12.csv#row=2")
    assert graph.value(line, PAY.payer) == URIRef(f"{BASE}id/council/E08000035")
    assert (line, RDF.type, PAY.ExpenditureLine) in graph


def test_a_file_row_reached_from_the_dataset_rows_table_cites_the_file(client):
    page = client.get(f"/dataset/{LEEDS}/rows.json?_size=5")
    assert page.status_code == 200
    rows = page.get_json()["rows"]
    first = next(r for r in rows if r["row"] == 2)
    assert first["source"] == f"{BASE}file/{LEEDS}/2013-12.csv#row=2" and first["cite"] == "row 2"
