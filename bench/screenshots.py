"""Screenshots of the researcher's pages, taken by a real headless Chromium, for a person to look at.

    python bench/screenshots.py                  # loads the demo data into a fresh store, serves it
    python bench/screenshots.py --store PATH     # serves an existing store
    python bench/screenshots.py --url URL        # uses a server that is already running

Writes full-page PNGs to ``bench/out/screenshots/`` and prints one line per page (path,
HTTP status, load time in the browser, PNG size). Uses ``tests/browser.py`` (Debian's
chromium + chromium-driver through Selenium) and gunicorn, as the page tests do.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import SCREENSHOTS, start_browser, stop_browser  # noqa: E402

BASE = "https://data.example.gov.uk/"
#: (file name, path); ``{council}``/``{dataset}``/``{supplier}`` are filled from the data.
PAGES = (
    ("01-home", "/"),
    ("02-councils", "/councils"),
    ("03-council-dashboard", "/doc/council/{council}"),
    ("04-council-suppliers", "/council/{council}/suppliers"),
    ("05-supplier", "{supplier}"),
    ("06-organisation", "{organisation}"),
    ("07-social-value", "/social-value"),
    ("07b-outcome-indicator", "/doc/concept/E08000009/indicator/household-waste-sent-for-reuse-recycling-or-composting"),
    ("08-catalogue", "/catalogue"),
    ("09-dataset", "{dataset}"),
    ("10-query-gallery", "/queries"),
    ("11-query-result", "/query?example=share-to-sme-and-vcse-by-council&query={example}#result"),
    ("12-search", "/search?q=mott"),
)
MAX_HEIGHT = 7000


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(store: Path, workers: int = 2):
    port = free_port()
    env = dict(os.environ, SVCAT_STORE=str(store), SVCAT_BASE_URI=BASE)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                             "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(url + "/", timeout=30).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def demo_store() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="svcat-shots-")) / "store"
    env = dict(os.environ, SVCAT_STORE=str(folder), SVCAT_BASE_URI=BASE)
    subprocess.run([sys.executable, "-m", "catalogue", "demo", "--no-serve"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return folder


def fill(url: str) -> dict:
    """Real addresses to photograph: a council, one of its suppliers, a dataset, an example."""
    from urllib.parse import quote

    councils = requests.get(url + "/councils.json?_sort=name", timeout=60).json()["rows"]
    council = next((c for c in councils if c["gss"] == "E08000035"), councils[0])["gss"]
    suppliers = requests.get(f"{url}/council/{council}/suppliers.json", timeout=60).json()["rows"]
    supplier = next(r["payee"] for r in suppliers if r.get("payee"))
    organisation = next((r["organisation"] for r in suppliers if r.get("organisation")), None)
    datasets = requests.get(url + "/catalogue.json", timeout=60).json()["rows"]
    dataset = next(d["dataset"] for d in datasets if f"/{council}/" in d["dataset"])
    example = requests.get(url + "/queries/share-to-sme-and-vcse-by-council.rq", timeout=60).text

    def local(iri):
        return "/doc/" + iri[len(BASE) + 3:] if iri and iri.startswith(BASE + "id/") else None

    return {"council": council, "supplier": local(supplier), "organisation": local(organisation),
            "dataset": local(dataset), "example": quote(example)}


def wait_for_images(browser, seconds: float = 60) -> None:
    """Charts are separate SVG requests: wait until every image has arrived."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if browser.execute_script("return Array.from(document.images).every(i => i.complete)"):
            return
        time.sleep(0.2)


def shoot(url: str) -> list[tuple]:
    values = fill(url)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser = start_browser()
    rows = []
    try:
        for name, template in PAGES:
            if any(values.get(k) is None for k in ("supplier", "organisation", "dataset") if "{" + k + "}" in template):
                rows.append((name, template, "-", "-", "no such page in this data (nothing linked yet)"))
                continue
            path = template.format(**values)
            started = time.perf_counter()
            browser.set_window_size(1280, 1000)
            browser.get(url + path)
            seconds = time.perf_counter() - started
            height = min(MAX_HEIGHT, browser.execute_script("return document.documentElement.scrollHeight"))
            browser.set_window_size(1280, max(1000, height))
            wait_for_images(browser)
            out = SCREENSHOTS / f"{name}.png"
            browser.save_screenshot(str(out))
            rows.append((name, path[:70], f"{seconds * 1000:.0f} ms", f"{out.stat().st_size // 1024} KB",
                         browser.title))
    finally:
        stop_browser(browser)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server to photograph")
    parser.add_argument("--store", type=Path, help="a store folder to serve (default: a fresh demo store)")
    args = parser.parse_args(argv)
    if args.url:
        rows = shoot(args.url.rstrip("/"))
    else:
        with serve(args.store or demo_store()) as url:
            rows = shoot(url)
    print(f"{'page':24} {'path':72} {'load':>8} {'png':>7}  title")
    for name, path, load, size, title in rows:
        print(f"{name:24} {path:72} {load:>8} {size:>7}  {title}")
    print(f"screenshots in {SCREENSHOTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
