"""The built wheel works outside the checkout (issue 21): a user who installs it gets the
ontology, shapes, mappings, councils register, templates, demo files and server settings.

The wheel is built from a copy of this checkout, installed without dependencies into a fresh venv
that sees the test venv's third-party packages through a ``.pth`` line (a path added that
way has its own ``.pth`` files ignored, so the checkout's editable install cannot leak in),
and run from a temporary folder: nothing can be read from the repository.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests

from tests.conftest import BASE, REAL
from tests.servers import free_port

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding only the wheel; its python."""
    where = tmp_path_factory.mktemp("wheel")
    # Built from a copy: pip builds in the source tree (build/, egg-info), and the checkout
    # must stay as it is for tests running beside this one (the README blocks check it).
    source = where / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                            "-q", "-w", str(where / "dist")], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next((where / "dist").glob("svcat-*.whl"))
    env_dir = where / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "test-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                              str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    return python


def svcat(python: Path, cwd: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SVCAT_")}
    return subprocess.run([str(python), "-m", "catalogue", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, **kwargs)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, tmp_path):
    where = subprocess.run([str(installed), "-c", "import catalogue, loaders; print(catalogue.__file__); "
                            "print(loaders.__file__)"], cwd=tmp_path, capture_output=True, text=True, check=True)
    for line in where.stdout.split():
        assert not line.startswith(str(ROOT)), line
        assert "site-packages" in line


def test_the_wheel_loads_a_file_and_serves_pages_and_sparql(installed, tmp_path):
    store = tmp_path / "store"
    help_ = svcat(installed, tmp_path, "--help")
    assert help_.returncode == 0, help_.stderr
    loaded = svcat(installed, tmp_path, "--store", str(store), "--base-uri", BASE, "load", "spend",
                   str(REAL / "salford" / "2022-06.csv"), "--publisher", "E08000006")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SVCAT_")}
    log = open(tmp_path / "serve.log", "w+b")
    proc = subprocess.Popen([str(installed), "-m", "catalogue", "--store", str(store), "--base-uri", BASE,
                             "serve", "--port", str(port)], cwd=tmp_path, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
            try:
                home = requests.get(url + "/", timeout=30)
                break
            except requests.ConnectionError:
                import time

                time.sleep(0.3)
        assert home.status_code == 200 and "Salford" in requests.get(url + "/councils", timeout=30).text
        answer = requests.get(url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_wheel_carries_the_demo_files_and_the_gunicorn_settings(installed, tmp_path):
    code = ("from catalogue.paths import sample_data_dir, shapes_dir, ontology_dir, frontend_dir\n"
            "import catalogue.gunicorn_conf as g\n"
            "assert (sample_data_dir() / 'manifest.csv').is_file()\n"
            "assert list(shapes_dir().glob('*.ttl')) and list(ontology_dir().glob('*.ttl'))\n"
            "assert (frontend_dir() / 'package.json').is_file()\n"
            "assert g.worker_class and callable(g.post_worker_init)\n"
            "print(sample_data_dir())\n")
    result = subprocess.run([str(installed), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout
