"""The peers ``bench/compare.py`` measures us against, each doing the same work.

- rdflib: its in-memory ``Dataset`` (union default graph) and its SPARQL engine, in a child
  process (``python bench/peers.py rdflib A.nq,B.nq QUERIES.json TIMEOUT REPEAT`` prints JSON),
  so its memory is its own and a query past ``TIMEOUT`` seconds is stopped.
- Virtuoso: Debian's ``virtuoso-opensource``, started as the tests start it
  (``tests/virtuoso.py``), loaded with its own bulk loader (``ld_dir`` + one
  ``rdf_loader_run()`` per core, over as many N-Quads files), queried over
  its ``/sparql`` endpoint.
- Oxigraph server: the ``oxigraph`` binary from PyPI (the ``bench`` extra), loaded with
  ``oxigraph load`` and served by ``oxigraph serve-read-only --union-default-graph``.

All of them load the N-Quads our store exports, so they hold exactly what we hold.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import free_port  # noqa: E402

VIRTUOSO_BUFFERS = 170_000  # 1.3 GB of 8 kB pages: Virtuoso's setting for a machine with 2 GB to give it
VIRTUOSO_ROWS = 1_000_000  # ResultSetMaxRows: high enough that no benchmark result is cut
LOADERS = 2  # rdf_loader_run() sessions at once: one per core


# ---------------------------------------------------------------- rdflib (child process)

def rdflib_child(data: str, queries_file: str, timeout: int, repeat: int) -> None:
    from rdflib import Dataset

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    for path in data.split(","):
        dataset.parse(path, format="nquads")
    out = {"load_seconds": time.perf_counter() - started,
           "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "queries": {}}

    def stop(*_):
        raise TimeoutError
    signal.signal(signal.SIGALRM, stop)
    for name, texts in json.loads(Path(queries_file).read_text()).items():
        seconds, rows, error = [], None, None
        for _ in range(repeat):
            signal.alarm(timeout)
            try:
                clock = time.perf_counter()
                rows = [len(list(dataset.query(text))) for text in texts]
                seconds.append(time.perf_counter() - clock)
            except TimeoutError:
                error = f"stopped after {timeout} s"
                break
            except Exception as exc:  # reported in the table, as the engine's answer
                error = f"{type(exc).__name__}: {str(exc)[:60]}"
                break
            finally:
                signal.alarm(0)
        out["queries"][name] = {"seconds": seconds, "rows": rows, "error": error}
    print(json.dumps(out))


def run_rdflib(data: list[Path], queries: dict[str, list[str]], folder: Path, timeout: int, repeat: int) -> dict:
    """rdflib's load time, peak RSS and query times (its own process, stopped at 2 h)."""
    queries_file = folder / "queries.json"
    queries_file.write_text(json.dumps(queries))
    proc = subprocess.run([sys.executable, __file__, "rdflib", ",".join(map(str, data)), str(queries_file), str(timeout),
                           str(repeat)], capture_output=True, text=True, timeout=7200)
    if proc.returncode:
        raise RuntimeError(f"rdflib child failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


# ---------------------------------------------------------------- SPARQL over HTTP

def http_select(endpoint: str, text: str) -> int:
    """Rows of a SELECT through the SPARQL protocol (a form POST, which every server takes)."""
    answer = requests.post(endpoint, data={"query": text}, timeout=600,
                           headers={"Accept": "application/sparql-results+json"})
    if answer.status_code != 200:
        raise RuntimeError(f"HTTP {answer.status_code}: {answer.text[:80]}")
    if answer.headers.get("X-SQL-State") or answer.headers.get("X-SPARQL-MaxRows"):
        raise RuntimeError("the server cut the result")  # Virtuoso's partial ("anytime") answers
    return len(answer.json()["results"]["bindings"])


def rss_of(pid: int, field: str = "VmHWM") -> int:
    """Peak (``VmHWM``) or current (``VmRSS``) resident memory of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


# ---------------------------------------------------------------- Virtuoso

@dataclass
class VirtuosoRun:
    server: object
    load_seconds: float
    rss: int
    size: int


class Counting:
    """A binary file that counts the lines written through it."""

    def __init__(self, handle):
        self.handle, self.lines, self.bytes = handle, 0, 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        self.bytes += len(data)
        return self.handle.write(data)


def export_parts(reader, folder: Path, parts: int = LOADERS) -> tuple[list[Path], int]:
    """Every graph of our store as N-Quads, spread over ``parts`` files of about equal size
    (whole graphs each), so that Virtuoso's loaders and ``oxigraph load`` work in parallel
    with no second copy on disk. Returns the files and the number of quads."""
    paths = [folder / f"part-{n}.nq" for n in range(parts)]
    handles = [open(path, "wb") for path in paths]
    outs = [Counting(h) for h in handles]
    try:
        for graph in reader.graphs():
            reader.dump(min(outs, key=lambda o: o.bytes), graph)
    finally:
        for handle in handles:
            handle.close()
    return paths, sum(o.lines for o in outs)


def start_loaded_virtuoso(data: list[Path], folder: Path) -> VirtuosoRun:
    """A fresh Virtuoso holding ``data``, loaded by its bulk loader; the caller stops it."""
    from tests.virtuoso import start_virtuoso, stop_virtuoso

    shutil.rmtree(folder, ignore_errors=True)
    server = start_virtuoso(folder, max_rows=VIRTUOSO_ROWS, buffers=VIRTUOSO_BUFFERS)
    try:
        sql_port = re.search(r"\[Parameters\]\s*ServerPort = 127\.0\.0\.1:(\d+)",
                             (folder / "virtuoso.ini").read_text()).group(1)
        parts = [folder / path.name for path in data]
        for source, part in zip(data, parts):
            os.link(source, part)  # inside DirsAllowed, without a copy

        def isql(script: str, name: str) -> subprocess.Popen:
            (folder / name).write_text(script)
            return subprocess.Popen(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", str(folder / name)],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        started = time.perf_counter()
        register = isql(f"ld_dir('{folder}', 'part-*.nq', 'urn:svcat:bench:default');\n", "register.sql")
        register.communicate(timeout=600)
        loaders = [isql("rdf_loader_run();\n", f"loader-{n}.sql") for n in range(LOADERS)]
        said = [p.communicate(timeout=7200)[0] for p in loaders]
        checkpoint = isql("checkpoint;\n", "checkpoint.sql")
        said.append(checkpoint.communicate(timeout=1200)[0])
        seconds = time.perf_counter() - started
        errors = isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n", "errors.sql")
        report = errors.communicate(timeout=60)[0]
        if "0 Rows" not in report or any("Error" in s for s in said):
            raise RuntimeError("Virtuoso's bulk load failed: " + report[-1500:] + " ".join(said)[-1500:])
        for part in parts:
            part.unlink()
        size = sum(p.stat().st_size for p in folder.glob("virtuoso*.db"))
        return VirtuosoRun(server, seconds, rss_of(server.process.pid), size)
    except BaseException:
        stop_virtuoso(server)
        raise


# ---------------------------------------------------------------- Oxigraph server

def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not os.path.exists(found):
        raise SystemExit("the oxigraph server is not installed: pip install -e '.[bench]'")
    return found


def oxigraph_load(data: list[Path], folder: Path):
    """``oxigraph load`` into a fresh folder: (measure.Run with seconds and peak RSS, size in bytes)."""
    from measure import dir_size, run_child

    shutil.rmtree(folder, ignore_errors=True)
    run = run_child([oxigraph_binary(), "load", "--location", str(folder), "--lenient", "--file", *map(str, data)])
    if run.returncode:
        raise RuntimeError("oxigraph load failed: " + run.stderr[-2000:])
    return run, dir_size(folder)


class OxigraphServer:
    """``oxigraph serve-read-only`` on 127.0.0.1 (a context manager yielding the query URL)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> str:
        port = free_port()
        self.proc = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(self.folder),
                                      "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/query"
        for _ in range(300):
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    return url
            except requests.ConnectionError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the oxigraph server did not start")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__" and sys.argv[1:2] == ["rdflib"]:
    rdflib_child(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
