"""Publishing over HTTP: tokens made with the CLI, 401 without one (and nothing changes), 413
before the body is read, the report as JSON and as a page, an audit line for every upload."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
from click.testing import CliRunner

from catalogue import audit
from catalogue.app import create_app
from catalogue.cli import cli
from catalogue.store.embedded import EmbeddedStore
from tests.conftest import BASE, DATA

BAD = DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv"
GOOD = DATA / "spend" / "leeds-2010-excerpt.csv"


@pytest.fixture
def site(tmp_path):
    """An on-disk store, a token made with the CLI, and the app serving both."""
    store = tmp_path / "store"
    EmbeddedStore(str(store), mode="write").close()  # a deployed store exists (and is published) already
    result = CliRunner().invoke(cli, ["--store", str(store), "token", "create", "leeds-open-data", "--publisher", "E08000035"])
    assert result.exit_code == 0
    token = result.stdout.strip().splitlines()[0]
    app = create_app({"TESTING": True, "SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE,
                      "SVCAT_MAX_UPLOAD_BYTES": 200_000})
    return {"client": app.test_client(), "store": store, "token": token, "log": store / "audit.log"}


def state(store) -> tuple:
    with EmbeddedStore(str(store), mode="read") as reader:
        return tuple(reader.graphs()), (store / "CURRENT").read_text() if (store / "CURRENT").exists() else None


def upload(site, path, name=None, token="bearer", **form):
    headers = {"Authorization": f"Bearer {site['token']}"} if token == "bearer" else (
        {"Authorization": f"Bearer {token}"} if token else {})
    data = {"kind": "spend", "file": (open(path, "rb"), name or path.name), **form}
    return site["client"].post("/publish", data=data, headers=headers)


def test_the_upload_page_is_a_form(site):
    page = site["client"].get("/publish")
    assert page.status_code == 200
    assert b'id="token"' in page.data and b'name="token"' not in page.data  # the token goes in the header
    for field in (b'name="kind"', b'name="file"', b'type="file"', b'enctype="multipart/form-data"'):
        assert field in page.data


@pytest.mark.parametrize("token", [None, "not-a-token", ""], ids=["no-token", "wrong-token", "empty-token"])
def test_without_a_valid_token_401_and_nothing_changes(site, token):
    before = state(site["store"])
    response = upload(site, GOOD, token=token)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["ok"] is False
    assert state(site["store"]) == before
    assert audit.entries(site["log"])[-1]["outcome"] == "unauthorized"
    assert audit.entries(site["log"])[-1]["who"] is None


def test_a_revoked_token_stops_working_at_once(site):
    assert upload(site, GOOD).status_code == 201
    assert CliRunner().invoke(cli, ["--store", str(site["store"]), "token", "revoke", "leeds-open-data"]).exit_code == 0
    assert upload(site, GOOD).status_code == 401


def test_a_valid_file_is_published_and_audited(site):
    response = upload(site, GOOD, name="2013-12.csv")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["published"] and body["who"] == "leeds-open-data"
    assert body["dataset"] == f"{BASE}id/dataset/E08000035/spend/2013-12"
    graphs, _ = state(site["store"])
    assert any("/E08000035/spend/2013-12/" in g for g in graphs)
    entry = audit.entries(site["log"])[-1]
    assert {k: entry[k] for k in ("who", "file", "kind", "dataset", "outcome")} == {
        "who": "leeds-open-data", "file": "2013-12.csv", "kind": "spend", "dataset": body["dataset"],
        "outcome": "published"}
    assert entry["sha256"] == hashlib.sha256(GOOD.read_bytes()).hexdigest()
    assert site["token"] not in site["log"].read_text()  # tokens are never logged


def test_an_invalid_file_is_refused_with_its_report_and_nothing_changes(site):
    before = state(site["store"])
    response = upload(site, BAD)
    assert response.status_code == 422
    report = response.json["report"]
    assert [(i["row"], i["column"], i["kind"]) for i in report["issues"]] == [
        (3, "Date paid", "bad-date"), (4, "Net amount", "bad-amount"), (5, "Supplier name", "missing-supplier")]
    assert report["rows_with_issues"]["4"][9] == "TBC"
    assert state(site["store"]) == before
    assert audit.entries(site["log"])[-1]["outcome"] == "refused"


def test_check_only_and_skip_invalid_rows(site):
    before = state(site["store"])
    checked = upload(site, GOOD, validate_only="1")
    assert checked.status_code == 200 and checked.json["outcome"] == "valid" and not checked.json["published"]
    assert state(site["store"]) == before
    partial = upload(site, BAD, skip_invalid_rows="1")
    assert partial.status_code == 201 and partial.json["report"]["rows"]["invalid"] == 2


def test_the_report_page_links_each_problem_to_its_row_and_cell(site):
    page = site["client"].post("/publish", headers={"Accept": "text/html", "Authorization": f"Bearer {site['token']}"},
                               data={"kind": "spend", "file": (open(BAD, "rb"), BAD.name)})
    assert page.status_code == 422
    html = page.data.decode()
    assert 'href="#row-3-col-8"' in html and 'id="row-3-col-8" class="bad violation"' in html
    assert 'href="#row-4-col-10"' in html and "<mark>TBC</mark>" in html
    assert 'id="verdict" data-outcome="refused"' in html


class Exploding:
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read

    def tell(self):
        return 0

    def seek(self, *args):
        return 0


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(site):
    before = state(site["store"])
    response = site["client"].post(
        "/publish", content_type="multipart/form-data; boundary=xyz",
        headers={"Authorization": f"Bearer {site['token']}"},
        environ_overrides={"wsgi.input": Exploding(), "CONTENT_LENGTH": "5000000"})
    assert response.status_code == 413
    assert state(site["store"]) == before
    assert audit.entries(site["log"])[-1]["outcome"] == "too-large"


def test_a_file_over_the_limit_without_content_length_is_refused(site, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text(GOOD.read_text(encoding="utf-8") * 300, encoding="utf-8")
    assert big.stat().st_size > 200_000
    assert upload(site, big).status_code == 413


def test_tokens_are_stored_as_hashes_only(site):
    path = site["store"] / "tokens.json"
    doc = json.loads(path.read_text())
    assert [t["name"] for t in doc["tokens"]] == ["leeds-open-data"]
    assert doc["tokens"][0]["sha256"] == hashlib.sha256(site["token"].encode()).hexdigest()
    assert site["token"] not in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    listed = CliRunner().invoke(cli, ["--store", str(site["store"]), "token", "list"])
    assert listed.exit_code == 0 and "leeds-open-data" in listed.output and site["token"] not in listed.output
    again = CliRunner().invoke(cli, ["--store", str(site["store"]), "token", "create", "leeds-open-data", "--publisher", "E08000035"])
    assert again.exit_code == 2
