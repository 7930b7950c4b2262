"""Issue 20 item 7 through /publish: archives and over-long lines are refused by the load
process with the app's caps, in a readable report, and nothing changes.

The upload runs ``svcat validate``/``load`` in a subprocess, hence the server lane."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from catalogue.app import create_app
from catalogue.cli import cli
from catalogue.store.embedded import EmbeddedStore
from tests.conftest import BASE
from tests.reading import dev_spend, typed_rows, write_xlsx

pytestmark = [pytest.mark.server, pytest.mark.slow]

OXFORD, GSS = dev_spend("oxford")


@pytest.fixture
def site(tmp_path):
    store = tmp_path / "store"
    EmbeddedStore(str(store), mode="write").close()
    made = CliRunner().invoke(cli, ["--store", str(store), "token", "create", "oxford-open-data",
                                       "--publisher", GSS])
    token = made.stdout.strip().splitlines()[0]
    app = create_app({"TESTING": True, "SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE,
                      "SVCAT_MAX_LINE_BYTES": 50_000})
    return {"client": app.test_client(), "token": token, "store": store}


def _upload(site, path, name, **form):
    data = {"kind": "spend", "publisher": GSS, "file": (open(path, "rb"), name), **form}
    return site["client"].post("/publish", data=data, headers={"Authorization": f"Bearer {site['token']}",
                                                               "Accept": "application/json"})


def _graphs(store):
    with EmbeddedStore(str(store), mode="read") as reader:
        return tuple(reader.graphs())


def test_a_zip_upload_is_refused_saying_it_is_an_archive(site, tmp_path):
    path = tmp_path / "oxford.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(OXFORD, "expenditure.csv")
    before = _graphs(site["store"])
    response = _upload(site, path, "oxford.csv")
    body = response.get_json()
    assert response.status_code == 422 and not body["published"]
    assert "ZIP archive" in body["report"]["fatal"]
    assert _graphs(site["store"]) == before


def test_the_apps_line_cap_reaches_the_load_process(site, tmp_path):
    path = tmp_path / "one-line.csv"
    path.write_bytes(OXFORD.read_bytes().replace(b"\n", b","))  # 450 kB on one line
    response = _upload(site, path, "one-line.csv", validate_only="1")
    body = response.get_json()
    assert response.status_code == 422 and "SVCAT_MAX_LINE_BYTES" in body["report"]["fatal"]
    assert "50,000" in body["report"]["fatal"]


def test_a_workbook_upload_is_published_from_the_sheet_named(site, tmp_path):
    path = write_xlsx(typed_rows(OXFORD, GSS), tmp_path / "oxford.xlsx")
    response = _upload(site, path, "oxford.xlsx", sheet="Spend", validate_only="1")
    body = response.get_json()
    assert response.status_code == 200 and body["report"]["rows"]["loaded"] == 3855, body
