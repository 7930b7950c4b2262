"""The whole product on a real Virtuoso: the sample files loaded by ``svcat demo`` over HTTP,
and the web app under gunicorn serving from it, as a deployment beyond one machine would."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
import requests
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.conftest import BASE, ROOT, manifest, REAL
from tests.servers import gunicorn
from tests.test_spend_real_files import COLUMNS, expected

CONFORMANCE = ROOT.parent / "shared" / "tools" / "conformance"
TOTALS = """
PREFIX pay: <http://reference.data.gov.uk/def/payment#>
PREFIX sv: <https://w3id.org/svcat/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?council (SUM(?amount) AS ?total) (COUNT(?line) AS ?lines) WHERE {
  ?dataset sv:namedGraph ?g ; dcterms:publisher ?council . GRAPH ?g { ?line pay:netAmount ?amount }
} GROUP BY ?council ORDER BY ?council"""


@pytest.fixture(scope="session")
def remote(tmp_path_factory):
    """A second throw-away Virtuoso (the ``store`` tests empty theirs) with the samples loaded."""
    from tests.virtuoso import start_virtuoso, stop_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-served"))
    env = dict(os.environ, SVCAT_STORE=server.sparql, SVCAT_BASE_URI=BASE, SVCAT_STORE_USER=server.user,
               SVCAT_STORE_PASSWORD=server.password,
               SVCAT_SOURCES_DIR=str(tmp_path_factory.mktemp("virtuoso-sources")))
    try:  # a failed demo load must not leave the server running
        result = subprocess.run([sys.executable, "-m", "catalogue", "demo", "--no-serve"], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, result.stdout + result.stderr
        env["SVCAT_DEMO_LOADED"] = str(sum(line.startswith("loaded") for line in result.stdout.splitlines()))
        yield server, env
    finally:
        stop_virtuoso(server)


@pytest.fixture(scope="session")
def remote_served(remote):
    server, env = remote
    env = {k: v for k, v in env.items() if k not in ("SVCAT_STORE_USER", "SVCAT_STORE_PASSWORD")}
    with gunicorn(env) as url:  # the web tier reads: it needs no credentials
        yield url


def test_every_sample_file_is_in_virtuoso_with_its_lines_and_total(remote):
    server, _ = remote
    answer = requests.post(server.sparql, data={"query": TOTALS}, headers={"Accept": "text/csv"}, timeout=120)
    got = {r["council"]: (int(r["lines"]), Decimal(r["total"])) for r in csv.DictReader(io.StringIO(answer.text))}
    want: dict = {}
    for entry in manifest(REAL, "spend"):
        lines, total = expected(entry["file"], *COLUMNS[entry["path"]])
        council = f"{BASE}id/council/{entry['gss_code']}"
        old = want.get(council, (0, Decimal(0)))
        want[council] = (old[0] + lines, old[1] + total)
    assert got == want


def test_sparql_is_passed_through_from_the_engine(remote, remote_served):
    server, _ = remote
    query = {"query": TOTALS}
    ours = requests.post(remote_served + "/sparql", data=query, headers={"Accept": "text/csv"}, timeout=120)
    theirs = requests.post(server.sparql, data=query, headers={"Accept": "text/csv"}, timeout=120)
    assert ours.status_code == 200 and ours.headers["Content-Type"].startswith("text/csv")
    # The rows are the engine's; the CSV is written by our formula-safe writer (issue 20), so
    # quoting and line ends may differ from Virtuoso's own CSV.
    assert list(csv.reader(io.StringIO(ours.text))) == list(csv.reader(io.StringIO(theirs.text)))


def test_researchers_query_the_remote_backed_endpoint_with_sparqlwrapper(remote_served):
    client = SPARQLWrapper(remote_served + "/sparql")
    client.setQuery(TOTALS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    totals = {r["council"]["value"]: r["total"]["value"] for r in rows}
    assert Decimal(totals[f"{BASE}id/council/E10000008"]) == Decimal("57492900.67")  # Devon's own total row


def test_pages_are_served_from_the_remote_store(remote, remote_served):
    """Virtuoso's union of all graphs is a bag (a triple in several graphs matches once per
    graph): the home page still lists each loaded dataset once."""
    home = requests.get(remote_served + "/", headers={"Accept": "application/json"}, timeout=60)
    datasets = [d["iri"] for d in home.json()["datasets"]]
    assert home.status_code == 200 and len(datasets) == len(set(datasets)) == int(remote[1]["SVCAT_DEMO_LOADED"])
    assert f"{BASE}id/dataset/E08000035/spend/2013-12" in datasets
    page = requests.get(remote_served + "/id/council/E08000035", timeout=60)
    assert page.status_code == 200 and "Leeds" in page.text


def test_sparql_protocol_conformance_on_the_remote_store(remote_served):
    script = CONFORMANCE / "sparql_protocol.py"
    result = subprocess.run([sys.executable, str(script), remote_served + "/sparql"], capture_output=True,
                            text=True, timeout=600)
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0 and " 0 failed" in summary, result.stdout
