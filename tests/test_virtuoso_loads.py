"""Every DEV spend file loads into the real Virtuoso (issue 20, item 8 and acceptance).

- Every spend file of ``../shared/data/real`` (the repository copies when it is absent),
  by ``svcat load --manifest`` in one process: each dataset's payment lines, counted in
  Virtuoso by a SPARQL query of our own, are as many as the load reported, as its
  catalogue record says, and as the CSV itself has (counted with the csv module, as
  ``tests/test_spend_real_files.py`` does). The link is left out here (``--no-link``):
  see docs/remote-stores.md for what a link over many files costs on Virtuoso.
- The largest file and the Oxford and Salford files whose re-link updates Virtuoso's
  SPARQL compiler used to refuse ("memory exhausted"; update_split cuts them to its
  measured limits), loaded by the real CLI one after the other, so each after the first
  re-links incrementally (the update that failed); each dataset's graph then holds as
  many triples as its catalogue record says.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from catalogue.store import open_store
from catalogue.store.sparql_text import iri
from catalogue.vocab import PAY, SV, VOID
from tests.conftest import REAL, manifest, real_files, remote_options
from tests.test_spend_real_files import COLUMNS, expected

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


def test_every_dev_spend_file_loads_into_virtuoso_with_every_line(virtuoso, tmp_path):
    base = "https://every.example.test/"
    files = real_files("spend")
    listing = tmp_path / "spend.csv"
    with open(listing, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["path", "kind", "gss_code"])
        out.writerows([str(f["file"]), "spend", f["gss_code"]] for f in files)
    env = dict(os.environ, SVCAT_STORE=virtuoso.sparql, SVCAT_STORE_USER=virtuoso.user,
               SVCAT_STORE_PASSWORD=virtuoso.password, SVCAT_BASE_URI=base)
    result = subprocess.run([sys.executable, "-m", "catalogue", "load", "--manifest", str(listing), "--no-link",
                             "--format", "json", "--quiet"], env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=1800)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    reports = {r["file"]: r for r in json.loads(result.stdout)}
    assert len(reports) == len(files) and all(r["loaded"] for r in reports.values())
    store = open_store(virtuoso.sparql, "read", remote=remote_options(virtuoso))
    try:
        records = {str(r["d"]): r for r in store.select(f"""SELECT ?d ?g ?n WHERE {{
            ?d {iri(SV.namedGraph)} ?g ; {iri(SV.loadedRowCount)} ?n .
            FILTER(STRSTARTS(STR(?d), "{base}id/dataset/")) }}""").rows}
        assert len(records) == len(files)
        for entry in files:
            report = reports[str(entry["file"])]
            record = records[report["dataset"]]
            counted = store.select(f"""SELECT (COUNT(DISTINCT ?line) AS ?n) WHERE {{
                GRAPH {iri(str(record["g"]))} {{ ?line {iri(PAY.netAmount)} [] }} }}""").rows[0]["n"]
            in_csv, _ = expected(entry["file"], *COLUMNS[entry["path"]])
            assert int(counted) == report["rows"]["loaded"] == int(record["n"]) == in_csv > 1000, entry["path"]
    finally:
        store.close()
        with open_store(virtuoso.sparql, "write", remote=remote_options(virtuoso)) as writer:
            for graph in writer.graphs():
                if graph.startswith(base):
                    writer.drop_graph(graph)


def test_quads_bigger_than_one_graph_store_write_go_in_pieces_and_all_arrive(virtuoso, monkeypatch):
    from catalogue.store import remote, remote_http

    graph = "https://pieces.example.test/graph/one"
    line = f'<https://pieces.example.test/id/{{n}}> <https://pieces.example.test/id/p> "{"x" * 200}" <{graph}> .\n'
    quads = "".join(line.format(n=n) for n in range(25_000)).encode()  # about 6.5 MB in one chunk
    assert len(quads) > remote_http.GSP_BYTES
    sent: list[int] = []
    post = remote.RemoteStore._post
    monkeypatch.setattr(remote.RemoteStore, "_post", lambda self, g, body: (sent.append(len(body)), post(self, g, body)))
    with open_store(virtuoso.sparql, "write", remote=remote_options(virtuoso)) as store:
        try:
            store.bulk_add([quads])
            assert len(sent) >= 2 and max(sent) <= remote_http.GSP_BYTES
            counted = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}")
            assert int(counted.rows[0]["n"]) == 25_000
        finally:
            store.drop_graph(graph)


def test_a_line_too_long_for_virtuosos_type_guess_still_arrives_whole(virtuoso):
    """Virtuoso refuses a Graph Store body with a line over about 64 KB as "text/plain" (found
    when sv:rowDigests held 8,000 digests): such a body goes as SPARQL Update instead."""
    from catalogue.store import remote

    graph = "https://long.example.test/graph/one"
    value = " ".join(f"{n:016x}" for n in range(5_000))  # 85 KB, longer than SNIFF_BYTES
    assert len(value) > remote.SNIFF_BYTES
    quads = (f'<https://long.example.test/id/d> <https://long.example.test/id/digests> "{value}" <{graph}> .\n'
             f'<https://long.example.test/id/d> <https://long.example.test/id/label> "short" <{graph}> .\n').encode()
    with open_store(virtuoso.sparql, "write", remote=remote_options(virtuoso)) as store:
        try:
            store.bulk_add([quads])
            got = store.select(f"SELECT ?v WHERE {{ GRAPH {iri(graph)} {{ ?s <https://long.example.test/id/digests> ?v }} }}")
            assert [str(row["v"]) for row in got.rows] == [value]
        finally:
            store.drop_graph(graph)
