"""The catalogue as RDF: DCAT 3 for ``/catalogue``, VoID for ``/void``.

The records (``catalogue.records``) are in the catalogue graph already; here they are
joined by what only the running service knows: the SPARQL endpoint as a
``dcat:DataService`` serving every dataset, dump distributions (N-Quads, Turtle, CSV) and a landing
page per dataset, and VoID's statistics and linksets (the supplier records' links to
canonical organisations, the councils' links to ONS geographies). Every URL is under the
configured public base, like the IRIs. Validation issues and skipped rows stay on each
dataset's own record (``/doc/dataset/...``), so the catalogue stays small.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from catalogue import iris
from catalogue.store.sparql_text import iri
from catalogue.vocab import DCAT, DCTERMS, FOAF, ORG, PREFIXES, RDF, RDFS, SV, VOID, XSD
from catalogue.web import get_store

SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
IANA = "https://www.iana.org/assignments/media-types/"
TITLE = "Social Value Open Data Catalogue"
ONS_GEOGRAPHY = URIRef(iris.ONS_GEOGRAPHY)


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def dump_url(base: str, dataset: str) -> str:
    """``{base}dumps/<GSS>/<kind>/<key>.nq.gz`` for ``{base}id/dataset/<GSS>/<kind>/<key>``."""
    return f"{base}dumps/{dataset[len(base) + len('id/dataset/'):]}.nq.gz"


def page_url(base: str, iri: str) -> str:
    return f"{base}doc/{iri[len(base) + 3:]}" if iri.startswith(base + "id/") else iri


def catalogue_rdf(base: str) -> Graph:
    """The DCAT catalogue: records, the SPARQL data service and dump distributions."""
    cat_graph = iris.catalogue_graph(base)
    store = get_store()
    graph = _graph()
    for triple in store.construct(f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(cat_graph)} {{ ?s ?p ?o
          FILTER(?p NOT IN ({iri(SV.issue)}, {iri(SV.skippedRow)}))
          FILTER NOT EXISTS {{ ?s a ?bookkeeping
                               FILTER(?bookkeeping IN ({iri(SV.ValidationIssue)}, {iri(SV.SkippedRow)})) }}
        }} }}"""):
        graph.add(triple)
    catalogue = URIRef(iris.catalogue(base))
    service = URIRef(iris.service(base))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(TITLE, lang="en")))
    graph.add((catalogue, DCTERMS.description, Literal(
        "Council spend files as validated linked data: payments, suppliers and their social value.", lang="en")))
    graph.add((catalogue, FOAF.homepage, URIRef(base)))
    graph.add((catalogue, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal(f"{TITLE} SPARQL endpoint", lang="en")))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, service))
    graph.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    for dataset in list(graph.objects(catalogue, DCAT.dataset)):
        _distributions(graph, base, dataset, service)
    return graph


#: A dataset's dumps (``catalogue.web.dumps``): fragment, extension, title, media type.
DUMPS = (("dump", "nq", "The dataset as N-Quads (gzip)", "application/n-quads"),
         ("dump-turtle", "ttl", "The dataset as Turtle (gzip)", "text/turtle"),
         ("dump-csv", "csv", "Every row of the dataset as CSV (gzip)", "text/csv"))


def _distributions(graph: Graph, base: str, dataset: URIRef, service: URIRef) -> None:
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((dataset, DCAT.landingPage, URIRef(page_url(base, str(dataset)))))
    licence = graph.value(dataset, DCTERMS.license)
    for fragment, extension, title, media in DUMPS:
        dump = URIRef(f"{dataset}#{fragment}")
        graph.add((dataset, DCAT.distribution, dump))
        graph.add((dump, RDF.type, DCAT.Distribution))
        graph.add((dump, DCTERMS.title, Literal(title, lang="en")))
        graph.add((dump, DCAT.downloadURL, URIRef(dump_url(base, str(dataset))[:-len("nq.gz")] + extension + ".gz")))
        graph.add((dump, DCAT.mediaType, URIRef(IANA + media)))
        graph.add((dump, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        graph.add((dump, DCAT.accessService, service))
        if licence is not None:
            graph.add((dump, DCTERMS.license, licence))


def _count(query: str) -> int:
    rows = get_store().select(query).rows
    return int(rows[0].get("n") or 0) if rows else 0


def void_rdf(base: str) -> Graph:
    """VoID: the whole store, its datasets as subsets, and the linksets."""
    graph = _graph()
    cat_graph = iris.catalogue_graph(base)
    whole = URIRef(f"{base}void#catalogue")
    graph.add((whole, RDF.type, VOID.Dataset))
    graph.add((whole, DCTERMS.title, Literal(TITLE, lang="en")))
    graph.add((whole, FOAF.homepage, URIRef(base)))
    graph.add((whole, VOID.sparqlEndpoint, URIRef(iris.service(base))))
    graph.add((whole, VOID.dataDump, URIRef(f"{base}dumps/all.nq.gz")))
    graph.add((whole, VOID.uriSpace, Literal(f"{base}id/")))
    graph.add((whole, VOID.rootResource, URIRef(iris.catalogue(base))))
    for prefix in ("pay", "org", "dcat", "dcterms", "prov", "skos", "qb", "sv"):
        graph.add((whole, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    rows = get_store().select(f"""SELECT ?d ?t WHERE {{ GRAPH {iri(cat_graph)} {{ ?d {iri(SV.namedGraph)} ?g ;
        {iri(VOID.triples)} ?t }} }}""").rows
    total = 0
    for row in rows:
        graph.add((whole, VOID.subset, row["d"]))
        graph.add((row["d"], RDF.type, VOID.Dataset))
        graph.add((row["d"], VOID.triples, row["t"]))
        graph.add((row["d"], VOID.dataDump, URIRef(dump_url(base, str(row["d"])))))
        total += int(row["t"])
    graph.add((whole, VOID.triples, Literal(total, datatype=XSD.integer)))

    suppliers, organisations = URIRef(f"{base}void#suppliers"), URIRef(f"{base}void#organisations")
    for node, cls, label in ((suppliers, SV.Supplier, "Supplier records as each council publishes them"),
                             (organisations, ORG.Organization, "Canonical organisations")):
        graph.add((whole, VOID.subset, node))
        graph.add((node, RDF.type, VOID.Dataset))
        graph.add((node, RDFS.label, Literal(label, lang="en")))
        graph.add((whole, VOID.classPartition, node))
        graph.add((node, VOID["class"], cls))
        graph.add((node, VOID.entities, Literal(_count(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {iri(cls)} }}"), datatype=XSD.integer)))
    _linkset(graph, whole, URIRef(f"{base}void#supplier-links"), SV.canonicalOrganisation, suppliers,
             organisations, "Supplier records linked to their canonical organisation")
    geographies = URIRef(f"{base}void#ons-geography")
    graph.add((geographies, RDF.type, VOID.Dataset))
    graph.add((geographies, FOAF.homepage, URIRef("https://statistics.data.gov.uk/")))
    graph.add((geographies, VOID.uriSpace, Literal(str(ONS_GEOGRAPHY))))
    _linkset(graph, whole, URIRef(f"{base}void#council-areas"), SV.area, whole, geographies,
             "Councils linked to the ONS statistical geography they govern")
    return graph


def _linkset(graph: Graph, whole, node, predicate, subjects, objects, label: str) -> None:
    graph.add((whole, VOID.subset, node))
    graph.add((node, RDF.type, VOID.Linkset))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    graph.add((node, VOID.linkPredicate, predicate))
    graph.add((node, VOID.subjectsTarget, subjects))
    graph.add((node, VOID.objectsTarget, objects))
    graph.add((node, VOID.triples, Literal(_count(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ ?s {iri(predicate)} ?o }} }}"),
        datatype=XSD.integer)))
