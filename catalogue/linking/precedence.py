"""Settling contradicting class evidence by a stated precedence, and saying how it was settled.

Some classes exclude each other: a public body is not an SME, a large enterprise, a VCSE
organisation or a person; a person is not a VCSE organisation or a large enterprise; an SME
is not large. When an organisation has accepted evidence for two classes that exclude
each other, the side whose best evidence stands higher in this order wins:

1. **register**: an official register's entry (Companies House, the Charity Commission) or
   the register of councils;
2. **published**: what a council or the supplier published: a council's flag, a contracts
   register's self-declaration, a company or charity number in a file;
3. **name**: a pattern in the name (a legal form, a kind of public body, a person's name).

At the same level the higher confidence wins; a tie leaves neither (the class is unknown).
Two rules come first because they are not contradictions at all: a public body is never an
SME, and a council's or supplier's "not an SME" beside a public body agrees with it rather
than making it a large enterprise. Every outweighed piece keeps ``accepted`` false and a
``conflict`` saying what outweighed it, so pages show the settled class, the evidence and
the conflict.
"""

from __future__ import annotations

TIERS = {"register": 1, "councilRegister": 1, "councilFlag": 2, "selfDeclaration": 2, "registeredIdentifier": 2,
         "legalForm": 3, "publicBodyName": 3, "personName": 3}
TIER_NAMES = {1: "an official register", 2: "what a council or the supplier published", 3: "a pattern in the name"}
#: Pairs of classes that exclude each other, in the order they are settled.
EXCLUSIVE = (("publicBody", "sme"), ("publicBody", "vcse"), ("publicBody", "largeEnterprise"),
             ("publicBody", "individual"), ("individual", "vcse"), ("individual", "largeEnterprise"),
             ("sme", "largeEnterprise"))
NOT_SME_FLAG = ("councilFlag", "selfDeclaration")
#: How a piece of evidence's note names the columns it was read from, as the files head them.
READ_FROM = "; read from "
#: How a register's note that a company's legal form is not a VCSE form begins.
NOT_VCSE = "not a VCSE legal form"


def tier(evidence) -> int:
    return TIERS.get(evidence.source, 4)


def _best(evidence: list, cls: str):
    found = [e for e in evidence if e.cls == cls and e.accepted]
    return min(found, key=lambda e: (tier(e), -(e.confidence or 0), e.reason)) if found else None


def _reject(evidence: list, cls: str, why: str) -> None:
    for e in evidence:
        if e.cls == cls and e.accepted:
            e.accepted = False
            e.conflict = why


def _size_weight(evidence: list, cls: str, level: int) -> float:
    """The summed best confidence per source of one size class at one level (several sources
    agreeing outweigh one)."""
    best: dict[str, float] = {}
    for e in evidence:
        if e.cls == cls and e.accepted and tier(e) == level:
            best[e.source] = max(best.get(e.source, 0), e.confidence or 0)
    return sum(best.values())


def settle(evidence: list) -> None:
    """Reject the outweighed side of every contradiction (in place), saying why."""
    for a, b in EXCLUSIVE:
        best_a, best_b = _best(evidence, a), _best(evidence, b)
        if best_a is None or best_b is None:
            continue
        if a == "publicBody" and b == "sme":
            _reject(evidence, b, f"a public body is never counted as an SME ({best_a.note})")
            continue
        if a == "publicBody" and b == "largeEnterprise" and all(
                e.source in NOT_SME_FLAG for e in evidence if e.cls == b and e.accepted):
            _reject(evidence, b, f"'not an SME' agrees with a public body, which is not an enterprise ({best_a.note})")
            continue
        level_a, level_b = tier(best_a), tier(best_b)
        if level_a == level_b:
            if (a, b) == ("sme", "largeEnterprise"):
                weight_a, weight_b = _size_weight(evidence, a, level_a), _size_weight(evidence, b, level_b)
            else:
                weight_a, weight_b = best_a.confidence or 0, best_b.confidence or 0
            if weight_a == weight_b:
                why = f"contradicted at the same level ({TIER_NAMES.get(level_a, 'other')}) with equal weight"
                _reject(evidence, a, f"{why}: {best_b.note}")
                _reject(evidence, b, f"{why}: {best_a.note}")
                continue
            winner, loser = (best_a, b) if weight_a > weight_b else (best_b, a)
            _reject(evidence, loser, f"outweighed at the same level by {winner.note}")
            continue
        winner, loser = (best_a, b) if level_a < level_b else (best_b, a)
        _reject(evidence, loser, f"outweighed by {TIER_NAMES[tier(winner)]}: {winner.note}")


#: The classes each aspect of a crosswalk row settles, and the words of a register's note
#: that is about size (its accounts category, income) rather than legal form.
ASPECTS = {"size": ("sme", "largeEnterprise"), "vcse": ("vcse",)}
SIZE_WORDS = ("size", "accounts", "income")
REGISTER_SOURCE = "register"


def _source(piece) -> str:
    local = str(piece.source).rsplit("#", 1)[-1]
    return local[:-len("Source")] if local.endswith("Source") else local


def _about(aspect: str, note: str) -> bool:
    return any(w in note for w in SIZE_WORDS) == (aspect == "size")


def said_by(aspect: str, classes, evidence: list) -> str:
    """One line saying what settled ``aspect`` (``size`` or ``vcse``) of an organisation:

    - a register that settles it wins: "... (settled by the register)";
    - a register that is silent on it (its entry gives no accounts category, no legal form
      that decides) leaves the weaker evidence standing, and the line says so;
    - nothing accepted: the register's word on why it is unknown (or that it is not a VCSE
      form), else the evidence set aside and why, else "".

    ``evidence`` holds objects with ``cls``, ``source``, ``accepted``, ``confidence``,
    ``note`` and ``conflict`` (the links graph's ``sv:ClassEvidence``), so the crosswalk
    and the organisation page say the same."""
    wanted = ASPECTS[aspect]
    used = sorted((e for e in evidence if e.accepted and e.cls in wanted and e.cls in classes),
                  key=lambda e: (TIERS.get(_source(e), 4), -float(e.confidence or 0), e.note))
    register = [e for e in evidence if _source(e) == REGISTER_SOURCE and e.cls == "unknownClass"
                and _about(aspect, e.note)]
    decided = [e for e in register if e.note.startswith(NOT_VCSE)] if aspect == "vcse" else []
    if used and _source(used[0]) == REGISTER_SOURCE:
        return f"{used[0].note} (settled by the register)"
    if decided:
        return f"{decided[0].note} (settled by the register)"
    if used:
        silent = f"; the register is silent on {aspect}, so this stands ({register[0].note})" if register else ""
        return f"{used[0].note}{silent}"
    if "publicBody" in classes:
        return "a public body: never counted as an SME" if aspect == "size" else "a public body, not a VCSE"
    if register:
        return register[0].note
    aside = [e for e in evidence if not e.accepted and e.cls in wanted]
    return f"unknown: {aside[0].note}; set aside: {aside[0].conflict}" if aside else ""
