"""Page render times on a big store: council, organisation and catalogue pages, and more.

    python bench/pages.py                        # 1,000,000 lines over 10 councils (once), then pages
    python bench/pages.py --lines 100000
    python bench/pages.py --store PATH           # an existing store (nothing is loaded)

The synthetic spend files come from ``bench/synth.py`` (the scale benchmark's generator:
real Leeds dialect, fixed seed, suppliers shared across councils) and are loaded with
``svcat load`` into ``bench/out/pages-store-<lines>`` once; later runs reuse the store.
Then, for each page, a fresh gunicorn (one worker, query workers and limits as in
production) serves it and the page is fetched over HTTP on 127.0.0.1:

- *first* — the first request after the server started: every query the page needs runs
  (what the first reader sees after a new load);
- *again* — the median of the next ``--repeat`` requests (results cached per data version);
- *304* — a revalidation with ``If-None-Match``.

Charts are separate ``.svg`` requests, timed the same way. Figures on a shared machine
are noisy: the table gives median and min-max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from screenshots import serve  # noqa: E402  (gunicorn on a free port, as the page tests run it)

BASE = "https://data.example.gov.uk/"
TARGET_MS = 300


def build_store(lines: int, councils: int) -> Path:
    """Load the synthetic files into a fresh on-disk store, unless it is there already."""
    try:
        from synth import synthetic_files
    except ImportError as exc:  # pragma: no cover - needs the scale benchmark's generator
        raise SystemExit("bench/synth.py (the scale benchmark's generator) is needed to make the files") from exc
    store = OUT / f"pages-store-{lines}-{councils}"
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    for council, path in synthetic_files(OUT / "synthetic", lines, councils):
        done = store / f"LOADED-{path.name}"  # an interrupted build resumes where it stopped
        if done.exists():
            continue
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "catalogue", "load", "spend", str(path), "--publisher", council.gss,
                        "--quiet"], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"loaded {path.name} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        done.write_text("ok\n")
    return store


def pages(url: str) -> list[tuple[str, str]]:
    """(name, path) of the pages to time, found from the data itself."""
    councils = requests.get(url + "/councils.json?_sort_desc=rows&_size=1", timeout=600).json()["rows"]
    gss = councils[0]["gss"]
    suppliers = requests.get(f"{url}/council/{gss}/suppliers.json?_size=1", timeout=600).json()["rows"]
    supplier = suppliers[0]["payee"] or ""
    organisation = suppliers[0].get("organisation")
    datasets = requests.get(url + "/catalogue.json?_size=1", timeout=600).json()["rows"]
    out = [
        ("home", "/"),
        ("catalogue", "/catalogue"),
        ("catalogue (DCAT Turtle)", "/catalogue.ttl"),
        (f"council dashboard ({councils[0]['rows']:,} lines)", f"/doc/council/{gss}"),
        ("council: all suppliers table", f"/council/{gss}/suppliers"),
        ("council chart: months", f"/council/{gss}/months.svg"),
        ("council chart: suppliers", f"/council/{gss}/suppliers.svg"),
        ("supplier record", "/doc/" + supplier[len(BASE) + 3:]),
        ("dataset page", "/doc/" + datasets[0]["dataset"][len(BASE) + 3:]),
        ("social value (all councils)", "/social-value"),
        ("social value chart: shares", "/social-value/shares.svg"),
        ("search", "/search?q=care"),
        ("VoID", "/void"),
        ("sitemap", "/sitemap.xml"),
    ]
    if organisation:
        out.insert(7, ("organisation", "/doc/" + organisation[len(BASE) + 3:]))
    else:
        out.insert(7, ("organisation", "(none: suppliers are not linked in this store)"))
    return out


def fetch(url: str, headers: dict | None = None) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    response = requests.get(url, headers=headers or {"Accept": "text/html"}, timeout=600)
    return (time.perf_counter() - started) * 1000, response


def measure(store: Path, repeat: int) -> list[tuple]:
    with serve(store) as url:
        found = pages(url)
    rows = []
    for name, path in found:
        if not path.startswith("/"):
            rows.append((name, path, None, [], None, ""))
            continue
        with serve(store, workers=1) as url:
            rows.append(measure_page(url, name, path, repeat))
    return rows


def measure_page(url: str, name: str, path: str, repeat: int) -> tuple:
    first, response = fetch(url + path)
    again = [fetch(url + path)[0] for _ in range(repeat)]
    etag = response.headers.get("ETag")
    revalidate = fetch(url + path, {"Accept": "text/html", "If-None-Match": etag})[0] if etag else None
    note = "" if response.status_code == 200 else f"HTTP {response.status_code}"
    if response.headers.get("X-SVCAT-Truncated"):
        note += f" cut: {response.headers['X-SVCAT-Truncated']}"
    return name, path, first, again, revalidate, note


def report(rows: list[tuple], store: Path) -> None:
    print(f"Page render times, store {store} (HTTP on 127.0.0.1, a fresh gunicorn worker per page; "
          "shared machine: noisy)")
    print(f"{'page':42} {'first ms':>9} {'again ms (median, min-max)':>28} {'304 ms':>7}  {'< 300 ms':>8}  note")
    for name, path, first, again, revalidate, note in rows:
        if first is None:
            print(f"{name:42} {'-':>9} {'-':>28} {'-':>7}  {'-':>8}  {path}")
            continue
        median = statistics.median(again) if again else float("nan")
        spread = f"{median:7.0f} ({min(again):.0f}-{max(again):.0f})" if again else "-"
        ok = "yes" if first < TARGET_MS else ("warm" if median < TARGET_MS else "no")
        print(f"{name:42} {first:9.0f} {spread:>28} {revalidate or 0:7.0f}  {ok:>8}  {note}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--councils", type=int, default=10)
    parser.add_argument("--store", type=Path, help="time an existing store instead")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    store = args.store or build_store(args.lines, args.councils)
    report(measure(store, args.repeat), store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
