"""``svcat load --manifest --jobs N`` (issue 22): files read and validated in worker
processes, written by one, end in the same store as a load one file after another."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from catalogue.cli import cli
from catalogue.store.embedded import EmbeddedStore
from catalogue.vocab import sparql_prologue
from tests.conftest import DATA, REAL

pytestmark = [pytest.mark.server, pytest.mark.slow]  # worker processes

RECORDS = sparql_prologue("sv", "dcterms") + """
SELECT ?dataset ?graph ?rows ?triples WHERE { ?dataset sv:namedGraph ?graph ;
  sv:loadedRowCount ?rows . OPTIONAL { ?dataset sv:tripleCount ?triples } }"""
VERSION = re.compile(r"/\d{8}T\d{6}-[0-9a-f]{8}$")  # a graph's load version, fresh each load
FILES = [("salford/2022-06.csv", "spend", "E08000006"), ("leeds.csv", "spend", "E08000035"),
         ("bad.csv", "spend", "E08000035"), ("salford/contracts-register-2022-07.csv", "contracts", "E08000006"),
         ("trafford/trafford_council_voluntary_sector_grants.csv", "grants", "E08000009"),
         ("trafford/outcome_neet.csv", "outcomes", "E08000009")]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    for council in ("salford", "trafford"):
        shutil.copytree(REAL / council, folder / council)
    shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", folder / "leeds.csv")
    shutil.copy(DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv", folder / "bad.csv")
    path = folder / "manifest.csv"
    path.write_text("path,kind,gss_code\n" + "".join(",".join(row) + "\n" for row in FILES), encoding="utf-8")
    return path


def load(store: str, manifest, jobs: int):
    return CliRunner().invoke(cli, ["--store", store, "load", "--manifest", str(manifest), "-q", "--jobs", str(jobs)],
                              catch_exceptions=False)


def contents(path: str) -> tuple[dict, dict, dict]:
    """Each dataset's record figures and graph, and every other graph's size (summaries,
    organisations, links, the catalogue)."""
    store = EmbeddedStore(path, mode="read")
    try:
        records = {str(r["dataset"]): (int(r["rows"]), int(r["triples"]) if r.get("triples") else None,
                                       str(r["graph"])) for r in store.select(RECORDS).rows}
        graphs = {}
        for dataset, (_, _, graph) in records.items():
            graphs[dataset] = Graph()
            for triple in store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"):
                graphs[dataset].add(triple)
        owned = {graph for _, _, graph in records.values()}
        sizes = {VERSION.sub("", g): store.triple_count(g) for g in store.graphs() if g not in owned}
        return {d: v[:2] for d, v in records.items()}, graphs, sizes
    finally:
        store.close()


def test_two_jobs_load_what_one_job_loads(tmp_path, manifest):
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    serial, parallel = load(one, manifest, 1), load(two, manifest, 2)
    for result in (serial, parallel):
        assert result.exit_code == 1, result.output  # bad.csv is refused, the others load
        assert "REFUSED bad.csv" in result.output and "5 of 6 files loaded; refused: bad.csv." in result.output
    assert "'31/02/2010'" in parallel.output  # the refused file's report still names its bad value
    records_one, graphs_one, sizes_one = contents(one)
    records_two, graphs_two, sizes_two = contents(two)
    assert len(records_one) == 5 and records_two == records_one
    for dataset, graph in graphs_one.items():
        assert len(graph) > 0 and isomorphic(graph, graphs_two[dataset]), dataset
    assert len(sizes_one) > 3 and sizes_two == sizes_one  # summaries, organisations, links, catalogue
