"""An in-memory index of canonical organisations, for reconciliation and suggestions.

Built from the links graph in a few paged queries (so it works under the web tier's row
limit) and rebuilt when the linkset's ``dcterms:modified`` changes. It holds, per
organisation: its label and every published name (as keys), identifiers, VAT numbers,
postcodes, classes and the councils whose records link to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from catalogue import iris
from catalogue.linking.records import linkset_graph
from catalogue.store.paging import all_rows, csv_rows
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, ORG, RDFS, SKOS, SV


@dataclass
class Entry:
    iri: str
    key: str  # the part after {base}id/organisation/: the reconciliation id
    label: str
    names: set[str] = field(default_factory=set)  # published names
    name_keys: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    vat_numbers: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)  # local names
    councils: set[str] = field(default_factory=set)  # GSS codes
    record_count: int = 0


@dataclass
class Index:
    version: str
    entries: list[Entry]
    council_names: dict[str, str]  # GSS -> name
    by_identifier: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[str, int] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # every name key, for fuzzy search
    key_owner: list[int] = field(default_factory=list)

    def finish(self) -> Index:
        for n, entry in enumerate(self.entries):
            self.by_id[entry.key] = n
            for value in entry.identifiers | entry.vat_numbers:
                self.by_identifier[value].append(n)
            for key in entry.name_keys:
                self.by_key[key].append(n)
                self.keys.append(key)
                self.key_owner.append(n)
        return self

    def council(self, value: str) -> str | None:
        """A GSS code from a code or a council's name, as a user may type it."""
        text = value.strip()
        if re.fullmatch(r"[EWSN]\d{8}", text.upper()):
            return text.upper()
        wanted = text.casefold()
        for gss, name in self.council_names.items():
            if name.casefold() == wanted:
                return gss
        for gss, name in self.council_names.items():
            if wanted and wanted in name.casefold():
                return gss
        return None


def version(store: Store, base: str) -> str:
    """What the index was built from: the links graph and its last modification."""
    rows = csv_rows(store, f"""SELECT ?g ?m WHERE {{ GRAPH {q(iris.catalogue_graph(base))} {{
        {q(iris.linkset(base))} {q(SV.namedGraph)} ?g . OPTIONAL {{ {q(iris.linkset(base))} {q(DCTERMS.modified)} ?m }} }} }}""")
    return f"{rows[0]['g']} {rows[0].get('m', '')}" if rows else ""


def build(store: Store, base: str) -> Index:
    """Read every organisation of the current links into an index."""
    graph = linkset_graph(store, base)
    if graph is None:
        return Index("", [], {}).finish()
    g = q(graph)  # a constant graph name: the engine then reads that graph only
    prefix = iris.organisation(base, "")
    entries: dict[str, Entry] = {}  # filled in IRI order below, so the index is repeatable
    for r in all_rows(store, f"""SELECT ?org ?label ?n WHERE {{ GRAPH {g} {{
            ?org a {q(ORG.Organization)} ; {q(RDFS.label)} ?label .
            OPTIONAL {{ ?org {q(SV.recordCount)} ?n }} }} }}""", order="?org"):
        entries[r["org"]] = Entry(r["org"], r["org"][len(prefix):], r["label"], {r["label"]},
                                  record_count=int(r.get("n") or 0))
    facts = {SKOS.altLabel: "names", SV.nameKey: "name_keys", ORG.identifier: "identifiers",
             SV.vatNumber: "vat_numbers", SV.postcode: "postcodes", SV.socialValueClass: "classes",
             SV.paidBy: "councils"}
    council_prefix = iris.council(base, "")
    for predicate, name in facts.items():  # one small query each: stays under a web store's row limit
        for r in all_rows(store, f"SELECT ?org ?o WHERE {{ GRAPH {g} {{ ?org {q(predicate)} ?o }} }}",
                          order="?org ?o"):
            entry = entries.get(r["org"])
            if entry is None:
                continue
            value = r["o"]
            if predicate == SV.socialValueClass:
                value = value.rsplit("#", 1)[-1]
            elif predicate == SV.paidBy:
                value = value[len(council_prefix):]
            getattr(entry, name).add(value)
    names = {r["council"][len(council_prefix):]: r["name"] for r in csv_rows(store, f"""
        SELECT DISTINCT ?council ?name WHERE {{ GRAPH {g} {{ ?org {q(SV.paidBy)} ?council }}
        ?council {q(SKOS.prefLabel)} ?name }}""")}
    return Index(version(store, base), [entries[k] for k in sorted(entries)], names).finish()
