"""Row digests kept compactly, so that a load's memory does not grow with its file.

Every written row has a digest: 16 hex digits of a hash of its cells (see
``catalogue.ingest.stream.row_digest``), stored a chunk of rows to one ``sv:rowDigests`` literal. A reload compares the new version's digests with the
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
        """The digests in a SPARQL TSV result (space-separated in each literal, maybe typed)."""
        return cls(int(m, 16) for m in _HEX16.findall(body))

    def changes(self, old: RowDigests) -> tuple[int, int]:
        """``(added, removed)``: distinct rows here and not in ``old``, and the reverse."""
        new, before = self.distinct(), old.distinct()
        return len(np.setdiff1d(new, before, assume_unique=True)), len(np.setdiff1d(before, new, assume_unique=True))


class TripleHashes:
    """Hashes of the shared-description triples a load writes, to count them distinct.

    Descriptions (suppliers, concepts, payments) may be written more than once in a file
    (``catalogue.ingest.stream`` forgets old ones to bound its memory), and a graph is a set. One
    signed 64-bit hash a triple, 8 bytes, where a ``set`` of them costs about 60: a
    5,000,000-line file's 10,000,000 payment triples take 80 MB here, and are counted
    distinct once, with numpy, after the rows. Python's string hashes are 64-bit; the
    chance of two of ten million distinct triples colliding is about 3 in a million.
    Beyond ``limit`` hashes (64 MB by default, about 4,000,000 spend lines) ``add`` says
    so and the caller counts in the store instead, so memory stays bounded.
    """

    def __init__(self, limit: int = 8_000_000) -> None:
        self._values = array("q")
        self.limit = limit

    def add(self, triples) -> bool:
        """Remember the triples' hashes; False once over the limit (then nothing is kept)."""
        self._values.extend([hash(t) for t in triples])
        if len(self._values) > self.limit:
            self._values = array("q")
            return False
        return True

    def __len__(self) -> int:
        return len(self._values)

    def repeats(self) -> int:
        """How many of the hashes added repeat an earlier one."""
        if not self._values:
            return 0
        return len(self._values) - len(np.unique(np.frombuffer(self._values, dtype=np.int64)))
