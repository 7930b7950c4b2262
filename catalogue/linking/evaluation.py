"""Precision and recall of links on a labelled set of supplier pairs.

The labelled set (``tests/data/linking/pairs.csv``) names each record as the crosswalk
does: council GSS code, supplier name as published and supplier id. A pair is
``same``, ``different`` or ``undecidable`` (a careful person could not tell; left out
of the figures). A pair is predicted *same* when both records link to one organisation;
it is credited to the weaker of the two records' link methods.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from catalogue.linking.cluster import RANK


@dataclass(frozen=True)
class LabelledPair:
    a: tuple[str, str, str]  # (council, supplier name, supplier id)
    b: tuple[str, str, str]
    label: str  # same | different | undecidable
    source: str  # company-number | charity-number | vat-number | hand
    note: str = ""


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    overall: Scores = field(default_factory=Scores)
    by_method: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    by_source: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    mistakes: list[tuple[str, LabelledPair, str]] = field(default_factory=list)  # (fp|fn, pair, method)
    missing: list[LabelledPair] = field(default_factory=list)  # records not in the store
    labels: Counter = field(default_factory=Counter)


#: Crosswalk method notations -> clustering methods.
NOTATIONS = {"manual": "manual", "company-number": "companyNumber", "charity-number": "charityNumber",
             "vat-number": "vatNumber", "exact-name": "exactName", "fuzzy-name": "fuzzyName", "scored-name": "scoredName",
             "unmatched": "unmatched"}


def from_crosswalk(rows) -> tuple[dict, dict]:
    """(record reference -> organisation, -> method) from crosswalk rows."""
    organisation = {(r[0], r[1], r[2]): r[3] for r in rows if r[3]}
    method = {(r[0], r[1], r[2]): NOTATIONS.get(r[4].split(">=")[0], r[4]) for r in rows if r[3]}
    return organisation, method


def read_pairs(path: str | Path) -> list[LabelledPair]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [LabelledPair((r["council_a"], r["supplier_name_a"], r["supplier_id_a"]),
                             (r["council_b"], r["supplier_name_b"], r["supplier_id_b"]),
                             r["label"], r["source"], r.get("note", ""))
                for r in csv.DictReader(handle)]


def evaluate(pairs: list[LabelledPair], organisation_of: dict[tuple[str, str, str], str],
             method_of: dict[tuple[str, str, str], str]) -> Evaluation:
    """Score the links (record reference -> organisation IRI, and -> link method)."""
    result = Evaluation()
    for pair in pairs:
        result.labels[pair.label] += 1
        if pair.label not in ("same", "different"):
            continue
        org_a, org_b = organisation_of.get(pair.a), organisation_of.get(pair.b)
        if org_a is None or org_b is None:
            result.missing.append(pair)
            continue
        predicted = org_a == org_b
        method = min((method_of.get(pair.a, "unmatched"), method_of.get(pair.b, "unmatched")),
                     key=lambda m: RANK.get(m, 0)) if predicted else "apart"
        for scores in (result.overall, result.by_method[method], result.by_source[pair.source]):
            if predicted and pair.label == "same":
                scores.tp += 1
            elif predicted:
                scores.fp += 1
            elif pair.label == "same":
                scores.fn += 1
            else:
                scores.tn += 1
        if predicted != (pair.label == "same"):
            result.mistakes.append(("false link" if predicted else "missed link", pair, method))
    return result


def table(result: Evaluation) -> str:
    """The figures as a plain-text table."""
    lines = [f"{'':24} {'pairs':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>7} {'F1':>6}"]

    def line(name: str, s: Scores) -> str:
        n = s.tp + s.fp + s.fn + s.tn
        return (f"{name:24} {n:>6} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>10.3f} "
                f"{s.recall:>7.3f} {s.f1:>6.3f}")
    lines.append(line("all decidable pairs", result.overall))
    for method, scores in sorted(result.by_method.items(), key=lambda kv: -RANK.get(kv[0], 0)):
        lines.append(line(f"linked by {method}", scores))
    for source, scores in sorted(result.by_source.items()):
        lines.append(line(f"labelled from {source}", scores))
    return "\n".join(lines)
