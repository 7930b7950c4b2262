"""A 200 MB one-line upload is refused (issue 20, item 7 and acceptance), on a real gunicorn.

The file is Oxford's real October-December 2017 spend file with its line breaks turned
into commas, repeated to 200,000,000 bytes: one line. Two set-ups:

- the defaults: the upload cap (``SVCAT_MAX_UPLOAD_BYTES``, 50 MB) refuses it with 413
  from ``Content-Length`` alone;
- an operator who raised the upload cap to 250 MB: the body is received, and the load
  process refuses the file at the line cap (``SVCAT_MAX_LINE_BYTES``, 1 MB), reading its
  first megabyte, not the rest (422 naming the setting).

Either way nothing changes in the store. The body is streamed from a generator, so the
test never holds 200 MB. No time is asserted (bench/refusals.py measures it); the client's
timeout is only a guard against a hang.
"""

from __future__ import annotations

import pytest
import requests
from click.testing import CliRunner

from catalogue import audit
from catalogue.cli import cli
from tests.conftest import BASE, REAL
from tests.servers import gunicorn
from tests.test_publish_hardening import snapshot

pytestmark = [pytest.mark.server, pytest.mark.slow]

OXFORD = REAL / "oxford" / "expenditure-over-500-oct-dec-2017.csv"
OXFORD_GSS = "E07000178"
SIZE = 200_000_000
BOUNDARY = "svcatONELINE"


def head() -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nspend\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"publisher\"\r\n\r\n{OXFORD_GSS}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"one-line.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


class OneLineBody:
    """The multipart body, 200,000,000 bytes of file on one line, sent a megabyte at a time
    (its length known, so it goes with ``Content-Length``, not chunked)."""

    def __len__(self) -> int:
        return len(head()) + SIZE + len(TAIL)

    def __iter__(self):
        line = OXFORD.read_bytes().replace(b"\r\n", b",").replace(b"\n", b",")
        block = (line * (1 + (1 << 20) // len(line)))[: 1 << 20]
        assert b"\n" not in block and b"\r" not in block
        yield head()
        sent = 0
        while sent < SIZE:
            part = block[: SIZE - sent]
            yield part
            sent += len(part)
        yield TAIL


def make_store(folder) -> dict:
    """A store in ``folder`` with Oxford's file loaded and a token for Oxford."""
    path = folder / "store"
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--store", str(path), "load", "spend", str(OXFORD), "--publisher", OXFORD_GSS,
                                 "-q", "--no-link"], catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output
    made = runner.invoke(cli, ["--store", str(path), "token", "create", "oxford-open-data", "--publisher",
                               OXFORD_GSS], catch_exceptions=False)
    return {"path": path, "folder": folder, "token": made.stdout.strip().splitlines()[0]}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("one-line"))


def upload(url: str, token: str) -> requests.Response:
    return requests.post(url + "/publish", data=OneLineBody(), timeout=600, headers={
        "Authorization": f"Bearer {token}", "Accept": "application/json",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})


def test_with_the_default_caps_the_upload_is_refused_before_its_body(store):
    before = snapshot(store["path"])
    env = {"SVCAT_STORE": str(store["path"]), "SVCAT_BASE_URI": BASE, "TMPDIR": str(store["folder"])}
    with gunicorn(env, workers=1, ready_path="/publish") as url:
        try:
            response = upload(url, store["token"])
        except requests.ConnectionError:  # the server answered and closed while we were still sending
            response = None
    if response is not None:
        assert response.status_code == 413 and "SVCAT_MAX_UPLOAD_BYTES" in response.json()["error"]
    assert audit.entries(store["path"] / "audit.log")[-1]["outcome"] == "too-large"
    assert snapshot(store["path"]) == before


def test_with_a_raised_upload_cap_the_line_cap_refuses_it(store):
    before = snapshot(store["path"])
    env = {"SVCAT_STORE": str(store["path"]), "SVCAT_BASE_URI": BASE, "TMPDIR": str(store["folder"]),
           "SVCAT_MAX_UPLOAD_BYTES": "250000000"}
    with gunicorn(env, workers=1, ready_path="/publish") as url:
        response = upload(url, store["token"])
        assert requests.get(url + "/healthz", timeout=30).status_code == 200
    body = response.json()
    assert response.status_code == 422 and not body["published"], body
    fatal = body["report"]["fatal"]
    assert "SVCAT_MAX_LINE_BYTES" in fatal and "1,000,000" in fatal, fatal
    entry = audit.entries(store["path"] / "audit.log")[-1]
    assert entry["outcome"] == "refused" and entry["size"] == SIZE
    assert snapshot(store["path"]) == before
    assert not list(store["folder"].glob("svcat-upload-*"))  # the upload's copy is gone
