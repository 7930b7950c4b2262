"""A register entry's name key: the spelling-free form its name is looked up by.

Registers and councils spell one name many ways: Companies House writes capitals and
LIMITED ("THE XYZ TRUST LIMITED"), the charity register mixed case ("The Xyz Trust"),
a council "Xyz Trust (The)", "XYZ TRUST LTD", "Xyz Trust Ltd." or "X.Y.Z. Trust". Each
register entry is written with ``sv:registerNameKey``, its name folded by ``name_key``: case and
accents, punctuation and brackets, ``&``/``+`` as "and", spaced or dotted initials
joined ("R.N.I.B.", "R N I B" -> "rnib"), a leading or trailing "The", and the legal
forms at the end (Ltd/Limited, PLC, LLP, CIC, CIO and the words they stand for:
"community interest company", "charitable incorporated organisation"...). Linking folds
a council's name the same way and finds the entries with one exact lookup of an
indexed literal, whatever the register's size (``catalogue/linking/register_match.py``).

The key is deliberately simpler than linking's name rules (``catalogue.linking.names``):
it is stored with the register, so it must not change when those rules do. It finds
candidates; linking then decides whether the names are one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Legal forms at the end of a name, as folded words (longest first; repeated forms all go).
FORMS = ("community interest company", "charitable incorporated organisation", "charitable incorporated organization",
         "public limited company", "limited liability partnership", "community benefit society",
         "company limited", "co limited", "co ltd", "limited", "ltd", "plc", "llp", "lp", "cic", "cio")
_FORM_END = re.compile(r"(?:\s(?:" + "|".join(re.escape(f) for f in FORMS) + r"))+$")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DOTTED = re.compile(r"(?<![a-z0-9])((?:[a-z]\.){2,})")  # "r.n.i.b." (dotted initials)


def _join_initials(words: list[str]) -> list[str]:
    """``r n i b`` -> ``rnib`` (two or more single letters in a row)."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        out.extend(["".join(run)] if len(run) >= 2 else run)
        run = []
        if word:
            out.append(word)
    return out


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """``"The XYZ Trust (C.I.O.)"``, ``"XYZ TRUST, THE"``, ``"Xyz Trust CIO"`` -> ``"xyz trust"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("&", " and ").replace("+", " and ").replace("'", "").replace("`", "")
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    words = _join_initials(_NOT_WORD.sub(" ", text).split())
    folded = " ".join(words)
    while True:
        before = folded
        if folded.startswith("the "):
            folded = folded[4:]
        if folded.endswith(" the"):
            folded = folded[:-4]
        stripped = _FORM_END.sub("", folded)
        folded = stripped if stripped else folded
        if folded == before:
            return folded


__all__ = ["FORMS", "name_key"]
