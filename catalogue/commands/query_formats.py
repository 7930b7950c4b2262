"""``svcat query --format``: format names and media types, for SELECT/ASK and for graphs."""

from __future__ import annotations


#: ``svcat query --format NAME``: (results media type for SELECT/ASK, graph media type for
#: CONSTRUCT/DESCRIBE). A media type may be given instead of a name.
QUERY_FORMATS = {
    "csv": ("text/csv", "text/turtle"), "tsv": ("text/tab-separated-values", "text/turtle"),
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "turtle": ("text/csv", "text/turtle"), "ntriples": ("text/csv", "application/n-triples"),
    "jsonld": ("application/sparql-results+json", "application/ld+json"),
    "rdfxml": ("application/sparql-results+xml", "application/rdf+xml"),
}


def query_formats(value: str, problem: type[Exception]) -> tuple[str, str]:
    """A ``--format`` value as (results media type, graph media type); exit 2 if unknown."""
    import pyoxigraph as ox

    if value.lower() in QUERY_FORMATS:
        return QUERY_FORMATS[value.lower()]
    if ox.QueryResultsFormat.from_media_type(value):
        return value, "text/turtle"
    if ox.RdfFormat.from_media_type(value):
        return "text/csv", value
    raise problem(f"--format {value!r}: use one of {', '.join(QUERY_FORMATS)} or a SPARQL result or RDF "
                       "media type (e.g. application/sparql-results+json, text/turtle)")
