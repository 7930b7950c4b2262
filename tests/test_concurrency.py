"""Real processes at once: gunicorn workers read an on-disk store while ``svcat load`` writes it.

The embedded store's writer works on ``primary/`` under an exclusive ``flock`` and
publishes a snapshot when a load (and its incremental link) is complete; web workers
read the current snapshot read-only and reopen it when ``CURRENT`` changes
(``catalogue/store/snapshots.py``). So while a file loads, every answer is the old state or
the new one, and the new one appears without restarting gunicorn. Two loads started at
once queue on the write lock: the second opens the store only when the first has closed it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections import defaultdict
from datetime import datetime

import requests

from catalogue.store import open_store
from catalogue.vocab import sparql_prologue
from tests.conftest import BASE, ROOT, real_files
from tests.servers import gunicorn

LINES = sparql_prologue("pay") + "SELECT (COUNT(?line) AS ?n) WHERE { ?line pay:netAmount [] }"


def council_with_two_files() -> tuple[str, list]:
    """The council whose two smallest real spend files are smallest together (a quick test)."""
    by_council = defaultdict(list)
    for entry in real_files("spend"):
        by_council[entry["gss_code"]].append(entry)
    pairs = {gss: sorted(entries, key=lambda e: os.path.getsize(e["file"]))[:2]
             for gss, entries in by_council.items() if len(entries) >= 2}
    assert pairs, "the real samples hold no council with two spend files"
    return min(pairs.items(), key=lambda item: sum(os.path.getsize(e["file"]) for e in item[1]))


def svcat_load(store, entry, *extra) -> subprocess.Popen:
    """``svcat load`` as a user runs it, in its own process."""
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    return subprocess.Popen(
        [sys.executable, "-m", "catalogue", "load", "spend", str(entry["file"]), "--publisher", entry["gss_code"],
         "--quiet", "--format", "json", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:] + err[-3000:]
    return json.loads(out)


def count_lines(url: str) -> int:
    answer = requests.get(url + "/sparql", params={"query": LINES},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert answer.status_code == 200, answer.text[:500]
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def page_lines(url: str, gss: str) -> int:
    """The 'Payment lines' figure on a council's dashboard."""
    page = requests.get(f"{url}/doc/council/{gss}", timeout=60)
    assert page.status_code == 200, page.text[:500]
    text = re.sub(r"<[^>]+>", " ", page.text)
    found = re.search(r"Payment lines\s+([\d,]+)", re.sub(r"\s+", " ", text))
    assert found, "the council page shows no payment line count"
    return int(found.group(1).replace(",", ""))


def test_workers_see_the_old_or_the_new_store_while_svcat_load_writes(tmp_path):
    gss, (first, second) = council_with_two_files()
    store = tmp_path / "store"
    before = finished(svcat_load(store, first, "--no-link"))["rows"]["loaded"]
    with gunicorn({"SVCAT_STORE": str(store), "SVCAT_BASE_URI": BASE}, workers=2) as url:
        assert count_lines(url) == before and page_lines(url, gss) == before
        seen: dict[str, list[int]] = {"sparql": [], "page": []}
        stop = threading.Event()

        def poll(name, read):
            while not stop.is_set():
                seen[name].append(read())
        errors = []

        def guarded(name, read):
            try:
                poll(name, read)
            except BaseException as exc:  # surfaced below, in the test's thread
                errors.append(exc)
                stop.set()
        pollers = [threading.Thread(target=guarded, args=("sparql", lambda: count_lines(url))),
                   threading.Thread(target=guarded, args=("page", lambda: page_lines(url, gss)))]
        for thread in pollers:
            thread.start()
        try:
            added = finished(svcat_load(store, second))["rows"]["loaded"]
        finally:
            stop.set()
            for thread in pollers:
                thread.join()
        assert not errors, errors[0]
        after = before + added
        # Every answer during the load was a whole state, and the load was watched.
        assert set(seen["sparql"]) <= {before, after} and set(seen["page"]) <= {before, after}, seen
        assert before in seen["sparql"] and len(seen["sparql"]) >= 3 and seen["page"]
        # The same gunicorn (no restart) now serves the new data from every worker.
        assert {count_lines(url) for _ in range(6)} == {after}
        assert {page_lines(url, gss) for _ in range(4)} == {after}


def test_two_loads_started_together_queue_on_the_write_lock_and_both_land(tmp_path):
    entries = sorted(real_files("spend"), key=lambda e: os.path.getsize(e["file"]))[:2]
    store = tmp_path / "store"
    procs = [svcat_load(store, entry) for entry in entries]
    reports = [finished(proc) for proc in procs]
    reader = open_store(str(store), "read")
    try:
        rows = reader.select(sparql_prologue("sv", "prov") + f"""
            SELECT ?dataset ?loaded ?start ?end WHERE {{ GRAPH <{BASE}graph/catalogue> {{
              ?dataset sv:loadedRowCount ?loaded ; prov:wasGeneratedBy ?activity .
              ?activity prov:startedAtTime ?start ; prov:endedAtTime ?end }} }}""").rows
        assert {str(r["dataset"]): int(r["loaded"]) for r in rows} == {
            r["dataset"]: r["rows"]["loaded"] for r in reports}
        assert count_from(reader) == sum(r["rows"]["loaded"] for r in reports)
    finally:
        reader.close()
    # The second load began only after the first had finished: the writes never overlapped.
    (start_a, end_a), (start_b, end_b) = sorted(
        (datetime.fromisoformat(str(r["start"])), datetime.fromisoformat(str(r["end"]))) for r in rows)
    assert end_a <= start_b


def count_from(reader) -> int:
    return int(reader.select(LINES).rows[0]["n"])
