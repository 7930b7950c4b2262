"""Source files are kept when loaded, and their download URLs and row citations resolve."""

from __future__ import annotations

import hashlib
import shutil

import pytest
import requests
from click.testing import CliRunner

from catalogue.app import create_app
from catalogue.cli import cli
from tests.conftest import BASE, DATA

GOOD = DATA / "spend" / "leeds-2010-excerpt.csv"
CITATIONS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
SELECT ?row ?sha WHERE {
  <https://data.example.gov.uk/id/dataset/E08000035/spend/2013-12> dcat:distribution ?dist .
  ?dist dcat:downloadURL ?file ; spdx:checksum/spdx:checksumValue ?sha .
  BIND(IRI(CONCAT(STR(?file), "#row=2")) AS ?row)
}"""


def test_a_cited_row_leads_to_the_published_bytes_over_real_http(served):
    """Line 2 is row 2 of its dataset's file: the cited bytes hash to the record's sha256."""
    response = requests.get(served + "/sparql", params={"query": CITATIONS},
                            headers={"Accept": "application/sparql-results+json"}, timeout=30)
    binding = response.json()["results"]["bindings"][0]
    citation, sha = binding["row"]["value"], binding["sha"]["value"]
    assert citation.endswith("#row=2")
    path = citation.split("#", 1)[0][len(BASE) - 1:]
    download = requests.get(served + path, timeout=30)
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    assert hashlib.sha256(download.content).hexdigest() == sha
    assert download.headers["ETag"].strip('"') == sha
    again = requests.get(served + path, headers={"If-None-Match": download.headers["ETag"]}, timeout=30)
    assert again.status_code == 304


@pytest.fixture
def store_dir(tmp_path):
    return tmp_path / "store"


def _load(store_dir, path, *extra):
    return CliRunner().invoke(cli, ["--store", str(store_dir), "--base-uri", BASE, "load", "spend", str(path),
                                    "--publisher", "E08000035", *extra], catch_exceptions=False)


def test_a_refused_reload_keeps_serving_the_previous_file(store_dir, tmp_path):
    published = tmp_path / "upload" / GOOD.name
    published.parent.mkdir()
    shutil.copy(GOOD, published)
    assert _load(store_dir, published).exit_code == 0
    original = published.read_bytes()
    published.write_bytes(original.replace(b"24/12/2010", b"31/02/2010", 1))  # now refused
    assert published.read_bytes() != original
    assert _load(store_dir, published).exit_code == 1

    client = create_app({"TESTING": True, "SVCAT_STORE": str(store_dir), "SVCAT_BASE_URI": BASE}).test_client()
    url = f"/file/E08000035/spend/{GOOD.stem}/{GOOD.name}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == original
    assert client.get("/file/E08000035/spend/nothing/here.csv").status_code == 404


def test_a_memory_store_keeps_no_copies_and_says_so(tmp_path):
    from catalogue.sources import sources_dir

    assert sources_dir({"STORE": "memory:"}) is None
    assert sources_dir({"STORE": str(tmp_path / "s")}) == tmp_path / "s" / "sources"
    assert sources_dir({"STORE": "memory:", "SOURCES_DIR": str(tmp_path / "k")}) == tmp_path / "k"


def test_a_windows_1252_source_is_served_labelled_windows_1252(store_dir):
    """Harrogate's April 2015 file is cp1252 (byte 0xB4 in a narrative): labelled UTF-8 it
    would show replacement characters; the label comes from the encoding the load found."""
    harrogate = DATA / "real" / "harrogate" / "2015-04.csv"
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "--base-uri", BASE, "load", "spend",
                                      str(harrogate), "--publisher", "E07000165"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    client = create_app({"TESTING": True, "SVCAT_STORE": str(store_dir), "SVCAT_BASE_URI": BASE}).test_client()
    response = client.get(f"/file/E07000165/spend/2015-04/{harrogate.name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=windows-1252"
    assert response.data == harrogate.read_bytes()
    assert "\ufffd" not in response.data.decode("windows-1252")


def test_a_utf8_source_is_served_labelled_utf8(store_dir):
    assert _load(store_dir, GOOD).exit_code == 0
    client = create_app({"TESTING": True, "SVCAT_STORE": str(store_dir), "SVCAT_BASE_URI": BASE}).test_client()
    response = client.get(f"/file/E08000035/spend/{GOOD.stem}/{GOOD.name}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
