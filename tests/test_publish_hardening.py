"""Publishing under attack, on a real gunicorn: no token no entry, tokens never written down,
oversized uploads refused whatever their framing, and a failed upload changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from catalogue import audit
from catalogue.backup import store_digest
from catalogue.store import open_store
from tests.conftest import BASE, DATA, REAL, ROOT
from tests.servers import gunicorn
from tests.test_crash_safety import _version, visible_version
from tests.test_page_safety import _assert_inert

GOOD = DATA / "spend" / "leeds-2010-excerpt.csv"
BAD = DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv"
LIMIT = 200_000


def _svcat(store: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "catalogue", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A store with one dataset, a token made with the CLI, gunicorn -w 2 logging everything."""
    folder = tmp_path_factory.mktemp("publish")
    store = folder / "store"
    assert _svcat(store, "load", "spend", str(REAL / "salford" / "2022-06.csv"), "-q").returncode == 0
    made = _svcat(store, "token", "create", "leeds-open-data", "--publisher", "E08000035")
    assert made.returncode == 0
    token = made.stdout.strip().splitlines()[0]
    log = folder / "gunicorn.log"
    env = {"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE, "SVCAT_MAX_UPLOAD_BYTES": str(LIMIT),
           "TMPDIR": str(folder)}
    with gunicorn(env, ready_path="/publish", log=log,
                  extra_args=("--access-logfile", "-", "--log-level", "debug")) as url:
        yield {"url": url, "store": store, "token": token, "log": log, "folder": folder}


def snapshot(store: Path) -> tuple:
    """What readers see, exactly: the content digest, and which snapshot is current."""
    with open_store(str(store), "read") as reader:
        return store_digest(reader).hex, (store / "CURRENT").read_text()


def post(site, path: Path | bytes, *, name="upload.csv", headers=None, data=None, url="/publish"):
    body = path.read_bytes() if isinstance(path, Path) else path
    return requests.post(site["url"] + url, files={"file": (name, body, "text/csv")},
                         data={"kind": "spend", **(data or {})}, headers=headers or {}, timeout=300)


def bearer(site) -> dict:
    return {"Authorization": f"Bearer {site['token']}", "Accept": "application/json"}


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer ", "Bearer not-a-token", "bearer  x", "Basic bGVlZHM6b3Blbg==", "Token abc",
    "Bearer " + "A" * 6000, "Bearer \u00e9\u00e9", "Bearer {token}x", "Bearer x{token}", "Bearer {token_upper}",
])
def test_anything_but_the_token_is_401_and_nothing_changes(site, authorization):
    before = snapshot(site["store"])
    headers = {"Accept": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization.format(token=site["token"], token_upper=site["token"].upper())
    response = post(site, GOOD, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["ok"] is False and "token" in response.json()["error"]
    assert snapshot(site["store"]) == before


def test_a_token_in_the_url_is_not_accepted(site):
    """URLs end up in access logs: a token there is refused (this one is revoked after)."""
    made = _svcat(site["store"], "token", "create", "url-tester", "--publisher", "E08000035")
    token = made.stdout.strip().splitlines()[0]
    response = post(site, GOOD, url=f"/publish?token={token}", headers={"Accept": "application/json"})
    assert response.status_code == 400 and "Authorization" in response.json()["error"]
    with_header_too = post(site, GOOD, url=f"/publish?token={token}", headers={
        "Accept": "application/json", "Authorization": f"Bearer {token}"})
    assert with_header_too.status_code == 400
    in_form = post(site, GOOD, data={"token": token}, headers={"Accept": "application/json",
                                                               "Authorization": f"Bearer {token}"})
    assert in_form.status_code == 400 and "form field" in in_form.json()["error"]
    assert _svcat(site["store"], "token", "revoke", "url-tester").returncode == 0


def test_oversized_uploads_are_refused_however_they_are_framed(site):
    before = snapshot(site["store"])
    big = (GOOD.read_bytes() * 2000)[: LIMIT * 3]
    assert post(site, big, headers=bearer(site)).status_code == 413  # with Content-Length

    boundary = "svcatBOUNDARY"

    def chunked():  # no Content-Length at all
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nspend\r\n--{boundary}\r\n"
               'Content-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n').encode()
        for start in range(0, len(big), 16_384):
            yield big[start:start + 16_384]
        yield f"\r\n--{boundary}--\r\n".encode()

    response = requests.post(site["url"] + "/publish", data=chunked(), timeout=300, headers={
        **bearer(site), "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413 and response.json()["status"] == 413
    assert snapshot(site["store"]) == before
    assert [e["outcome"] for e in audit.entries(site["store"] / "audit.log")][-2:] == ["too-large", "too-large"]


def test_a_failed_upload_changes_nothing(site):
    before = snapshot(site["store"])
    refused = post(site, BAD, headers=bearer(site))
    assert refused.status_code == 422 and not refused.json()["published"]
    unknown = post(site, GOOD, headers=bearer(site), data={"publisher": "Nowhere Borough Council"})
    assert unknown.status_code == 400 and unknown.json()["error"]
    garbage = post(site, bytes(range(256)) * 50, headers=bearer(site))
    assert garbage.status_code in (400, 422)
    wrong_kind = post(site, GOOD, headers=bearer(site), data={"kind": "../../etc"})
    assert wrong_kind.status_code == 400
    assert snapshot(site["store"]) == before


def test_hostile_file_names_stay_names(site):
    names = ["../../../../tmp/evil.csv", "<script>alert(1)</script>.csv", 'a"b\nc.csv', "\u202eredaeh.csv",
             "x" * 500 + ".csv", "CON", ".."]
    log = site["store"] / "audit.log"
    lines = len(log.read_text().splitlines())
    for name in names:
        page = requests.post(site["url"] + "/publish", timeout=300,
                             files={"file": (name, GOOD.read_bytes(), "text/csv")},
                             data={"kind": "spend", "validate_only": "1"},
                             headers={"Accept": "text/html", "Authorization": f"Bearer {site['token']}"})
        assert page.status_code == 200, (name, page.status_code)
        _assert_inert(page.text)
        entries = [json.loads(line) for line in log.read_text().splitlines()]  # every line one JSON object
        lines, before = len(entries), lines
        assert lines == before + 1 and entries[-1]["outcome"] == "valid"
    assert not (Path("/tmp") / "evil.csv").exists()


def test_tokens_never_reach_a_log_or_a_file(site):
    post(site, GOOD, headers=bearer(site))  # a publish, by header
    requests.post(site["url"] + "/publish", files={"file": ("x.csv", GOOD.read_bytes())}, timeout=300,
                  data={"kind": "spend", "token": site["token"], "validate_only": "1"})  # by form
    post(site, BAD, headers=bearer(site))  # a refusal
    time.sleep(0.5)  # let gunicorn flush its access log
    token = site["token"].encode()
    leaks = [p for p in site["folder"].rglob("*") if p.is_file() and token in p.read_bytes()]
    assert leaks == []  # not in the gunicorn log, the audit log, the tokens file, the store, temp files
    assert b'"method": "POST", "path": "/publish"' in site["log"].read_bytes()  # the JSON access log was written
    assert audit.entries(site["store"] / "audit.log")[-1]["who"] == "leeds-open-data"


def test_concurrent_uploads_of_one_dataset_leave_one_whole_version(site, tmp_path):
    small, large = _version(tmp_path / "a", 250), _version(tmp_path / "b", 600)
    results = {}

    def send(label, path):
        results[label] = post(site, path, name="2013-12.csv", headers=bearer(site),
                              data={"allow_shrink": "true"}).status_code  # whichever lands second may shrink

    threads = [threading.Thread(target=send, args=(label, path)) for label, path in (("a", small), ("b", large))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"a": 201, "b": 201}
    with open_store(str(site["store"]), "read") as reader:
        assert visible_version(reader) in (250, 600)
