"""The crosswalk: one row per supplier as each council publishes it, and its organisation.

Columns: ``council`` (GSS code), ``supplier_name`` (as published, decoded),
``supplier_id`` (as published, or empty), ``organisation`` (canonical organisation
IRI), ``method`` (a notation of ``sv:LinkMethods``) and ``score``. Records not linked
yet (a load whose link did not run) have empty organisation, method and score. Served
at ``/organisations/crosswalk.csv`` and written by ``svcat export crosswalk``; read from
the store only, so the web layer can use it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import lru_cache

from catalogue import csv_safe, iris
from catalogue.linking.records import all_rows, linkset_graph
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, RDFS, SKOS, SV, ontology_graph

COLUMNS = ("council", "supplier_name", "supplier_id", "organisation", "method", "score")


@lru_cache(maxsize=1)
def method_notations() -> dict[str, str]:
    """Link method IRI -> its notation (``company-number``...), read from the ontology."""
    graph = ontology_graph()
    return {str(m): str(graph.value(m, SKOS.notation)) for m in graph.subjects(SKOS.inScheme, SV.LinkMethods)}


def rows(store: Store, base: str) -> list[tuple[str, str, str, str, str, str]]:
    """Every (council, supplier name, supplier id, organisation, method, score), sorted."""
    council_prefix = iris.council(base, "")
    graph = linkset_graph(store, base)
    links = "" if graph is None else f"""OPTIONAL {{ GRAPH {q(graph)} {{ ?s {q(SV.organisationLink)} ?link .
        ?link {q(SV.linkedOrganisation)} ?org ; {q(SV.linkMethod)} ?method ; {q(SV.linkScore)} ?score }} }}"""
    found = all_rows(store, f"""SELECT DISTINCT ?council ?name ?id ?org ?method ?score WHERE {{
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s a {q(SV.Supplier)} ; {q(SV.recordedBy)} ?council .
                   OPTIONAL {{ ?s {q(RDFS.label)} ?name }} OPTIONAL {{ ?s {q(DCTERMS.identifier)} ?id }} }}
        {links} }}""", order="?council ?name ?id ?org")
    notations = method_notations()
    out = []
    for r in found:
        council = r["council"][len(council_prefix):] if r["council"].startswith(council_prefix) else r["council"]
        out.append((council, r.get("name") or "", r.get("id") or "", r.get("org") or "",
                    notations.get(r.get("method") or "", r.get("method") or ""), r.get("score") or ""))
    return sorted(out)


def as_csv(rows_: list[tuple], chunk: int = 5000) -> Iterator[str]:
    """The rows as CSV text (header first), in chunks for streaming."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    writer.writerow(COLUMNS)
    for n, row in enumerate(rows_, start=1):
        writer.writerow(row)
        if n % chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
