"""A bounded load test on 127.0.0.1: pages, SPARQL (some pathological) and loads at once.

    python bench/load_test.py                     # 120 s, 6 client threads
    python bench/load_test.py --seconds 60 --clients 4 --store existing-store

Builds a store of the sample spend files (unless ``--store`` names one), serves it with
``gunicorn -w 2`` (query timeout 10 s), then for ``--seconds``:

- client threads request pages (found by following links from ``/``) and simple SPARQL
  queries; every one must answer 200 (or 304);
- one thread sends a pathological query every few seconds; it must answer 503 (timed out)
  and nothing else may slow down for long;
- ``svcat load`` runs twice meanwhile: a new 30,000-line file (a new dataset), then a
  reload of an existing one (a replacement);
- the RSS of every process under gunicorn (web and query workers) is sampled each second.

Then it checks the data: every dataset that was not reloaded is unchanged, the new one has
all its lines, the reloaded one is whole. It prints the figures. Not a test: it takes
minutes, and its timings depend on the machine (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import summary  # noqa: E402
from synth import synthetic_files  # noqa: E402

from catalogue.store import open_store  # noqa: E402
from tests import procs  # noqa: E402
from tests.conftest import REAL, free_port, manifest  # noqa: E402

BASE = "https://data.example.gov.uk/"
SIMPLE = [
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://data.example.gov.uk/graph/catalogue> { ?s ?p ?o } }",
    "SELECT ?l WHERE { <https://data.example.gov.uk/id/council/E08000035> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    "SELECT ?line ?amount WHERE { ?line <http://reference.data.gov.uk/def/payment#netAmount> ?amount } LIMIT 20",
    "ASK { ?s <http://reference.data.gov.uk/def/payment#netAmount> ?amount }",
]
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
DATASETS = """PREFIX sv: <https://w3id.org/svcat/def#> PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?d ?g ?rows ?triples WHERE { GRAPH <https://data.example.gov.uk/graph/catalogue> {
  ?d sv:namedGraph ?g ; sv:loadedRowCount ?rows ; void:triples ?triples } }"""


def svcat(store: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "catalogue", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True)


def datasets(store: Path) -> dict[str, tuple]:
    """Each dataset's graph, row count and triple count, checked against its graph."""
    with open_store(str(store), "read") as reader:
        out = {}
        for row in reader.select(DATASETS).rows:
            graph = str(row["g"])
            count = reader.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
            out[str(row["d"])] = (graph, int(row["rows"]), int(row["triples"]), int(count[0]["n"]))
        return out


def discover_pages(url: str, limit: int = 60) -> list[str]:
    """Local pages reachable from the home page (breadth first)."""
    todo, seen, pages = ["/"], {"/"}, []
    while todo and len(pages) < limit:
        path = todo.pop(0)
        response = requests.get(url + path, headers={"Accept": "text/html"}, timeout=60)
        if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
            continue
        pages.append(path)
        for href in set(part.split('"')[0] for part in response.text.split('href="')[1:]):
            target = urlsplit(urljoin(path, href))
            local = target.path + (f"?{target.query}" if target.query else "")
            if not target.netloc and local.startswith("/") and local not in seen \
                    and not local.startswith(("/static", "/dumps", "/sparql", "/publish")) \
                    and not local.endswith((".gz", ".csv", ".json", ".ttl", ".nt", ".rdf", ".jsonld", ".svg")):
                seen.add(local)
                todo.append(local)
    return pages


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.status: dict[str, Counter] = defaultdict(Counter)
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.unexpected: list[tuple] = []

    def add(self, kind: str, status: int, seconds: float, expected: tuple, what: str):
        with self.lock:
            self.status[kind][status] += 1
            self.latency[kind].append(seconds)
            if status not in expected:
                self.unexpected.append((kind, status, what[:100]))


def client(url: str, pages: list[str], stop: float, tally: Tally, seed: int):
    rng, session = random.Random(seed), requests.Session()
    while time.monotonic() < stop:
        if rng.random() < 0.5:
            kind, path, params, expected = "page", rng.choice(pages), None, (200, 304)
        else:
            kind, path, params, expected = "sparql", "/sparql", {"query": rng.choice(SIMPLE)}, (200,)
        started = time.perf_counter()
        try:
            status = session.get(url + path, params=params, timeout=120,
                                 headers={"Accept": "text/html" if kind == "page" else "application/json"}).status_code
        except requests.RequestException as exc:
            status = f"{type(exc).__name__}"
        tally.add(kind, status, time.perf_counter() - started, expected, path)


def pathological(url: str, stop: float, tally: Tally, every: float):
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            response = requests.get(url + "/sparql", params={"query": PATHOLOGICAL}, timeout=120)
            status = response.status_code
        except requests.RequestException as exc:
            status = type(exc).__name__
        tally.add("pathological", status, time.perf_counter() - started, (503,), PATHOLOGICAL)
        time.sleep(every)


def sample_memory(root_pid: int, stop: float, samples: list):
    while time.monotonic() < stop:
        pids = procs.descendants(root_pid) | {root_pid}
        sizes = {}
        for pid in pids:
            try:
                sizes[pid] = procs.rss_kib(pid)
            except (FileNotFoundError, ProcessLookupError):
                pass
        samples.append((len(sizes), sum(sizes.values()), max(sizes.values(), default=0)))
        time.sleep(1)


def loads(store: Path, new_file: Path, reload_file: Path, results: dict):
    time.sleep(5)
    for label, path in (("new", new_file), ("reload", reload_file)):
        started = time.monotonic()
        done = svcat(store, "load", "spend", str(path), "-q")
        results[label] = (done.returncode, time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--store")
    parser.add_argument("--new-lines", type=int, default=30_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="svcat-loadtest-"))
    store = Path(args.store) if args.store else tmp / "store"
    if not args.store:
        print("loading the sample files ...", flush=True)
        for entry in manifest(REAL, "spend"):
            assert svcat(store, "load", "spend", str(entry["file"]), "--publisher", entry["gss_code"],
                         "-q").returncode == 0
    (_, new_file), = synthetic_files(tmp / "synth", args.new_lines)
    reload_file = REAL / "harrogate" / "2015-04.csv"
    reloaded = f"{BASE}id/dataset/E07000165/spend/2015-04"
    before = datasets(store)

    port = free_port()
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE, SVCAT_QUERY_TIMEOUT="10")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(tmp / "gunicorn.log", "wb"))
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                requests.get(url + "/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        pages = discover_pages(url)
        print(f"{len(pages)} pages found; {args.clients} clients for {args.seconds:g} s ...", flush=True)

        tally, samples, load_results = Tally(), [], {}
        stop = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(url, pages, stop, tally, i)) for i in range(args.clients)]
        threads += [threading.Thread(target=pathological, args=(url, stop, tally, 3.0)),
                    threading.Thread(target=sample_memory, args=(server.pid, stop, samples)),
                    threading.Thread(target=loads, args=(store, new_file, reload_file, load_results))]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:  # never leave a server behind, whatever happened
        server.terminate()
        server.wait()

    after = datasets(store)
    new_dataset = f"{BASE}id/dataset/E08000035/spend/{new_file.stem.lower()}"
    unchanged = all(after.get(d) == v for d, v in before.items() if d != reloaded)
    whole = all(v[2] == v[3] for v in after.values())
    new_ok = new_dataset in after and after[new_dataset][1] == args.new_lines
    reload_ok = reloaded in after and after[reloaded][1] == before[reloaded][1] and after[reloaded][0] != before[reloaded][0]

    print(f"\nLoad test: {elapsed:.0f} s, gunicorn -w 2, {args.clients} clients + 1 pathological-query thread "
          f"(query timeout 10 s), 2 loads meanwhile\n")
    print(f"{'requests':<14}{'count':>7}{'per s':>7}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}  statuses")
    for kind in ("page", "sparql", "pathological"):
        stats = summary([s * 1000 for s in tally.latency[kind]])
        print(f"{kind:<14}{stats['count']:>7}{stats['count'] / elapsed:>7.1f}{stats['p50']:>8.0f}"
              f"{stats['p95']:>8.0f}{stats['max']:>8.0f}  {dict(tally.status[kind])}")
    print(f"\nunexpected answers: {len(tally.unexpected)} {tally.unexpected[:5]}")
    rss = [s[1] for s in samples]
    print(f"memory (all processes under gunicorn, sampled {len(samples)}x): first {rss[0] / 1024:.0f} MiB, "
          f"max {max(rss) / 1024:.0f} MiB, last {rss[-1] / 1024:.0f} MiB; largest process "
          f"{max(s[2] for s in samples) / 1024:.0f} MiB; processes {min(s[0] for s in samples)}-"
          f"{max(s[0] for s in samples)}")
    for label, (code, seconds) in load_results.items():
        print(f"svcat load ({label}): exit {code} in {seconds:.1f} s")
    print(f"data: other datasets unchanged {unchanged}; every record matches its graph {whole}; "
          f"new dataset whole ({args.new_lines:,} lines) {new_ok}; reloaded dataset whole and replaced {reload_ok}")
    ok = not tally.unexpected and unchanged and whole and new_ok and reload_ok and \
        all(code == 0 for code, _ in load_results.values())
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
