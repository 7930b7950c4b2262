"""HTTP for the remote store: where each SPARQL 1.1 operation goes, how to authenticate,
and what the servers we know do differently.

Endpoints. The query endpoint is ``SVCAT_STORE``. Updates go to
``SVCAT_STORE_UPDATE_URL`` and whole-graph writes to ``SVCAT_STORE_GRAPH_STORE_URL``
(the SPARQL 1.1 Graph Store HTTP Protocol), both defaulting to the query endpoint
(Fuseki's dataset URL answers all three). ``none`` as the graph store URL writes with
``INSERT DATA`` instead (Neptune has no Graph Store Protocol).

Virtuoso, recognised by its ``Server`` header, differs: updates and graph writes need
its authenticated endpoints ``/sparql-auth`` and ``/sparql-graph-crud-auth`` (digest
authentication only, user granted ``SPARQL_UPDATE``), whose graph parameter is
``graph-uri``; it never answers an ``application/sparql-query`` POST, so every request
here is a GET or a form-encoded POST; and it cuts results at ``ResultSetMaxRows``
(10,000 by default), saying so in an ``X-SPARQL-MaxRows`` header, so listings page by
key (``FILTER(?g > last)``: it also refuses an OFFSET past that cap when sorting).

Virtuoso also gives a dataset named only by ``default-graph-uri`` or by ``FROM`` every
named graph of the store (SPARQL 1.1 says: none; ``no_named_graphs`` puts it right), and
two of its serialisers are wrong: its TSV results are CSV with tabs (no ``?x`` header, no
brackets or language tags) and its JSON-LD drops language tags, so those two formats are
asked of it as SPARQL JSON and N-Triples and written by pyoxigraph (``VIRTUOSO_WRONG``).

Authentication is basic or digest, as the server's ``WWW-Authenticate`` asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from catalogue.errors import CatalogueError, StoreUnavailable
from catalogue.store.sparql_text import iri, tokens

#: Largest body of one Graph Store write: a chunk of rows is split at line ends to fit.
GSP_BYTES = 4 << 20
NO_GRAPH_STORE = "none"


@dataclass(frozen=True)
class RemoteOptions:
    """Settings of a remote store (``SVCAT_STORE_USER`` ... in ``catalogue.store.settings``)."""

    user: str = ""
    password: str = ""
    update_url: str = ""
    graph_store_url: str = ""


class StoreRefused(CatalogueError):
    """The remote store answered an error to a write."""

    status = 502
    title = "Store refused the request"


@dataclass
class Endpoints:
    query: str
    update: str
    graph_store: str | None
    graph_param: str  # "graph" (SPARQL 1.1) or "graph-uri" (Virtuoso)
    virtuoso: bool


def _sibling(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def discover(session: requests.Session, url: str, options: RemoteOptions, timeout: float) -> Endpoints:
    """The endpoints to use, after one request that tells us which server this is."""
    try:
        response = session.get(url, params={"query": "ASK {}"}, timeout=timeout,
                               headers={"Accept": "application/sparql-results+json"})
    except requests.RequestException as exc:
        raise StoreUnavailable(f"cannot reach the SPARQL endpoint {url}: {exc}") from exc
    virtuoso = "virtuoso" in response.headers.get("Server", "").lower()
    update = options.update_url or url
    graph_store: str | None = options.graph_store_url or url
    if virtuoso:
        update = options.update_url or _sibling(url, "/sparql-auth")
        graph_store = options.graph_store_url or _sibling(url, "/sparql-graph-crud-auth")
    if graph_store == NO_GRAPH_STORE:
        graph_store = None
    graph_param = "graph-uri" if virtuoso and graph_store and "sparql-graph-crud" in graph_store else "graph"
    return Endpoints(url, update, graph_store, graph_param, virtuoso)


def auth_scheme(session: requests.Session, url: str, timeout: float) -> str | None:
    """``"digest"`` or ``"basic"``: what ``url`` asks for in its 401, or ``None`` if nothing."""
    try:
        response = session.get(url, timeout=timeout)
    except requests.RequestException as exc:
        raise StoreUnavailable(f"cannot reach {url}: {exc}") from exc
    if response.status_code != 401:
        return None
    scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
    return "digest" if scheme == "digest" else "basic"


def requests_auth(scheme: str | None, options: RemoteOptions):
    if not options.user:
        return None
    if scheme == "digest":
        return HTTPDigestAuth(options.user, options.password)
    return HTTPBasicAuth(options.user, options.password)


def split_lines(chunk: bytes, limit: int = GSP_BYTES):
    """``chunk`` in pieces of at most about ``limit`` bytes, cut at line ends."""
    start = 0
    while start < len(chunk):
        end = start + limit
        if end >= len(chunk):
            yield chunk[start:]
            return
        cut = chunk.rfind(b"\n", start, end)
        cut = chunk.find(b"\n", end) if cut < start else cut
        cut = len(chunk) - 1 if cut < 0 else cut
        yield chunk[start:cut + 1]
        start = cut + 1


def check(response: requests.Response, what: str) -> requests.Response:
    """A write's response, or the server's own words as an error."""
    if response.status_code in (401, 403):
        raise StoreUnavailable(f"the store refused {what} ({response.status_code}): set SVCAT_STORE_USER and "
                               f"SVCAT_STORE_PASSWORD to a user allowed to write")
    if response.status_code >= 400:
        raise StoreRefused(f"the store refused {what} ({response.status_code}): {response.text[:500]}")
    return response


#: A graph no one writes: naming it as the only named graph gives a dataset none.
EMPTY_GRAPH = "urn:x-svcat:no-named-graphs"


def no_named_graphs(query: str) -> str:
    """``query`` with ``FROM NAMED <EMPTY_GRAPH>`` after its first FROM clause when it has
    FROM clauses but no FROM NAMED (else unchanged)."""
    toks = list(tokens(query))
    froms = [i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() == "FROM"]
    if not froms or any(i + 1 < len(toks) and toks[i + 1].text.upper() == "NAMED" for i in froms):
        return query
    target = toks[froms[0] + 1] if froms[0] + 1 < len(toks) else None
    if target is None or target.kind not in ("iri", "pname"):
        return query
    end = target.start + len(target.text)
    return f"{query[:end]} FROM NAMED {iri(EMPTY_GRAPH)}{query[end:]}"


#: Formats Virtuoso writes wrongly -> the format to ask it for instead (pyoxigraph converts).
VIRTUOSO_WRONG = {"text/tab-separated-values": "application/sparql-results+json",
                  "application/ld+json": "application/n-triples"}
