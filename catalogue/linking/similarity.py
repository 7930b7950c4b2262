"""Do two name keys name the same organisation? Token alignment on top of rapidfuzz.

Edit distance over whole names cannot tell "Old Earth Primary School" from "Old Earth
Junior School" (close) and accepts "Randstad Solutions" ~ "Randstad Education".
So names are compared word by word: words both names have; words that pair up as a
typo ("ebberly"/"ebberley"), an abbreviation ("nat"/"national", "svcs"/"services") or
initials ("bt"/"british telecommunications"); and words left over, which are *weak*
("uk", "group", "co") or *strong* (everything else, numbers and single letters included).

- ``strict``: no strong word left over on either side (or one name is the other cut
  off by a finance system's field length). What a name alone may link.
- ``containment``: strong words left over on one side only ("Peters" /
  "Peters Bookselling Services"). Enough when the records also share a VAT number or
  the same council's supplier id, never on a name alone.

``Alignment.features`` explains a comparison; reconciliation shows them to users.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

_NOT_INITIALLED = frozenset("and of the for in at".split())
WEAK = frozenset("uk gb group and of the co company ltd limited plc llp england for in at "
                 "mr mrs ms miss dr".split())
#: Between two registered names ("X Group plc" / "X Ltd") these words name different companies.
REGISTERED_STRONG = frozenset({"group"})
#: Field lengths at which finance systems cut names (Devon 32, Trafford 35, Leeds 40).
TRUNCATION_LENGTH = 30
#: The weighted word score two names need to link when their words do not align strictly
#: (``weighted_score``): chosen on the labelled pairs by ``python bench/linking_threshold.py``,
#: which prints precision and recall for each threshold, with leave-one-council-out figures.
SCORE_THRESHOLD = 0.80


@dataclass(frozen=True)
class Alignment:
    common: int  # strong words in both
    paired: int  # typo / abbreviation / initials pairs
    left_a: tuple[str, ...]  # strong words only in a
    left_b: tuple[str, ...]
    ratio: float  # rapidfuzz ratio of the keys, 0..1
    truncated: bool  # one name is the other cut short
    initials: int = 0  # pairs made from initials ("bt" / "british telecommunications")

    @property
    def strict(self) -> bool:
        """Names alone may link: nothing left over, and no word read as initials
        ("Tcs Services" is not "T O B Care Services" without other evidence)."""
        if self.common + self.paired == 0 or self.initials:
            return False
        return self.truncated or not (self.left_a or self.left_b)

    @property
    def containment(self) -> bool:
        if self.common + self.paired == 0:
            return False
        return self.truncated or not (self.left_a and self.left_b)

    @property
    def score(self) -> float:
        """A link score in [0.80, 0.94]: below exact names (0.95) and identifiers."""
        base = 0.80 + 0.14 * self.ratio
        if self.left_a or self.left_b:
            base -= 0.04
        return round(max(0.80, min(0.94, base)), 3)

    def features(self) -> dict[str, float | bool]:
        return {"name_similarity": round(self.ratio, 3), "words_in_common": self.common,
                "words_paired": self.paired, "words_only_in_query": len(self.left_a),
                "words_only_in_candidate": len(self.left_b), "truncated_name": self.truncated}


def _is_abbreviation(short: str, long: str) -> bool:
    """``nat``/``national``, ``svcs``/``services``, ``paymnts``/``payments``, ``telecom``."""
    if len(short) < 3 or len(short) >= len(long) or short[0] != long[0] or short.isdigit():
        return False
    if long.startswith(short):
        return True
    vowels = sum(ch in "aeiou" for ch in short[1:])
    if len(short) == 3 and vowels:  # "tst" for "trust", but not "car" for "childcare"
        return False
    if len(short) >= 4 and short[1] != long[1] and vowels > 1:  # "care" is not short for "childcare"
        return False
    it = iter(long)
    return all(ch in it for ch in short)


def _is_typo(a: str, b: str) -> bool:
    if a.isdigit() or b.isdigit() or min(len(a), len(b)) < 6:  # "horse" is not "house"
        return False
    limit = 2 if min(len(a), len(b)) >= 9 else 1
    return OSA.distance(a, b, score_cutoff=limit) <= limit  # two letters swapped count as one slip


def _pair_initials(initials: list[str], words: list[str]) -> tuple[int, set[int], set[int]]:
    """Pair a token like ``bt`` or ``rnib`` with the run of words it abbreviates."""
    paired, used_i, used_w = 0, set(), set()
    for i, token in enumerate(initials):
        if len(token) < 2 or not token.isalpha():
            continue
        for start in range(len(words)):
            run = [w for w in words[start:start + len(token)]]
            if len(run) == len(token) and "".join(w[0] for w in run) == token \
                    and not used_w & set(range(start, start + len(token))):
                paired += 1
                used_i.add(i)
                used_w |= set(range(start, start + len(token)))
                break
    return paired, used_i, used_w


@lru_cache(maxsize=500_000)
def align(a: str, b: str, published_a: int = 0, published_b: int = 0, registered: bool = False) -> Alignment:
    """Compare two name keys (see ``names.parse``); ``published_*`` are the published lengths.

    ``registered``: both are registered names (with a legal form), so "group"
    counts ("Mears Group plc" is not "Mears Ltd").
    """
    weak = WEAK - REGISTERED_STRONG if registered else WEAK
    if a.replace(" ", "") == b.replace(" ", ""):  # "co lab exeter" / "colab exeter"
        n = len([t for t in a.split() if t not in weak]) or 1
        return Alignment(n, 0, (), (), 1.0, False)
    ta = [t for t in a.split() if t not in weak]
    tb = [t for t in b.split() if t not in weak]
    rest_b = list(tb)
    left_a = []
    common = 0
    for token in ta:
        if token in rest_b:
            rest_b.remove(token)
            common += 1
        else:
            left_a.append(token)
    paired = initials = 0
    for token in list(left_a):
        for other in rest_b:
            if _is_typo(token, other) or _is_abbreviation(token, other) or _is_abbreviation(other, token):
                rest_b.remove(other)
                left_a.remove(token)
                paired += 1
                break
    common_tokens = [t for t in ta if t not in left_a]
    for leftovers in (left_a, rest_b):  # "amz" beside "amazon": a second spelling of a shared word
        leftovers[:] = [t for t in leftovers if not any(
            _is_abbreviation(t, c) or _is_abbreviation(c, t) for c in common_tokens)]
    if left_a and rest_b:
        for shorter, full in ((left_a, b), (rest_b, a)):
            longer = rest_b if shorter is left_a else left_a
            words = [t for t in full.split() if t not in _NOT_INITIALLED]
            n, used_i, used_w = _pair_initials(shorter, words)
            if n:
                paired += n
                initials += n
                shorter[:] = [t for i, t in enumerate(shorter) if i not in used_i]
                gone = [words[i] for i in used_w]
                for word in gone:
                    if word in longer:
                        longer.remove(word)
    ratio = fuzz.ratio(a, b) / 100.0
    return Alignment(common, paired, tuple(left_a), tuple(rest_b), ratio,
                     _truncated(a, b, published_a, published_b), initials)


def _truncated(a: str, b: str, published_a: int, published_b: int) -> bool:
    """One key is the other cut at a field length (the last word may be cut mid-word)."""
    if len(a) > len(b):
        a, b, published_a = b, a, published_b
    if a == b or published_a < TRUNCATION_LENGTH or len(a.split()) < 2:
        return False
    words_a, words_b = a.split(), b.split()
    head, last = words_a[:-1], words_a[-1]
    return words_b[:len(head)] == head and len(words_b) > len(head) and words_b[len(head)].startswith(last)


def weighted_score(a: str, b: str, weight, registered: bool = False) -> float:
    """How much of two names' meaning they share, in [0, 1]: the weight of the words that
    align (the same, a typo, an abbreviation) over that of all their strong words, each
    word weighted by its rarity among all names (``weight(word)``). "Yorkshire Water" /
    "Yorkshire Water Services" share their rare words and score high; "Capita Business
    Services" / "Capita Property Infrastructure" share one word of five and score low."""
    alignment = align(a, b, registered=registered)
    weak = WEAK - REGISTERED_STRONG if registered else WEAK
    total_a = sum(weight(t) for t in a.split() if t not in weak)
    total_b = sum(weight(t) for t in b.split() if t not in weak)
    left_a = sum(weight(t) for t in alignment.left_a)
    left_b = sum(weight(t) for t in alignment.left_b)
    matched = ((total_a - left_a) + (total_b - left_b)) / 2
    if matched <= 0 or alignment.common + alignment.paired == 0:
        return 0.0
    return round(matched / (matched + left_a + left_b), 3)
