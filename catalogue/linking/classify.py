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

from dataclasses import dataclass, field

from catalogue.linking import precedence
from catalogue.linking.precedence import NOT_VCSE, READ_FROM
from catalogue.linking.names import parse
from catalogue.linking.publicbodies import public_body_pattern, public_scheme
from catalogue.linking.records import COMPANY, SupplierRecord

CHARITY_COLUMN = "charity number"
#: Confidence by source (documented in ontology/linking.ttl and the README).
COUNCIL_FLAG, SELF_DECLARATION = 0.8, 0.5
CLASSES = ("sme", "largeEnterprise", "vcse", "publicBody", "individual")
SELF_DECLARED_KINDS = frozenset({"contracts", "procurementNotices"})  # a contracts register; OCDS notices
#: Title words of bodies a charity can be (a trust, a society, a community project...). A
#: charity number beside a company number and a limited company's name is taken as the
#: supplier's own only when the name has one: "Mott MacDonald Ltd" giving a charity number
#: is a firm naming a linked charity, "Eastmoor Community Project Ltd" a charitable company.
CHARITABLE_WORDS = frozenset({
    "trust", "trusts", "charity", "charitable", "charities", "foundation", "society", "association", "community",
    "communities", "cooperative", "operative", "mutual", "hospice", "church", "churches", "chapel", "diocese",
    "parish", "mission", "ministries", "project", "projects", "centre", "center", "network", "alliance", "voluntary",
    "volunteers", "volunteer", "club", "youth", "federation", "fund", "appeal", "aid", "relief", "action",
    "almshouses", "almshouse", "institute", "institution", "guild", "league", "scouts", "guides", "rescue",
    "sanctuary", "carers", "advice", "citizens", "people", "friends"})
#: Company numbers of forms that are VCSE forms themselves (a CIO, a registered society).
_VCSE_COMPANY = ("GB-COH-CE", "GB-COH-CS", "GB-COH-RS", "GB-COH-IP", "GB-COH-SP", "GB-COH-NP")
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
    column: str = ""  # the kind of column of the supplier's own record it was read from
    conflict: str = ""  # why it is not used: what outweighed it (``precedence``)
    protected: bool = False  # a public-body name the law reserves to public bodies
    where: set[str] = field(default_factory=set)  # 'column "Charity Number" of 2018-Q4.csv' (as published)

    @property
    def tier(self) -> int:
        """1 register, 2 published by a council or the supplier, 3 a pattern in the name."""
        return precedence.tier(self)

    @property
    def note(self) -> str:
        """Plain English: the reason, up to three names it was found in, and the columns as
        the councils' files head them."""
        found = ""
        if self.where:
            shown = sorted(self.where)
            found = f"{READ_FROM}{', '.join(shown[:3])}{f' and {len(shown) - 3} more' if len(shown) > 3 else ''}"
        if not self.names:
            return self.reason + found
        shown = ", ".join(repr(n) for n in self.names[:3])
        more = f" and {len(self.names) - 3} more" if len(self.names) > 3 else ""
        return f"{self.reason}: {shown}{more}{found}"


def _where(record: SupplierRecord, fields: tuple[str, ...]) -> set[str]:
    """Where the record's files hold the first of ``fields`` any of them has."""
    return next((set(record.columns[f].values()) for f in fields if record.columns.get(f)), set())


def _record_evidence(record: SupplierRecord, council_gss: str | None) -> list[Evidence]:
    out: list[Evidence] = []
    not_own = charity_number_not_own(record)
    for org_id in sorted(record.org_ids):
        for scheme, register in _CHARITY_SCHEMES.items():
            if org_id.startswith(scheme):
                out.append(Evidence("vcse", "registeredIdentifier", 0.95,
                                    f"registered charity {org_id} ({register})", column=CHARITY_COLUMN,
                                    accepted=not not_own, conflict=not_own,
                                    where=_where(record, ("charity_number", "org_identifier", "company_number"))))
        company = _where(record, ("company_number", "org_identifier"))
        if org_id.startswith(("GB-COH-CE", "GB-COH-CS")):
            out.append(Evidence("vcse", "registeredIdentifier", 0.95,
                                f"{org_id} is a charitable incorporated organisation at Companies House",
                                column="company number", where=company))
        elif org_id.startswith(("GB-COH-RS", "GB-COH-IP", "GB-MPR-")):
            out.append(Evidence("vcse", "registeredIdentifier", 0.6,
                                f"{org_id} is a registered society (co-operative or community benefit society)",
                                column="company number", where=company))
        elif scheme := public_scheme(org_id):
            out.append(Evidence("publicBody", "registeredIdentifier", scheme.confidence,
                                f"{org_id} is an identifier of a {scheme.kind}", column="organisation identifier",
                                protected=scheme.protected,
                                where=_where(record, ("org_identifier", "company_number", "charity_number"))))
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
        where = record.columns.get(flag.name, {}).get(flag.dataset)
        out.append(Evidence(cls, source, confidence, reason, datasets={flag.dataset}, column=f"{flag.name} flag",
                            where={where} if where else set()))
    if record.name:
        out += _name_evidence(record.name, council_gss)
    for evidence in out:
        evidence.records.append(record.iri)
    return out


def _ordinary_companies(records) -> set[str]:
    return {c for r in records for c in r.company_numbers if not c.startswith(_VCSE_COMPANY)}


def charity_number_not_own(record: SupplierRecord) -> str:
    """Why a charity number in the record is not the supplier's own, else "".

    Whose number it is follows from the rest of the record, not from the column alone: a
    company (a company number beside it) can be a charity only when limited by guarantee.
    Its name settles that when it declares a form no charity takes (a plc, an LLP; a CIC is
    barred from registering as a charity), when it is a trading company (a charity's
    trading arm is not the charity), or when it is a limited company's name with no word of
    the bodies charities are (``CHARITABLE_WORDS``): such a firm may give the number of a
    charity it runs or supports. Only the register settles whose the number is then."""
    companies = _ordinary_companies([record])
    if not companies or not record.name:
        return ""
    parsed = parse(record.name)
    company = sorted(companies)[0].removeprefix(COMPANY)
    form = next((f for f in ("plc", "llp", "cic") if f in parsed.forms), "")
    if form:
        return (f"not the supplier's own: company {company} is {'a ' + form.upper()}, a form no registered charity "
                f"takes, so the number is another body's")
    words = set(parsed.key.split())
    if "trading" in words:
        return (f"not the supplier's own: company {company} is a trading company, and a charity's trading "
                f"company is not the charity")
    if "ltd" in parsed.forms and not words & CHARITABLE_WORDS:
        return (f"not shown to be the supplier's own: beside company {company} and a limited company's name with "
                f"no word of a charity, the number may be a linked charity's (only the register settles whose)")
    return ""


def _charities_not_own(records: list[SupplierRecord], entries: list) -> dict[str, str]:
    """Charity register entries (IRI -> why) that are not the supplier's: the supplier is a
    company and the register of charities gives the charity another company number, or
    none while Companies House says what the supplier's company is (a charity the register
    gives no company number is not incorporated as that company). A blank in both says
    nothing either way."""
    companies = _ordinary_companies(records)
    out: dict[str, str] = {}
    if not companies:
        return out
    known = [e for e in entries if e.kind == "companies-house" and e.org_id in companies and e.get("category")]
    for entry in entries:
        if entry.kind != "charities" or entry.get("company") in companies:
            continue
        if entry.get("company"):
            said = f"is company {entry.get('company').removeprefix(COMPANY)}"
        elif known:
            said = f"gives it no company number, and Companies House says {known[0].org_id} is a {known[0].get('category')}"
        else:
            continue
        out[entry.iri] = (f"not the supplier's own: the register of charities says {entry.org_id} {said}; the "
                          f"supplier is company {', '.join(sorted(c.removeprefix(COMPANY) for c in companies))}")
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
    elif kind := public_body_pattern(parsed):
        out.append(Evidence("publicBody", "publicBodyName", kind.confidence, f"named as a {kind.kind}",
                            protected=kind.protected))
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
        others = _charities_not_own(records, entries)
        removed = removed_charities([e for e in entries if e.iri not in others])
        pieces = register_evidence(entries)
        for evidence in pieces:
            if why := next((others[d] for d in sorted(evidence.datasets) if d in others), ""):
                evidence.accepted, evidence.conflict = False, why
        found.append((None, pieces))
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
                known.where |= evidence.where
                if evidence.accepted and not known.accepted:  # one record gives it as its own
                    known.accepted, known.conflict = True, ""
                if evidence.confidence is not None:
                    known.confidence = max(known.confidence or 0, evidence.confidence)
    evidence = sorted(merged.values(), key=lambda e: (_rank(e.cls), -(e.confidence or 0), e.reason))
    if removed and not any(e.cls == "vcse" and e.source == "register" for e in evidence):
        for e in evidence:  # the register says the charity was removed: its number or name no longer make it one
            if e.cls == "vcse" and (e.source == "registeredIdentifier" and any(i in e.reason for i in removed)
                                    or e.reason == "the name says it is a charity"):
                e.accepted, e.conflict = False, "the register of charities says it was removed"
    not_own_charity_numbers(evidence, council_gss)
    precedence.settle(evidence)
    classes = [c for c in CLASSES if any(e.cls == c and e.accepted for e in evidence)]
    if not classes:
        evidence.append(Evidence("unknownClass", "noEvidence", None,
                                 "no flag, identifier, legal form or name says which class it is in"))
        classes = ["unknownClass"]
    return classes, evidence


def _rank(cls: str) -> int:
    return CLASSES.index(cls) if cls in CLASSES else len(CLASSES)


def not_own_charity_numbers(evidence: list[Evidence], council_gss: str | None) -> None:
    """A charity number published beside a body that cannot be that charity is not evidence:

    - beside a council of the register, or a name or identifier the law reserves to public
      bodies (NHS trusts, police, government): it is the number of the body's linked charity
      (an NHS trust's charitable funds are a charity of their own);
    - beside a company the register says has a legal form no charity takes (a company
      limited by shares): it is another body's number found in the supplier's row.
    """
    public = next((e for e in evidence if e.accepted and (e.source == "councilRegister" or
                   (e.cls == "publicBody" and e.protected))), None)
    company = next((e for e in evidence if e.source == "register" and e.reason.startswith(NOT_VCSE)), None)
    for e in evidence:
        if e.cls != "vcse" or e.source != "registeredIdentifier" or e.column != CHARITY_COLUMN:
            continue
        if company is not None:  # the register's word on the legal form is the strongest reason
            e.accepted, e.conflict = False, f"not the supplier's own: the register says {company.reason}"
        elif public is not None and e.accepted:
            e.accepted, e.conflict = False, (f"not the body's own: a charity number beside a public body "
                                             f"(its linked charity's); {public.note}")
