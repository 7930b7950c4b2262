"""Supplier names as councils write them -> keys that compare, plus what the name itself says.

``parse(name)`` returns a ``ParsedName``: the *key* (case, accents and punctuation
folded, ``&`` -> and, spaced initials joined, a few abbreviations expanded, a leading
"The" and the company-law suffixes Ltd/Limited/PLC/LLP/CIC/CIO... dropped), the *core*
(the key without parenthesised qualifiers such as "(UK)" or "(Gas)"), the legal forms
the name declares (evidence for classification), the trading name after ``t/a``, and
whether it reads as a person's name. Everything here is pure and memoised: linking
calls it once per distinct spelling.

The legal entity is the part before ``t/a``: "Bunzl UK Ltd T/A Care Shop" is Bunzl UK.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Legal forms recognised in names, longest first: (pattern over the folded name, form).
LEGAL_FORMS: tuple[tuple[str, str], ...] = (
    ("community interest company", "cic"),
    ("charitable incorporated organisation", "cio"),
    ("charitable incorporated organization", "cio"),
    ("community benefit society", "cbs"),
    ("public limited company", "plc"),
    ("limited liability partnership", "llp"),
    ("industrial and provident society", "ips"),
    ("cic", "cic"), ("c i c", "cic"), ("cio", "cio"), ("c i o", "cio"),
    ("plc", "plc"), ("p l c", "plc"), ("llp", "llp"), ("l l p", "llp"),
    ("limited", "ltd"), ("ltd", "ltd"), ("limted", "ltd"), ("lt", "ltd"), ("ltd co", "ltd"),
    ("co ltd", "ltd"), ("company limited", "ltd"), ("lp", "lp"), ("inc", "inc"),
)
_FORM_SUFFIX = re.compile(
    r"(?:\s+(?:" + "|".join(re.escape(p) for p, _ in LEGAL_FORMS) + r"))+\s*$")
_FORM_OF = dict(LEGAL_FORMS)
_FORM_ANYWHERE = re.compile(r"(?<!\S)(" + "|".join(re.escape(p) for p, _ in LEGAL_FORMS) + r")(?!\S)")

#: Abbreviations councils' finance systems write (often to fit a 32-character field).
ABBREVIATIONS = {
    "assn": "association", "svcs": "services", "svc": "service",
    "servs": "services", "dept": "department", "intl": "international", "natl": "national",
    "univ": "university", "cncl": "council", "mbc": "metropolitan borough council",
    "bros": "brothers", "mgmt": "management", "mgmnt": "management", "ptnshp": "partnership", "pships": "partnerships",
    "pship": "partnership", "grp": "group", "centre": "center",
    "cntr": "center", "ctr": "center", "hlth": "health", "res": "residential",
    "govt": "government", "yorks": "yorkshire", "sch": "school", "schl": "school",
    "sw": "south west", "se": "south east", "ne": "north east", "nw": "north west",
}
_INITIAL_DOT = re.compile(r"\b([a-z])\.(?=[a-z])")
_TRADING_AS = re.compile(r"(?:^|[\s(])(?:t\s*/\s*as?|trading\s+as|t/a:?)(?=\s|$)")
_TA_WORD = re.compile(r"\s+ta\s+")
_TITLES = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|rev|revd|prof|sir|dame|cllr)\.?\s+", re.IGNORECASE)
_FORM_WORD = re.compile(r"\b(?:ltd|limited|plc|llp|cic|cio|lp|inc)\b\.?", re.IGNORECASE)
#: Branch numbers and order references at the end: "TESCO STORE 2149", "Amazon.co.uk 2L43L4RZ4".
_TRAILING_CODE = re.compile(r"(?:\s+(?:\d{3,}|(?=[a-z]*\d[a-z]*\d)[a-z0-9]{5,}))+$")
_PARENS = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_CARD_SUFFIX = re.compile(r"[_\s]+\*+\d*\**\s*$")  # "ROYAL MAIL GROUP LTD_****3201"
_ORGANISATION_WORDS = frozenset("""
    ltd limited plc llp cic cio trust group services service care company co society association
    council school academy college university church club centre center partnership partners
    charity foundation nhs home homes nursery hotel agency solutions systems ltd uk
    international holdings enterprises associates consultancy consulting project network
""".split())


@dataclass(frozen=True)
class ParsedName:
    published: str
    key: str  # the comparison key of the legal entity's name
    core: str  # the key without bracketed qualifiers a council added (see _without_qualifiers)
    forms: frozenset[str]  # legal forms the name declares (ltd, plc, cic, cio, cbs...)
    trading_name: str  # the key of the name after t/a, or ""
    person: bool  # reads as a person's name (a title, or "J Smith t/a ...")

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.key.split())


def fold(text: str) -> str:
    """Lower case ASCII with ``&``/``+`` as "and" and punctuation as single spaces."""
    ascii_text = text if text.isascii() else \
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")  # NFKD of ASCII is itself
    folded = ascii_text.lower()
    folded = folded.replace("&", " and ").replace("+", " and ").replace("'", "").replace("`", "")
    folded = _INITIAL_DOT.sub(r"\1", folded)  # "e.on" -> "eon", "p.l.c" -> "plc"
    folded = folded.replace("p/ships", "partnerships").replace("p/ship", "partnership")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _join_initials(tokens: list[str]) -> list[str]:
    """``r n i b`` -> ``rnib``, ``b t conferencing`` -> ``bt conferencing``."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def _strip_forms(folded: str) -> tuple[str, frozenset[str]]:
    if folded.endswith(" the"):  # "AWARD SCHEME LTD THE": Devon puts The last
        folded = folded[:-4]
    forms = {_FORM_OF[m.group(1)] for m in _FORM_ANYWHERE.finditer(folded)
             if not _is_acronym_of_words_before(folded, m)}
    stripped = _FORM_SUFFIX.sub("", " " + folded).strip()
    return (stripped or folded), frozenset(forms)


def _is_acronym_of_words_before(folded: str, match: re.Match) -> bool:
    """"Capita Intelligent Communications (CIC)": CIC spells the words before it, not a legal form."""
    form = match.group(1).replace(" ", "")
    if len(form) != 3 or form not in ("cic", "cio"):
        return False
    words = folded[:match.start()].split()[-3:]
    return len(words) == 3 and "".join(w[0] for w in words) == form


def _key(folded: str) -> str:
    tokens = _join_initials(folded.split())
    tokens = [ABBREVIATIONS.get(t, t) for t in tokens]
    while tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    if tokens and tokens[-1] == "the" and len(tokens) > 1:  # "CO-OPERATIVE GROUP, THE"
        tokens = tokens[:-1]
    return " ".join(" ".join(tokens).split())


def _without_qualifiers(text: str) -> str:
    """Drop the words a council added to a name, keeping those of the registered name.

    "AECOM LIMITED (49780069)", "DWF LAW LLP CLIENT ACCOUNT" and "BRITISH GAS BUSINESS
    (GAS)" lose what follows the legal form, or their brackets; "Tay Valley Lighting
    (Leeds) Ltd" keeps "(Leeds)": it comes before the legal form, so it is part of the
    company's name, and (Leeds) and (Newcastle) are two companies.
    """
    last = None
    for last in _FORM_WORD.finditer(text):
        pass
    if last is None:
        return _PARENS.sub(" ", text)
    return text[:last.end()]


def split_trading_as(text: str) -> tuple[str, str]:
    """``"X Ltd T/A Y"`` -> ``("X Ltd", "Y")``; a leading ``T/A Y`` -> ``("Y", "")``."""
    lowered = text.lower()
    match = _TRADING_AS.search(lowered)
    if match is None and (m := _TA_WORD.search(lowered)):
        before, after = lowered[:m.start()], lowered[m.end():]
        if before.strip() and after.strip():
            match = m
    if match is None:
        return text, ""
    before, after = text[:match.start()].strip(" ,-("), text[match.end():].strip(" ,-:)")
    if not before:
        return after, ""
    if _FORM_WORD.search(after) and not _FORM_WORD.search(before):
        return after, before  # "OCEAN HEALTHCARE (TRADING AS TAHER LIMITED)": Taher Ltd trades as Ocean
    return before, after


@lru_cache(maxsize=200_000)
def parse(published: str) -> ParsedName:
    """Everything linking and classification read from a published supplier name."""
    text = _CARD_SUFFIX.sub("", published.replace("_", " ").strip())
    legal, trading = split_trading_as(text)
    folded = fold(legal)
    stripped, forms = _strip_forms(folded)
    # Most names trade under their own name and carry no qualifier: each step below is then
    # the one above, done once (about half of a link's parsing time).
    all_forms = forms if legal == text else _strip_forms(fold(text))[1]
    key = _key(stripped)
    unqualified = _without_qualifiers(legal)
    core_folded = stripped if unqualified == legal else _strip_forms(fold(unqualified))[0]
    core = _key(_TRAILING_CODE.sub("", core_folded)) or key
    trading_key = _key(_strip_forms(fold(trading))[0]) if trading else ""
    person = bool(_TITLES.match(legal)) and not (forms & {"ltd", "plc", "llp", "cic", "cio"})
    if trading and not person:  # "T W Buxey t/a Sorted", "MCSPADDEN JJ T/A ANCHORAGE GRP"
        words = [w for w in folded.split() if w != "and"]
        person = (not (set(words) & _ORGANISATION_WORDS) and len(words) <= 4 and not forms
                  and any(_is_initials(w) for w in words))
    return ParsedName(published, key, core, forms | all_forms, trading_key, person)


def _is_initials(word: str) -> bool:
    return word.isalpha() and (len(word) <= 2 or (len(word) == 3 and not set(word) & set("aeiouy")))


def key(published: str) -> str:
    return parse(published).key
