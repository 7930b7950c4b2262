"""Supplier records as linking sees them, read from the live dataset graphs.

Only graphs that a catalogue record points at (``sv:namedGraph``) are read, so a
half-written or refused load never takes part. A record can be stated by several
datasets of its council (one per file); its facts are the union, and each flag keeps
the dataset and kind of file that stated it, because a council's own spend flag and a
contracts register's self-declaration deserve different trust.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from catalogue import iris
from catalogue.store import Store
from catalogue.store.paging import all_rows, csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.store.sparql_text import lexical
from catalogue.vocab import DCAT, DCTERMS, ORG, RDFS, SV

COMPANY = "GB-COH-"
CHARITY_SCHEMES = ("GB-CHC-", "GB-SC-", "GB-NIC-")


@dataclass(frozen=True)
class Flag:
    """A yes/no a file states about a supplier (``sme`` or ``vcse``)."""

    name: str
    value: bool
    dataset: str
    kind: str  # the dataset's kind notation: spend, suppliers, contracts, grants...


@dataclass
class SupplierRecord:
    iri: str
    council: str  # GSS code
    name: str = ""
    supplier_id: str = ""
    org_ids: set[str] = field(default_factory=set)  # GB-COH-..., GB-CHC-... (org-id.guide)
    vat_numbers: set[str] = field(default_factory=set)
    postcodes: set[str] = field(default_factory=set)
    flags: set[Flag] = field(default_factory=set)
    datasets: set[str] = field(default_factory=set)
    #: The last day its datasets cover (ISO; capped at today): the date a council it names is read on.
    last_date: str = ""
    #: Field -> dataset -> where its file holds it: 'column "Charity Number" of 2018-Q4.csv'.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def company_numbers(self) -> set[str]:
        return {i for i in self.org_ids if i.startswith(COMPANY)}

    @property
    def charity_numbers(self) -> set[str]:
        return {i for i in self.org_ids if i.startswith(CHARITY_SCHEMES)}


def _live(base: str) -> str:
    return (f"GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g . "
            f"OPTIONAL {{ ?ds {q(DCTERMS.type)} ?kind }} }}")


def _values(name: str, iris_: list[str] | None) -> str:
    if iris_ is None:
        return ""
    return f"VALUES ?{name} {{ {' '.join(q(i) for i in iris_)} }}"


def read_records(store: Store, base: str, only: list[str] | None = None,
                 held: dict[str, tuple[str, list]] | None = None) -> dict[str, SupplierRecord]:
    """Every supplier record in the live datasets (or only the given record IRIs).

    ``held``: dataset -> (graph, descriptions of the supplier records its load wrote there),
    as a manifest load hands them on (``summaries.Pending.suppliers``). A live dataset held
    for its live graph is read from those, and the store only for the others: reading
    every record of the DEV files back took 2 of a manifest load's 27 s.
    """
    council_prefix = iris.council(base, "")
    records: dict[str, SupplierRecord] = {}
    rest: list[str] | None = None  # the live datasets to read from the store (None: all)
    live: dict[str, tuple[str, str]] = {}
    if held and only is None:
        live = live_datasets(store, base)
        rest = sorted(ds for ds, (graph, _) in live.items() if held.get(ds, ("",))[0] != graph)
    if rest is None or rest:
        _stored_records(store, base, records, council_prefix, only, rest)
    for dataset in sorted(set(live).difference(rest or ())):
        kind = live[dataset][1].rsplit("#", 1)[-1]
        for description in held[dataset][1]:
            _held_record(records, description, dataset, kind, council_prefix)
    ends = dataset_ends(store, base)
    columns = source_columns(store, base)
    for record in records.values():
        record.last_date = max((ends.get(d, "") for d in record.datasets), default="")
        for dataset in record.datasets:
            for name, where in columns.get(dataset, {}).items():
                record.columns.setdefault(name, {})[dataset] = where
    return {iri: records[iri] for iri in sorted(records)}  # a stable order makes linking repeatable


def _stored_records(store: Store, base: str, records: dict[str, SupplierRecord], council_prefix: str,
                    only: list[str] | None, datasets: list[str] | None) -> None:
    """The records of the live datasets (of ``datasets``, when given) as the store holds them."""
    live = _values("ds", datasets) + _live(base)
    rows = all_rows(store, f"""SELECT ?s ?council ?name ?id ?ds WHERE {{ {_values('s', only)} {live}
        GRAPH ?g {{ ?s a {q(SV.Supplier)} ; {q(SV.recordedBy)} ?council .
                   OPTIONAL {{ ?s {q(RDFS.label)} ?name }} OPTIONAL {{ ?s {q(DCTERMS.identifier)} ?id }} }} }}""",
                    "?s ?ds ?name ?id")  # paged where the store cuts answers (Virtuoso's ResultSetMaxRows)
    for row in rows:
        record = records.get(row["s"])
        if record is None:
            record = records[row["s"]] = SupplierRecord(row["s"], _gss(row["council"], council_prefix),
                                                        row.get("name") or "", row.get("id") or "")
        record.datasets.add(row["ds"])
    facts = all_rows(store, f"""SELECT ?s ?p ?o ?ds ?kind WHERE {{ {_values('s', only)} {live}
        GRAPH ?g {{ VALUES ?p {{ {q(ORG.identifier)} {q(SV.vatNumber)} {q(SV.postcode)} {q(SV.smeFlag)} {q(SV.vcseFlag)} }}
                   ?s ?p ?o . ?s a {q(SV.Supplier)} }} }}""", "?s ?p ?o ?ds")
    kinds: dict[str, str] = {}
    for row in facts:
        record = records.get(row["s"])
        if record is None:
            continue
        p, o = row["p"], row["o"]
        if p == str(ORG.identifier):
            record.org_ids.add(o)
        elif p == str(SV.vatNumber):
            record.vat_numbers.add(o)
        elif p == str(SV.postcode):
            record.postcodes.add(o)
        else:
            kind = kinds.setdefault(row["kind"], row["kind"].rsplit("#", 1)[-1] if row["kind"] else "")
            name = "sme" if p == str(SV.smeFlag) else "vcse"
            record.flags.add(Flag(name, o in ("true", "1"), row["ds"], kind))


def _gss(council: str, council_prefix: str) -> str:
    """A council IRI's GSS code (an IRI outside the register's prefix as it is)."""
    return council[len(council_prefix):] if council.startswith(council_prefix) else council


#: The N-Triples form of the predicates a supplier record's description holds, and what each is.
_HELD = {q(term): what for term, what in (
    (SV.recordedBy, "council"), (RDFS.label, "name"), (DCTERMS.identifier, "id"), (ORG.identifier, "org"),
    (SV.vatNumber, "vat"), (SV.postcode, "postcode"), (SV.smeFlag, "sme"), (SV.vcseFlag, "vcse"))}


def _held_record(records: dict[str, SupplierRecord], description, dataset: str, kind: str,
                 council_prefix: str) -> None:
    """Add what one written description (``loaders.organisations.supplier_record``) says of its
    record, read as ``_stored_records`` reads the same triples from the store."""
    facts: dict[str, list[str]] = {}
    for _, p, o in description:
        if what := _HELD.get(p):
            facts.setdefault(what, []).append(lexical(o))
    node = description[0][0][1:-1]
    record = records.get(node)
    if record is None:
        record = records[node] = SupplierRecord(node, _gss(facts["council"][0], council_prefix),
                                                (facts.get("name") or [""])[0], (facts.get("id") or [""])[0])
    record.datasets.add(dataset)
    record.org_ids.update(facts.get("org", ()))
    record.vat_numbers.update(facts.get("vat", ()))
    record.postcodes.update(facts.get("postcode", ()))
    for name in ("sme", "vcse"):
        for value in facts.get(name, ()):
            record.flags.add(Flag(name, value in ("true", "1"), dataset, kind))


def live_datasets(store: Store, base: str) -> dict[str, tuple[str, str]]:
    """Dataset IRI -> (its live graph, its kind's IRI or "")."""
    return {r["ds"]: (r["g"], r.get("kind") or "")
            for r in csv_rows(store, f"SELECT ?ds ?g ?kind WHERE {{ {_live(base)} }}")}


def source_columns(store: Store, base: str) -> dict[str, dict[str, str]]:
    """Dataset IRI -> field -> 'column "<title as published>" of <file>': where a file held
    each field, so class evidence names the column as the council wrote it."""
    rows = all_rows(store, f"""SELECT ?ds ?field ?title ?file WHERE {{ GRAPH {q(iris.catalogue_graph(base))} {{
        ?ds {q(SV.sourceColumn)} ?c . ?c {q(SV.columnField)} ?field ; {q(SV.column)} ?title .
        OPTIONAL {{ ?ds {q(DCAT.distribution)}/{q(DCTERMS.title)} ?file }} }} }}""", "?ds ?field ?title ?file")
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        where = f'column "{r["title"]}"' + (f' of {r["file"]}' if r.get("file") else "")
        out.setdefault(r["ds"], {})[r["field"]] = where
    return out


def dataset_ends(store: Store, base: str) -> dict[str, str]:
    """Dataset IRI -> the last day its period covers (ISO), no later than today: a supplier
    list or contracts register that runs into the future names today's councils."""
    today = date.today().isoformat()
    rows = csv_rows(store, f"""SELECT ?ds ?end WHERE {{ {_live(base)}
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(DCTERMS.temporal)} ?t . ?t {q(DCAT.endDate)} ?end }} }}""")
    return {r["ds"]: min(r["end"][:10], today) for r in rows if r.get("end")}


def linked_records(store: Store, graph: str) -> dict[str, str]:
    """Record IRI -> canonical organisation IRI, as the links graph ``graph`` has them."""
    rows = all_rows(store, f"SELECT ?s ?o WHERE {{ GRAPH {q(graph)} {{ ?s {q(SV.canonicalOrganisation)} ?o }} }}", "?s")
    return {r["s"]: r["o"] for r in rows}


def records_by_council_name(records: dict[str, SupplierRecord]) -> dict[tuple[str, str, str], str]:
    """(GSS, name as published, supplier id) -> record IRI, for crosswalk-style references."""
    index: dict[tuple[str, str, str], str] = {}
    for record in records.values():
        index[(record.council, record.name, record.supplier_id)] = record.iri
    return index


def linkset_graph(store: Store, base: str) -> str | None:
    """The named graph that holds the current links (``None`` before the first link)."""
    rows = csv_rows(store, f"SELECT ?g WHERE {{ GRAPH {q(iris.catalogue_graph(base))} "
                           f"{{ {q(iris.linkset(base))} {q(SV.namedGraph)} ?g }} }}")
    return rows[0]["g"] if rows else None


def retired_organisations(store: Store, graph: str) -> dict[str, str]:
    rows = csv_rows(store, f"SELECT ?old ?new WHERE {{ GRAPH {q(graph)} {{ ?old {q(DCTERMS.isReplacedBy)} ?new }} }}")
    return {r["old"]: r["new"] for r in rows}
