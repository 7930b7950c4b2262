"""One council's dashboard, read from its own summary graph (``catalogue.summaries.councils``).

Why: these queries touch a few hundred observations at most (the top suppliers are ten
lookups by IRI), where the same tables summed from every by-payee observation of every
dataset took over a second on the first view at a million lines. ``available`` says
whether the council has been summarised; a store written before the summaries existed
is read the old way (``catalogue.analysis.spend``) until its next load or link.
"""

from __future__ import annotations

from catalogue.analysis import Query, iri_ref
from catalogue.iris import council_summary, council_summary_graph


def _gss(council: str) -> str:
    return council.rsplit("/", 1)[-1]


def _graph(base: str, council: str) -> str:
    return iri_ref(council_summary_graph(base, _gss(council)))


def _cube(base: str, council: str, name: str) -> str:
    return iri_ref(council_summary(base, _gss(council), name))


def available(base: str, council: str) -> Query:
    """One row when the council's summary is there."""
    return Query("summarised", "Whether the council's summary is kept", f"""
        SELECT ?structure WHERE {{
          GRAPH {_graph(base, council)} {{ {_cube(base, council, "concentration")} qb:structure ?structure }}
        }}""")


def months(base: str, council: str) -> Query:
    return Query("months", "Spend by month", f"""
        SELECT ?month ?total ?lineCount WHERE {{
          GRAPH {_graph(base, council)} {{
            ?obs qb:dataSet {_cube(base, council, "by-month")} ; sv:month ?month ;
                 sv:spendTotal ?total ; sv:lineCount ?lineCount }}
        }}
        ORDER BY ?month""")


def categories(base: str, council: str, dimension: str) -> Query:
    """Spend by ``sv:expenseType`` or ``sv:serviceAreaDimension``, labels joined on."""
    name, title, cube = {"expenseType": ("expense-types", "Spend by expense type", "by-expense-type"),
                         "serviceAreaDimension": ("service-areas", "Spend by service area", "by-service-area")}[dimension]
    return Query(name, title, f"""
        SELECT ?category (SAMPLE(?name) AS ?label) ?total ?lineCount WHERE {{
          GRAPH {_graph(base, council)} {{
            ?obs qb:dataSet {_cube(base, council, cube)} ; sv:{dimension} ?category ;
                 sv:spendTotal ?total ; sv:lineCount ?lineCount }}
          OPTIONAL {{ ?category skos:prefLabel ?name }}
        }}
        GROUP BY ?category ?total ?lineCount
        ORDER BY DESC(?total)""")


def payees(base: str, council: str, top: int, first: int = 1) -> Query:
    """``top`` payees by rank from ``first`` on, with label, canonical organisation and classes.

    ``top`` lookups by IRI (the observation of rank N is ``{cube}/N``), however many payees.
    """
    cube = council_summary(base, _gss(council), "by-payee")
    values = "VALUES ?obs { " + " ".join(iri_ref(f"{cube}/{n}") for n in range(first, first + top)) + " }"
    return Query("suppliers", "Spend by supplier", f"""
        SELECT ?rank ?payee (SAMPLE(?name) AS ?label) ?organisation (SAMPLE(?orgName) AS ?organisationLabel)
               (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes) ?total
        WHERE {{
          {values}
          GRAPH {_graph(base, council)} {{
            ?obs qb:dataSet {iri_ref(cube)} ; sv:rank ?rank ; sv:payeeRecord ?payee ; sv:spendTotal ?total }}
          OPTIONAL {{ ?payee rdfs:label ?name }}
          OPTIONAL {{ ?payee sv:canonicalOrganisation ?organisation .
                     OPTIONAL {{ ?organisation rdfs:label ?orgName }}
                     OPTIONAL {{ ?organisation sv:socialValueClass ?class }} }}
        }}
        GROUP BY ?rank ?payee ?organisation ?total
        ORDER BY ?rank""")


def classes(base: str, council: str) -> Query:
    """Spend by class and why (rows as ``analysis.spend.class_rows`` gives them)."""
    return Query("classes", "Spend by social-value class", f"""
        SELECT ?class ?status ?total WHERE {{
          GRAPH {_graph(base, council)} {{
            ?obs qb:dataSet {_cube(base, council, "by-class")} ; sv:classDimension ?class ;
                 sv:classStatus ?status ; sv:spendTotal ?total }}
        }}
        ORDER BY ?class ?status""")


def concentration(base: str, council: str) -> Query:
    return Query("concentration", "Concentration of spend", f"""
        SELECT ?recipients ?top ?topShare ?hhi WHERE {{
          GRAPH {_graph(base, council)} {{
            ?obs qb:dataSet {_cube(base, council, "concentration")} ; sv:recipientCount ?recipients ;
                 sv:topCount ?top .
            OPTIONAL {{ ?obs sv:topShare ?topShare }} OPTIONAL {{ ?obs sv:herfindahlIndex ?hhi }} }}
        }}""")


def recipients(base: str, council: str, top: int, first: int = 1) -> Query:
    """``top`` recipients by rank from ``first`` on: one per canonical organisation (the
    council's payees linked to it, under any name), else per payee; a row per member payee
    with its label, and the organisation's classes and identifiers for the type (the caller
    makes one row of each rank). ``top`` lookups by IRI, however many recipients."""
    cube = council_summary(base, _gss(council), "by-recipient")
    values = "VALUES ?obs { " + " ".join(iri_ref(f"{cube}/{n}") for n in range(first, first + top)) + " }"
    return Query("suppliers", "Spend by supplier", f"""
        SELECT ?rank ?member (SAMPLE(?name) AS ?label) ?organisation
               (SAMPLE(?orgName) AS ?organisationLabel)
               (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
               (GROUP_CONCAT(DISTINCT STR(?id); separator=" ") AS ?identifiers) ?total ?lineCount
        WHERE {{
          {values}
          GRAPH {_graph(base, council)} {{
            ?obs qb:dataSet {iri_ref(cube)} ; sv:rank ?rank ; sv:payeeRecord ?member ; sv:spendTotal ?total ;
                 sv:lineCount ?lineCount }}
          OPTIONAL {{ ?member rdfs:label ?name }}
          OPTIONAL {{ GRAPH {_graph(base, council)} {{ ?obs sv:organisationDimension ?organisation }}
                     OPTIONAL {{ ?organisation rdfs:label ?orgName }}
                     OPTIONAL {{ ?organisation sv:socialValueClass ?class }}
                     OPTIONAL {{ ?organisation org:identifier ?id }} }}
        }}
        GROUP BY ?rank ?member ?organisation ?total ?lineCount
        ORDER BY ?rank ?member""")


def recipient_count(base: str, council: str) -> Query:
    return Query("supplier-count", "Number of suppliers (one per organisation)", f"""
        SELECT (COUNT(?obs) AS ?n) WHERE {{
          GRAPH {_graph(base, council)} {{ ?obs qb:dataSet {_cube(base, council, "by-recipient")} }}
        }}""")
