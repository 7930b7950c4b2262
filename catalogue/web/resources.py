"""Linked-data URIs: ``/id/...`` answers 303 See Other to ``/doc/...``, which negotiates.

A resource IRI is ``{SVCAT_BASE_URI}id/<path>`` whatever host the request came to, so
a local server serves data minted for the public base. ``/doc/<path>`` describes the
resource as HTML, Turtle, JSON-LD, N-Triples or RDF/XML (by Accept, or by a ``.ttl``,
``.jsonld``, ``.nt``, ``.rdf`` or ``.html`` suffix); unknown resources are 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Blueprint, Response, redirect, render_template, request, url_for
from rdflib import Graph, Literal, URIRef

from catalogue import iris
from catalogue.errors import NotFound
from catalogue.store.sparql_text import iri as sparql_iri
from catalogue.vocab import DCTERMS, PAY, PREFIXES, PROV, RDF, RDFS, SKOS, compact, sparql_prologue
from catalogue.web import base_uri, get_store
from catalogue.web import negotiate as ng
from catalogue.web.formatting import local_href  # noqa: F401  (re-exported for other views)

bp = Blueprint("resources", __name__)

#: Incoming links shown on a page (the full list is one SPARQL query away).
INCOMING_LIMIT = 50
SERIALIZERS = {"turtle": "turtle", "json-ld": "json-ld", "n-triples": "nt", "rdf/xml": "xml"}

#: Richer HTML pages for some kinds of resource (a council's dashboard, a dataset's page),
#: by the pattern of the IRI's path after ``id/``. RDF formats stay the generic description.
PAGES: list[tuple[re.Pattern, Callable]] = []


def register_page(pattern: str, page: Callable) -> None:
    """``page(iri, graph, match)`` renders the HTML of resources whose path matches ``pattern``."""
    PAGES.append((re.compile(f"^{pattern}$"), page))


@bp.route("/id/<path:path>")
def identifier(path: str):
    """The thing itself: redirect to the document about it."""
    target = url_for("resources.document", path=path)
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


def _split_suffix(path: str) -> tuple[str, ng.Format | None]:
    stem, dot, ext = path.rpartition(".")
    if dot and ext in ng.BY_EXTENSION and "/" not in ext:
        return stem, ng.BY_EXTENSION[ext]
    return path, None


def describe(iri: str) -> Graph:
    """Outgoing triples of the resource, plus labels and types of what they point at."""
    store = get_store()
    node = sparql_iri(iri)
    query = sparql_prologue("rdfs", "skos", "dcterms") + f"""
        CONSTRUCT {{ {node} ?p ?o . ?o rdfs:label ?label . ?o skos:prefLabel ?pref . ?o dcterms:title ?title }}
        WHERE {{ {node} ?p ?o .
                OPTIONAL {{ ?o rdfs:label ?label }} OPTIONAL {{ ?o skos:prefLabel ?pref }}
                OPTIONAL {{ ?o dcterms:title ?title }} }}"""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in store.construct(query):
        graph.add(triple)
    _line_facts(iri, graph)
    return graph


def _line_facts(iri: str, graph: Graph) -> None:
    """A payment line's document also states what the store holds once per dataset (the lean
    graph, docs/architecture.md): its payer (the dataset's publisher), its source row
    (``<file>#row=N``, RFC 7111) and its type (implied by ``pay:payment``'s domain)."""
    found = iris.line_of(iri)
    if found is None or (URIRef(iri), None, None) not in graph:
        return
    dataset, row = found
    rows = get_store().select(sparql_prologue("dcterms", "dcat", "rdfs") + f"""
        SELECT ?publisher ?name ?file WHERE {{
          GRAPH {sparql_iri(iris.catalogue_graph(base_uri()))} {{
            {sparql_iri(dataset)} dcterms:publisher ?publisher ; dcat:distribution/dcat:downloadURL ?file }}
          OPTIONAL {{ ?publisher rdfs:label ?name }} }} LIMIT 1""").rows
    line = URIRef(iri)
    graph.add((line, RDF.type, PAY.ExpenditureLine))
    if rows:
        graph.add((line, PAY.payer, URIRef(rows[0]["publisher"])))
        graph.add((line, PROV.wasDerivedFrom, URIRef(iris.source_row(str(rows[0]["file"]), row))))
        if rows[0].get("name"):
            graph.add((URIRef(rows[0]["publisher"]), RDFS.label, Literal(str(rows[0]["name"]))))


def incoming(iri: str, limit: int = INCOMING_LIMIT) -> tuple[list[dict], int]:
    store = get_store()
    # Summary observations point at councils and payees by the thousand; they are reached
    # through their cube, so the list shows the lines, payments and records instead.
    rows = store.select(sparql_prologue("rdfs", "qb") + f"""SELECT ?s ?p ?label WHERE {{ ?s ?p {sparql_iri(iri)} .
        FILTER NOT EXISTS {{ ?s a qb:Observation }}
        OPTIONAL {{ ?s rdfs:label ?label }} }} LIMIT {int(limit) + 1}""").rows
    return rows[:limit], len(rows)


@bp.route("/doc/<path:path>")
def document(path: str):
    path, forced = _split_suffix(path)
    iri = f"{base_uri()}id/{path}"
    graph = describe(iri)
    if (URIRef(iri), None, None) not in graph:
        raise NotFound(f"nothing is known about {iri}")
    choice = forced or ng.best(request.headers.get("Accept"), (ng.HTML, *ng.RDF_FORMATS, ng.JSON))
    if choice is None:
        choice = ng.TURTLE
    if choice is ng.JSON:  # a client asking for plain JSON gets JSON-LD, which is JSON
        choice = ng.JSONLD
    if choice is ng.HTML:
        for pattern, page in PAGES:
            match = pattern.match(path)
            if match:
                response = Response(page(iri, graph, match), mimetype="text/html")
                response.headers["Vary"] = "Accept"
                return response
        return _html(iri, graph)
    body = serialize(graph, choice)
    response = Response(body, mimetype=choice.media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = f'{sparql_iri(iri)}; rel="canonical"'
    return response


def serialize(graph: Graph, choice: ng.Format) -> str:
    """The graph in an RDF format; JSON-LD compacted with an ``@context`` of the prefixes it uses."""
    if choice is ng.JSONLD:
        used = {str(term) for triple in graph for term in triple}
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()
                   if any(term.startswith(str(ns)) for term in used)}
        return graph.serialize(format="json-ld", context=context, auto_compact=True)
    return graph.serialize(format=SERIALIZERS[choice.name], base=None)


def _label(graph: Graph, node) -> str | None:
    for predicate in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return None


def _html(iri: str, graph: Graph):
    subject = URIRef(iri)
    types = [compact(str(t)) for t in graph.objects(subject, RDF.type)]
    links, total = incoming(iri)
    incoming_rows = [{"href": local_href(r["s"]), "label": str(r.get("label") or compact(str(r["s"]))),
                      "predicate": compact(str(r["p"]))} for r in links]
    response = Response(render_template(
        "resources/doc.html", iri=iri, title=_label(graph, subject) or compact(iri), types=types,
        rows=statements(iri, graph), incoming=incoming_rows, more_incoming=total > len(incoming_rows)),
        mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


def _name(node) -> str:
    """An unlabelled IRI as a reader sees it: ours named from what it is, others compacted."""
    text = str(node)
    return iris.fallback_label(text) if text.startswith(base_uri()) else compact(text)


def statements(iri: str, graph: Graph) -> list[dict]:
    """What the graph says about ``iri``, as rows for a table (labels for linked things)."""
    subject = URIRef(iri)
    rows = []
    for predicate, obj in sorted(graph.predicate_objects(subject), key=lambda po: (compact(po[0]), str(po[1]))):
        rows.append({
            "predicate": compact(str(predicate)),
            "predicate_href": str(predicate),
            "value": str(obj) if isinstance(obj, Literal) else (_label(graph, obj) or _name(obj)),
            "href": None if isinstance(obj, Literal) else local_href(obj),
            "datatype": compact(str(obj.datatype)) if isinstance(obj, Literal) and obj.datatype else None,
        })
    return rows
