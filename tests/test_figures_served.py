"""Source links under ``gunicorn wsgi:app`` with a relative store path, as ``svcat demo`` serves
(issue 18: every ``/file/...`` link answered 500 there). Uses ``disk_store_path``: server lane."""

from __future__ import annotations

import hashlib
import os

import requests

from tests.conftest import BASE, REAL, ROOT
from tests.servers import gunicorn


def test_source_links_answer_200_under_gunicorn_with_a_relative_store(disk_store_path):
    relative = os.path.relpath(disk_store_path, ROOT)  # gunicorn runs in the repository root
    assert not os.path.isabs(relative)
    with gunicorn({"SVCAT_STORE": relative, "SVCAT_BASE_URI": BASE}) as url:
        rows = requests.get(url + "/dataset/E08000037/spend/2022-08/rows.json?_size=3", timeout=60).json()["rows"]
        assert len(rows) == 3
        for row in rows:
            assert row["source"].endswith(f"#row={row['row']}")
            response = requests.get(url + row["source"][len(BASE) - 1:].split("#")[0], timeout=60)
            assert response.status_code == 200
            published = (REAL / "gateshead" / "2022-08.csv").read_bytes()
            assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256(published).hexdigest()
        page = requests.get(url + "/doc/dataset/E08000037/spend/2022-08", timeout=60).text
        assert 'href="/file/E08000037/spend/2022-08/2022-08.csv"' in page
