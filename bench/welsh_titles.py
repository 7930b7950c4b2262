"""Spend files titled in Welsh alone: how many of each field's columns are still placed.

Every spend file of a manifest (default ``../shared/data/real/manifest.csv``) is rewritten
with each column the loader reads titled in Welsh (``tests.test_bilingual_titles.WELSH_ONLY``:
*Swm Net*, *Dyddiad*, *Enw'r Cyflenwr*, *Rhif Trafodyn*...) and the others as Welsh too,
then read by the loaders (no store). A field is *kept* when the Welsh file places it, as the
original did; the lines loaded must be as many. Prints kept / tried per field, the files
whose lines differ, and the seconds taken.

    .venv/bin/python bench/welsh_titles.py [--manifest PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.ingest import validate_file  # noqa: E402
from tests.conftest import BASE, SHARED_REAL, manifest  # noqa: E402
from tests.test_bilingual_titles import TITLE_ONLY, welsh_only  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=SHARED_REAL / "manifest.csv")
    args = parser.parse_args()
    entries = manifest(args.manifest.parent, "spend")
    started = time.perf_counter()
    tried, kept, rows = Counter(), Counter(), Counter()
    with tempfile.TemporaryDirectory() as folder:
        for n, entry in enumerate(entries):
            original = validate_file("spend", entry["file"], base=BASE, publisher=entry["gss_code"])
            (Path(folder) / str(n)).mkdir()
            path = welsh_only(entry, Path(folder) / str(n))
            report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
            same = report.rows_loaded == original.rows_loaded and report.valid == original.valid
            rows["same" if same else "differ"] += 1
            if not same:
                print(f"  {entry['path']}: {report.rows_loaded} lines loaded against {original.rows_loaded}")
            for field in original.columns:
                tried[field] += 1
                kept[field] += field in report.columns
    print(f"{args.manifest}: {len(entries)} spend files, {time.perf_counter() - started:.1f} s; "
          f"lines loaded as the original: {rows['same']}/{len(entries)}")
    print(f"{'field':<22} {'kept':>5} {'tried':>6}")
    for field in sorted(tried, key=lambda f: (f in TITLE_ONLY, -tried[f], f)):
        mark = "  (exact English title only)" if field in TITLE_ONLY else ""
        print(f"{field:<22} {kept[field]:>5} {tried[field]:>6}{mark}")
    worded = [f for f in tried if f not in TITLE_ONLY]
    print(f"{'all worded fields':<22} {sum(kept[f] for f in worded):>5} {sum(tried[f] for f in worded):>6}")


if __name__ == "__main__":
    main()
