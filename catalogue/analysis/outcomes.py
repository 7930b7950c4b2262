"""Outcome indicators (RDF Data Cube observations loaded from councils' outcome files).

An observation has an area (``sdmx-dimension:refArea``, an ONS geography), a period
(``sdmx-dimension:refPeriod``, with a label and start/end dates), the council's own
indicator and measure concepts (``sv:indicator``, ``sv:measure``) and a value
(``sdmx-measure:obsValue``). A council's outcome file usually covers its peers too,
so an indicator page shows the council beside them. Observations are read through the
catalogue record of each current dataset; labels are joined after counting, since a
concept is stated in every graph that uses it.
"""

from __future__ import annotations

from catalogue.analysis import Query, iri_ref
from catalogue.vocab import SV

PREFIXES = ("rdfs", "skos", "dcterms", "dcat", "qb", "sv", "sdmx-dimension", "sdmx-measure", "org")


def indicators() -> Query:
    """Every (indicator, measure) with its publisher and how much data it has."""
    return Query("indicators", "Outcome indicators", """
        SELECT ?indicator (SAMPLE(?indicatorName) AS ?indicatorLabel) ?measure
               (SAMPLE(?measureName) AS ?measureLabel) ?council (SAMPLE(?councilName) AS ?councilLabel)
               ?observations ?areas ?periods
        WHERE {
          { SELECT ?indicator ?measure ?council (COUNT(?obs) AS ?observations)
                   (COUNT(DISTINCT ?area) AS ?areas) (COUNT(DISTINCT ?period) AS ?periods) WHERE {
              ?dataset dcterms:publisher ?council ; sv:namedGraph ?graph ; dcterms:type sv:outcomes .
              GRAPH ?graph { ?obs sv:indicator ?indicator ;
                                  sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period
                             OPTIONAL { ?obs sv:measure ?stated } }
              BIND(COALESCE(?stated, sv:notStated) AS ?measure)
            } GROUP BY ?indicator ?measure ?council }
          OPTIONAL { ?indicator skos:prefLabel ?indicatorName }
          OPTIONAL { ?measure skos:prefLabel ?measureName }
          OPTIONAL { ?council skos:prefLabel ?councilName }
        }
        GROUP BY ?indicator ?measure ?council ?observations ?areas ?periods
        ORDER BY ?indicatorLabel ?measureLabel""", prefixes=PREFIXES)


def observations(indicator: str, measure: str) -> Query:
    """Every value of one indicator and measure: area, period (ordered by its start), value.

    ``measure`` is ``sv:notStated`` for a table that does not say how its indicators are
    measured (a national table whose measure column names the indicator)."""
    measured = (f"FILTER NOT EXISTS {{ ?obs sv:measure ?any }}" if measure == str(SV.notStated)
                else f"?obs sv:measure {iri_ref(measure)} .")
    return Query("observations", "Values by area and period", f"""
        SELECT ?area (SAMPLE(?areaName) AS ?areaLabel) ?period (SAMPLE(?periodName) AS ?periodLabel)
               (SAMPLE(?begins) AS ?start) ?value (SAMPLE(?unitName) AS ?unit) ?publisher
        WHERE {{
          ?dataset dcterms:publisher ?publisher ; sv:namedGraph ?graph ; dcterms:type sv:outcomes .
          GRAPH ?graph {{
            ?obs sv:indicator {iri_ref(indicator)} ;
                 sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period ; sdmx-measure:obsValue ?value .
            {measured}
            OPTIONAL {{ ?obs sv:unit ?unitConcept . ?unitConcept skos:prefLabel ?unitName }}
          }}
          OPTIONAL {{ ?period rdfs:label ?periodName }}
          OPTIONAL {{ ?period dcat:startDate ?begins }}
          OPTIONAL {{ ?council a org:FormalOrganization ; sv:area ?area ; skos:prefLabel ?areaName }}
        }}
        GROUP BY ?area ?period ?value ?publisher
        ORDER BY ?start ?area""", prefixes=PREFIXES)


def concept_label(concept: str) -> Query:
    return Query("label", "Label", f"""
        SELECT (SAMPLE(?name) AS ?label) (SAMPLE(?scheme) AS ?inScheme) WHERE {{
          {iri_ref(concept)} skos:prefLabel ?name . OPTIONAL {{ {iri_ref(concept)} skos:inScheme ?scheme }} }}""",
        prefixes=("skos",))
