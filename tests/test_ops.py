"""Operations (issue 20 item 9): /healthz and /readyz as JSON, a request id in and out, and
structured access log lines from a real gunicorn that never carry a token."""

from __future__ import annotations

import json
import time

import pytest
import requests

from catalogue.access_log import safe_query
from catalogue.app import create_app
from tests.conftest import BASE
from tests.servers import free_port, gunicorn


def test_healthz_answers_without_the_store(tmp_path):
    app = create_app({"TESTING": True, "SVCAT_STORE": str(tmp_path / "no-such-store"), "SVCAT_BASE_URI": BASE})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json["ok"] is True and response.json["status"] == "up"
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_names_the_latest_load(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json["status"] == "ready"
    latest = response.json["latest_load"]
    assert latest["dataset"].startswith(f"{BASE}id/dataset/") and latest["graph"].endswith(latest["load_id"])
    assert latest["loaded"]


def test_readyz_is_503_when_the_store_cannot_be_read():
    """A remote store whose server is down (nothing listens on the port): not ready, but alive."""
    down = f"http://127.0.0.1:{free_port()}/sparql"
    client = create_app({"TESTING": True, "SVCAT_STORE": down, "SVCAT_BASE_URI": BASE}).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["ok"] is False and response.json["error"]
    assert client.get("/healthz").status_code == 200


def test_every_answer_carries_a_request_id(client):
    given = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.42"})
    assert given.headers["X-Request-Id"] == "lb-7f3a.42"
    made = client.get("/no-such-page", headers={"X-Request-Id": "<script>alert(1)</script>"})
    assert made.status_code == 404 and len(made.headers["X-Request-Id"]) == 32 and "<" not in made.headers["X-Request-Id"]
    assert client.get("/").headers["X-Request-Id"] != client.get("/").headers["X-Request-Id"]


def test_secret_query_parameters_are_redacted():
    assert safe_query("token=abc&kind=spend") == "token=REDACTED&kind=spend"
    assert safe_query("api_key=1&access_token=2&Password=3&q=x") == "api_key=REDACTED&access_token=REDACTED&Password=REDACTED&q=x"
    assert len(safe_query("query=" + "x" * 10_000)) < 2100


@pytest.mark.server
@pytest.mark.slow
def test_gunicorn_writes_json_access_lines_without_secrets(tmp_path, disk_store_path):
    log = tmp_path / "gunicorn.log"
    with gunicorn({"SVCAT_STORE": str(disk_store_path), "SVCAT_BASE_URI": BASE}, log=log,
                  ready_path="/healthz") as url:
        requests.get(url + "/healthz", headers={"X-Request-Id": "probe-1"}, timeout=30)
        requests.post(url + "/publish?token=s3cr3t-in-url&kind=spend", timeout=30,
                      headers={"Authorization": "Bearer s3cr3t-in-header"}, files={"file": ("a.csv", b"x")})
        requests.get(url + "/search?q=leeds", timeout=60)
        time.sleep(1)  # let the workers write their lines
    text = log.read_text()
    assert "s3cr3t" not in text
    lines = [json.loads(row) for row in text.splitlines() if row.startswith("{")]
    access = {(e["method"], e["path"]): e for e in lines if e.get("type") == "access"}
    probe = access[("GET", "/healthz")]
    assert probe["request_id"] == "probe-1" and probe["status"] == 200 and probe["bytes"] > 0
    assert probe["duration_ms"] >= 0 and probe["time"].endswith("Z")
    refused = access[("POST", "/publish")]
    assert refused["status"] == 400 and refused["query"] == "token=REDACTED&kind=spend"
    assert len(refused["request_id"]) == 32
    assert access[("GET", "/search")]["query"] == "q=leeds"
