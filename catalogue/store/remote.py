"""The remote store: any SPARQL 1.1 server, over HTTP, behind the same ``Store`` interface.

Queries and updates go through SPARQLWrapper (form-encoded POSTs: Virtuoso never answers
a direct ``application/sparql-query`` POST); whole-graph writes through the SPARQL 1.1
Graph Store HTTP Protocol with requests. ``remote_http`` knows where each operation goes
and what Virtuoso does differently.

Atomic loads work as on the embedded store, without snapshots: a load writes a fresh
graph, then one SPARQL Update request (executed by the server as one transaction) swaps
the dataset's catalogue record to point at it, then the old graph is dropped. Whatever
follows the record (pages, the catalogue, summaries by dataset) sees the old version or
the new one. A query over the union of *all* graphs can see the new graph being filled
before the swap; that is the price of having no snapshots (see the README).

``/sparql`` answers are passed through as the engine serialised them.
"""

from __future__ import annotations

import io
import json
import socket
import urllib.error
from collections.abc import Iterable, Sequence
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import BNode, Graph, Literal, URIRef
from SPARQLWrapper import BASIC, DIGEST, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as sw

from catalogue.errors import BadQuery, QueryTimeout, ReadOnlyStore, StoreUnavailable
from catalogue.store import BINDINGS, BOOLEAN, GRAPH, Bindings, QueryLimits, RawResult, Triples
from catalogue.store import remote_http as rh
from catalogue.store import update_split
from catalogue.store.remote_http import RemoteOptions
from catalogue.store.results import EXACT_CSV, write_csv
from catalogue.store.sparql_text import iri, literal

RDF_TYPES = ("text/turtle", "application/n-triples", "text/plain", "application/ld+json",
             "application/rdf+xml", "application/n-quads", "application/trig", "text/n3")
#: Virtuoso guesses a Graph Store body's type from its start, whatever its Content-Type says,
#: and refuses a body whose lines are too long for the guess ("unsupported type text/plain").
#: Measured on Virtuoso 7.2: a one-line body of 64,000 bytes is read, 66,000 refused; a long
#: line second in a body is refused too. Bodies with such a line go as SPARQL Update instead.
SNIFF_BYTES = 60_000
CSV_TYPE, JSON_TYPE = "text/csv", "application/sparql-results+json"
PAGE = 10_000  # rows per page when listing (Virtuoso's default ResultSetMaxRows)
#: Graphs a fresh Virtuoso holds for itself: not data, never dumped.
SYSTEM_GRAPHS = ("http://www.openlinksw.com/", "http://localuriqaserver/", "http://www.w3.org/ns/ldp#",
                 "urn:activitystreams-owl:map", "http://www.w3.org/2002/07/owl#")


class RemoteStore:
    """A SPARQL 1.1 Query/Update/Graph Store Protocol server."""

    def __init__(self, url: str, *, mode: str = "read", limits: QueryLimits | None = None,
                 options: RemoteOptions | None = None):
        self.url = url
        self.mode = mode
        self.writable = mode == "write"
        self.options = options or RemoteOptions()
        self.result_limit = limits.result_limit if limits else None
        self.timeout = limits.timeout if limits and limits.timeout else None
        self.session = requests.Session()
        self._endpoints: rh.Endpoints | None = None
        self._scheme: dict[str, str | None] = {}

    # ------------------------------------------------------------ plumbing

    @property
    def endpoints(self) -> rh.Endpoints:
        if self._endpoints is None:
            self._endpoints = rh.discover(self.session, self.url, self.options, self.timeout or 30)
        return self._endpoints

    def _scheme_for(self, url: str) -> str | None:
        if url not in self._scheme:
            self._scheme[url] = rh.auth_scheme(self.session, url, self.timeout or 30) if self.options.user else None
        return self._scheme[url]

    def _wrapper(self, endpoint: str, *, authenticate: bool) -> SPARQLWrapper:
        client = SPARQLWrapper(endpoint, agent="svcat")
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)
        if self.timeout:
            client.setTimeout(max(1, int(self.timeout)))
        if authenticate and self.options.user:
            client.setHTTPAuth(DIGEST if self._scheme_for(endpoint) == "digest" else BASIC)
            client.setCredentials(self.options.user, self.options.password)
        return client

    def _run(self, client: SPARQLWrapper, what: str):
        try:
            return client.query()
        except sw.QueryBadFormed as exc:
            raise BadQuery(f"SPARQL syntax error: {_server_words(exc)}") from exc
        except sw.Unauthorized as exc:
            raise StoreUnavailable(f"the store refused {what}: set SVCAT_STORE_USER and SVCAT_STORE_PASSWORD") \
                from exc
        except sw.SPARQLWrapperException as exc:
            words = _server_words(exc)
            if "SP030" in words or "syntax" in words.lower() or "SQ0" in words:
                raise BadQuery(f"SPARQL error: {words}") from exc
            raise StoreUnavailable(f"the store failed on {what}: {words}") from exc
        except (socket.timeout, TimeoutError) as exc:
            raise QueryTimeout(f"the store did not answer within {self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise QueryTimeout(f"the store did not answer within {self.timeout:g} s") from exc
            raise StoreUnavailable(f"cannot reach the store at {client.endpoint}: {exc.reason}") from exc

    def _fetch(self, sparql: str, accept: str, default_graphs: Sequence[str] = (),
               named_graphs: Sequence[str] = (), graph_accept: str | None = None) -> tuple[str, str, bytes, bool]:
        """(query type, media type, body, cut at the server's row cap) of one query.

        ``graph_accept``, when given, is the Accept header for CONSTRUCT and DESCRIBE
        (servers answer a CONSTRUCT asked for as SPARQL results with s/p/o rows).
        """
        client = self._wrapper(self.endpoints.query, authenticate=False)
        client.setQuery(sparql)
        graph_form = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.addCustomHttpHeader("Accept", graph_accept if graph_accept and graph_form else accept)
        for graph in default_graphs:
            client.addDefaultGraph(graph)
        for graph in named_graphs:
            client.addNamedGraph(graph)
        result = self._run(client, "a query")
        response = result.response
        try:
            body = response.read()
        except (socket.timeout, TimeoutError) as exc:
            raise QueryTimeout(f"the store did not answer within {self.timeout:g} s") from exc
        media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        cut = response.headers.get("X-SPARQL-MaxRows") is not None
        return client.queryType, media_type, body, cut

    # ------------------------------------------------------------ queries

    def select(self, sparql: str) -> Bindings:
        query_type, _, body, cut = self._fetch(sparql, "application/sparql-results+json")
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise StoreUnavailable(f"the store answered something that is not SPARQL JSON: {body[:200]!r}") from exc
        if "boolean" in doc:
            return Bindings([], [], bool(doc["boolean"]))
        names = doc.get("head", {}).get("vars", [])
        rows = [{name: _term(value) for name, value in row.items()} for row in doc["results"]["bindings"]]
        if self.result_limit is not None and len(rows) > self.result_limit:
            rows, cut = rows[: self.result_limit], True
        return Bindings(names, rows, truncated=cut, limit=self.result_limit if cut else None)

    def construct(self, sparql: str) -> Triples:
        _, media_type, body, cut = self._fetch(sparql, "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8")
        graph = Graph()
        graph.parse(data=body.decode("utf-8"), format="turtle" if media_type == "text/turtle" else "nt")
        triples = Triples(graph)
        if self.result_limit is not None and len(triples) > self.result_limit:
            triples, cut = Triples(triples[: self.result_limit]), True
        triples.truncated, triples.limit = cut, self.result_limit if cut else None
        return triples

    def query_raw(self, sparql: str, *, results_type: str, graph_type: str,
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  base_iri: str | None = None) -> RawResult:
        """The server's own serialisation, passed through (but see ``remote_http`` on Virtuoso)."""
        if base_iri:
            sparql = f"BASE {iri(base_iri)}\n{sparql}"
        asked_results, asked_graph = results_type, graph_type
        if self.endpoints.virtuoso:
            if default_graphs and not named_graphs:
                named_graphs = [rh.EMPTY_GRAPH]
            elif not default_graphs and not named_graphs:
                sparql = rh.no_named_graphs(sparql)
            asked_results = rh.VIRTUOSO_WRONG.get(results_type, results_type)
            asked_graph = rh.VIRTUOSO_WRONG.get(graph_type, graph_type)
        if results_type in (CSV_TYPE, EXACT_CSV):  # written here (formula-safe for clients)
            asked_results = JSON_TYPE
        query_type, media_type, body, cut = self._fetch(sparql, asked_results, default_graphs, named_graphs,
                                                        graph_accept=asked_graph)
        limit = PAGE if cut else None
        if media_type in RDF_TYPES or query_type in ("CONSTRUCT", "DESCRIBE"):
            if asked_graph != graph_type:
                body = ox.serialize(ox.parse(body, format=ox.RdfFormat.N_TRIPLES),
                                    format=ox.RdfFormat.from_media_type(graph_type)) or b""
                media_type = graph_type
            media_type = graph_type if media_type in (graph_type, "text/plain") else media_type
            return RawResult(GRAPH, media_type, body, truncated=cut, limit=limit)
        kind = BOOLEAN if query_type == "ASK" else BINDINGS
        if asked_results != results_type:
            parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if results_type == CSV_TYPE and isinstance(parsed, ox.QuerySolutions):
                body = write_csv([v.value for v in parsed.variables], parsed)
            elif results_type == EXACT_CSV:
                body = parsed.serialize(format=ox.QueryResultsFormat.CSV) if isinstance(parsed, ox.QuerySolutions) \
                    else b""
                results_type = CSV_TYPE
            else:
                body = parsed.serialize(format=ox.QueryResultsFormat.from_media_type(results_type))
            media_type = results_type
        media_type = results_type if media_type in (results_type, "application/json") else media_type
        return RawResult(kind, media_type, body, truncated=cut, limit=limit)

    def graphs(self) -> list[str]:
        """Every named graph, paged by key (the server caps results, and sorted OFFSETs)."""
        out: list[str] = []
        while True:
            after = f"FILTER(STR(?g) > {literal(out[-1])})" if out else ""
            rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {after} }} "
                               f"ORDER BY STR(?g) LIMIT {PAGE}").rows
            out += [str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef)]
            if len(rows) < PAGE:
                return out

    def dump(self, out: IO[bytes], graph: str | None = None) -> None:
        """N-Quads of one graph, or of every data graph (not the server's own)."""
        own = SYSTEM_GRAPHS + (urlunsplit(urlsplit(self.url)[:2] + ("/", "", "")),)
        for name in [graph] if graph else [g for g in self.graphs() if not g.startswith(own)]:
            node = ox.NamedNode(name)
            for triple in ox.parse(self._graph_bytes(name), format=ox.RdfFormat.N_TRIPLES):
                out.write(f"{triple.subject} {triple.predicate} {triple.object} {node} .\n".encode())

    def _graph_bytes(self, graph: str) -> bytes:
        """A whole graph as N-Triples (CONSTRUCT: not capped like SELECT on Virtuoso)."""
        _, _, body, _ = self._fetch(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}",
                                    "application/n-triples, text/plain;q=0.9")
        return body

    def version(self):
        return None  # no validators: the server's data can change under us at any time

    # ------------------------------------------------------------ writes

    def _writer_check(self) -> None:
        if not self.writable:
            raise ReadOnlyStore("this store was opened for reading")

    def update(self, sparql: str) -> None:
        """Run ``sparql``, cut into requests that fit the server's limits (``update_split``)."""
        self._writer_check()
        for text in update_split.split(sparql):
            client = self._wrapper(self.endpoints.update, authenticate=True)
            client.setQuery(text)
            self._run(client, "an update")

    def bulk_add(self, chunks: Iterable[bytes], graph: str | None = None) -> None:
        """Graph Store POSTs of N-Triples (at most ``GSP_BYTES`` each), or INSERT DATA."""
        self._writer_check()
        for chunk in chunks:
            if graph is None:
                for name, triples in _by_graph(chunk).items():
                    for piece in rh.split_lines(triples):
                        self._post(name, piece)
            else:
                for piece in rh.split_lines(chunk):
                    self._post(graph, piece)

    def _post(self, graph: str, ntriples: bytes) -> None:
        ends = self.endpoints
        if ends.graph_store is None or _has_long_line(ntriples):
            for piece in rh.split_lines(ntriples, 1 << 20):
                self.update(f"INSERT DATA {{ GRAPH {iri(graph)} {{\n{piece.decode('utf-8')}}} }}")
            return
        auth = rh.requests_auth(self._scheme_for(ends.graph_store), self.options)
        try:
            response = self.session.post(ends.graph_store, params={ends.graph_param: graph}, data=ntriples,
                                         headers={"Content-Type": "application/n-triples"}, auth=auth,
                                         timeout=max(60.0, self.timeout or 0))
        except requests.RequestException as exc:
            raise StoreUnavailable(f"cannot reach the graph store at {ends.graph_store}: {exc}") from exc
        rh.check(response, f"a write to {graph}")

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {iri(graph)}")

    def publish(self) -> None:
        """Nothing to do: the server's commit of each request is what readers see."""

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _term(value: dict):
    """A SPARQL JSON results term as an rdflib term."""
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if value.get("xml:lang"):
        return Literal(value["value"], lang=value["xml:lang"])
    if value.get("datatype"):
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])


def _server_words(exc: Exception) -> str:
    """What the server said, without SPARQLWrapper's boilerplate."""
    text = str(exc)
    marker = "Response:\n"
    return text.split(marker, 1)[1].strip()[:1000] if marker in text else text[:1000]


def _has_long_line(ntriples: bytes) -> bool:
    """True when a line is too long for Virtuoso's guess at a Graph Store body's type."""
    return len(ntriples) >= SNIFF_BYTES and any(len(line) >= SNIFF_BYTES for line in ntriples.split(b"\n"))


def _by_graph(nquads: bytes) -> dict[str, bytes]:
    """N-Quads as N-Triples per graph (the Graph Store Protocol writes one graph at a time)."""
    out: dict[str, io.BytesIO] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise BadQuery("bulk writes to a remote store go into named graphs")
        buffer = out.setdefault(quad.graph_name.value, io.BytesIO())
        buffer.write(f"{quad.subject} {quad.predicate} {quad.object} .\n".encode())
    return {name: buffer.getvalue() for name, buffer in out.items()}
