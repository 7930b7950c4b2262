"""Search across councils, canonical organisations, supplier records and datasets.

A case-insensitive substring match on names, titles and identifiers (GSS codes,
org-id.guide identifiers such as ``GB-COH-01243967``), ranked in Python: exact
matches, then prefixes, then the rest; councils, organisations and datasets before supplier records.
The store has no text index, so the match is a scan of labels: bounded by ``LIMIT``
and said so when cut.
"""

from __future__ import annotations

from catalogue import iris
from catalogue.analysis import Query, iri_ref, string_literal

KINDS = ("council", "organisation", "dataset", "supplier")
#: Matches fetched at most; more means the search was cut, and the page says so.
MAX_MATCHES = 1000


def search(base: str, text: str, kind: str | None = None) -> Query:
    needle = string_literal(text.strip().casefold())
    parts = {
        "council": "{ ?thing a org:FormalOrganization ; skos:prefLabel ?name . BIND(\"council\" AS ?kind) }",
        "organisation": "{ ?thing a org:Organization ; rdfs:label ?name . BIND(\"organisation\" AS ?kind) }",
        "supplier": "{ ?thing a sv:Supplier ; rdfs:label ?name . BIND(\"supplier\" AS ?kind) }",
        "dataset": f"{{ GRAPH {iri_ref(iris.catalogue_graph(base))} {{ ?thing a dcat:Dataset ; dcterms:title ?name }}"
                   " BIND(\"dataset\" AS ?kind) }",
    }
    chosen = [parts[kind]] if kind in parts else list(parts.values())
    union = "\n          UNION ".join(chosen)
    return Query("search", "Search", f"""
        SELECT ?thing ?kind (SAMPLE(?name) AS ?label) (SAMPLE(?id) AS ?identifier) (SAMPLE(?by) AS ?council)
        WHERE {{
          {union}
          OPTIONAL {{ ?thing org:identifier ?id }}
          OPTIONAL {{ ?thing sv:recordedBy|dcterms:publisher ?by }}
          FILTER(CONTAINS(LCASE(STR(?name)), {needle}) || (BOUND(?id) && CONTAINS(LCASE(STR(?id)), {needle})))
        }}
        GROUP BY ?thing ?kind
        LIMIT {MAX_MATCHES + 1}""")


def rank(rows: list[dict], text: str) -> list[dict]:
    """Best matches first; one row per thing (a council is also an organisation)."""
    needle = text.strip().casefold()
    best: dict[str, dict] = {}
    for row in rows:
        thing = row["thing"]
        if thing in best and KINDS.index(best[thing]["kind"]) <= KINDS.index(row["kind"]):
            continue
        best[thing] = row

    def score(row: dict) -> tuple:
        name = str(row.get("label") or "").casefold()
        ident = str(row.get("identifier") or "").casefold()
        closeness = 0 if needle in (name, ident) else 1 if name.startswith(needle) else 2
        return (closeness, KINDS.index(row["kind"]), name)

    return sorted(best.values(), key=score)
