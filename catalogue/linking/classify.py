"""Social-value classes of an organisation, each with its source and confidence.

Evidence comes only from what the records say: a council's own SME/VCSE flag, the kind
of register an identifier belongs to, a legal form in a name, a contracts register's
self-declaration (low trust), the register of councils, the name of a kind of public
body, a person's name. Nothing is inferred from size of spend or from the words of a
trading name. An organisation with no evidence is ``unknownClass``, said so, never
guessed. Contradicting size evidence (SME against large) is weighed: the side with the
stronger total wins; a tie leaves the size unknown. Every piece of evidence is kept,
with ``accepted`` false when it was outweighed.

Official registers come first (``catalogue.linking.registers``): when a record's company or
charity number has a register entry, the entry's legal form, accounts category, income
and status are evidence of their own (source ``register``), with the register, the
identifier and a date; a charity the register says was removed no longer counts as VCSE
by its number alone. A public body is never counted as an SME, whatever else is said.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from catalogue.linking.names import parse
from catalogue.linking.publicbodies import public_body_kind
from catalogue.linking.records import SupplierRecord

#: Confidence by source (documented in ontology/linking.ttl and the README).
COUNCIL_FLAG, SELF_DECLARATION = 0.8, 0.5
CLASSES = ("sme", "largeEnterprise", "vcse", "publicBody", "individual")
SELF_DECLARED_KINDS = frozenset({"contracts", "procurementNotices"})  # a contracts register; OCDS notices
_CHARITY_SCHEMES = {"GB-CHC-": "Charity Commission for England and Wales", "GB-SC-": "OSCR (Scotland)",
                    "GB-NIC-": "Charity Commission for Northern Ireland"}


@dataclass
class Evidence:
    cls: str  # one of CLASSES, or "unknownClass"
    source: str  # councilFlag | selfDeclaration | registeredIdentifier | legalForm | councilRegister |
    #              publicBodyName | personName | noEvidence
    confidence: float | None
    reason: str  # what was found, e.g. "named as a local authority"
    names: list[str] = field(default_factory=list)  # the published names it was found in
    records: list[str] = field(default_factory=list)
    datasets: set[str] = field(default_factory=set)
    accepted: bool = True
    date: str | None = None  # the date of what the source says (register evidence)

    @property
    def note(self) -> str:
        """Plain English: the reason and up to three names it was found in."""
        if not self.names:
            return self.reason
        shown = ", ".join(repr(n) for n in self.names[:3])
        more = f" and {len(self.names) - 3} more" if len(self.names) > 3 else ""
        return f"{self.reason}: {shown}{more}"


def _record_evidence(record: SupplierRecord, council_gss: str | None) -> list[Evidence]:
    out: list[Evidence] = []
    for org_id in sorted(record.org_ids):
        for scheme, register in _CHARITY_SCHEMES.items():
            if org_id.startswith(scheme):
                out.append(Evidence("vcse", "registeredIdentifier", 0.95,
                                    f"registered charity {org_id} ({register})"))
        if org_id.startswith(("GB-COH-CE", "GB-COH-CS")):
            out.append(Evidence("vcse", "registeredIdentifier", 0.95,
                                f"{org_id} is a charitable incorporated organisation at Companies House"))
        elif org_id.startswith(("GB-COH-RS", "GB-COH-IP", "GB-MPR-")):
            out.append(Evidence("vcse", "registeredIdentifier", 0.6,
                                f"{org_id} is a registered society (co-operative or community benefit society)"))
    for flag in record.flags:
        self_declared = flag.kind in SELF_DECLARED_KINDS
        source = "selfDeclaration" if self_declared else "councilFlag"
        confidence = SELF_DECLARATION if self_declared else COUNCIL_FLAG
        who = "the supplier declared to " if self_declared else "flagged by "
        if flag.name == "sme":
            cls = "sme" if flag.value else "largeEnterprise"
            reason = f"{'an SME' if flag.value else 'not an SME'}, {who}{record.council} ({flag.kind} file)"
        elif flag.value:
            cls, reason = "vcse", f"VCSE, {who}{record.council} ({flag.kind} file)"
        else:
            continue  # "not VCSE" is no evidence for any class
        out.append(Evidence(cls, source, confidence, reason, datasets={flag.dataset}))
    if record.name:
        out += _name_evidence(record.name, council_gss)
    for evidence in out:
        evidence.records.append(record.iri)
    return out


def _name_evidence(name: str, council_gss: str | None) -> list[Evidence]:
    parsed = parse(name)
    out: list[Evidence] = []
    forms = parsed.forms
    for form, label in (("cic", "community interest company"), ("cio", "charitable incorporated organisation"),
                        ("cbs", "community benefit society")):
        if form in forms:
            out.append(Evidence("vcse", "legalForm", 0.9, f"the name declares a {label}"))
    if "ips" in forms:
        out.append(Evidence("vcse", "legalForm", 0.6, "the name declares an industrial and provident society"))
    if {"charity", "charitable"} & set(parsed.key.split()) and not forms & {"plc", "llp"}:
        out.append(Evidence("vcse", "legalForm", 0.6, "the name says it is a charity"))
    if "plc" in forms:
        out.append(Evidence("largeEnterprise", "legalForm", 0.5, "a public limited company (most are large, not all)"))
    if council_gss:
        out.append(Evidence("publicBody", "councilRegister", 0.95, f"the council {council_gss} in the register"))
    elif kind := public_body_kind(parsed):
        out.append(Evidence("publicBody", "publicBodyName", kind[1], f"named as a {kind[0]}"))
    if parsed.person:
        titled = parsed.key.split()[0] in {"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "revd", "prof"}
        out.append(Evidence("individual", "personName", 0.8 if titled else 0.6,
                            "a person's name" if titled else "a sole trader's name"))
    for evidence in out:
        evidence.names.append(name)
    return out


def classify(records: list[SupplierRecord], council_gss: str | None = None,
             registers=None) -> tuple[list[str], list[Evidence]]:
    """(accepted classes, evidence) for the records of one organisation; ``registers``
    (``catalogue.linking.registers.Registers``) adds what the official registers say."""
    merged: dict[tuple[str, str, str], Evidence] = {}
    found = [(record, _record_evidence(record, council_gss)) for record in records]
    removed: set[str] = set()
    if registers is not None:
        from catalogue.linking.register_classes import register_evidence, removed_charities

        entries = registers.matched(records)
        removed = removed_charities(entries)
        found.append((None, register_evidence(entries)))
    for _, pieces in found:
        for evidence in pieces:
            key = (evidence.cls, evidence.source, evidence.reason)
            known = merged.get(key)
            if known is None:
                merged[key] = evidence
            else:
                known.records += evidence.records
                known.names += [n for n in evidence.names if n not in known.names]
                known.datasets |= evidence.datasets
                if evidence.confidence is not None:
                    known.confidence = max(known.confidence or 0, evidence.confidence)
    evidence = sorted(merged.values(), key=lambda e: (_rank(e.cls), -(e.confidence or 0), e.reason))
    if removed and not any(e.cls == "vcse" and e.source == "register" for e in evidence):
        for e in evidence:  # the register says the charity was removed: its number or name no longer make it one
            if e.cls == "vcse" and (e.source == "registeredIdentifier" and any(i in e.reason for i in removed)
                                    or e.reason == "the name says it is a charity"):
                e.accepted = False
    _weigh_size(evidence)
    if any(e.cls == "publicBody" and e.accepted for e in evidence):
        for e in evidence:
            if e.cls == "sme":
                e.accepted = False  # a public body is never counted as an SME
    classes = [c for c in CLASSES if any(e.cls == c and e.accepted for e in evidence)]
    if not classes:
        evidence.append(Evidence("unknownClass", "noEvidence", None,
                                 "no flag, identifier, legal form or name says which class it is in"))
        classes = ["unknownClass"]
    return classes, evidence


def _rank(cls: str) -> int:
    return CLASSES.index(cls) if cls in CLASSES else len(CLASSES)


def _weigh_size(evidence: list[Evidence]) -> None:
    """SME and large contradict each other: keep the stronger side (by source), or neither."""
    weight = defaultdict(float)
    for cls in ("sme", "largeEnterprise"):
        best_by_source: dict[str, float] = {}
        for e in evidence:
            if e.cls == cls:
                best_by_source[e.source] = max(best_by_source.get(e.source, 0), e.confidence or 0)
        weight[cls] = sum(best_by_source.values())
    if weight["sme"] and weight["largeEnterprise"]:
        losers = {"sme", "largeEnterprise"} if weight["sme"] == weight["largeEnterprise"] else \
            {"largeEnterprise" if weight["sme"] > weight["largeEnterprise"] else "sme"}
        for e in evidence:
            if e.cls in losers:
                e.accepted = False
