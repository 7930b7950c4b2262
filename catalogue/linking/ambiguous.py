"""Register matches left for a person: the records whose name leads to register entries
that linking would not choose between (``register_match.Ambiguous``).

One row per record and candidate entry, read from the links graph only (what ``svcat
link`` wrote), so that ``svcat link --ambiguous`` (table, CSV, JSON) and the page
``/organisations/ambiguous`` (``.csv``, ``.json``) show the same rows. A person settles
one with a decision (``svcat link --decisions``: ``assign`` the record to the
organisation of the entry they choose).
"""

from __future__ import annotations

import io

from catalogue import csv_safe, iris
from catalogue.linking.records import linkset_graph
from catalogue.store import Store
from catalogue.store.paging import all_rows
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, RDFS, SV

COLUMNS = ("council", "supplier_name", "supplier_id", "organisation", "candidate", "candidate_name", "score",
           "reason")


def rows(store: Store, base: str) -> list[dict]:
    """Every ambiguous (record, candidate entry), by council, supplier name, best score first."""
    graph = linkset_graph(store, base)
    if graph is None:
        return []
    council_prefix = iris.council(base, "")
    found = all_rows(store, f"""SELECT DISTINCT ?council ?name ?id ?org ?candidate ?cname ?score ?reason WHERE {{
        GRAPH {q(graph)} {{ ?s {q(SV.ambiguousMatch)} ?c . ?c {q(SV.matchedValue)} ?candidate ;
            {q(SV.matchScore)} ?score ; {q(RDFS.comment)} ?reason ; {q(SV.registerEntry)} ?entry .
            OPTIONAL {{ ?s {q(SV.canonicalOrganisation)} ?org }} }}
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s {q(SV.recordedBy)} ?council . OPTIONAL {{ ?s {q(RDFS.label)} ?name }}
                   OPTIONAL {{ ?s {q(DCTERMS.identifier)} ?id }} }}
        OPTIONAL {{ GRAPH ?rg {{ ?entry a {q(SV.RegisterEntry)} ; {q(RDFS.label)} ?cname }} }} }}""",
                     order="?council ?name ?id ?candidate ?cname")
    out = [{"council": r["council"].removeprefix(council_prefix), "supplier_name": r.get("name") or "",
            "supplier_id": r.get("id") or "", "organisation": r.get("org") or "", "candidate": r["candidate"],
            "candidate_name": r.get("cname") or "", "score": float(r["score"]), "reason": r["reason"]}
           for r in found]
    return sorted(out, key=lambda r: (r["council"], r["supplier_name"], r["supplier_id"], -r["score"], r["candidate"]))


def as_csv(found: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    writer.writerow(COLUMNS)
    for row in found:
        writer.writerow([row[c] for c in COLUMNS])
    return buffer.getvalue()


def as_table(found: list[dict]) -> str:
    """Plain text a person can read in a terminal."""
    if not found:
        return "No ambiguous register matches: every record whose name leads to a register entry was settled."
    lines = [f"{len(found)} register entries left for a person (record -> candidate, score: why)"]
    for row in found:
        lines.append(f"{row['council']}  {row['supplier_name']!r} ({row['supplier_id'] or '-'}) -> {row['candidate']} "
                     f"{row['candidate_name']!r}, {row['score']:.2f}: {row['reason']}")
    return "\n".join(lines)
