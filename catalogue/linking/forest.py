"""The union-find under linking, and the constraints every merge must respect.

Two different company (or charity) numbers, or two different councils, never share an
organisation unless a person said so; rejected pairs never do; records pinned to
different organisations never do; a partnership (LLP) never joins a company; and two
registered names that disagree ("Barchester Healthcare Ltd", "Barchester Healthcare
Homes Ltd") are never chained together through a brand name written without a legal form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalogue.linking.names import parse
from catalogue.linking.records import SupplierRecord
from catalogue.linking.similarity import align

#: Methods from strongest to weakest (their notations are the crosswalk's ``method``).
METHODS = ("manual", "companyNumber", "charityNumber", "vatNumber", "exactName", "fuzzyName", "scoredName", "unmatched")
RANK = {m: len(METHODS) - i for i, m in enumerate(METHODS)}
SCORES = {"manual": 1.0, "companyNumber": 1.0, "charityNumber": 1.0, "vatNumber": 0.97,
          "exactName": 0.95, "coreName": 0.9, "unmatched": 1.0}
NAME_METHODS = frozenset({"vatNumber", "exactName", "fuzzyName", "scoredName"})
COMPANY_FORMS = frozenset({"ltd", "plc", "llp", "cic", "cio", "lp", "inc"})


@dataclass
class Link:
    """Why a record belongs to its organisation."""

    method: str
    score: float
    matched_record: str | None = None  # the other record of the strongest evidence
    matched_value: str | None = None  # the identifier or name key shared
    evidence: str = ""


@dataclass
class Constraints:
    must_link: list[tuple[str, str, str]] = field(default_factory=list)  # (a, b, note)
    cannot_link: list[tuple[str, str]] = field(default_factory=list)
    pinned: dict[str, str] = field(default_factory=dict)  # record -> organisation IRI
    detached: set[str] = field(default_factory=set)  # records whose automatic evidence is ignored


class Forest:
    def __init__(self, records: dict[str, SupplierRecord], constraints: Constraints, councils: dict[str, str]):
        self.parent = {iri: iri for iri in records}
        self.councils = {iri: ({councils[iri]} if iri in councils else set()) for iri in records}
        self.members = {iri: [iri] for iri in records}
        self.companies = {iri: set(r.company_numbers) for iri, r in records.items()}
        self.charities = {iri: set(r.charity_numbers) for iri, r in records.items()}
        self.vats = {iri: set(r.vat_numbers) for iri, r in records.items()}
        self.forms = {iri: _legal_kind(r) for iri, r in records.items()}
        self.registered = {iri: _registered_keys(r) for iri, r in records.items()}
        self.orgs = {iri: ({constraints.pinned[iri]} if iri in constraints.pinned else set()) for iri in records}
        self.rejects: dict[str, set[str]] = defaultdict(set)
        for a, b in constraints.cannot_link:
            if a in self.parent and b in self.parent:
                self.rejects[a].add(b)
                self.rejects[b].add(a)
        self.links: dict[str, Link] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def _allowed(self, a: str, b: str, method: str) -> bool:
        if self.orgs[a] and self.orgs[b] and self.orgs[a] != self.orgs[b]:
            return False
        if (self.rejects.get(a) and self.rejects[a] & set(self.members[b])) or \
                (self.rejects.get(b) and self.rejects[b] & set(self.members[a])):
            return False
        if method == "manual":
            return True
        for sets in (self.companies, self.charities, self.councils):
            if sets[a] and sets[b] and not sets[a] & sets[b]:
                return False
        if self.forms[a] and self.forms[b] and self.forms[a].isdisjoint(self.forms[b]):
            return False  # "Meon Ltd" and "Meon Marketing LLP": a partnership is not the company
        if method in NAME_METHODS and self.registered[a] and self.registered[b] and not any(
                align(x, y, registered=True).strict for x in self.registered[a] for y in self.registered[b]):
            return False  # a brand name must not chain "Barchester Healthcare Ltd" to "... Homes Ltd"
        if method in ("fuzzyName", "scoredName") and self.vats[a] and self.vats[b] and not self.vats[a] & self.vats[b]:
            return False
        if method == "scoredName" and (_unproven(self, a, b) or _unproven(self, b, a)):
            return False  # "British Gas" (a number, no registered name) is not "British Gas Services Ltd"
        return True

    def union(self, a: str, b: str, link: Link, link_b: Link | None = None) -> bool:
        """Join the records' clusters if the constraints allow; note the evidence on both."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if not self._allowed(ra, rb, link.method):
                return False
            if len(self.members[ra]) < len(self.members[rb]):
                ra, rb = rb, ra
            self.parent[rb] = ra
            self.members[ra] += self.members.pop(rb)
            for sets in (self.companies, self.charities, self.vats, self.orgs, self.forms, self.registered,
                         self.councils):
                sets[ra] |= sets.pop(rb)
            if rb in self.rejects:
                self.rejects[ra] |= self.rejects.pop(rb)
        self.note(a, Link(link.method, link.score, b, link.matched_value, link.evidence))
        other = link_b or link
        self.note(b, Link(other.method, other.score, a, other.matched_value, other.evidence))
        return True

    def note(self, record: str, link: Link) -> None:
        best = self.links.get(record)
        if best is None or (RANK[link.method], link.score) > (RANK[best.method], best.score):
            self.links[record] = link


def _unproven(forest: Forest, a: str, b: str) -> bool:
    """A brand that publishes a company number, and a registered name with a legal form but
    no number: the number's company is not shown to be the one the registered name names
    (a brand covers several companies of a group), so a scored name may not join them.
    When a register gives the number's name (``register_names``), the registered-name
    rule above decides instead."""
    return bool(forest.companies[a] and not forest.registered[a] and forest.registered[b]
                and not forest.companies[b])


def _registered_keys(record: SupplierRecord) -> set[str]:
    """Core keys of names that carry a company legal form (a registered name)."""
    parsed = parse(record.name) if record.name else None
    return {parsed.key, parsed.core} if parsed and parsed.forms & COMPANY_FORMS else set()


def _legal_kind(record: SupplierRecord) -> set[str]:
    forms = parse(record.name).forms if record.name else frozenset()
    if "llp" in forms:
        return {"partnership"}
    return {"company"} if forms & {"ltd", "plc"} else set()


