"""Public bodies among suppliers: councils from the register, and names of kinds of public body.

Councils pay councils (shared services, pooled budgets, business rates), NHS bodies,
police, HMRC, schools. ``CouncilIndex`` recognises a council however a finance system
spells it ("Calderdale MBC", "KIRKLEES METROPOLITAN COUNCIL", "EAST DEVON DIST
COUNCIL(RATES)") from the names and aliases in the register of councils, which the
caller passes in (the register lives with the loaders). ``public_body_pattern`` names the
kind of other public bodies from words in the name, and ``public_scheme`` from an org-id
identifier's scheme, both read from one data file (``data/public_bodies.csv``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from catalogue.linking.names import ParsedName, parse

_COUNCIL_WORDS = {"dist": "district", "boro": "borough", "met": "metropolitan", "coun": "council", "cncl": "council",
                  "mdc": "metropolitan district council", "dc": "district council",
                  "cc": "county council", "bc": "borough council"}
_KINDS = ("council", "city council", "borough council", "county council", "district council",
          "metropolitan borough council", "metropolitan district council", "metropolitan council",
          "metropolitan", "borough", "city", "county council the")

#: The one statement of how public bodies are recognised: name patterns (over the name
#: key), words of schools that are not state schools, and org-id schemes of public bodies.
DATA = Path(__file__).resolve().parent / "data" / "public_bodies.csv"


@dataclass(frozen=True)
class Pattern:
    pattern: re.Pattern
    kind: str
    confidence: float
    #: The law reserves such names to public bodies (sensitive words), so a charity number
    #: published beside one is its linked charity's, not its own.
    protected: bool


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[Pattern, ...], re.Pattern, dict[str, Pattern], re.Pattern]:
    names, schemes, not_school, not_body = [], {}, [], []
    with open(DATA, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["match"] in ("not_school", "not_body"):
                (not_school if row["match"] == "not_school" else not_body).append(row["pattern"])
                continue
            entry = Pattern(re.compile(row["pattern"]), row["kind"], float(row["confidence"]),
                            row["protected"] == "yes")
            if row["match"] == "scheme":
                schemes[row["pattern"]] = entry
            else:
                names.append(entry)
    return tuple(names), re.compile("|".join(not_school)), schemes, re.compile("|".join(not_body))


def public_scheme(org_id: str) -> Pattern | None:
    """The public-body scheme an org-id identifier belongs to (``GB-LAE-TRF``), if any."""
    return next((p for prefix, p in _table()[2].items() if org_id.startswith(prefix)), None)


class CouncilIndex:
    """Recognise councils of the register in supplier names, as they were on a date.

    A name the register gives a council (official, short or alias) wins over a spelling
    derived from another council's name: "North Yorkshire County Council" is E10000023,
    though "North Yorkshire Council" (E06000065) could be spelt that way. ``on`` maps a
    council and a date to the council that existed then (``loaders.council_times``)."""

    def __init__(self, councils: Iterable[tuple[str, Iterable[str]]],
                 on: Callable[[str, str | None], str] | None = None):
        """``councils``: (GSS code, names: official name, short name, aliases)."""
        self._exact: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self._on = on
        for gss, names in councils:
            for name in names:
                variants = self._variants(name)
                if exact := _council_key(parse(name).key):
                    self._exact.setdefault(exact, gss)
                for key in variants:
                    self._by_key.setdefault(key, gss)

    @staticmethod
    def _variants(name: str) -> set[str]:
        key = _council_key(parse(name).key)
        if not key:
            return set()
        out = {key}
        stem = re.sub(r"^(city of|royal borough of|london borough of|borough of|county of)\s+", "", key)
        stem = re.sub(r"\s+(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")$", "", stem)
        if stem and stem != key:
            out |= {f"{stem} {kind}" for kind in _KINDS if "council" in kind}
            out |= {f"city of {stem} council", f"{stem} metropolitan district council"}
        return out

    def find(self, parsed: ParsedName, on: str | None = None) -> str | None:
        """The GSS code of the council the name stands for (the one that existed ``on`` an
        ISO date, when given), or ``None``."""
        gss = self._find(parsed)
        return self._on(gss, on) if gss and on and self._on else gss

    def _find(self, parsed: ParsedName) -> str | None:
        keys = []
        for candidate in (parsed.key, parsed.core):
            key = _council_key(candidate)
            keys.append(key)
            if " council" in key:  # "leeds city council int", "north devon council ac 03953785"
                keys.append(key[:key.index(" council") + len(" council")])
        for table in (self._exact, self._by_key):
            for key in keys:
                if key in table:
                    return table[key]
        return None

    def __len__(self) -> int:
        return len(self._by_key)


def _council_key(key: str) -> str:
    return " ".join(_COUNCIL_WORDS.get(t, t) for t in key.split() if t != "the")


def public_body_pattern(parsed: ParsedName) -> Pattern | None:
    """The kind of public body the name says it is (with how sure, and whether the name is
    one the law reserves to public bodies), else ``None``.

    A name that merely contains a public body's name is not that body: a word of another
    kind of establishment outside the words that matched ("X University Nursery", "NHS
    Street Dental Practice", a students' union, a trading company) makes it that
    establishment (``not_body`` in the data file), and a university is named only by a
    name that ends in "University" or is "University of" a place."""
    key = parsed.key
    if parsed.forms & {"plc", "llp", "cic"}:
        return None
    names, not_school, _, not_body = _table()
    for entry in names:
        found = entry.pattern.search(key) or entry.pattern.search(parsed.core)
        if not found:
            continue
        text = found.string  # a pattern of a whole name (``^...$``) leaves no words outside it
        outside = text if entry.pattern.pattern.startswith("^") else f"{text[:found.start()]} {text[found.end():]}"
        if not_body.search(outside):
            continue
        if entry.kind == "state school or academy":
            trust = re.search(r"\bacadem(y|ies) trust\b|\bmulti academy\b", key)
            if not_school.search(key) or ("ltd" in parsed.forms and not trust):
                continue
        elif "ltd" in parsed.forms:
            continue
        return entry
    return None


def public_body_kind(parsed: ParsedName) -> tuple[str, float] | None:
    """(kind of public body, confidence) when the name is a kind of public body."""
    entry = public_body_pattern(parsed)
    return (entry.kind, entry.confidence) if entry else None
