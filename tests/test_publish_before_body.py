"""The token and its scope are checked before the upload's body is read (issue 20 item 1), on a
real gunicorn: a raw socket sends the request's headers announcing a large body and then
sends nothing. A server that read the body first would wait for it and never answer (the
socket's timeout would fail the test); ours answers 400/401/403 at once. The same request
with a valid token in scope is answered only once the body has been sent."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from catalogue import audit
from catalogue.cli import cli
from tests.conftest import BASE, REAL
from tests.servers import gunicorn

pytestmark = [pytest.mark.server, pytest.mark.slow]

SALFORD_FILE = REAL / "salford" / "2022-06.csv"
BOUNDARY = "svcatBOUNDARY"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("before-body")
    store = folder / "store"

    def svcat(*args):
        result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""

    svcat("load", "spend", str(SALFORD_FILE), "-q", "--no-link")
    tokens = {"leeds": svcat("token", "create", "leeds-open-data", "--publisher", "E08000035"),
              "salford": svcat("token", "create", "salford-open-data", "--publisher", "E08000006")}
    with gunicorn({"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE}, ready_path="/publish") as url:
        yield {"url": url, "store": store, "tokens": tokens}


def body() -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2022-06.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + SALFORD_FILE.read_bytes() + f"\r\n--{BOUNDARY}--\r\n".encode()


def headers_only(url: str, target: str, token: str | None, *, send_body: bool = False) -> int:
    """Send the headers of a POST (and the body only if asked); the status of the answer."""
    host, port = url.removeprefix("http://").split(":")
    payload = body()
    lines = [f"POST {target} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json",
             f"Content-Type: multipart/form-data; boundary={BOUNDARY}", f"Content-Length: {len(payload)}",
             "Connection: close"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    with socket.create_connection((host, int(port)), timeout=120) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        if send_body:
            sock.sendall(payload)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("case, target, token, status", [
    ("no-token", "/publish?kind=spend", None, 401),
    ("unknown-token", "/publish?kind=spend", "not-a-token", 401),
    ("token-in-url", "/publish?kind=spend&token=abc", None, 400),
    ("out-of-scope", "/publish?kind=spend&publisher=E08000006", "leeds", 403),
])
def test_refusals_come_before_the_body_is_read(site, case, target, token, status):
    before = (site["store"] / "CURRENT").read_text()
    assert headers_only(site["url"], target, site["tokens"].get(token, token)) == status
    assert (site["store"] / "CURRENT").read_text() == before
    outcomes = {"no-token": "unauthorized", "unknown-token": "unauthorized", "token-in-url": "token-in-url",
                "out-of-scope": "forbidden"}
    assert audit.entries(site["store"] / "audit.log")[-1]["outcome"] == outcomes[case]


def test_a_token_in_scope_gets_its_answer_once_the_body_is_sent(site):
    target = "/publish?kind=spend&publisher=E08000006&validate_only=1"
    assert headers_only(site["url"], target, site["tokens"]["salford"], send_body=True) == 200
    assert audit.entries(site["store"] / "audit.log")[-1]["outcome"] == "valid"
