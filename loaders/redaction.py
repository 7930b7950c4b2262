"""Redactions wherever a council marks them: which cells say a payee was withheld.

Councils withhold payees' names for data protection in many ways: a name cell saying
"REDACTED - PERSONAL DATA", "Private Individual" or ``*****``, or an empty name whose
supplier id or reference says "Redacted" (Wakefield: 80 lines, £5.18m, which became an
organisation called "Redacted"). The markers are data, in ``data/redaction_markers.csv``
(``marker,match,note``; ``match`` is ``contains`` for words anywhere in the cell,
``whole`` for the whole cell, ``symbols`` for a cell made only of that symbol, three
or more times for letters), so a new council's wording is one line there.

A row is a redaction when its name is empty or a marker and any identifying cell (the
name, supplier id, identifiers or reference) carries a marker. A named supplier whose id
cell carries a marker is that supplier with no id, never a redaction.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

MARKERS = Path(__file__).resolve().parent / "data" / "redaction_markers.csv"
#: Cells that identify a payee: a marker in any of them, with no name, withholds it.
IDENTIFYING = ("supplier_name", "supplier_id", "org_identifier", "company_number", "charity_number",
               "vat_number", "invoice", "transaction")


@lru_cache(maxsize=1)
def marker_pattern() -> re.Pattern:
    """One regular expression made of every marker in the data file."""
    parts = []
    with open(MARKERS, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            marker, match = (row.get("marker") or "").strip().lower(), (row.get("match") or "").strip()
            if not marker:
                raise ValueError(f"{MARKERS} row {number}: column marker is empty; give the marker's text")
            words = r"\s+".join(re.escape(w) for w in marker.split())
            if match == "contains":
                parts.append(words)
            elif match == "whole":
                parts.append(rf"^\s*{words}\s*$")
            elif match == "symbols":
                repeat = "{3,}" if marker.isalnum() else "+"
                parts.append(rf"^\W*(?:{re.escape(marker)}){repeat}\W*$")
            else:
                raise ValueError(f"{MARKERS} row {number}: column match is {match!r}; use contains, whole "
                                 "or symbols")
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=65536)
def is_marker(cell: str) -> bool:
    """True for a cell that stands for a withheld value ("REDACTED", "Personal Data", ``*****``)."""
    return bool(cell) and bool(marker_pattern().search(cell))


def withheld(name: str, values: Mapping[str, str]) -> str | None:
    """The marker that withholds this row's payee, or ``None`` when the row names one.

    ``name`` is the row's cleaned supplier name; ``values`` its canonical cells.
    """
    if name and not is_marker(name):
        return None
    for field in IDENTIFYING:
        cell = (values.get(field) or "").strip()
        if cell and is_marker(cell):
            return cell
    return None
