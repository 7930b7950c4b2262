"""``/sparql``: the SPARQL 1.1 Protocol query operation (read-only).

GET with ``query=``, POST as a form or as ``application/sparql-query``; the dataset
from ``default-graph-uri``/``named-graph-uri`` (which win over FROM in the query), else
the union of all graphs. Results are serialised by the store engine in the format the
client accepts. Updates are refused with 403 whatever way they are sent. Without a
query, browsers get the query page and RDF clients the Service Description.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.utils import get_content_type
from werkzeug.wrappers import Request as WerkzeugRequest

from catalogue.errors import BadQuery, CatalogueError, PayloadTooLarge, UpdateRefused
from catalogue.store.policy import check_public_query
from catalogue.web import base_uri, get_store, limits
from catalogue.web import negotiate as ng
from catalogue.web.service_description import service_description
from catalogue.web.throttle import FAST_PATH_ERROR  # where the fast path leaves an error for the view

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
TRUNCATED = "X-SVCAT-Truncated"


class UnsupportedMediaType(CatalogueError):
    status = 415
    title = "Unsupported media type"


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadQuery(f"the {what} is not valid UTF-8 (byte {exc.start}); send UTF-8") from exc


def _body() -> bytes:
    """The request body, refused whole (413) past the size limit, never cut short.

    Werkzeug stops a chunked body (no Content-Length) silently at MAX_CONTENT_LENGTH, and
    a query cut short can still parse as a different query; so read one byte more.
    """
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    length = request.content_length
    too_large = PayloadTooLarge(f"the request body is larger than {limit} bytes (SVCAT_MAX_QUERY_BYTES)")
    if limit and length is not None and length > limit:
        raise too_large
    if limit and length is None:
        data = request.environ["wsgi.input"].read(limit + 1)
        if len(data) > limit:
            raise too_large
        return data
    return request.get_data(cache=False)


def protocol_request(query_string: bytes, method: str, mimetype: str,
                     read_body: Callable[[], bytes]) -> tuple[dict[str, list[str]], str | None]:
    """Protocol parameters and the query text, whatever way they were sent.

    Plain values in, so that the Flask view and the fast path (``sparql_fast``) read a
    request the one same way; ``read_body`` is called for a POST only.
    """
    params = parse_qs(_decode(query_string, "URL"), keep_blank_values=True)
    query = None
    if method == "POST":
        body = read_body()
        if mimetype == FORM:
            form = parse_qs(_decode(body, "form body"), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif mimetype == DIRECT:
            query = _decode(body, "query")
            if "query" in params:
                raise BadQuery("send the query either in the body or as query=, not both")
        elif mimetype == UPDATE:
            raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
        elif not mimetype:
            raise UnsupportedMediaType(
                f"a POST needs a Content-Type: {FORM} or {DIRECT}")
        else:
            raise UnsupportedMediaType(f"cannot read a POST body of type {mimetype}; use {FORM} or {DIRECT}")
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise UpdateRefused("this endpoint is read-only: SPARQL Update is not accepted")
    if query is None and "query" in params:
        values = params["query"]
        if len(values) != 1:
            raise BadQuery("exactly one query= parameter is allowed")
        query = values[0]
    return params, query


#: (SELECT/ASK format, CONSTRUCT/DESCRIBE format) by (``?format=``, ``Accept``): asked on every
#: query, and clients send the same few values again and again (the negotiation itself is
#: cached too, but hashing its offers cost more than a dictionary look-up here).
_FORMATS: dict[tuple[str | None, str | None], tuple[ng.Format, ng.Format]] = {}
FORMATS_MAX = 256


def _formats(params: dict[str, list[str]], accept: str | None) -> tuple[ng.Format, ng.Format]:
    """(SELECT/ASK format, CONSTRUCT/DESCRIBE format) from ?format= or Accept."""
    wanted = params.get("format") or params.get("output") or []
    key = (wanted[0] if wanted else None, accept)
    found = _FORMATS.get(key)
    if found is None:
        found = _negotiate(wanted[0] if wanted else None, accept)
        if len(_FORMATS) >= FORMATS_MAX:
            _FORMATS.clear()
        _FORMATS[key] = found
    return found


def _negotiate(wanted: str | None, accept: str | None) -> tuple[ng.Format, ng.Format]:
    if wanted:
        choice = ng.ALIASES.get(wanted.lower())
        if choice is None:
            raise BadQuery(f"unknown format {wanted!r}; use json, xml, csv, tsv, ttl, jsonld, nt or rdf")
        accept = choice.media_type
    results = ng.best(accept, ng.RESULT_FORMATS) or ng.RESULTS_JSON
    graph = ng.best(accept, ng.RDF_FORMATS) or ng.TURTLE
    return results, graph


def run_query(store, params: dict[str, list[str]], query: str, accept: str | None, base: str,
              federation) -> tuple[list[tuple[str, str]], bytes]:
    """Check and run a protocol query: (the answer's own headers, its body).

    The headers are those of the answer itself (type, ``Vary``, ``Cache-Control``, the
    truncation marks); the app adds CORS, security and request-id headers to every answer.
    """
    if not query.strip():
        raise BadQuery("the query is empty")
    results, graph = _formats(params, accept)
    check_public_query(query, federation, base)
    result = store.query_raw(
        query, results_type=results.media_type, graph_type=graph.media_type,
        default_graphs=params.get("default-graph-uri", []), named_graphs=params.get("named-graph-uri", []),
        base_iri=base)
    _kind, media_type, body = result
    headers = [("Content-Type", _content_type(media_type)), ("Vary", "Accept"), ("Cache-Control", "no-cache")]
    if getattr(result, "truncated", False):
        headers += truncation_headers(result.limit)
    return headers, body


def _content_type(media_type: str) -> str:
    """The Content-Type of an answer: UTF-8 said for every text, JSON and XML type."""
    if "charset" not in media_type and (media_type.startswith("text/") or media_type.endswith(("json", "xml"))):
        return f"{media_type}; charset=utf-8"
    return get_content_type(media_type, "utf-8")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    """The protocol's query operation (plain GET and POST queries usually take ``sparql_fast``)."""
    stashed = request.environ.pop(FAST_PATH_ERROR, None)
    if stashed is not None:  # the fast path failed this request: answer its error the app's way
        raise stashed
    if request.method == "OPTIONS":
        return _preflight()
    params, query = protocol_request(request.query_string, request.method, (request.mimetype or "").lower(), _body)
    if query is None:
        return _no_query()
    headers, body = run_query(get_store(), params, query, request.headers.get("Accept"),
                              base_url(request.environ), limits().federation)
    response = Response(body)
    for name, value in headers:
        response.headers[name] = value
    return response


#: ``request.base_url`` by the parts of the request it is made of: Werkzeug rebuilds it
#: (IRI-decoding host and path) on every request, and the endpoint is asked on few URLs.
_BASES: dict[tuple, str] = {}
BASES_MAX = 256
URL_PARTS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO")


def base_url(environ: dict) -> str:
    """The request's URL without its query string (the base of relative IRIs in a query)."""
    get = environ.get
    key = (get("wsgi.url_scheme"), get("HTTP_HOST"), get("SERVER_NAME"), get("SERVER_PORT"), get("SCRIPT_NAME"),
           get("PATH_INFO"))  # URL_PARTS, spelt out: this runs on every query
    found = _BASES.get(key)
    if found is None:
        if len(_BASES) >= BASES_MAX:
            _BASES.clear()
        found = _BASES[key] = WerkzeugRequest(environ).base_url
    return found


def truncation_headers(limit: int | None) -> list[tuple[str, str]]:
    """Say that a result was cut at the row limit: a header a client can test, and why."""
    what = f"the first {limit} rows" if limit else "part of the result"
    return [(TRUNCATED, "true"), ("X-SVCAT-Result-Limit", str(limit or "")),
            ("X-SVCAT-Message", f"Result truncated: only {what} are returned (SVCAT_RESULT_LIMIT). "
                                "Page through it with ORDER BY, LIMIT and OFFSET, or download a dump.")]


def _preflight():
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Content-Type, Accept")
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _no_query():
    accept = request.headers.get("Accept")
    choice = ng.best(accept, (ng.HTML, *ng.RDF_FORMATS))
    if choice is ng.HTML or choice is None:
        return render_template("sparql/query.html")
    graph = service_description(request.base_url, base_uri(), get_store())
    body = graph.serialize(format={"turtle": "turtle", "json-ld": "json-ld", "n-triples": "nt",
                                   "rdf/xml": "xml"}[choice.name])
    response = Response(body, mimetype=choice.media_type)
    response.headers["Vary"] = "Accept"
    return response
