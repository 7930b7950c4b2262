"""The crosswalk: one row per supplier as each council publishes it, and its organisation.

Columns: ``council`` (GSS code), ``supplier_name`` (as published, decoded),
``supplier_id`` (as published, or empty), ``organisation`` (canonical organisation
IRI), ``method`` (a notation of ``sv:LinkMethods``) and ``score``; then the
organisation's classes (``catalogue.linking.crosswalk_classes``): ``sme``, ``vcse``,
``public_body`` (yes/no/unknown), ``size_evidence``, ``vcse_evidence`` (the evidence
that decided, registers first, naming register, identifier and date), ``postcode``
(registered), ``local_authority`` (its GSS code) and ``local`` (yes/no/unknown: in the
row's council's area); ``register_match``, ``register_score``, ``register_evidence``
(a record without an identifier matched to a register entry by name: ``register_match``). Records not linked yet (a load whose link did not run) have
empty organisation, method and score and unknown classes. Served
at ``/organisations/crosswalk.csv`` and written by ``svcat export crosswalk``; read from
the store only, so the web layer can use it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import lru_cache

from catalogue import csv_safe, iris
from catalogue.linking.crosswalk_classes import COLUMNS as CLASS_COLUMNS
from catalogue.linking.crosswalk_classes import Facts, organisation_facts
from catalogue.linking.records import linkset_graph
from catalogue.linking.similarity import SCORE_THRESHOLD
from catalogue.store.paging import all_rows
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, RDFS, SKOS, SV, ontology_graph

#: A record matched to a register entry without an identifier (``register_match``): the
#: entry's identifier, the match's score and its evidence (the fields that agreed first).
REGISTER_COLUMNS = ("register_match", "register_score", "register_evidence")
COLUMNS = ("council", "supplier_name", "supplier_id", "organisation", "method", "score", *CLASS_COLUMNS,
           *REGISTER_COLUMNS)


@lru_cache(maxsize=1)
def method_notations() -> dict[str, str]:
    """Link method IRI -> its notation (``company-number``...), read from the ontology."""
    graph = ontology_graph()
    return {str(m): str(graph.value(m, SKOS.notation)) for m in graph.subjects(SKOS.inScheme, SV.LinkMethods)}


def rows(store: Store, base: str) -> list[tuple[str, ...]]:
    """Every (council, supplier name, supplier id, organisation, method, score, *class columns), sorted."""
    council_prefix = iris.council(base, "")
    graph = linkset_graph(store, base)
    links = "" if graph is None else f"""OPTIONAL {{ GRAPH {q(graph)} {{ ?s {q(SV.organisationLink)} ?link .
        ?link {q(SV.linkedOrganisation)} ?org ; {q(SV.linkMethod)} ?method ; {q(SV.linkScore)} ?score }} }}
        OPTIONAL {{ GRAPH {q(graph)} {{ ?s {q(SV.registerMatch)} ?rm . ?rm {q(SV.matchedValue)} ?rid ;
            {q(SV.matchScore)} ?rscore ; {q(RDFS.comment)} ?revidence }} }}"""
    found = all_rows(store, f"""SELECT DISTINCT ?council ?name ?id ?org ?method ?score ?rid ?rscore ?revidence WHERE {{
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s a {q(SV.Supplier)} ; {q(SV.recordedBy)} ?council .
                   OPTIONAL {{ ?s {q(RDFS.label)} ?name }} OPTIONAL {{ ?s {q(DCTERMS.identifier)} ?id }} }}
        {links} }}""", order="?council ?name ?id ?org")
    notations = dict(method_notations())
    notations[str(SV.scoredNameMatch)] = f"scored-name>={SCORE_THRESHOLD}"  # the threshold it passed
    facts = organisation_facts(store, graph)
    nothing = Facts()
    out = []
    for r in found:
        council = r["council"][len(council_prefix):] if r["council"].startswith(council_prefix) else r["council"]
        org = r.get("org") or ""
        out.append((council, r.get("name") or "", r.get("id") or "", org,
                    notations.get(r.get("method") or "", r.get("method") or ""), r.get("score") or "",
                    *facts.get(org, nothing).columns(council),
                    r.get("rid") or "", r.get("rscore") or "", r.get("revidence") or ""))
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
