"""Which character separates a text file's cells: comma, tab, semicolon or pipe.

Councils mostly publish commas, but finance systems also export tab-separated ``.tsv`` and
``.txt`` files, pipe-separated extracts, and semicolon files (a spreadsheet program set to a
European locale). In those files commas stay unquoted inside cells (``£12,345.67``, "Smith,
J & Co"), so the delimiter is not the character that occurs most: it is the one that splits
the file's first rows most *consistently* into one number of cells (more than one), the way
a table is. Quotes are honoured (the ``csv`` module splits each candidate), and a preamble or
a ragged row counts against every candidate alike. When two split every row alike, the one
giving more cells wins (a stray character in one column splits a row in two; a delimiter
splits it into all its columns), and on a full tie the comma: a file is read as RFC 4180
says unless another reading is clearly better.

A mapping's ``dialect.delimiter`` (CSV on the Web) is honoured as stated and never guessed
over (``loaders.read.Records``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

#: Candidates, in the order a tie is settled.
CANDIDATES = (",", "\t", ";", "|")
#: How much of the file's start is looked at (characters), and how many of its rows.
SAMPLE_CHARS = 64 * 1024
SAMPLE_ROWS = 200
#: Names for messages and ``svcat inspect``.
NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}


def detect(sample: str) -> str:
    """The delimiter of a file whose first characters are ``sample`` (comma when in doubt)."""
    if len(sample) >= SAMPLE_CHARS and (cut := sample.rfind("\n")) > 0:
        sample = sample[:cut]  # whole rows only
    best, best_score = ",", (0.0, 0)
    for delimiter in CANDIDATES:
        score = _consistency(sample, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _consistency(sample: str, delimiter: str) -> tuple[float, int]:
    """The share of the sample's non-blank rows that split into the commonest number (> 1) of
    cells on ``delimiter``, and that number."""
    counts = []
    try:
        for cells in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if any(c.strip() for c in cells):
                counts.append(len(cells))
                if len(counts) >= SAMPLE_ROWS:
                    break
    except csv.Error:  # a quote this delimiter cannot explain: not the file's
        return 0.0, 0
    several = Counter(n for n in counts if n > 1)
    if not several:
        return 0.0, 0
    cells, rows = several.most_common(1)[0]
    return rows / len(counts), cells
