"""The SPARQL 1.1 Service Description of ``/sparql`` (returned to RDF clients on GET)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef

from catalogue.store import Store
from catalogue.vocab import DCTERMS, RDF, SD, VOID

#: W3C format IRIs (https://www.w3.org/ns/formats/) of what the endpoint can return.
W3C_FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                  "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, base: str, store: Store) -> Graph:
    g = Graph()
    g.bind("sd", str(SD))
    g.bind("void", str(VOID))
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, DCTERMS.title, Literal("Social Value Open Data Catalogue SPARQL endpoint", lang="en")))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, URIRef(W3C_FORMATS + name)))
    dataset = BNode()
    default = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, DCTERMS.description,
           Literal("The union of all named graphs: every loaded dataset and the catalogue.", lang="en")))
    for graph in store.graphs():
        node = BNode()
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(graph)))
    return g
