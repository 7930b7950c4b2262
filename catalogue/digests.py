"""Row digests kept compactly, so that a load's memory does not grow with its file.

Every written row carries ``sv:rowDigest``: 16 hex digits of a hash of its cells (see
``catalogue.stream.row_digest``). A reload compares the new version's digests with the
old one's to say how many rows were added and removed (``catalogue.history``). Kept as a
Python ``set`` of strings that costs about 100 bytes a row (500 MB at 5M rows); kept
here as unsigned 64-bit integers in an ``array``, 8 bytes a row, and compared with
numpy's sorted-set operations only when a reload needs them.
"""

from __future__ import annotations

import re
from array import array

import numpy as np

_HEX16 = re.compile(rb"[0-9a-f]{16}")


class RowDigests:
    """The (possibly repeated) digests of the rows of one dataset version."""

    def __init__(self, values=None) -> None:
        self._values = array("Q", values or ())

    def add(self, digest: str) -> None:
        self._values.append(int(digest, 16))

    def distinct(self) -> np.ndarray:
        return np.unique(np.frombuffer(self._values, dtype=np.uint64)) if self._values else \
            np.empty(0, dtype=np.uint64)

    def __len__(self) -> int:
        """How many distinct rows (by content)."""
        return len(self.distinct())

    def __contains__(self, digest: str) -> bool:
        return int(digest, 16) in self._values

    @classmethod
    def from_tsv(cls, body: bytes) -> RowDigests:
        """The digests in a SPARQL TSV result (one per line, quoted, maybe typed)."""
        return cls(int(m, 16) for m in _HEX16.findall(body))

    def changes(self, old: RowDigests) -> tuple[int, int]:
        """``(added, removed)``: distinct rows here and not in ``old``, and the reverse."""
        new, before = self.distinct(), old.distinct()
        return len(np.setdiff1d(new, before, assume_unique=True)), len(np.setdiff1d(before, new, assume_unique=True))
