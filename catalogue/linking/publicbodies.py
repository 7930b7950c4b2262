"""Public bodies among suppliers: councils from the register, and names of kinds of public body.

Councils pay councils (shared services, pooled budgets, business rates), NHS bodies,
police, HMRC, schools. ``CouncilIndex`` recognises a council however a finance system
spells it ("Calderdale MBC", "KIRKLEES METROPOLITAN COUNCIL", "EAST DEVON DIST
COUNCIL(RATES)") from the names and aliases in the register of councils, which the
caller passes in (the register lives with the loaders). ``public_body_kind`` names the
kind of other public bodies from words in the name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from catalogue.linking.names import ParsedName, parse

_COUNCIL_WORDS = {"dist": "district", "boro": "borough", "met": "metropolitan", "coun": "council", "cncl": "council",
                  "mdc": "metropolitan district council", "dc": "district council",
                  "cc": "county council", "bc": "borough council"}
_KINDS = ("council", "city council", "borough council", "county council", "district council",
          "metropolitan borough council", "metropolitan district council", "metropolitan council",
          "metropolitan", "borough", "city", "county council the")

#: (pattern over the name key, kind of public body, confidence)
PUBLIC_BODY_PATTERNS: tuple[tuple[re.Pattern, str, float], ...] = tuple(
    (re.compile(pattern), kind, confidence) for pattern, kind, confidence in (
        (r"\bnhs\b|\bnational health service\b|\bclinical commissioning group\b|\bccg\b|"
         r"\bintegrated care board\b|\bprimary care trust\b|\bnhs foundation trust\b", "NHS body", 0.8),
        (r"\bpolice\b|\bconstabulary\b|\bpolice and crime commissioner\b", "police", 0.8),
        (r"\bfire (and|&) rescue\b|\bfire authority\b", "fire and rescue", 0.8),
        (r"\bhm (revenue|courts?|land registry|prison|treasury|passport)\b|\bhmrc\b|\bhmcts\b|\bhmcs\b|"
         r"\bher majestys (courts?|revenue|prison)\b|\bdepartment (for|of)\b|\bministry of\b|\bdvla\b|"
         r"\benvironment agency\b|\bnatural england\b|\bhistoric england\b|\bofsted\b|"
         r"\bgeneral register office\b|\bgen register office\b|\bdisclosure and barring service\b|"
         r"\bprobation\b|\bhighways england\b|\bnational highways\b|\bcare quality commission\b",
         "central government body", 0.8),
        (r"\b(parish|town|borough|district|county|city|metropolitan) council\b|\bparish meeting\b|"
         r"\bcombined authority\b|\bjoint committee\b", "local authority", 0.8),
        (r"\b(primary|infants?|junior|nursery|secondary|high|grammar|special|community) school\b|"
         r"\bacademy( trust)?\b|\bmulti academy\b|\b(c ?of ?e|ce|rc|catholic|methodist|cofe) "
         r"(primary|infant|junior|first|school)\b|\bj and i school\b", "state school or academy", 0.7),
    ))
_NOT_STATE_SCHOOL = re.compile(r"\b(preparatory|prep|independent|private|progressive|montessori|"
                               r"steiner|driving|dance|riding|language|surf|football)\b")


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


def public_body_kind(parsed: ParsedName) -> tuple[str, float] | None:
    """(kind of public body, confidence) when the name is a kind of public body."""
    key = parsed.key
    if parsed.forms & {"plc", "llp", "cic"}:
        return None
    for pattern, kind, confidence in PUBLIC_BODY_PATTERNS:
        if not pattern.search(key):
            continue
        if kind == "state school or academy":
            trust = re.search(r"\bacadem(y|ies) trust\b|\bmulti academy\b", key)
            if _NOT_STATE_SCHOOL.search(key) or ("ltd" in parsed.forms and not trust):
                continue
        elif "ltd" in parsed.forms:
            continue
        return kind, confidence
    return None
