"""The deployment files (issue 20 item 9), built and run as far as this machine can: the nginx
site file passes ``nginx -t`` and serves pages and ``/healthz`` from a real gunicorn; the
systemd unit's and the Dockerfile's commands are commands ``svcat`` accepts, run by an
unprivileged user; the compose file has the web service, Virtuoso and volumes."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from catalogue.cli import cli
from tests.conftest import ROOT
from tests.servers import free_port

DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "svcat.conf"
NGINX = "/usr/sbin/nginx"


def nginx_prefix(folder: Path, upstream: str) -> tuple[Path, int]:
    """A private nginx (temp prefix, this user, 127.0.0.1 on a free port) around the site file
    as shipped; only the addresses and the log path are changed. Returns (nginx.conf, port)."""
    port = free_port()
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    site = SITE.read_text(encoding="utf-8")
    assert "listen 80;" in site and "server 127.0.0.1:8000 " in site
    site = (site.replace("listen 80;", f"listen 127.0.0.1:{port};")
                .replace("server 127.0.0.1:8000 ", f"server {upstream} ")
                .replace("/var/log/nginx/svcat-access.log", str(folder / "logs" / "svcat-access.log")))
    (folder / "svcat.conf").write_text(site, encoding="utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read this private prefix
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    access_log {folder}/logs/access.log;
    include {folder}/svcat.conf;
}}
""", encoding="utf-8")
    return conf, port


@pytest.mark.server
@pytest.mark.slow
def test_the_nginx_site_file_passes_nginx_t(tmp_path):
    conf, _ = nginx_prefix(tmp_path, "127.0.0.1:8000")
    checked = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True,
                             timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


@pytest.mark.server
@pytest.mark.slow
def test_nginx_in_front_of_gunicorn_serves_pages_and_healthz(tmp_path, served):
    conf, port = nginx_prefix(tmp_path, served.removeprefix("http://"))
    proc = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    idle = []
    try:
        for _ in range(50):
            try:
                requests.get(url + "/healthz", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]  # held open, never used
        page = requests.get(url + "/", headers={"Accept": "text/html"}, timeout=60)
        assert page.status_code == 200 and "<html" in page.text.lower()
        health = requests.get(url + "/healthz", headers={"X-Request-Id": "through-nginx-1"}, timeout=30)
        assert health.status_code == 200 and health.json()["status"] == "up"
        assert health.headers["X-Request-Id"] == "through-nginx-1"  # passed to the app and back
        made = requests.get(url + "/search?q=secret-looking-query", timeout=60)
        assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-Id"])  # nginx's own id, kept by the app
        assert requests.get(url + "/readyz", timeout=30).json()["latest_load"]["dataset"]
    finally:
        for sock in idle:
            sock.close()
        proc.terminate()
        proc.wait(timeout=30)
    lines = [json.loads(row) for row in (tmp_path / "logs" / "svcat-access.log").read_text().splitlines()]
    assert {(e["method"], e["path"], e["status"]) for e in lines} >= {("GET", "/", 200), ("GET", "/search", 200)}
    assert "secret-looking-query" not in (tmp_path / "logs" / "svcat-access.log").read_text()
    assert not any(e["path"] in ("/healthz", "/readyz") for e in lines)  # probes are not logged


def _accepted_by_svcat(argv: list[str]) -> None:
    """``argv`` (``svcat serve ...``) parses: unknown options or bad values would fail."""
    assert Path(argv[0]).name == "svcat" and argv[1] == "serve", argv
    result = CliRunner().invoke(cli, [*argv[1:], "--help"])
    assert result.exit_code == 0, result.output


def test_the_systemd_unit_runs_svcat_serve_unprivileged():
    unit = (DEPLOY / "systemd" / "svcat.service").read_text(encoding="utf-8")
    settings = dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))
    assert settings["User"] not in ("root", "0") and settings["NoNewPrivileges"] == "yes"
    assert settings["ProtectSystem"] == "strict" and settings["ReadWritePaths"] == "/var/lib/svcat"
    argv = shlex.split(settings["ExecStart"])
    _accepted_by_svcat(argv)
    assert argv[argv.index("--host") + 1] == "127.0.0.1"  # behind nginx only
    assert "[Install]" in unit and settings["WantedBy"] == "multi-user.target"


def test_the_dockerfile_installs_the_wheel_and_runs_svcat_serve_as_a_user():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert "pip wheel" in text and re.search(r"pip install .*\.whl", text)
    cmd = json.loads(re.search(r"^CMD\s+(\[.*\])\s*$", text, flags=re.M).group(1))
    _accepted_by_svcat(cmd)
    assert "/healthz" in text  # the image's health check


def test_the_compose_file_has_the_web_service_virtuoso_and_volumes():
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    services = re.search(r"^services:\n(.*?)^volumes:\n(.*)", text, flags=re.M | re.S)
    names = re.findall(r"^  ([a-z-]+):$", services.group(1), flags=re.M)
    assert {"web", "virtuoso", "nginx"} <= set(names)
    assert re.findall(r"^  ([a-z-]+):$", services.group(2), flags=re.M) == ["svcat-data", "virtuoso-data"]
    assert "SVCAT_STORE: http://virtuoso:8890/sparql" in text and "dockerfile: deploy/Dockerfile" in text
    assert "./nginx/svcat.conf" in text and "/readyz" in text
