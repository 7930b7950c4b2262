"""Datasets over time: series of a council's files, change records, withdrawal.

Each council's files of one kind form a ``dcat:DatasetSeries`` (``{base}id/dataset/{GSS}/{kind}``,
the parent of their dataset IRIs); each dataset is ``dcat:inSeries`` it. Every load, reload
and withdrawal leaves an ``sv:DatasetChange`` in the catalogue graph (``{dataset}#change-...``,
which a reload's record swap keeps): when, which kind of change, the file's sha256, and how
many source rows were added and removed compared with the version before (rows compared by
content, through the ``sv:rowDigests`` a load writes on the dataset, a chunk of rows each).

``remove_dataset`` withdraws a dataset in one transaction (its record out, its change record
in, the series dropped with its last member), then drops its graph and publishes; a crash
between the two leaves an unreferenced graph that the next load collects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from rdflib import Graph, Literal, URIRef

from catalogue import iris, kinds
from catalogue.digests import RowDigests
from catalogue.errors import NotFound
from catalogue.records import timestamp
from catalogue.store import Store
from catalogue.store import sparql_text as q
from catalogue.summaries import councils, social_value
from catalogue.vocab import DCAT, DCTERMS, RDF, RDFS, SPDX, SV, XSD


@dataclass
class Change:
    dataset: str
    kind: str  # "firstLoad" | "reload" | "withdrawal"
    sha256: str | None
    filename: str | None
    rows_added: int
    rows_removed: int
    rows_after: int
    who: str | None = None  # the publishing token's name, or the operator's command


def row_digests(store: Store, graph: str) -> RowDigests:
    """The distinct row digests of a dataset version (its rows, by content), read as TSV
    rather than as millions of rdflib terms."""
    sparql = f"SELECT ?d WHERE {{ GRAPH {q.iri(graph)} {{ ?s {q.iri(SV.rowDigests)} ?d }} }}"
    _, _, body = store.query_raw(sparql, results_type="text/tab-separated-values", graph_type="application/n-triples")
    return RowDigests.from_tsv(body)


def change_for_load(store: Store, dataset: str, previous_graph: str | None, digests: RowDigests, sha256: str,
                    filename: str, rows_loaded: int, who: str | None = None) -> Change:
    """What a load changes: rows whose content is new, and rows of the old version now gone."""
    if not previous_graph:
        return Change(dataset, "firstLoad", sha256, filename, rows_loaded, 0, rows_loaded, who)
    added, removed = digests.changes(row_digests(store, previous_graph))
    return Change(dataset, "reload", sha256, filename, added, removed, rows_loaded, who)


def change_graph(change: Change) -> Graph:
    """The change record's triples (in the catalogue graph, kept across reloads)."""
    when = datetime.now(timezone.utc)  # to the microsecond: changes in one second still sort
    node = URIRef(f"{change.dataset}#change-{when.strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:6]}")
    g = Graph()
    g.add((node, RDF.type, SV.DatasetChange))
    g.add((node, SV.changeOf, URIRef(change.dataset)))
    g.add((node, DCTERMS.type, SV[change.kind]))
    g.add((node, DCTERMS.date, timestamp(when)))
    g.add((node, RDFS.label, Literal(f"{change.kind} of {change.dataset.rsplit('/', 1)[-1]}", lang="en")))
    g.add((node, SV.rowsAdded, Literal(change.rows_added, datatype=XSD.integer)))
    g.add((node, SV.rowsRemoved, Literal(change.rows_removed, datatype=XSD.integer)))
    g.add((node, SV.loadedRowCount, Literal(change.rows_after, datatype=XSD.integer)))
    if change.filename:
        g.add((node, DCTERMS.source, Literal(change.filename)))
    if change.who:
        g.add((node, SV.changedBy, Literal(change.who)))
    if change.sha256:
        checksum = URIRef(f"{node}-sha256")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(change.sha256, datatype=XSD.hexBinary)))
    return g


def series_graph(base: str, gss: str, kind: str, council_iri: str, council_name: str) -> Graph:
    """The council's series of files of one kind (inserted with each member's record)."""
    series = URIRef(iris.series(base, gss, kind))
    g = Graph()
    g.add((series, RDF.type, DCAT.DatasetSeries))
    title = Literal(f"{council_name} {kind} files", lang="en")
    g.add((series, DCTERMS.title, title))
    g.add((series, RDFS.label, title))
    g.add((series, DCTERMS.publisher, URIRef(council_iri)))
    if kind in kinds.TERMS:
        g.add((series, DCTERMS.type, kinds.TERMS[kind]))
    return g


def changes(store: Store, base: str, dataset: str) -> list[dict]:
    """The change records of a dataset, oldest first (also after it was withdrawn)."""
    cat = q.iri(iris.catalogue_graph(base))
    rows = store.select(f"""
        SELECT ?change ?type ?date ?added ?removed ?after ?sha ?who WHERE {{ GRAPH {cat} {{
          ?change {q.iri(SV.changeOf)} {q.iri(dataset)} ; {q.iri(DCTERMS.type)} ?type ; {q.iri(DCTERMS.date)} ?date ;
                  {q.iri(SV.rowsAdded)} ?added ; {q.iri(SV.rowsRemoved)} ?removed ; {q.iri(SV.loadedRowCount)} ?after .
          OPTIONAL {{ ?change {q.iri(SPDX.checksum)}/{q.iri(SPDX.checksumValue)} ?sha }}
          OPTIONAL {{ ?change {q.iri(SV.changedBy)} ?who }} }} }}
        ORDER BY ?date ?change""").rows
    return [{"change": str(r["change"]), "type": str(r["type"]).rsplit("#", 1)[-1], "date": str(r["date"]),
             "rows_added": int(r["added"]), "rows_removed": int(r["removed"]), "rows_after": int(r["after"]),
             "sha256": str(r["sha"]) if r.get("sha") else None, "who": str(r["who"]) if r.get("who") else None}
            for r in rows]


def resolve_dataset(base: str, name: str) -> str:
    """``E08000035/spend/2013-12`` or the full IRI -> the dataset IRI."""
    if name.startswith(("http://", "https://")):
        return name
    return f"{base}id/dataset/{name.strip('/')}"


def remove_dataset(store: Store, base: str, dataset: str) -> Change:
    """Withdraw a dataset: record and graph out, a withdrawal change record in."""
    cat = iris.catalogue_graph(base)
    rows = store.select(f"""SELECT ?graph ?rows ?series ?council WHERE {{ GRAPH {q.iri(cat)} {{
        {q.iri(dataset)} {q.iri(SV.namedGraph)} ?graph .
        OPTIONAL {{ {q.iri(dataset)} {q.iri(DCTERMS.publisher)} ?council }}
        OPTIONAL {{ {q.iri(dataset)} {q.iri(SV.loadedRowCount)} ?rows }}
        OPTIONAL {{ {q.iri(dataset)} {q.iri(DCAT.inSeries)} ?series }} }} }}""").rows
    if not rows:
        raise NotFound(f"no dataset {dataset} in the catalogue (see svcat query or the home page for what is loaded)")
    graph = str(rows[0]["graph"])
    count = int(rows[0]["rows"]) if rows[0].get("rows") else len(row_digests(store, graph))
    change = Change(dataset, "withdrawal", None, None, 0, count, 0)
    body = "".join(f"{q.term(s)} {q.term(p)} {q.term(o)} .\n" for s, p, o in change_graph(change))
    series = f"{q.iri(str(rows[0]['series']))}" if rows[0].get("series") else None
    update = (
        f"DELETE {{ GRAPH {q.iri(cat)} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {q.iri(cat)} {{ ?s ?p ?o "
        f"FILTER((?s = {q.iri(dataset)} || STRSTARTS(STR(?s), {q.literal(dataset + '#')})) "
        f"&& !STRSTARTS(STR(?s), {q.literal(dataset + '#change-')})) }} }};\n"
        f"DELETE {{ GRAPH {q.iri(cat)} {{ ?c {q.iri(DCAT.dataset)} {q.iri(dataset)} }} }} "
        f"WHERE {{ GRAPH {q.iri(cat)} {{ ?c {q.iri(DCAT.dataset)} {q.iri(dataset)} }} }};\n"
    )
    if series:
        update += (f"DELETE {{ GRAPH {q.iri(cat)} {{ {series} ?p ?o }} }} WHERE {{ GRAPH {q.iri(cat)} {{ {series} ?p ?o "
                   f"FILTER NOT EXISTS {{ ?member {q.iri(DCAT.inSeries)} {series} }} }} }};\n")
    update += social_value.forget(dataset, base) + ";\n"
    update += f"INSERT DATA {{ GRAPH {q.iri(cat)} {{\n{body}}} }}"
    store.update(update)
    store.drop_graph(graph)
    if rows[0].get("council"):  # its council's figures no longer count this dataset
        councils.refresh(store, base, [str(rows[0]["council"])])
    store.publish()
    return change
