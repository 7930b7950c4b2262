"""Our links against Splink (probabilistic record linkage, Fellegi-Sunter) on the same pairs.

    pip install -e '.[bench]'          # Splink and DuckDB: the bench only, never the service
    python bench/linking_splink.py --store PATH [--threshold 0.9]

``PATH`` is a store holding the real files (``python bench/linking.py --store PATH``).
The same supplier records are linked twice: by ``cluster_records`` (what ``svcat link``
does) and by Splink with the DuckDB backend, given the same inputs ours gets: the
normalised name, its first word, the council, the company, charity and VAT numbers and
the postcode. Splink's model is trained as its documentation recommends (random
sampling for u, expectation maximisation blocked on name and on identifiers), then its
pairwise predictions are clustered at a match probability (``--threshold``; every
threshold of a grid is also printed, so Splink gets its best one). Both are scored on
tests/data/linking/pairs.csv; leave-one-council-out figures for ours are printed by
``bench/linking_threshold.py``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.linking.cluster import cluster_records  # noqa: E402
from catalogue.linking.evaluation import Scores, evaluate, read_pairs  # noqa: E402
from catalogue.linking.names import parse  # noqa: E402
from catalogue.linking.records import read_records, records_by_council_name  # noqa: E402
from catalogue.linking.run import council_index  # noqa: E402
from catalogue.store import open_store  # noqa: E402

BASE = "https://data.example.gov.uk/"
PAIRS = ROOT / "tests" / "data" / "linking" / "pairs.csv"
COLUMNS = ("unique_id", "council", "name", "first_word", "company", "charity", "vat", "postcode")


def rows_for_splink(records) -> list[dict]:
    out = []
    for iri, r in records.items():
        key = parse(r.name).key if r.name else ""
        out.append({"unique_id": iri, "council": r.council, "name": key or None,
                    "first_word": key.split()[0] if key else None,
                    "company": min(r.company_numbers, default=None), "charity": min(r.charity_numbers, default=None),
                    "vat": min(r.vat_numbers, default=None), "postcode": min(r.postcodes, default=None)})
    return out


def splink_clusters(records, thresholds: list[float]) -> dict[float, dict[str, int]]:
    """Record IRI -> cluster number, for each match-probability threshold."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    folder = Path(tempfile.mkdtemp(prefix="svcat-splink-"))
    path = folder / "records.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows_for_splink(records))
    db = DuckDBAPI()
    table = db.register_from_csv(str(path))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.97, 0.92, 0.85]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("company"), cl.ExactMatch("charity"), cl.ExactMatch("vat"),
            cl.PostcodeComparison("postcode"), cl.ExactMatch("council"),
        ],
        blocking_rules_to_generate_predictions=[block_on("first_word"), block_on("company"),
                                                block_on("charity"), block_on("vat")],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match([block_on("name"), block_on("company")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_word"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("company"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("vat"))
    predictions = linker.inference.predict(threshold_match_probability=min(thresholds))
    out = {}
    for t in thresholds:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold_match_probability=t)
        out[t] = {row["unique_id"]: row["cluster_id"] for row in clusters.as_record_list()}
    return out


def scored(records, cluster_of: dict[str, object], pairs) -> Scores:
    refs = records_by_council_name(records)
    org = {ref: cluster_of.get(iri, iri) for ref, iri in refs.items()}
    return evaluate(pairs, org, {ref: "any" for ref in refs}).overall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--threshold", type=float, default=0.9, help="Splink's match probability to cluster at")
    args = parser.parse_args()
    with open_store(args.store, "read") as store:
        records = read_records(store, BASE)
    pairs = [p for p in read_pairs(PAIRS) if p.label in ("same", "different")]
    started = time.perf_counter()
    clustering = cluster_records(records, None, council_index().find)
    ours_s = time.perf_counter() - started
    ours = scored(records, {m: n for n, ms in enumerate(clustering.clusters) for m in ms}, pairs)
    grid = sorted({args.threshold, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999})
    started = time.perf_counter()
    theirs = splink_clusters(records, grid)
    splink_s = time.perf_counter() - started
    print(f"\n{len(records):,} supplier records; {len(pairs)} decidable labelled pairs\n")
    print(f"{'linker':32} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>7} {'F1':>6} {'seconds':>8}")

    def line(label, s, seconds=""):
        print(f"{label:32} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>10.3f} {s.recall:>7.3f} {s.f1:>6.3f} {seconds:>8}")
    line("svcat (cluster_records)", ours, f"{ours_s:.1f}")
    for t in grid:
        line(f"Splink, match probability {t}", scored(records, theirs[t], pairs),
             f"{splink_s:.1f}" if t == args.threshold else "")


if __name__ == "__main__":
    main()
