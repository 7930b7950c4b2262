"""Which organisations a load's new supplier records can change: the region an incremental link re-links.

A new record can join an organisation, and it can *bridge* two: "British Telecom PLC"
shares a name with one organisation and a company number with another, and a full link
makes them one. So the incremental link (``incremental``) does not pin the records it
already holds: it re-clusters, from scratch, the new records together with every record of
every organisation a new record could meet in clustering, and merges or splits them as a
full link would. A new record can meet an organisation that

- publishes one of its company, charity or VAT numbers (``org:identifier``, ``sv:vatNumber``);
- has one of its name keys, core names or blocking keys (``sv:nameKey``, ``sv:blockKey``,
  kept on every organisation for this), or the key of the firm a branch name belongs to,
  or a name the register gives its company number (a renamed firm);
- or has a name that is a public-body variant of its name ("HMRC", "HM Revenue &
  Customs": ``corpus.Corpus.variant_records``).

The "new" records are those no organisation holds yet *and* every record the loaded
datasets state: a council's record stated by an earlier file may gain its company number
from a later one (a contracts register naming a supplier its spend file paid), which can
change its organisation, that organisation's class and its name.

The region is widened by the identifiers and exact names of the organisations found
(``expand``): two organisations that share a number or a name but were kept apart by
a rule (two councils, a partnership and a company) may join once a new record adds to one.
"""

from __future__ import annotations

from catalogue import iris
from catalogue.linking.cluster import block_keys
from catalogue.linking.corpus import Corpus
from catalogue.linking.establishments import branch_parent
from catalogue.linking.names import parse
from catalogue.store import Store
from catalogue.store.paging import csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import ORG, SV

BATCH = 1500
#: Rounds of widening by the identifiers and exact names of the organisations found.
ROUNDS = 2


def unlinked(store: Store, base: str, graph: str) -> list[str]:
    """Supplier records of live datasets that the links graph does not hold."""
    rows = csv_rows(store, f"""SELECT DISTINCT ?s WHERE {{
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s a {q(SV.Supplier)} }}
        FILTER NOT EXISTS {{ GRAPH {q(graph)} {{ ?s {q(SV.canonicalOrganisation)} ?o }} }} }}""")
    return sorted(r["s"] for r in rows)


def records_of(store: Store, base: str, datasets) -> list[str]:
    """Supplier records the given datasets state: a record already linked (stated by another
    file of its council) may have gained an identifier, a postcode or a flag from them."""
    if not datasets:
        return []
    values = " ".join(q(d) for d in sorted(datasets))
    rows = csv_rows(store, f"""SELECT DISTINCT ?s WHERE {{
        GRAPH {q(iris.catalogue_graph(base))} {{ VALUES ?ds {{ {values} }} ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s a {q(SV.Supplier)} }} }}""")
    return sorted(r["s"] for r in rows)


def select_in(store: Store, template: str, values: list[str], literal: bool) -> list[dict]:
    """Rows of ``template`` with ``$VALUES`` replaced by each batch of ``values``."""
    rows = []
    for start in range(0, len(values), BATCH):
        chunk = values[start:start + BATCH]
        terms = " ".join(('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"') if literal else q(v)
                         for v in chunk)
        rows += csv_rows(store, template.replace("$VALUES", terms))
    return rows


def keys_of(records, aliases: dict[str, list[tuple[str, str]]] | None = None,
            blocks: bool = True) -> tuple[set[str], set[str], set[str], set[str]]:
    """(name keys, block keys, identifiers, VAT numbers) by which ``records`` meet organisations."""
    names, blocked, ids, vats = set(), set(), set(), set()
    for record in records:
        ids |= record.org_ids
        vats |= record.vat_numbers
        spelled = [record.name] + [name for name, _ in (aliases or {}).get(record.iri, ())]
        for name in filter(None, spelled):
            parsed = parse(name)
            names |= {parsed.key, parsed.core} - {""}
            if parent := branch_parent(parsed):
                names.add(parent)
            if blocks:
                blocked |= block_keys(parsed.core)
    return names, blocked, ids, vats


def organisations_meeting(store: Store, graph: str, names, blocked, ids, vats) -> set[str]:
    """The organisations with any of these name keys, block keys, identifiers or VAT numbers."""
    orgs: set[str] = set()
    for prop, values in ((SV.nameKey, names), (SV.blockKey, blocked), (ORG.identifier, ids), (SV.vatNumber, vats)):
        found = select_in(store, f"SELECT DISTINCT ?org WHERE {{ GRAPH {q(graph)} {{ VALUES ?v {{ $VALUES }} "
                                 f"?org {q(prop)} ?v }} }}", sorted(values), literal=True)
        orgs |= {r["org"] for r in found}
    return orgs


def members(store: Store, graph: str, organisations: set[str]) -> dict[str, str]:
    """Record -> organisation, for every record of these organisations."""
    rows = select_in(store, f"SELECT ?rec ?org WHERE {{ GRAPH {q(graph)} {{ VALUES ?org {{ $VALUES }} "
                            f"?rec {q(SV.canonicalOrganisation)} ?org }} }}", sorted(organisations), literal=False)
    return {r["rec"]: r["org"] for r in rows}


def organisations_of(store: Store, graph: str, records: set[str]) -> set[str]:
    rows = select_in(store, f"SELECT ?org WHERE {{ GRAPH {q(graph)} {{ VALUES ?rec {{ $VALUES }} "
                            f"?rec {q(SV.canonicalOrganisation)} ?org }} }}", sorted(records), literal=False)
    return {r["org"] for r in rows}


def region(store: Store, graph: str, new, corpus: Corpus, aliases=None) -> set[str]:
    """The organisations the new records (``SupplierRecord`` values) can meet in clustering,
    and those that hold any of them already (a record a new file states again)."""
    names, blocked, ids, vats = keys_of(new, aliases)
    orgs = organisations_meeting(store, graph, names, blocked, ids, vats)
    orgs |= organisations_of(store, graph, {r.iri for r in new})
    orgs |= organisations_of(store, graph, corpus.variant_records(names) - {r.iri for r in new})
    return orgs


def expand(store: Store, graph: str, orgs: set[str]) -> set[str]:
    """Widen ``orgs`` by the organisations sharing an identifier, a VAT number or an exact
    name key with one of them, ``ROUNDS`` times or until nothing new."""
    done: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for _ in range(ROUNDS):
        todo = orgs - done
        if not todo:
            break
        done |= todo
        rows = select_in(store, f"SELECT ?p ?v WHERE {{ GRAPH {q(graph)} {{ VALUES ?org {{ $VALUES }} "
                                f"VALUES ?p {{ {q(SV.nameKey)} {q(ORG.identifier)} {q(SV.vatNumber)} }} "
                                f"?org ?p ?v }} }}", sorted(todo), literal=False)
        keys = {(r["p"], r["v"]) for r in rows} - seen
        seen |= keys
        by = {p: {v for k, v in keys if k == p} for p in (str(SV.nameKey), str(ORG.identifier), str(SV.vatNumber))}
        orgs = orgs | organisations_meeting(store, graph, by[str(SV.nameKey)], set(), by[str(ORG.identifier)],
                                            by[str(SV.vatNumber)])
    return orgs
