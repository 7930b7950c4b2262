"""Search across councils, canonical organisations, supplier records and datasets.

A case-insensitive substring match on names, titles and identifiers (GSS codes,
org-id.guide identifiers such as ``GB-COH-01243967``), ranked in Python: exact
matches, then prefixes, then the rest; councils, organisations and datasets before supplier records.
The store has no text index, so the match is a scan of labels: bounded by ``LIMIT``
and said so when cut.
"""

from __future__ import annotations

from catalogue.analysis import Query, string_literal
from catalogue.analysis.kinds import organisation_type

KINDS = ("council", "organisation", "dataset", "supplier")
#: Matches shown at most; more means the search was cut, and the page says so.
MAX_MATCHES = 1000
#: Labels matched at most before they are typed (cubes and concepts have labels too).
CANDIDATES = 5000


def search(base: str, text: str, kind: str | None = None) -> Query:
    """Things whose name, title or identifier contains ``text``, at most ``MAX_MATCHES`` + 1 of them.

    The names are matched first, in one pass over the labels; only those matches are then
    typed and described. ``CANDIDATES`` caps the matches looked at, and says so when hit.
    """
    needle = string_literal(text.strip().casefold())
    kinds = {"council": "org:FormalOrganization", "organisation": "org:Organization", "supplier": "sv:Supplier",
             "dataset": "dcat:Dataset"}
    chosen = {kind: kinds[kind]} if kind in kinds else kinds
    values = " ".join(f'({cls} "{name}")' for name, cls in chosen.items())
    return Query("search", "Search", f"""
        SELECT ?thing ?kind (SAMPLE(?name) AS ?label) (SAMPLE(?id) AS ?identifier) (SAMPLE(?by) AS ?council)
               (GROUP_CONCAT(DISTINCT STR(?id); separator=" ") AS ?identifiers)
               (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
        WHERE {{
          {{ SELECT DISTINCT ?thing WHERE {{
              {{ ?thing rdfs:label|skos:prefLabel|dcterms:title ?text }} UNION {{ ?thing org:identifier ?text }}
              FILTER(CONTAINS(LCASE(STR(?text)), {needle}))
            }} LIMIT {CANDIDATES} }}
          VALUES (?type ?kind) {{ {values} }}
          ?thing a ?type .
          OPTIONAL {{ ?thing rdfs:label|skos:prefLabel|dcterms:title ?name }}
          OPTIONAL {{ ?thing org:identifier ?id }}
          OPTIONAL {{ ?thing sv:recordedBy|dcterms:publisher ?by }}
          OPTIONAL {{ ?thing sv:socialValueClass ?class }}
        }}
        GROUP BY ?thing ?kind""")


def is_council(thing: str) -> bool:
    """Only a council's own IRI is a council: a company with a registered number is an
    ``org:FormalOrganization`` too (search called companies and charities "council")."""
    return "/id/council/" in str(thing)


def rank(rows: list[dict], text: str) -> list[dict]:
    """Best matches first; one row per thing (a council is also an organisation), each
    with its type in words (``kinds.organisation_type``)."""
    needle = text.strip().casefold()
    best: dict[str, dict] = {}
    for row in rows:
        thing = row["thing"]
        if row["kind"] == "council" and not is_council(thing):
            continue
        row = dict(row, type=organisation_type(thing, row.get("label") or "",
                                               str(row.get("identifiers") or "").split(),
                                               str(row.get("classes") or "").split())
                   if row["kind"] != "dataset" else "dataset")
        if thing in best and KINDS.index(best[thing]["kind"]) <= KINDS.index(row["kind"]):
            continue
        best[thing] = row

    def score(row: dict) -> tuple:
        name = str(row.get("label") or "").casefold()
        ident = str(row.get("identifier") or "").casefold()
        closeness = 0 if needle in (name, ident) else 1 if name.startswith(needle) else 2
        return (closeness, KINDS.index(row["kind"]), name)

    return sorted(best.values(), key=score)
