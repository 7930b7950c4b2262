"""Names of one public body written differently: HMRC, HM Revenue & Customs, Her Majesty's
Revenue and Customs; DWP and the Department for Work and Pensions; NHS England and the
National Health Service England; "SoS for Education" and its spelled-out form.

Two general rules, their words in one data file (``data/public_name_variants.csv``),
never a list of bodies:

1. **Read alike**: "Her/His Majesty's" and "H M" read as "HM", "SoS" as the words it stands for,
   "National Health Service" as "NHS"..., and the small words (of, for, the,
   and: "&" is already "and") left out. Names equal once so read are one body.
2. **Initials**: a word of two to six letters without a vowel (HM, NHS, DWP, HMRC), or a
   name of one such word (DVLA, DfE), may stand for the words whose initials it spells
   ("HMRC" = HM + Revenue + Customs), every other word matching word for word.

Either rule joins two names only when one of them is a public body's name by
``catalogue/linking/data/public_bodies.csv`` (``publicbodies.public_body_kind``), and an
initials form only when it spells exactly one such name: "DfE" next to a "Department
for Education" and a "Department for Employment" joins neither.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from catalogue.linking.names import parse
from catalogue.linking.publicbodies import public_body_kind

DATA = Path(__file__).resolve().parent / "data" / "public_name_variants.csv"
VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[re.Pattern, str]], frozenset[str]]:
    same, small = [], set()
    with open(DATA, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "same":
                same.append((re.compile(rf"\b{re.escape(row['phrase'])}\b"), row["reads_as"]))
            elif row["kind"] == "small":
                small.add(row["phrase"])
    same.sort(key=lambda rule: -len(rule[0].pattern))
    return same, frozenset(small)


def read_alike(key: str) -> tuple[str, ...]:
    """The words of a normalised name key as a public body's name is compared."""
    same, small = _rules()
    for pattern, replacement in same:
        key = pattern.sub(replacement, key)
    return tuple(w for w in key.split() if w not in small)


def _initials_word(word: str, alone: bool) -> bool:
    return word.isalpha() and 2 <= len(word) <= 6 and (alone or not VOWELS & set(word))


def spelled(words: tuple[str, ...]) -> str:
    """The letters a name spells: an initials word gives all its letters, others their first."""
    return "".join(w if _initials_word(w, len(words) == 1) else w[0] for w in words)


def aligns(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Can ``short`` be read as ``long``, each initials word standing for the words it spells?"""
    if not short or not long:
        return not short and not long
    if short[0] == long[0] and aligns(short[1:], long[1:]):
        return True
    word = short[0]
    if not _initials_word(word, len(short) == 1 and len(long) > 1):
        return False
    letters, used = "", 0
    while used < len(long) and len(letters) < len(word):
        part = long[used]
        letters += part if _initials_word(part, False) and len(long) > 1 else part[0]
        used += 1
        if letters == word and used > 1 and aligns(short[1:], long[used:]):
            return True
    return False


def variant_pairs(names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name key, name key, why) for the names (key -> published) that are one public body."""
    alike: dict[tuple[str, ...], list[str]] = defaultdict(list)
    public = {key for key, name in names.items() if public_body_kind(parse(name))}
    for key in names:
        alike[read_alike(key)].append(key)
    out = []
    for words, keys in alike.items():
        if len(keys) > 1 and public & set(keys):
            anchor = sorted(public & set(keys))[0]
            out += [(key, anchor, f"{names[key]!r} and {names[anchor]!r} read alike as a public body's name "
                                  f"({' '.join(words)!r})") for key in sorted(keys) if key != anchor]
    longs: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for key in public:
        words = read_alike(key)
        if len(words) > 1:
            longs[spelled(words)].add(words)
    for words, keys in alike.items():
        found = [long for long in longs.get(spelled(words), ()) if long != words and len(long) > len(words)
                 and aligns(words, long)]
        if len(found) == 1:
            anchor = sorted(k for k in alike[found[0]] if k in public)[0]
            out += [(key, anchor, f"{names[key]!r} is the initials of the public body {names[anchor]!r}")
                    for key in sorted(keys)]
    return out


def link_public_variants(forest, records, units, pairs=None) -> None:
    """Join the records of names that are one public body (``variant_pairs``), across councils
    (a public body's name is not an establishment's: it is one body wherever it is paid).
    ``pairs``: the variant pairs among every name in the store, when ``records`` are only some."""
    from catalogue.linking.forest import SCORES, Link

    names = {key: records[members[0]].name for (key, scope), members in units.items() if not scope}
    for a, b, why in (variant_pairs(names) if pairs is None else pairs):
        if (a, "") not in units or (b, "") not in units:
            continue
        forest.union(units[(a, "")][0], units[(b, "")][0], Link("fuzzyName", SCORES["coreName"], matched_value=b,
                                                                evidence=why))
