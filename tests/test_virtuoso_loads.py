"""Every DEV spend file loads into the real Virtuoso (issue 20, item 8): the largest one
and the Oxford and Salford files whose re-link updates Virtuoso's SPARQL compiler used
to refuse ("memory exhausted"; update_split cuts them to its measured limits).

Loaded by the real CLI, one after the other, so each after the first re-links
incrementally (the update that failed); each dataset's graph then holds as many triples
as its catalogue record says.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from catalogue.store import open_store
from catalogue.store.sparql_text import iri
from catalogue.vocab import SV, VOID
from tests.conftest import REAL, manifest, remote_options

BASE = "https://loads.example.test/"
pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]


def largest_spend_file() -> dict:
    return max(manifest(REAL, "spend"), key=lambda e: e["file"].stat().st_size)


def test_the_largest_and_the_oxford_and_salford_files_load_into_virtuoso(virtuoso, tmp_path):
    entries = [e for e in manifest(REAL) if e["path"].startswith(("oxford/", "salford/"))] + [largest_spend_file()]
    env = dict(os.environ, SVCAT_STORE=virtuoso.sparql, SVCAT_STORE_USER=virtuoso.user,
               SVCAT_STORE_PASSWORD=virtuoso.password, SVCAT_BASE_URI=BASE)
    store = open_store(virtuoso.sparql, "write", remote=remote_options(virtuoso))
    try:
        for entry in entries:
            result = subprocess.run([sys.executable, "-m", "catalogue", "load", entry["kind"], str(entry["file"]),
                                     "--publisher", entry["gss_code"]], env=env, cwd=tmp_path,
                                    capture_output=True, text=True, timeout=1800)
            assert result.returncode == 0, (entry["path"], (result.stdout + result.stderr)[-3000:])
            assert "memory exhausted" not in result.stdout + result.stderr
        rows = store.select(f"""SELECT ?d ?g ?t WHERE {{ ?d {iri(SV.namedGraph)} ?g ; {iri(VOID.triples)} ?t .
            FILTER(STRSTARTS(STR(?d), "{BASE}id/dataset/")) }}""").rows
        assert len(rows) == len(entries)
        for row in rows:
            count = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(str(row['g']))} {{ ?s ?p ?o }} }}")
            assert int(count.rows[0]["n"]) == int(row["t"]) > 1000, row
    finally:
        for graph in store.graphs():
            if graph.startswith(BASE):
                store.drop_graph(graph)
        store.close()
