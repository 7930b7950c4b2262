"""The queries a user copies first (the README's curl example, the SPARQLWrapper example of
docs/querying.md, the default query of the ``/sparql`` form) give true totals over the demo,
served by gunicorn.

A council's name is stated in each of its datasets, and the default graph (the union of
all graphs) is a bag on Oxigraph 0.5 and Virtuoso (docs/querying.md, "The default graph is a bag"):
joining the name before summing counted Trafford's 2,024 lines eight times. The truth here
comes from elsewhere: each council's spend datasets as the catalogue records them
(``sv:loadedRowCount``) and its lines summed inside their own graphs.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import re
from decimal import Decimal

import requests

from catalogue.vocab import sparql_prologue
from tests.test_docs import DOCUMENTATION

PREFIXES = sparql_prologue("pay", "sv", "dcterms", "rdfs")


def select(url: str, query: str) -> list[dict]:
    response = requests.post(url + "/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def truth(url: str) -> dict[str, tuple[Decimal, int]]:
    """Council name -> (spend, lines), each line summed inside its own graph."""
    rows = select(url, PREFIXES + """
        SELECT ?payer (SUM(?amount) AS ?total) (COUNT(?line) AS ?lines) WHERE {
          ?dataset sv:namedGraph ?g ; dcterms:publisher ?payer . GRAPH ?g { ?line pay:netAmount ?amount } }
        GROUP BY ?payer""")
    names = {r["payer"]: r["name"] for r in select(url, PREFIXES + """
        SELECT DISTINCT ?payer ?name WHERE { ?dataset dcterms:type sv:spend ; dcterms:publisher ?payer .
          ?payer rdfs:label ?name }""")}
    return {names[r["payer"]]: (Decimal(r["total"]), int(r["lines"])) for r in rows}


def recorded_rows(url: str) -> dict[str, int]:
    """Council name -> rows loaded from its spend files, as the DCAT records say."""
    rows = select(url, PREFIXES + """
        SELECT ?council (SAMPLE(?name) AS ?councilName) ?n WHERE {
          { SELECT ?council (SUM(?rows) AS ?n) WHERE {
              { SELECT DISTINCT ?dataset ?council ?rows WHERE {
                  ?dataset dcterms:type sv:spend ; dcterms:publisher ?council ; sv:loadedRowCount ?rows } }
            } GROUP BY ?council }
          ?council rdfs:label ?name
        } GROUP BY ?council ?n""")
    return {r["councilName"]: int(r["n"]) for r in rows}


def readme_block(language: str, containing: str) -> str:
    """The first such block of the README, else of the docs/ pages it links."""
    blocks = re.findall(rf"```{language}\n(.*?)```", DOCUMENTATION, re.S)
    found = [b for b in blocks if containing in b]
    assert found, f"no {language} block in the README or docs/ with {containing!r}"
    return found[0]


def test_the_demo_has_a_council_with_several_datasets(served):
    """The case that goes wrong: Trafford publishes eight files, Salford three."""
    rows = select(served, PREFIXES + """
        SELECT ?council (COUNT(DISTINCT ?dataset) AS ?n) WHERE { ?dataset dcterms:publisher ?council ;
          sv:loadedRowCount ?rows } GROUP BY ?council HAVING (COUNT(DISTINCT ?dataset) > 2)""")
    assert len(rows) >= 2


def test_readme_curl_query_gives_each_council_once_with_its_true_totals(served):
    block = readme_block("sh", "curl -s http://127.0.0.1:5000/sparql")
    query = re.search(r"--data-urlencode 'query=(.*)'", block, re.S).group(1)
    response = requests.post(served + "/sparql", data={"query": query}, headers={"Accept": "text/csv"}, timeout=60)
    assert response.status_code == 200, response.text
    got = {}
    for row in csv.DictReader(io.StringIO(response.text)):
        assert row["council"] not in got, f"{row['council']} answered twice"
        got[row["council"]] = (Decimal(row["total"]), int(row["lines"]))
    assert got == truth(served)
    assert {name: lines for name, (_, lines) in got.items()} == recorded_rows(served)
    assert got["Trafford Council"][1] == 2024


def test_readme_sparqlwrapper_example_prints_the_true_totals(served):
    code = readme_block("python", "SPARQLWrapper").replace("http://127.0.0.1:5000", served)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md (SPARQLWrapper example)", "exec"), {})
    got = {}
    for line in printed.getvalue().strip().splitlines():
        name, total = line.rsplit(" ", 1)
        assert name not in got, f"{name} printed twice"
        got[name] = Decimal(total)
    assert got == {name: total for name, (total, _) in truth(served).items()}


def test_the_sparql_form_default_query_gives_true_totals(served):
    page = requests.get(served + "/sparql", headers={"Accept": "text/html"}, timeout=60)
    # A textarea holds raw text for a browser (its PREFIX IRIs are not tags): read it so.
    query = html.unescape(re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', page.text, re.S).group(1))
    rows = select(served, query)
    got = {r["council"]: (Decimal(r["total"]), int(r["lines"])) for r in rows}
    assert len(got) == len(rows)
    assert got == truth(served)
