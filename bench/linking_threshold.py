"""Choose the scored-name threshold on the labelled pairs, and check it holds on unseen councils.

    python bench/linking_threshold.py --store PATH [--thresholds 0.6,0.65,...] [--mistakes T]

``PATH`` is a store holding the real files (``python bench/linking.py --store PATH``
makes one). The supplier records are read once; then for each threshold the records
are clustered again (``cluster_records(threshold=...)``) and the links scored on
tests/data/linking/pairs.csv: precision, recall and F1 for every threshold, and the
number of pairs the scored-name method decided.

Then leave-one-council-out: for each council, the threshold is chosen on the pairs
that do not involve that council (the highest F1 with precision >= 0.98) and scored on
the pairs that do; the held-out figures are summed over councils. A threshold that only
works for the councils it was chosen on shows up here as a drop.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.linking.cluster import cluster_records  # noqa: E402
from catalogue.linking.evaluation import Scores, evaluate, read_pairs  # noqa: E402
from catalogue.linking.records import read_records, records_by_council_name  # noqa: E402
from catalogue.linking.run import council_index  # noqa: E402
from catalogue.linking.similarity import SCORE_THRESHOLD  # noqa: E402
from catalogue.store import open_store  # noqa: E402

BASE = "https://data.example.gov.uk/"
PAIRS = ROOT / "tests" / "data" / "linking" / "pairs.csv"
GRID = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)


def predictions(records, threshold: float, councils) -> tuple[dict, dict]:
    """(council, name, id) -> cluster number, and -> link method, at this threshold."""
    clustering = cluster_records(records, None, councils, threshold=threshold)
    cluster_of = {iri: n for n, members in enumerate(clustering.clusters) for iri in members}
    refs = records_by_council_name(records)
    return ({ref: cluster_of[iri] for ref, iri in refs.items()},
            {ref: clustering.links[iri].method for ref, iri in refs.items()})


def choose(results: dict[float, Scores]) -> float:
    """The threshold with the best F1 among those with precision >= 0.98 (else the best precision)."""
    good = [t for t, s in results.items() if s.precision >= 0.98]
    if good:
        return max(good, key=lambda t: (results[t].f1, t))
    return max(results, key=lambda t: (results[t].precision, t))


def line(label: str, s: Scores) -> str:
    return (f"{label:>10} {s.tp + s.fp + s.fn + s.tn:>6} {s.tp:>5} {s.fp:>5} {s.fn:>5} "
            f"{s.precision:>10.3f} {s.recall:>7.3f} {s.f1:>6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a store holding the real files (see bench/linking.py)")
    parser.add_argument("--thresholds", default=",".join(str(t) for t in GRID))
    parser.add_argument("--mistakes", type=float, help="list the mistakes at this threshold")
    args = parser.parse_args()
    grid = [float(t) for t in args.thresholds.split(",")]
    with open_store(args.store, "read") as store:
        records = read_records(store, BASE)
    councils = council_index().find
    pairs = [p for p in read_pairs(PAIRS) if p.label in ("same", "different")]
    runs = {t: predictions(records, t, councils) for t in grid}
    print(f"{len(records):,} supplier records; {len(pairs)} decidable labelled pairs; "
          f"threshold in use: {SCORE_THRESHOLD}\n")
    print(f"{'threshold':>10} {'pairs':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>7} {'F1':>6}"
          "  scored-name pairs (TP/FP)")
    overall = {}
    for t, (org, method) in runs.items():
        result = evaluate(pairs, org, method)
        overall[t] = result.overall
        scored = result.by_method.get("scoredName", Scores())
        print(line(f"{t:.2f}", result.overall) + f"  {scored.tp}/{scored.fp}")
    print(f"\nChosen on all pairs: {choose(overall):.2f}")

    print("\nLeave one council out (threshold chosen without the council, scored on its pairs):")
    councils_seen = sorted({c for p in pairs for c in (p.a[0], p.b[0])})
    held = Scores()
    for council in councils_seen:
        inside = [p for p in pairs if council in (p.a[0], p.b[0])]
        outside = [p for p in pairs if council not in (p.a[0], p.b[0])]
        chosen = choose({t: evaluate(outside, *runs[t]).overall for t in grid})
        s = evaluate(inside, *runs[chosen]).overall
        for name in ("tp", "fp", "fn", "tn"):
            setattr(held, name, getattr(held, name) + getattr(s, name))
        print(line(council, s) + f"  threshold {chosen:.2f}")
    print(line("held out", held) + "  (pairs between two councils count once for each)")
    if args.mistakes is not None:
        result = evaluate(pairs, *predictions(records, args.mistakes, councils))
        for kind, pair, how in result.mistakes:
            print(f"  {kind:12} {how:11} {pair.a[0]} {pair.a[1]!r} | {pair.b[0]} {pair.b[1]!r} {pair.note}")


if __name__ == "__main__":
    main()
