"""How often a field keeps its column when the column is retitled as another council would.

For every spend file of a manifest (default ``../shared/data/real/manifest.csv``) the
columns the loader found for the type of spend, the service and the transaction reference
are retitled, one title at a time, with ``tests.variants.SECONDARY_TITLES``; each variant is
read by the loaders (no store) and counted as kept when the field is still on that column.
Prints kept / tried per field, the misses per council and the titles missed most, and the
seconds taken. ``tests/test_recognise_secondary.py`` holds the same count on the repository
copies as a floor.

    .venv/bin/python bench/recognition_variants.py [--manifest PATH]
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

from loaders import open_source  # noqa: E402
from tests.conftest import BASE, SHARED_REAL, manifest  # noqa: E402
from tests.variants import SECONDARY_TITLES, Original, retitled  # noqa: E402


def fields_of(path: Path, gss: str) -> tuple[dict[str, int], Original]:
    source = open_source("spend", path, base=BASE, publisher=gss)
    table = source.table
    return dict(table.fields), Original(Path(path), source.info.encoding, table.header_row, dict(table.fields))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=SHARED_REAL / "manifest.csv")
    args = parser.parse_args()
    entries = manifest(args.manifest.parent, "spend")
    started = time.perf_counter()
    kept, tried = Counter(), Counter()
    councils: dict[str, Counter] = {f: Counter() for f in SECONDARY_TITLES}
    titles: dict[str, Counter] = {f: Counter() for f in SECONDARY_TITLES}
    with tempfile.TemporaryDirectory() as folder:
        variant = Path(folder) / "variant.csv"
        for entry in entries:
            fields, original = fields_of(entry["file"], entry["gss_code"])
            for field, alternatives in SECONDARY_TITLES.items():
                if field not in fields:
                    continue
                for title in alternatives:
                    variant.write_text(retitled(original, fields[field], title), encoding="utf-8", newline="")
                    got, _ = fields_of(variant, entry["gss_code"])
                    tried[field] += 1
                    if got.get(field) == fields[field]:
                        kept[field] += 1
                    else:
                        councils[field][entry["path"].split("/")[0]] += 1
                        titles[field][title] += 1
    print(f"{len(entries)} spend files of {args.manifest}, {time.perf_counter() - started:.1f} s")
    print(f"{'field':<14} {'kept':>5} {'tried':>6} {'share':>6}  misses by council; titles missed most")
    for field in SECONDARY_TITLES:
        share = kept[field] / tried[field] if tried[field] else 0.0
        print(f"{field:<14} {kept[field]:>5} {tried[field]:>6} {share:>6.1%}  "
              f"{dict(councils[field].most_common())}; {[t for t, _ in titles[field].most_common(4)]}")


if __name__ == "__main__":
    main()
