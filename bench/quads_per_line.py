"""Quads per payment line: what a spend load writes into its dataset's graph, per line.

    python bench/quads_per_line.py                       # the DEV spend files
    python bench/quads_per_line.py --manifest tests/data/real/manifest.csv

Every spend file of the manifest goes through the very stream a load writes
(``catalogue.ingest.stream.RowStream``: the preamble, each row's triples, shared
descriptions once, ``sv:rowDigest``, the summary observations), into no store. Distinct
triples are counted per predicate and divided by the lines loaded (issue 22: at most
10 per line, no fact lost). Refused files are listed and left out of the figure.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.ingest.load import open_checked  # noqa: E402
from catalogue.ingest.stream import RowStream  # noqa: E402
from catalogue.vocab import RDF, compact  # noqa: E402
from loaders.report import LoadReport  # noqa: E402

DEV = ROOT.parent.parent / "shared" / "data" / "real" / "manifest.csv"
BASE = "https://data.example.gov.uk/"
SUMMARY = "(summary observations)"


def file_quads(path: Path, publisher: str | None) -> tuple[int, Counter, str | None]:
    """(lines loaded, distinct triples by predicate, why refused or None) for one spend file."""
    report = LoadReport(file=str(path), kind="spend")
    source = open_checked("spend", path, report, base=BASE, publisher=publisher)
    if source is None:
        return 0, Counter(), report.fatal
    triples: set[str] = set()
    summary: set[str] = set()
    stream = RowStream(source, report, BASE + "graph/bench")
    if stream.summary is not None:
        stream.summary = _Captured(stream.summary, summary)
    for chunk in stream.chunks():
        triples.update(chunk.decode("utf-8").splitlines())
    if report.fatal or report.violations:
        return 0, Counter(), report.fatal or f"{report.violations} violations"
    counts = Counter(line.split(" ", 2)[1] for line in triples - summary if line)
    counts[SUMMARY] = len(summary)
    return report.rows_loaded, counts, None


class _Captured:
    """The stream's summary, noting the observation triples it hands back."""

    def __init__(self, summary, into: set[str]):
        self._summary, self._into = summary, into

    def add(self, facts) -> None:
        self._summary.add(facts)

    def triples(self, *args):
        for triples in self._summary.triples(*args):
            self._into.update(f"{s} {p} {o} ." for s, p, o in triples)
            yield triples


def short(predicate: str) -> str:
    text = predicate.strip("<>")
    return "a" if text == str(RDF.type) else compact(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=DEV if DEV.exists() else ROOT / "tests/data/real/manifest.csv")
    args = parser.parse_args()
    lines, totals = 0, Counter()
    with args.manifest.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("kind") != "spend":
                continue
            n, counts, refused = file_quads(args.manifest.parent / row["path"], row.get("gss_code") or None)
            if refused:
                print(f"refused: {row['path']}: {refused}")
                continue
            lines += n
            totals += counts
            print(f"{row['path']}: {n} lines, {(sum(counts.values()) - counts[SUMMARY]) / max(n, 1):.2f} "
                  f"quads per line (+{counts[SUMMARY] / max(n, 1):.2f} summary)")
    loader = sum(totals.values()) - totals[SUMMARY]
    print(f"\n{lines} lines: the loader writes {loader} quads, {loader / max(lines, 1):.2f} per line; "
          f"with the summary observations {sum(totals.values()) / max(lines, 1):.2f} per line")
    for predicate, count in totals.most_common():
        print(f"  {short(predicate) if predicate != SUMMARY else SUMMARY:32} {count / max(lines, 1):6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
