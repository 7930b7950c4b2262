"""The app under gunicorn with the demo data on disk, as researchers and checkers meet it."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from tests.conftest import BASE, ROOT

CONFORMANCE = ROOT.parent / "shared" / "tools" / "conformance"
TOTALS = """
PREFIX pay: <http://reference.data.gov.uk/def/payment#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sv: <https://w3id.org/svcat/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?council (SUM(?amount) AS ?total) WHERE {
  { SELECT DISTINCT ?payer ?council WHERE { ?payer rdfs:label ?council } }
  ?dataset sv:namedGraph ?g ; dcterms:publisher ?payer . GRAPH ?g { ?line pay:netAmount ?amount }
} GROUP BY ?council ORDER BY ?council"""


def test_sparqlwrapper_gets_total_spend_per_council_as_json_and_csv(served):
    client = SPARQLWrapper(served + "/sparql")
    client.setQuery(TOTALS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    totals = {r["council"]["value"]: r["total"]["value"] for r in rows}
    assert len(totals) == 10
    assert totals["Devon County Council"] == "57492900.67"  # the file's own total row says 57,492,900.67
    client.setReturnFormat(CSV)
    table = list(csv.DictReader(io.StringIO(client.query().convert().decode())))
    assert {r["council"]: r["total"] for r in table} == totals


def _checker(name, *args):
    script = CONFORMANCE / name
    if not script.exists():
        pytest.skip(f"{script} is not beside the repository")
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=300)


def test_sparql_protocol_conformance(served):
    result = _checker("sparql_protocol.py", served + "/sparql")
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0 and " 0 failed" in summary, result.stdout


@pytest.mark.parametrize("path", [
    "council/E08000035",
    "dataset/E08000035/spend/2013-12",
    "dataset/E08000035/spend/2013-12/line/2",
    "dataset/E08000035/spend/2013-12/payment/1312-00001-9f1054",
    "supplier/E08000033/mott-macdonald-ltd-bb513d9c",
    "concept/E08000009/indicator/claimant-count",
    "catalogue",
    "organisation/GB-COH-01243967",
    "organisation/council-E08000034",
])
def test_linked_data_conformance(served, path):
    result = _checker("linked_data.py", served, f"{BASE}id/{path}", "--fetch-url", f"{served}/id/{path}")
    assert result.returncode == 0, result.stdout


def test_reconciliation_service_conformance(served):
    """The W3C Reconciliation API 0.2 checker, against gunicorn serving the linked demo store."""
    result = _checker("reconcile.py", served + "/reconcile", "Mott MacDonald Ltd")
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0 and " 0 failed" in summary, result.stdout
    assert "SKIP preview" not in result.stdout and "SKIP extend_query" not in result.stdout


def test_the_crosswalk_is_served_to_researchers(served):
    import requests

    response = requests.get(served + "/organisations/crosswalk.csv", timeout=60)
    table = list(csv.reader(io.StringIO(response.text)))
    assert response.status_code == 200 and table[0][:6] == ["council", "supplier_name", "supplier_id",
                                                             "organisation", "method", "score"]
    assert {"sme", "vcse", "public_body", "size_evidence", "vcse_evidence", "postcode"} <= set(table[0])
    mott = [r for r in table if r[3] == f"{BASE}id/organisation/GB-COH-01243967"]
    assert {r[0] for r in mott} >= {"E08000033", "E08000036", "E08000035"}
