"""Payment dates written as other spreadsheets write them: read right, or refused whole.

Every spend file of a manifest (default ``../shared/data/real/manifest.csv``) with a
payment date is rewritten with each date (``tests.variants.dates_rewritten``)

* as a spreadsheet's **day number** (``44713`` for 1 June 2022), and
* **month first** (``06/01/2022``), as a spreadsheet set to US English writes it,

under the same title, and each variant is read and validated by the loaders (no store).
A variant is *kept* when it validates and gives the very triples of the original,
*refused* when validation refuses it whole, and *wrong* when it validates with other
triples (a date read the other way round): that column must stay 0. Prints the counts per
form and the seconds taken.

    .venv/bin/python bench/date_forms.py [--manifest PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.ingest import validate_file  # noqa: E402
from loaders import open_source  # noqa: E402
from tests.conftest import BASE, SHARED_REAL, manifest  # noqa: E402
from tests.golden import row_triples  # noqa: E402
from tests.variants import dates_rewritten  # noqa: E402

FORMS = {
    "day numbers": lambda day, row: str((day - date(1899, 12, 30)).days),
    "month first": lambda day, row: f"{day.month:02d}/{day.day:02d}/{day.year}",
}


def outcome(variant: Path, original: Path, gss: str) -> str:
    if validate_file("spend", variant, base=BASE, publisher=gss).violations:
        return "refused"
    same = row_triples("spend", variant, publisher=gss) == row_triples("spend", original, publisher=gss)
    return "kept" if same else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=SHARED_REAL / "manifest.csv")
    args = parser.parse_args()
    entries = [e for e in manifest(args.manifest.parent, "spend")
               if "date" in open_source("spend", e["file"], base=BASE, publisher=e["gss_code"]).table.fields]
    started = time.perf_counter()
    counts = {form: Counter() for form in FORMS}
    with tempfile.TemporaryDirectory() as folder:
        for entry in entries:
            for form, write in FORMS.items():
                variant, _ = dates_rewritten(entry["file"], entry["gss_code"], Path(folder), write)
                result = outcome(variant, entry["file"], entry["gss_code"])
                counts[form][result] += 1
                if result != "kept":
                    print(f"  {form}: {entry['path']} {result}")
    print(f"{args.manifest}: {len(entries)} spend files with a payment date, {time.perf_counter() - started:.1f} s")
    print(f"{'form':<14} {'kept':>5} {'refused':>8} {'wrong':>6}")
    for form, c in counts.items():
        print(f"{form:<14} {c['kept']:>5} {c['refused']:>8} {c['wrong']:>6}")


if __name__ == "__main__":
    main()
