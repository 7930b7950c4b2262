"""The word list behind establishments' names, and postcode districts: no loaders needed.

Split from ``establishments`` so that what pages read of linking (the register matches
behind the crosswalk) never reaches the loaders (``towns`` reads the register of
councils through ``loaders.councils``; these read only ``loaders/data/linking_words.csv``).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from catalogue.linking.names import fold

WORDS = Path(__file__).resolve().parent.parent.parent / "loaders" / "data" / "linking_words.csv"
_OUTWARD = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}$")


@lru_cache(maxsize=1)
def words() -> dict[str, tuple[str, ...]]:
    """kind (establishment, branch, region) -> phrases, longest first, as folded keys."""
    out: dict[str, list[str]] = defaultdict(list)
    with open(WORDS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            phrase = fold(row["phrase"])
            if phrase:
                out[row["kind"].strip()].append(phrase)
    return {kind: tuple(sorted(set(p), key=lambda w: (-len(w), w))) for kind, p in out.items()}


@lru_cache(maxsize=1)
def _establishment() -> re.Pattern:
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in words()["establishment"]) + r")\b")


def is_establishment(key: str) -> bool:
    """Does the name key read as a local establishment's (school, care home, church, pub...)?"""
    return bool(_establishment().search(key))


def outward(postcode: str) -> str:
    """The postcode district ("LS6" of "LS6 2AB"): roughly a town or a part of a city."""
    match = _OUTWARD.match(postcode.strip().upper())
    return match.group(1) if match else ""
