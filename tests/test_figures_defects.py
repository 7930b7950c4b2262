"""Regression tests for the figures and links of issue 18, each named after its defect, on the
real files in tests/data/real (in-process: the fast lane)."""

from __future__ import annotations

import hashlib

from click.testing import CliRunner

from catalogue.app import create_app
from catalogue.cli import cli
from tests.conftest import BASE, REAL


def test_source_links_answered_500_when_the_store_path_was_relative(tmp_path, monkeypatch):
    """``svcat demo`` with a relative store: ``/file/...`` was read under the package folder."""
    monkeypatch.chdir(tmp_path)
    source = REAL / "salford" / "2022-06.csv"
    result = CliRunner().invoke(cli, ["--store", "svcat-store", "--base-uri", BASE, "load", "spend", str(source),
                                      "--publisher", "E08000006"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    client = create_app({"TESTING": True, "SVCAT_STORE": "svcat-store", "SVCAT_BASE_URI": BASE}).test_client()
    line = client.get("/dataset/E08000006/spend/2022-06/rows.json?_size=1").get_json()["rows"][0]
    doc = client.get(line["line"][len(BASE) - 1:].replace("/id/", "/doc/"), headers={"Accept": "text/html"})
    assert doc.status_code == 200
    response = client.get("/file/E08000006/spend/2022-06/2022-06.csv")
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()

LINES = """PREFIX pay: <http://reference.data.gov.uk/def/payment#>
SELECT (COUNT(?line) AS ?n) WHERE { GRAPH ?g { ?line a pay:ExpenditureLine } }"""


def test_home_counted_every_row_of_every_kind_as_payment_lines(linked_client, linked_store):
    """Home said 56,788 payment lines where the store held 53,992 (contracts and grants counted)."""
    lines = int(linked_store.select(LINES).rows[0]["n"])
    home = linked_client.get("/", headers={"Accept": "application/json"}).get_json()
    assert home["payment_lines"] == lines
    assert home["rows"] > lines  # the contracts register and the grants file are rows, not payments
    html = linked_client.get("/").get_data(as_text=True)
    assert f"{lines:,} payment lines" in html


def test_dataset_row_total_was_off_by_one_against_its_own_table(client):
    """Devon's file has a skipped row: the table said 3,546 rows and listed 3,545."""
    path = "/dataset/E10000008/spend/dccspendingover500-202603/rows"
    body = client.get(path + ".json?_size=1000").get_json()
    listed, url = len(body["rows"]), body["next"]
    while url:
        body = client.get(url).get_json()
        listed, url = listed + len(body["rows"]), body["next"]
    assert listed == body["total"] == 3545


def test_rows_csv_stopped_silently_at_1000_rows(client):
    """The largest dataset's rows.csv has every loaded row (North Tyneside, 11,748)."""
    import csv
    import io

    response = client.get("/dataset/E08000022/spend/2014-04-i/rows.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 11748
    assert len({r["row"] for r in rows}) == 11748
    assert all(r["source"].endswith(f"#row={r['row']}") for r in rows)
    assert "X-SVCAT-Truncated" not in response.headers
