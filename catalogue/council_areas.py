"""Council areas through time: which council's area a place lies in, across reorganisations.

Local government in England is reorganised by statutory orders (the North Yorkshire
(Structural Changes) Order 2022 abolished Harrogate, E07000165, into North Yorkshire
Council, E06000065, on 1 April 2023). A postcode directory places a postcode in the
district of its edition: an older edition says Harrogate, a newer one North Yorkshire.
"Local supplier" asks whether the supplier's place lies in the paying council's area,
and a council pays only while it exists, so:

- a place in an abolished district lies in its successor's area (for the successor's
  payments, all after the change) when the district went whole into it (``merged`` or
  ``continued``);
- a place in a successor lies in a predecessor's area (for the predecessor's payments,
  all before the change) only when the successor continues that one body under a new
  code; a place in a merged successor may lie in any of its predecessors, so whether it
  lay in one of them is unknown.

The changes are reference data beside the register of councils
(``loaders/data/council_changes.csv``: predecessor, successor, the successor's first
day, how, the order). This module reads only that file, so pages, linking and analysis
can ask it without reaching the loaders (``loaders.council_times`` builds the dated
succession of bodies on it).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CHANGES = Path(__file__).resolve().parent.parent / "loaders" / "data" / "council_changes.csv"
WHOLE = ("merged", "continued")  # ways a predecessor's whole area passes to one successor


@dataclass(frozen=True)
class Change:
    predecessor: str
    successor: str
    date: str  # the successor's first day (ISO)
    how: str  # merged | split | continued
    legislation: str


def read_changes(path: Path = CHANGES) -> tuple[Change, ...]:
    """Every change in the file, as written."""
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(Change(r["predecessor"].strip(), r["successor"].strip(), r["date"].strip(), r["how"].strip(),
                            r["legislation"].strip()) for r in csv.DictReader(handle))


@lru_cache(maxsize=1)
def _after() -> dict[str, tuple[Change, ...]]:
    out: dict[str, list[Change]] = defaultdict(list)
    for change in read_changes():
        out[change.predecessor].append(change)
    return {k: tuple(v) for k, v in out.items()}


def _whole_into(gss: str) -> set[str]:
    """The councils whose area wholly contains ``gss``'s, by changes that passed it whole."""
    out, todo = set(), [gss]
    while todo:
        for change in _after().get(todo.pop(), ()):
            if change.how in WHOLE and change.successor not in out:
                out.add(change.successor)
                todo.append(change.successor)
    return out


def _continued_by(gss: str) -> set[str]:
    """The codes the same body took later (``continued`` changes only)."""
    out, todo = set(), [gss]
    while todo:
        for change in _after().get(todo.pop(), ()):
            if change.how == "continued" and change.successor not in out:
                out.add(change.successor)
                todo.append(change.successor)
    return out


def within(place: str, council: str) -> bool | None:
    """Whether a place the postcode directory puts in area ``place`` (GSS) lies in
    ``council``'s area: ``True``, ``False``, or ``None`` when the changes leave it unknown
    (see the module docstring)."""
    if not place or not council:
        return None
    if place == council or council in _whole_into(place) or place in _continued_by(council):
        return True
    if place in _whole_into(council) or place in _descendants(council) or council in _descendants(place):
        return None  # one's area is part of the other's (a merged successor, a split)
    return False


def _descendants(gss: str) -> set[str]:
    out, todo = set(), [gss]
    while todo:
        for change in _after().get(todo.pop(), ()):
            if change.successor not in out:
                out.add(change.successor)
                todo.append(change.successor)
    return out
