"""Links measured on the labelled pairs of real supplier records (tests/data/linking/pairs.csv).

The pairs come from the real files: every pair sharing a company or charity number (the
councils' own statement), every pair sharing a VAT number (judged by hand: a VAT group
covers several companies) and pairs sampled by name similarity plus known hard cases,
judged by hand. The sample files in tests/data/real hold about 150 of the decidable
pairs; `bench/linking.py` measures all of them on every file in ../shared/data/real.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.linking import crosswalk
from catalogue.linking.evaluation import evaluate, from_crosswalk, read_pairs, table
from tests.conftest import BASE

PAIRS = Path(__file__).parent / "data" / "linking" / "pairs.csv"


def test_the_labelled_set_is_well_formed():
    pairs = read_pairs(PAIRS)
    assert len(pairs) > 800
    assert {p.label for p in pairs} == {"same", "different", "undecidable"}
    assert {p.source for p in pairs} == {"company-number", "charity-number", "vat-number", "hand"}
    assert all(p.label == "same" for p in pairs if p.source in ("company-number", "charity-number"))
    hard = [p for p in pairs if p.source == "hand" and p.label == "different" and "subsidiar" in p.note]
    assert len(hard) >= 15  # group subsidiaries: similar names, different companies


def test_precision_and_recall_on_the_pairs_the_sample_files_hold(linked_store):
    organisation, method = from_crosswalk(crosswalk.rows(linked_store, BASE))
    present = [p for p in read_pairs(PAIRS) if p.a in organisation and p.b in organisation]
    result = evaluate(present, organisation, method)
    decidable = result.overall.tp + result.overall.fp + result.overall.fn + result.overall.tn
    assert decidable >= 140, table(result)
    assert result.overall.precision >= 0.98, table(result)
    assert result.overall.recall >= 0.90, table(result)
    assert result.by_source["company-number"].recall == 1.0  # identifiers always win
