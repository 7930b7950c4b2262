"""Names of places rather than firms, and branches of one firm: read from a word list.

Many establishments share a name across England: "St Mary's Primary School", "Rose
Lodge Care Home", "The Kings Arms". Such a name paid by two councils is two places
unless something else says they are one: the same identifier (linked before names are
looked at), the same postcode or postcode district, or a town the name itself gives.
Which words make a name an establishment's, and which trailing words make it a
branch's ("Affinity Trust North Divisional Office" is Affinity Trust), is data:
``loaders/data/linking_words.csv`` (general words, never the names of one council's
suppliers), so a reader can see and extend the list without reading code.
"""

from __future__ import annotations

from functools import lru_cache

from catalogue.linking.names import ParsedName, fold, parse
from catalogue.linking.place_words import WORDS, is_establishment, outward, words

__all__ = ["WORDS", "words", "is_establishment", "outward", "towns", "places", "branch_parent", "corroboration"]



@lru_cache(maxsize=1)
def towns() -> frozenset[str]:
    """Folded town names: the short names of the councils in the register."""
    from loaders.councils import register

    return frozenset(t for c in register().councils if c.short_name and (t := fold(c.short_name)))


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Towns and regions: what a branch name may give before its branch word."""
    return towns() | frozenset(words().get("region", ()))


def _strip_tail(tokens: list[str], phrases: tuple[str, ...]) -> tuple[list[str], str]:
    """``tokens`` without the first of ``phrases`` (in their order) they end with, and it."""
    for phrase, parts in _by_last_word(phrases).get(tokens[-1] if tokens else "", ()):
        n = len(parts)
        if len(tokens) > n and tokens[-n:] == parts:
            return tokens[:-n], phrase
    return tokens, ""


@lru_cache(maxsize=8)
def _by_last_word(phrases: tuple[str, ...]) -> dict[str, list[tuple[str, list[str]]]]:
    """The phrases by their last word, each list in the phrases' order: only those can end
    a name that ends with that word (every supplier name is tried against each list)."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for phrase in phrases:
        parts = phrase.split()
        if parts:
            out.setdefault(parts[-1], []).append((phrase, parts))
    return out


@lru_cache(maxsize=1)
def _places_longest_first() -> tuple[str, ...]:
    return tuple(sorted(places(), key=lambda w: (-len(w), w)))


def branch_parent(parsed: ParsedName) -> str:
    """The key of the firm a branch name belongs to, or "" when the name is not a branch's.

    A branch name ends with a branch word (branch, depot, divisional office...), maybe
    after a region or town: "X Ltd Leeds Branch", "X North Divisional Office" -> "x".
    The parent keeps at least one word that is neither a region nor a town.
    """
    for text in (parsed.core, parsed.key):
        tokens, branch = _strip_tail(text.split(), words().get("branch", ()))
        if branch:
            break
    else:
        return ""
    region_or_place = _places_longest_first()
    while True:
        tokens, dropped = _strip_tail(tokens, region_or_place)
        if not dropped:
            break
    if not tokens or all(t in places() for t in tokens):
        return ""
    return parse(" ".join(tokens)).key


def corroboration(key: str, postcodes_a: set[str], postcodes_b: set[str], person: bool = False) -> str:
    """Words saying why two same-named establishments are one place, or "" when nothing does."""
    same = sorted(postcodes_a & postcodes_b)
    if same:
        return f"the same postcode {same[0]}"
    districts = sorted({outward(p) for p in postcodes_a} & {outward(p) for p in postcodes_b} - {""})
    if districts:
        return f"the same postcode district {districts[0]} (one town)"
    if not person:  # "St Mary's School Leeds", not "Leeds Road School"
        named = [t for t in towns() if key.endswith(" " + t)]
        if named:
            return f"the name gives its town ({max(named, key=len)!r})"
    return ""
