"""What a bad file costs before it is refused, and what odd encodings cost to read.

    python bench/refusals.py [--keep DIR]
    python bench/refusals.py --upload     # also: a 200 MB one-line upload through a real gunicorn

Writes each case into a temporary folder (or DIR), then runs ``svcat validate spend FILE
--format json`` on it in a fresh process and prints the wall time, the peak memory of
that process (max RSS, from ``wait4``) and the outcome. The cases:

- a 200,000,000-byte file with no line break (under the size cap: refused by the line cap);
- a 209,715,200-byte (200 MiB) file (refused by the size cap before it is read);
- a 150 MB file made of a real spend file repeated on one line;
- a ZIP of a real spend file, and a gzip of it;
- the real file itself, as UTF-16 with a BOM, with NULs injected, as .xlsx (read, not refused);
- for comparison (not run: it takes about 18 minutes), a 15 MB one-line file with every cap
  off (``NO_CAPS``) took 1,057 s and 330 MB on the project's machine.

With ``--upload``, a 200,000,000-byte one-line file (Oxford's real file on one line,
repeated) is also POSTed to ``/publish`` on a real gunicorn whose upload cap is raised to
250 MB, so the line cap refuses it (``tests/test_upload_one_line.py`` is the test): the
time from the first byte sent to the answer.

Figures on a shared 2-core machine are noisy; run it twice.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REAL = ROOT / "tests" / "data" / "real" / "oxford" / "expenditure-over-500-oct-dec-2017.csv"
GSS = "E07000178"
BLOCK = 1 << 20


def _repeat(target: Path, chunk: bytes, size: int) -> Path:
    with open(target, "wb") as out:
        written = 0
        while written < size:
            part = chunk[: size - written]
            out.write(part)
            written += len(part)
    return target


def make_cases(folder: Path) -> list[tuple[str, Path]]:
    raw = REAL.read_bytes()
    one_line = raw.replace(b"\r\n", b",").replace(b"\n", b",")
    cases = [
        ("200 MB, no line break", _repeat(folder / "one-line-200mb.csv", b"a," * (BLOCK // 2), 200_000_000)),
        ("200 MiB (size cap)", _repeat(folder / "big-200mib.csv", b"a,b\n" * (BLOCK // 4), 200 * BLOCK)),
        ("150 MB real file on one line", _repeat(folder / "real-one-line.csv", one_line * 4, 150_000_000)),
    ]
    archive = folder / "real.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(REAL, REAL.name)
    cases.append(("ZIP of a real file", archive))
    gz = folder / "real.csv.gz"
    gz.write_bytes(gzip.compress(raw))
    cases.append(("gzip of a real file", gz))
    cases.append(("real file, UTF-8 (baseline)", REAL))
    utf16 = folder / "real-utf16.csv"
    utf16.write_bytes(raw.decode("utf-8").encode("utf-16"))
    cases.append(("real file, UTF-16", utf16))
    lines = raw.split(b"\n")
    for i in range(2, len(lines) - 1, 100):
        lines[i] = lines[i][:3] + b"\x00" + lines[i][3:]
    nul = folder / "real-nul.csv"
    nul.write_bytes(b"\n".join(lines))
    cases.append(("real file, NULs injected", nul))
    from tests.reading import typed_rows, write_xlsx
    cases.append(("real file as .xlsx", write_xlsx(typed_rows(REAL, GSS), folder / "real.xlsx")))
    return cases


#: Every cap off: what the same bad file costs without them (run on a smaller file).
NO_CAPS = {f"SVCAT_{n}": "0" for n in ("MAX_FILE_BYTES", "MAX_LINE_BYTES", "MAX_CELL_CHARS", "MAX_COLUMNS",
                                        "MAX_ROWS")}


def measure(path: Path, env: dict | None = None) -> tuple[float, float, str]:
    """``(seconds, peak RSS in MB, outcome)`` of ``svcat validate`` on the file.

    GNU time reports the peak: a child forked from this (large) process would otherwise
    count the parent's pages it inherited before exec."""
    command = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "catalogue", "--store", "memory:", "validate", "spend", str(path),
               "--publisher", GSS, "--format", "json", "--quiet"]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, env={**os.environ, **(env or {})})
    seconds = time.monotonic() - started
    out = done.stdout
    peak_kb = int(done.stderr.decode().strip().splitlines()[-1])
    try:
        report = json.loads(out)
        outcome = ("refused: " + report["fatal"][:90]) if report.get("fatal") else \
            f"read {report['rows']['loaded']} lines, loadable={report['loadable']}"
    except (json.JSONDecodeError, KeyError):
        outcome = f"no report (exit {done.returncode})"
    return seconds, peak_kb / 1024, outcome


def measure_upload() -> str:
    """Seconds, status and refusal of a 200 MB one-line upload to a real gunicorn."""
    from tests import test_upload_one_line as case
    from tests.servers import gunicorn

    folder = Path(tempfile.mkdtemp(prefix="svcat-upload-bench-"))
    store = case.make_store(folder)
    env = {"SVCAT_STORE": str(store["path"]), "SVCAT_BASE_URI": "https://data.example.gov.uk/",
           "TMPDIR": str(folder), "SVCAT_MAX_UPLOAD_BYTES": "250000000"}
    try:
        with gunicorn(env, workers=1, ready_path="/publish") as url:
            started = time.monotonic()
            response = case.upload(url, store["token"])
            seconds = time.monotonic() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    fatal = (response.json().get("report") or {}).get("fatal") or ""
    return f"{'200 MB one-line upload (HTTP)':<32} {case.SIZE:>13,} {seconds:>8.2f} {'-':>8}  {response.status_code}: {fatal[:80]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Write the cases here and keep them.")
    parser.add_argument("--upload", action="store_true", help="Also time a 200 MB one-line upload over HTTP.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="svcat-refusals-"))
    folder.mkdir(parents=True, exist_ok=True)
    cases = make_cases(folder)
    print(f"{'case':<32} {'size':>13} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, path in cases:
        seconds, rss, outcome = measure(path, NO_CAPS if "NO caps" in name else None)
        print(f"{name:<32} {path.stat().st_size:>13,} {seconds:>8.2f} {rss:>8.0f}  {outcome}")
    if args.upload:
        print(measure_upload())
    if not args.keep:
        for _, path in cases:
            if path.parent == folder:
                path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
