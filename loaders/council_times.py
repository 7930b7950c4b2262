"""Councils through time: which council existed on a date, from the register of councils.

Local government in England is reorganised by statutory orders: on 1 April 2023 the
North Yorkshire (Structural Changes) Order 2022 made North Yorkshire County Council
(E10000023) the unitary North Yorkshire Council (E06000065) and abolished the seven
districts, Harrogate (E07000165) among them. A payment made in 2015 to "North Yorkshire
County Council" was made to E10000023, not to a council that did not exist until 2023;
a supplier in Harrogate paid by Harrogate Borough Council in 2015 is local to it, though
today's postcode directory puts its postcode in E06000065.

``loaders/data/council_changes.csv`` holds each change: predecessor, successor, the
successor's first day, how (``merged`` into a new body, ``split`` between several,
``continued`` as the same body under a new code) and the order that made it. The end of
a council is its register row's ``end_date``; its start is the date it succeeded its
predecessors (councils with no predecessors in the file existed before any file we read).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from catalogue.council_areas import CHANGES, Change, read_changes  # the one reader of the changes file
from loaders.councils import register

__all__ = ["CHANGES", "Change", "Succession", "succession"]


class Succession:
    """Predecessors and successors of councils, with dates (see the module docstring)."""

    def __init__(self, changes: list[Change], ends: dict[str, str], short_names: dict[str, str]):
        self.changes = changes
        self._ends = ends  # GSS -> last day, for abolished councils
        self._short = short_names
        self._after: dict[str, list[Change]] = defaultdict(list)
        self._before: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            self._after[change.predecessor].append(change)
            self._before[change.successor].append(change)

    def start(self, gss: str) -> str | None:
        """The first day of a council created by a change, else ``None`` (existed before)."""
        return min((c.date for c in self._before.get(gss, ())), default=None)

    def end(self, gss: str) -> str | None:
        return self._ends.get(gss)

    def existed(self, gss: str, on: str) -> bool:
        start, end = self.start(gss), self.end(gss)
        return (start is None or on >= start) and (end is None or on <= end)

    def successors(self, gss: str) -> list[Change]:
        return list(self._after.get(gss, ()))

    def predecessors(self, gss: str) -> list[Change]:
        return list(self._before.get(gss, ()))

    def on(self, gss: str, date: str | None) -> str:
        """The council that, on ``date``, was the body a name resolving to ``gss`` meant.

        Before ``gss`` existed: the predecessor it continues, else the one predecessor with
        its short name ("North Yorkshire Council" in 2015 is North Yorkshire County
        Council). After it ended: its one successor (a split leaves it as it was).
        Otherwise, or when nothing settles it, ``gss`` itself."""
        for _ in range(4):  # a chain of changes (Taunton Deane -> SW&T -> Somerset) is short
            if not date or self.existed(gss, date[:10]):
                return gss
            start = self.start(gss)
            if start and date[:10] < start:
                before = self.predecessors(gss)
                chosen = [c for c in before if c.how == "continued"] or \
                    [c for c in before if self._short.get(c.predecessor) == self._short.get(gss)]
                if len(chosen) != 1:
                    return gss
                gss = chosen[0].predecessor
            else:
                after = self.successors(gss)
                if len({c.successor for c in after}) != 1:
                    return gss
                gss = after[0].successor
        return gss

    def same_area(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` are one council or one succeeded (part of) the other:
        the area of an abolished district lies within its successor's."""
        return a == b or b in self._descendants(a) or a in self._descendants(b)

    def _descendants(self, gss: str) -> set[str]:
        out, todo = set(), [gss]
        while todo:
            for change in self._after.get(todo.pop(), ()):
                if change.successor not in out:
                    out.add(change.successor)
                    todo.append(change.successor)
        return out


@lru_cache(maxsize=1)
def succession() -> Succession:
    """The changes in ``council_changes.csv`` and the register's end dates."""
    changes = list(read_changes())
    councils = register().councils
    return Succession(changes, {c.gss: c.end_date for c in councils if c.end_date},
                      {c.gss: c.short_name for c in councils})
