"""The catalogue: datasets and councils from the DCAT records, one dataset's record and rows.

Records live in the catalogue graph (``catalogue.records``), so these queries read a
few triples per dataset whatever the size of the data. A dataset's rows are fetched by
their IRIs (``{dataset}/line/{row}``: the line IRI carries its CSV row number), so a page
of rows costs the same on the first page as on the last.
"""

from __future__ import annotations

from catalogue import iris
from catalogue.analysis import Query, iri_ref


def _record_pattern(base: str) -> str:
    return f"""
        GRAPH {iri_ref(iris.catalogue_graph(base))} {{
          ?dataset a dcat:Dataset ; dcterms:title ?title ; dcterms:publisher ?council ;
                   sv:namedGraph ?graph ; dcterms:modified ?modified .
          OPTIONAL {{ ?dataset dcterms:type ?kind }}
          OPTIONAL {{ ?dataset dcterms:license ?licence }}
          OPTIONAL {{ ?dataset dcterms:issued ?issued }}
          OPTIONAL {{ ?dataset sv:loadedRowCount ?rows }}
          OPTIONAL {{ ?dataset sv:skippedRowCount ?skipped }}
          OPTIONAL {{ ?dataset sv:warningCount ?warnings }}
          OPTIONAL {{ ?dataset sv:violationCount ?violations }}
          OPTIONAL {{ ?dataset dcterms:temporal ?period .
                     ?period dcat:startDate ?start ; dcat:endDate ?end }}
        }}
        OPTIONAL {{ ?council skos:prefLabel ?councilName }}"""


DATASET_COLUMNS = ("?dataset ?title ?council (SAMPLE(?councilName) AS ?councilLabel) ?kind ?licence ?issued "
                   "?modified ?rows ?skipped ?warnings ?violations ?start ?end ?graph")
DATASET_GROUP = "?dataset ?title ?council ?kind ?licence ?issued ?modified ?rows ?skipped ?warnings ?violations ?start ?end ?graph"


def datasets(base: str) -> Query:
    """Every loaded dataset with publisher, period, rows, licence and validation counts."""
    return Query("datasets", "Datasets in the catalogue", f"""
        SELECT {DATASET_COLUMNS} WHERE {{
          {_record_pattern(base)}
        }}
        GROUP BY {DATASET_GROUP}
        ORDER BY ?councilLabel ?title""")


def dataset(base: str, dataset_iri: str) -> Query:
    """One dataset's record (the same columns as ``datasets``, plus its source file)."""
    return Query("record", "The dataset's record", f"""
        SELECT {DATASET_COLUMNS} ?dialect ?encoding ?triples ?sourceRows ?file ?download ?bytes ?sha256
               ?loadStarted ?loadEnded WHERE {{
          VALUES ?dataset {{ {iri_ref(dataset_iri)} }}
          {_record_pattern(base)}
          GRAPH {iri_ref(iris.catalogue_graph(base))} {{
            OPTIONAL {{ ?dataset sv:dialect ?dialect }}
            OPTIONAL {{ ?dataset sv:encoding ?encoding }}
            OPTIONAL {{ ?dataset void:triples ?triples }}
            OPTIONAL {{ ?dataset sv:sourceRowCount ?sourceRows }}
            OPTIONAL {{ ?dataset dcat:distribution ?source . ?source dcterms:title ?file ;
                         dcat:downloadURL ?download .
                       OPTIONAL {{ ?source dcat:byteSize ?bytes }}
                       OPTIONAL {{ ?source spdx:checksum/spdx:checksumValue ?sha256 }} }}
            OPTIONAL {{ ?dataset prov:wasGeneratedBy ?load . ?load prov:startedAtTime ?loadStarted ;
                         prov:endedAtTime ?loadEnded }}
          }}
        }}
        GROUP BY {DATASET_GROUP} ?dialect ?encoding ?triples ?sourceRows ?file ?download ?bytes ?sha256
                 ?loadStarted ?loadEnded""",
        prefixes=("rdfs", "skos", "dcterms", "dcat", "sv", "void", "spdx", "prov"))


def issues(base: str, dataset_iri: str) -> Query:
    """The validation issues recorded when the dataset was loaded."""
    return Query("issues", "Validation report", f"""
        SELECT ?row ?column ?value ?severity ?problem ?message ?fix WHERE {{
          GRAPH {iri_ref(iris.catalogue_graph(base))} {{
            {iri_ref(dataset_iri)} sv:issue ?issue .
            ?issue sv:problem ?problem ; sv:severity ?severity ; rdfs:comment ?message .
            OPTIONAL {{ ?issue sv:rowNumber ?row }}
            OPTIONAL {{ ?issue sv:column ?column }}
            OPTIONAL {{ ?issue sv:value ?value }}
            OPTIONAL {{ ?issue sv:fix ?fix }}
          }}
        }}
        ORDER BY ?row ?problem""", prefixes=("rdfs", "sv"))


def skipped(base: str, dataset_iri: str) -> Query:
    """Source rows that were not loaded, with the reason."""
    return Query("skipped", "Skipped rows", f"""
        SELECT ?row ?reason WHERE {{
          GRAPH {iri_ref(iris.catalogue_graph(base))} {{
            {iri_ref(dataset_iri)} sv:skippedRow ?skip . ?skip sv:rowNumber ?row ; sv:reason ?reason .
          }}
        }}
        ORDER BY ?row""", prefixes=("sv",))


def lines(dataset_iri: str, graph: str, rows: range, download: str = "") -> Query:
    """The payment lines from CSV rows ``rows`` (absent rows were skipped or are not lines),
    each with its source row: line N is row N of the dataset's file (``download``)."""
    values = " ".join(f"({iri_ref(f'{dataset_iri}/line/{n}')} "
                      f"{iri_ref(iris.source_row(download, n)) if download else 'UNDEF'})" for n in rows)
    return Query("rows", "Rows", f"""
        SELECT ?line ?date ?amount ?payee (SAMPLE(?payeeName) AS ?payeeLabel)
               (SAMPLE(?typeName) AS ?expenseType) (SAMPLE(?areaName) AS ?serviceArea) ?source
               (SAMPLE(?periodName) AS ?period)
        WHERE {{
          GRAPH {iri_ref(graph)} {{
            VALUES (?line ?source) {{ {values} }}
            ?line pay:netAmount ?amount .
            OPTIONAL {{ ?line pay:date ?date }}
            OPTIONAL {{ ?line sdmx-dimension:refPeriod ?interval . ?interval rdfs:label ?periodName }}
            OPTIONAL {{ ?line pay:payee ?payee . OPTIONAL {{ ?payee rdfs:label ?payeeName }} }}
            OPTIONAL {{ ?line pay:expenditureCategory ?type . ?type skos:prefLabel ?typeName }}
            OPTIONAL {{ ?line sv:serviceArea ?area . ?area skos:prefLabel ?areaName }}
          }}
        }}
        GROUP BY ?line ?date ?amount ?payee ?source""",
        prefixes=("rdfs", "skos", "sv", "pay", "sdmx-dimension"))


def kind_name(kind_iri: str | None) -> str:
    return kind_iri.rsplit("#", 1)[-1] if kind_iri else ""


def derived(graph: str, source: str, rows: range) -> Query:
    """What each CSV row of a file became, for any kind: resources derived from ``source#row=N``."""
    values = " ".join(iri_ref(f"{source}#row={n}") for n in rows)
    return Query("rows", "Rows", f"""
        SELECT ?source ?thing (SAMPLE(?type) AS ?kind) (SAMPLE(?name) AS ?label) WHERE {{
          GRAPH {iri_ref(graph)} {{
            VALUES ?source {{ {values} }}
            ?thing prov:wasDerivedFrom ?source .
            OPTIONAL {{ ?thing a ?type }}
            OPTIONAL {{ ?thing rdfs:label|dcterms:title|skos:prefLabel ?name }}
          }}
        }}
        GROUP BY ?source ?thing""", prefixes=("rdfs", "skos", "dcterms", "prov"))


def changes(base: str, dataset_iri: str) -> Query:
    """The dataset's change records (first load, reloads, withdrawal), newest first."""
    return Query("history", "Change history", f"""
        SELECT ?change ?type ?date ?rowsAdded ?rowsRemoved ?rowsAfter ?file ?sha256 ?who WHERE {{
          GRAPH {iri_ref(iris.catalogue_graph(base))} {{
            ?change sv:changeOf {iri_ref(dataset_iri)} ; dcterms:type ?type ; dcterms:date ?date .
            OPTIONAL {{ ?change sv:rowsAdded ?rowsAdded }}
            OPTIONAL {{ ?change sv:rowsRemoved ?rowsRemoved }}
            OPTIONAL {{ ?change sv:loadedRowCount ?rowsAfter }}
            OPTIONAL {{ ?change dcterms:source ?file }}
            OPTIONAL {{ ?change spdx:checksum/spdx:checksumValue ?sha256 }}
            OPTIONAL {{ ?change sv:changedBy ?who }}
          }}
        }}
        ORDER BY DESC(?date)""", prefixes=("dcterms", "sv", "spdx"))
