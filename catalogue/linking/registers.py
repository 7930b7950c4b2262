"""Supplier records matched to official registers by identifier, and what the registers say.

A supplier record that publishes a company or charity number (``SupplierRecord.org_ids``)
is matched to the register entry with the same org-id (``GB-COH-01243967``), and to the
charity whose register entry names that company (a charitable company), and back. Only
live register datasets take part (a catalogue record points at their graph). What the
entries say becomes class evidence (``catalogue.linking.classify``), each piece naming
the register, the identifier and its date, by the official definitions:

- SME by PPN 001 (2025): the Companies House accounts category (micro, small, abridged
  and total-exemption accounts are only open to small companies; medium accounts to
  medium ones) -> SME; full or group accounts -> not proven an SME (size unknown, said
  so); dormant, no accounts, subsidiaries -> unknown.
  A charity's latest income within the £44m turnover limit -> SME (staff unknown).
- VCSE: a registered charity (not a removed one), a CIO, a CIC, a registered society
  (co-operative or community benefit society), a company limited by guarantee that is
  a registered charity. A guarantee company alone is not VCSE.
- Place: the registered postcode and, through the ONS Postcode Directory, its local
  authority district and county, so "local to the paying council" is a comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogue import iris, kinds
from catalogue.linking import register_match
from catalogue.linking.records import SupplierRecord
from catalogue.linking.register_match import Ambiguous, NameMatch
from catalogue.store import Store
from catalogue.store.paging import csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, ORG, RDFS, SV

#: PPN 001 (2025 edition): an SME has fewer than 250 staff and turnover <= £44m or balance sheet <= £38m.
SME_TURNOVER = 44_000_000
#: Accounts categories only small or medium companies may file (Companies Act 2006 ss. 382-384, 465-467).
SME_ACCOUNTS = {"MICRO ENTITY": 0.9, "SMALL": 0.9, "TOTAL EXEMPTION SMALL": 0.85, "TOTAL EXEMPTION FULL": 0.8,
                "UNAUDITED ABRIDGED": 0.85, "AUDITED ABRIDGED": 0.85, "MEDIUM": 0.75}
NOT_PROVEN = frozenset({"FULL", "GROUP"})
#: The register kinds (``catalogue.kinds``, from the ontology) by their term.
KINDS = {str(kinds.TERMS[name]): name for name in sorted(kinds.REGISTER_KINDS)}
NAMES = {"companies-house": "Companies House", "charities": "Charity Commission register"}
CHUNK = 400

PROPERTIES = {str(RDFS.label): "name", str(SV.registerStatus): "status", str(SV.organisationCategory): "category",
              str(SV.accountsCategory): "accounts", str(SV.accountsMadeUpTo): "accounts_date",
              str(SV.incorporationDate): "incorporated", str(SV.dissolutionDate): "dissolved",
              str(SV.registrationDate): "registered", str(SV.removalDate): "removed",
              str(SV.latestIncome): "income", str(SV.financialPeriodEnd): "period_end",
              str(SV.registeredCompany): "company", str(SV.registeredPostcode): "postcode",
              str(SV.charitableIncorporatedOrganisation): "cio", str(SV.extractDate): "extract_date",
              str(SV.sicCode): "sic", str(SV.previousName): "previous"}
MULTI = frozenset({"sic", "previous"})


@dataclass
class Entry:
    """One register entry as linking needs it."""

    iri: str
    org_id: str
    kind: str  # companies-house | charities
    dataset: str
    loaded: str = ""  # the extract's date from its file name, else the dataset's load date
    facts: dict = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.facts.get(name, "")

    @property
    def date(self) -> str:
        """The date of what the entry says: the extract's date, else the load's."""
        return self.get("extract_date") or self.loaded

    @property
    def where(self) -> str:
        return f"{NAMES[self.kind]} {self.org_id}" + (f" (as of {self.date})" if self.date else "")


@dataclass
class Registers:
    """The register entries and postcode areas a set of records can use."""

    entries: dict[str, Entry] = field(default_factory=dict)
    charities_of: dict[str, list[str]] = field(default_factory=dict)  # company org-id -> charity org-ids
    areas: dict[str, dict[str, str]] = field(default_factory=dict)  # postcode -> {local_authority, county, region}
    by_name: dict[str, NameMatch] = field(default_factory=dict)  # record -> its match without an identifier
    ambiguous: dict[str, Ambiguous] = field(default_factory=dict)  # record -> candidates left for a person

    def matched(self, records: list[SupplierRecord]) -> list[Entry]:
        """The entries the records' identifiers lead to (charitable companies both ways),
        and those their names matched (``register_match``)."""
        ids = {i for r in records for i in r.org_ids}
        if self.by_name:
            ids |= {self.by_name[r.iri].org_id for r in records if r.iri in self.by_name}
        found: dict[str, Entry] = {}
        for org_id in sorted(ids):
            for key in [org_id, *self.charities_of.get(org_id, ())]:
                if entry := self.entries.get(key):
                    found[key] = entry
        for entry in list(found.values()):
            company = entry.get("company")
            if company and company in self.entries:
                found.setdefault(company, self.entries[company])
        return [found[k] for k in sorted(found)]

    def name_evidence(self, records: list[SupplierRecord]) -> list:
        """The records' matches by name and their ambiguous candidates, for the links graph."""
        if not (self.by_name or self.ambiguous):
            return []
        return [found for r in records for found in (self.by_name.get(r.iri), self.ambiguous.get(r.iri)) if found]

    def place(self, records: list[SupplierRecord], entries: list[Entry]) -> dict[str, str]:
        """``{postcode, local_authority, county}``: the register's postcode first, else the
        records' own postcodes when they all lie in one local authority."""
        for entry in sorted(entries, key=lambda e: e.kind != "companies-house"):
            if postcode := entry.get("postcode"):
                return {"postcode": postcode, "source": entry.org_id, **self.areas.get(postcode, {})}
        postcodes = sorted({p for r in records for p in r.postcodes})
        known = {p: self.areas[p] for p in postcodes if p in self.areas}
        districts = {a.get("local_authority") for a in known.values()}
        if len(districts) == 1 and None not in districts:
            postcode = next(iter(known))
            return {"postcode": postcode, "source": "file", **known[postcode]}
        return {"postcode": postcodes[0], "source": "file"} if len(postcodes) == 1 else {}


def live_registers(store: Store, base: str) -> list[tuple[str, str, str, str]]:
    """(dataset, graph, kind, load date) of every live register dataset."""
    values = " ".join(q(k) for k in KINDS)
    rows = csv_rows(store, f"""SELECT ?ds ?g ?kind ?modified ?extract WHERE {{ GRAPH {q(iris.catalogue_graph(base))} {{
        VALUES ?kind {{ {values} }} ?ds {q(SV.namedGraph)} ?g ; {q(DCTERMS.type)} ?kind .
        OPTIONAL {{ ?ds {q(DCTERMS.modified)} ?modified }} }}
        OPTIONAL {{ GRAPH ?g {{ ?ds {q(SV.extractDate)} ?extract }} }} }}""")
    return sorted((r["ds"], r["g"], KINDS[r["kind"]], r.get("extract") or (r.get("modified") or "")[:10])
                  for r in rows)


def read_registers(store: Store, base: str, records) -> Registers:
    """The register entries and postcode areas for these records (empty when no register is loaded)."""
    out = Registers()
    live = live_registers(store, base)
    entry_graphs = [row for row in live if row[2] != "postcodes"]
    records = list(records)
    if entry_graphs:
        ids = sorted({i for r in records for i in r.org_ids})
        _read_entries(store, entry_graphs, ids, out, ORG.identifier)
        _read_entries(store, entry_graphs, ids, out, SV.registeredCompany)
        second = sorted({e.get("company") for e in out.entries.values() if e.get("company")} - set(out.entries))
        _read_entries(store, entry_graphs, second, out, ORG.identifier)
        for entry in out.entries.values():
            if entry.kind == "charities" and entry.get("company"):
                out.charities_of.setdefault(entry.get("company"), []).append(entry.org_id)
    found = register_match.candidates(store, [g for _, g, _, _ in entry_graphs], records)
    postcode_graphs = [row for row in live if row[2] == "postcodes"]
    if postcode_graphs:
        wanted = {p for r in records for p in r.postcodes} | {e.get("postcode") for e in out.entries.values()} | {
            c.postcode for cs in found.values() for c in cs}
        _read_areas(store, postcode_graphs, sorted(p for p in wanted if p), out)
    out.by_name, out.ambiguous = register_match.decide(records, found, out.areas)
    named = sorted({m.org_id for m in out.by_name.values()} - set(out.entries))
    if named:
        _read_entries(store, entry_graphs, named, out, ORG.identifier)
        for org_id in named:
            entry = out.entries.get(org_id)
            if entry and entry.kind == "charities" and entry.get("company"):
                out.charities_of.setdefault(entry.get("company"), []).append(entry.org_id)
    return out


def _read_entries(store: Store, live, ids: list[str], out: Registers, via) -> None:
    graphs = {g: (ds, kind, loaded) for ds, g, kind, loaded in live}
    wanted = [ORG.identifier, *PROPERTIES]
    for start in range(0, len(ids), CHUNK):
        for (graph, node), facts in register_match.entry_facts(store, via, ids[start:start + CHUNK], wanted).items():
            if graph not in graphs or not facts.get(str(ORG.identifier)):
                continue
            org_id = facts[str(ORG.identifier)][0]
            ds, kind, loaded = graphs[graph]
            entry = out.entries.get(org_id)
            if entry is None or (entry.dataset != ds and entry.loaded < loaded):  # the newest extract wins
                entry = out.entries[org_id] = Entry(node, org_id, kind, ds, loaded)
            elif entry.dataset != ds:
                continue
            for predicate, objects in facts.items():
                name = PROPERTIES.get(predicate)
                if name in MULTI:
                    entry.facts.setdefault(name, [])
                    entry.facts[name] += [o for o in objects if o not in entry.facts[name]]
                elif name is not None:
                    entry.facts[name] = objects[0]


def _read_areas(store: Store, live, postcodes: list[str], out: Registers) -> None:
    graphs = {g for _, g, _, _ in live}
    prefix = iris.geography("")
    fields = (("local_authority", SV.localAuthorityArea), ("county", SV.countyArea), ("region", SV.regionArea))
    for start in range(0, len(postcodes), CHUNK):
        for (graph, _), facts in register_match.entry_facts(store, SV.postcode, postcodes[start:start + CHUNK],
                                                            [SV.postcode] + [t for _, t in fields]).items():
            if graph not in graphs or not facts.get(str(SV.localAuthorityArea)) or not facts.get(str(SV.postcode)):
                continue
            out.areas[facts[str(SV.postcode)][0]] = {
                name: facts[str(term)][0].removeprefix(prefix) for name, term in fields if facts.get(str(term))}
