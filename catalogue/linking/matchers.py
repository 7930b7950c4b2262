"""The evidence steps of clustering, each feeding merges to the ``Forest``.

Identifiers (company and charity numbers, councils), VAT numbers and one council's own
supplier id when the names agree, exact name keys, and similar names found by blocking:
similar names are only compared within blocks (first word, longest word of the name),
each name against the rest of its block by rapidfuzz in C++, so the cost grows with the
number of names times the (bounded) block size, not with its square.

Names of people and of local establishments (schools, parish councils, churches,
pre-schools, care homes, pubs...: ``establishments``) are *scoped* to their council:
"St John's Primary School" paid by Leeds and by Devon are two schools. Across councils
they join only with corroboration: an identifier, the same postcode or postcode
district, or a town the name gives (``link_corroborated``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from catalogue.linking.establishments import branch_parent, corroboration, is_establishment, towns
from catalogue.linking.forest import COMPANY_FORMS, SCORES, Forest, Link
from catalogue.linking.names import ParsedName, parse
from catalogue.linking.records import SupplierRecord
import math

from catalogue.linking.similarity import SCORE_THRESHOLD, align, weighted_score

BLOCK_LIMIT = 4000  # distinct names in one block; larger blocks are too common a word to block on
CANDIDATE_CUTOFF = 80  # rapidfuzz token_set_ratio a pair needs before it is aligned word by word
JUNK_IDS = frozenset({"redacted", "n/a", "na", "none", "unknown", "various", "0", "-", "tbc"})



def is_scoped(parsed: ParsedName) -> bool:
    """People and local establishments are only matched by name within one council."""
    if parsed.person:
        return True
    return is_establishment(parsed.key) and not (parsed.forms & COMPANY_FORMS)


def described(record: SupplierRecord) -> str:
    return f"{record.name or record.supplier_id!r} ({record.council})"


def index_by(records: Iterable[SupplierRecord], getter) -> dict[str, list[SupplierRecord]]:
    out = defaultdict(list)
    for record in records:
        for value in getter(record):
            out[value].append(record)
    return {k: v for k, v in out.items() if len(v) > 1}


def _compatible(a: SupplierRecord, b: SupplierRecord):
    """Names that agree well enough for records already sharing a VAT number or supplier id.

    Words may be left over on one side ("Peters" / "Peters Bookselling Services"), but
    not when both names are registered names with a legal form: "Xerox (UK) Ltd" and
    "Xerox Finance Ltd" are two companies in one VAT group. A trading name after "t/a"
    counts as a name of the record ("Ocean Healthcare" / "Taher Ltd t/a Ocean Healthcare").
    """
    pa, pb = parse(a.name), parse(b.name)
    if not pa.key or not pb.key or not _digits_agree(pa.core, pb.core):
        return None
    registered = bool(COMPANY_FORMS & pa.forms and COMPANY_FORMS & pb.forms)
    best = None
    for x, y in ((pa.key, pb.key), (pa.core, pb.core)):
        alignment = align(x, y, len(a.name), len(b.name), registered)
        if alignment.strict:
            return alignment
        if alignment.containment and best is None:
            best = alignment
    if best is not None and not registered:
        return best
    for x, y in ((pa.trading_name, pb.key), (pa.key, pb.trading_name)):
        if x and x == y:
            return align(x, y)
    return None


def link_vat(forest: Forest, records: dict[str, SupplierRecord]) -> list[tuple[str, str, str]]:
    """Same VAT number and names that agree: one organisation. Otherwise a VAT-group peer."""
    peers = []
    for vat, members in index_by(records.values(), lambda r: r.vat_numbers).items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if _compatible(a, b) is not None and forest.union(a.iri, b.iri, Link(
                        "vatNumber", SCORES["vatNumber"], matched_value=vat,
                        evidence=f"both publish VAT number {vat} and their names agree")):
                    continue
                peers.append((a.iri, b.iri, vat))
    return peers


def link_supplier_ids(forest: Forest, records: dict[str, SupplierRecord]) -> None:
    """One council's own supplier id used with two spellings of a name that agree."""
    by_id = defaultdict(list)
    for record in records.values():
        if record.supplier_id and record.supplier_id.lower() not in JUNK_IDS and record.name:
            by_id[(record.council, record.supplier_id)].append(record)
    for (council, sid), members in by_id.items():
        if not 1 < len(members) <= 10:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                alignment = _compatible(a, b)
                if alignment is not None:
                    forest.union(a.iri, b.iri, Link(
                        "fuzzyName", alignment.score, matched_value=sid,
                        evidence=f"{council} uses supplier id {sid} for both and the names agree"))


def block_keys(core: str) -> set[str]:
    tokens = [t for t in core.split() if len(t) > 1]
    if not tokens:
        return set()
    longest = max(tokens, key=lambda t: (len(t), [-ord(c) for c in t]))
    # The longest word's first letters as well: a typo late in it still meets its name.
    return {"f:" + tokens[0], "l:" + longest} | ({"p:" + longest[:4]} if len(longest) >= 7 else set())


def _candidate_pairs(texts: list[str]):
    """Index pairs (r < c) of a block whose token-set similarity passes the cut-off."""
    for r in range(len(texts) - 1):
        rest = texts[r + 1:]
        for _, _, c in process.extract(texts[r], rest, scorer=fuzz.token_set_ratio,
                                       score_cutoff=CANDIDATE_CUTOFF, limit=None):
            yield r, r + 1 + c


def rarity(cores) -> dict[str, float]:
    """Each word's weight: the log of how rare it is among the distinct names (IDF)."""
    counts: dict[str, int] = defaultdict(int)
    for core, _ in cores:
        for token in set(core.split()):
            counts[token] += 1
    n = len(cores) or 1
    return {t: math.log(1 + n / c) for t, c in counts.items()}


def link_similar(forest: Forest, records, cores, threshold: float | None = None, corpus=None) -> None:
    """Compare distinct core names within blocks; join the pairs whose words align strictly,
    and those whose weighted word score (``similarity.weighted_score``) reaches ``threshold``.
    ``corpus``: every name in the store (``corpus.Corpus``), whose word weights and block
    sizes are used when ``records`` are only some of them (an incremental link)."""
    threshold = SCORE_THRESHOLD if threshold is None else threshold
    names = list(cores)  # (core, scope)
    idf = rarity(cores) if corpus is None else corpus.idf()
    top = max(idf.values(), default=1.0)
    # A name may have been cut by a field length only if it was published as it stands.
    published = {unit: max((len(records[i].name) for i in members if parse(records[i].name).key == unit[0]),
                           default=0) for unit, members in cores.items()}
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, (core, scope) in enumerate(names):
        for key in block_keys(core):
            blocks[(key, scope)].append(index)
    seen: set[tuple[int, int]] = set()
    for block, members in blocks.items():
        if len(members) < 2 or (corpus.block_size(block) if corpus is not None else len(members)) > BLOCK_LIMIT:
            continue
        for r, c in _candidate_pairs([names[i][0] for i in members]):
            pair = (members[r], members[c])
            if pair in seen:
                continue
            seen.add(pair)
            a, b = names[pair[0]], names[pair[1]]
            alignment = align(a[0], b[0], published[a], published[b])
            if not _digits_agree(a[0], b[0]):
                continue
            if not alignment.strict:
                if not _may_score(a, b, alignment):
                    continue
                score = weighted_score(a[0], b[0], lambda t: idf.get(t, top))
                if score >= threshold:
                    forest.union(cores[a][0], cores[b][0], Link(
                        "scoredName", score, matched_value=b[0],
                        evidence=f"names {a[0]!r} and {b[0]!r} share most of their rarer words "
                                 f"(weighted score {score:.3f} >= {threshold})"))
                continue
            forest.union(cores[a][0], cores[b][0], Link(
                "fuzzyName", alignment.score, matched_value=b[0],
                evidence=f"similar names {a[0]!r} and {b[0]!r}" + (
                    " (one cut short by a field length)" if alignment.truncated else "")))


def _may_score(a: tuple[str, str], b: tuple[str, str], alignment) -> bool:
    """A scored link is for firms' names where one holds the other plus a few words
    ("Yorkshire Water" / "Yorkshire Water Services"): not for establishments or people,
    whose names differ by one word from another place's ("St Michael's School" /
    "St Michael's Pre-School"), not for names of one word, not from initials."""
    if a[1] or b[1] or alignment.initials or not alignment.containment:
        return False
    shorter = min(a[0], b[0], key=lambda k: len(k.split()))
    if len(shorter.split()) < 2 or is_establishment(a[0]) or is_establishment(b[0]):
        return False
    left = alignment.left_a or alignment.left_b
    longer = b[0] if left is alignment.left_b else a[0]
    # One word more, at the end ("... Services", "... Publishing"), and not a town: "South
    # Central Ambulance Service" is not "Central Ambulance Service", nor "X Leeds PFI" "X PFI".
    return (len(left) == 1 and longer.split()[-1] == left[0] and left[0] not in towns()
            and a[0].split()[0] == b[0].split()[0])  # in the same order: the same first word


def _digits_agree(a: str, b: str) -> bool:
    da = {t for t in a.split() if t.isdigit()}
    db = {t for t in b.split() if t.isdigit()}
    return da == db


def link_corroborated(forest: Forest, records, units) -> None:
    """Join a scoped name (an establishment's, a person's) across councils when a postcode,
    a postcode district or the town the name gives says they are one place."""
    by_key: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for (key, scope), members in units.items():
        if scope:
            by_key[key].append((scope, members))
    for key, scoped in by_key.items():
        if len(scoped) < 2:
            continue
        person = parse(records[scoped[0][1][0]].name).person
        codes = [set().union(*(records[m].postcodes for m in members)) for _, members in scoped]
        for i in range(len(scoped)):
            for j in range(i + 1, len(scoped)):
                why = corroboration(key, codes[i], codes[j], person)
                if why:
                    forest.union(scoped[i][1][0], scoped[j][1][0], Link(
                        "exactName", SCORES["exactName"], matched_value=key,
                        evidence=f"same name {key!r} paid by {scoped[i][0]} and {scoped[j][0]}, and {why}"))


def link_branches(forest: Forest, records, parsed: dict[str, ParsedName], cores) -> None:
    """A branch ("X Ltd Leeds Branch", "X North Divisional Office") joins its parent's record."""
    for iri, p in parsed.items():
        parent = branch_parent(p)
        if not parent:
            continue
        scope = records[iri].council if is_scoped(parse(parent)) else ""
        members = cores.get((parent, scope))
        if members and members[0] != iri:
            forest.union(iri, members[0], Link(
                "fuzzyName", SCORES["coreName"], matched_value=parent,
                evidence=f"{records[iri].name!r} is a branch of {parent!r} (a branch word at the end of its name)"))
