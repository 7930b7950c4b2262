"""``/sparql`` queries answered without Flask's request machinery: the same answer, less CPU.

Why: a simple query cost our endpoint about seven times the CPU that ``oxigraph
serve-read-only`` spends on it (bench/README.md, issue 22), and about a third of our
share was Flask's per-request work around the view: the request context, URL matching,
the ``request``/``g`` proxies, three before- and three after-request hooks, a Response
object and its header list. For a plain query none of that decides anything.

``SparqlFastPath`` sits in front of the Flask app (``app.wsgi_app``) and answers a GET
or POST to ``/sparql`` that carries a query itself, with the very functions the view
uses (``sparql.protocol_request``, ``sparql.run_query``: parameters, negotiation, the
public-query policy, the store's limits) and the headers the app's hooks add to every
answer (request id, CORS, ``nosniff``), in the same order. The per-client limits apply
as in ``throttle.before`` (a 429 before any work), and the query pool is told how to see
that the client left (``CLIENT_GONE``).

Everything else goes to Flask untouched: other paths, other methods (``OPTIONS``,
``HEAD``), a request without a query (the query page, the Service Description), a POST
without a plain ``Content-Length``. When anything fails on the fast path (a bad query, a
429, a timeout, a bug), the request goes to Flask with the exception under
``FAST_PATH_ERROR``: the view raises it, so the one error handler answers it the app's
way (negotiated error page or JSON, ``Retry-After``, logging), with the same request id.
``tests/test_sparql_fast.py`` holds both paths to the same status, headers and bytes.
"""

from __future__ import annotations

import io

from flask import Flask
from werkzeug.exceptions import ClientDisconnected
from werkzeug.http import parse_options_header

from catalogue.access_log import HEADER, request_id
from catalogue.errors import PayloadTooLarge
from catalogue.store.pool import CLIENT_GONE
from catalogue.web import EVERY_RESPONSE, limits_of, store_of
from catalogue.web.ops import REQUEST_ID_KEY
from catalogue.web.sparql import base_url, protocol_request, run_query
from catalogue.web.throttle import FAST_PATH_ERROR, client_gone_check, limited_client, limiter_of

PATH = "/sparql"
ID_ENVIRON = "HTTP_" + HEADER.upper().replace("-", "_")


class SparqlFastPath:
    """WSGI middleware: plain ``/sparql`` queries here, every other request to ``flask``."""

    def __init__(self, app: Flask):
        self.app = app
        self.flask = app.wsgi_app  # the app's own WSGI callable (tests call it to compare)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != PATH or method not in ("GET", "POST"):
            return self.flask(environ, start_response)
        if method == "POST" and not _plain_length(environ):
            return self.flask(environ, start_response)
        try:
            answered = self._answer(environ, method)
        except Exception as exc:  # noqa: BLE001 (every failure is answered by the app's handler)
            environ[FAST_PATH_ERROR] = exc
            return self.flask(environ, start_response)
        if answered is None:
            return self.flask(environ, start_response)
        headers, body = answered
        start_response("200 OK", headers)
        return [body]

    def _answer(self, environ: dict, method: str) -> tuple[list[tuple[str, str]], bytes] | None:
        """(headers, body) of the answer, or None when the request carries no query."""
        config = self.app.config
        rid = environ[REQUEST_ID_KEY] = request_id(environ.get(ID_ENVIRON))
        held = None
        sock = environ.get("gunicorn.socket")
        gone = CLIENT_GONE.set(client_gone_check(sock) if sock is not None else None)
        try:
            client = limited_client(config, environ)
            if client is not None:
                limiter_of(self.app).enter(client, True)
                held = client
            if method == "GET":
                params, query = _get_params(environ.get("QUERY_STRING", ""))
            else:
                mimetype = parse_options_header(environ.get("CONTENT_TYPE", ""))[0].lower()
                read_body = _BodyReader(environ, config.get("MAX_CONTENT_LENGTH"))
                params, query = protocol_request(environ.get("QUERY_STRING", "").encode("latin-1"), method,
                                                 mimetype, read_body)
            if query is None:  # the query page or the Service Description: Flask's
                if method == "POST":
                    read_body.put_back()
                return None
            headers, body = run_query(store_of(self.app), params, query, environ.get("HTTP_ACCEPT"),
                                      base_url(environ), limits_of(self.app).federation)
        finally:
            if held is not None:
                limiter_of(self.app).leave(held, True)
            CLIENT_GONE.reset(gone)
        headers.insert(1, ("Content-Length", str(len(body))))
        present = {name.lower() for name, _ in headers}
        headers += [(name, value) for name, value in EVERY_RESPONSE if name.lower() not in present]
        headers.append((HEADER, rid))
        return headers, body


#: A GET's protocol parameters by its query string: clients send the same queries again and
#: again, and reading one (percent-decoding, splitting) costs as much as a small query's run.
#: Only well-formed ones are kept; the values are never changed by their readers.
_GETS: dict[str, tuple[dict[str, list[str]], str | None]] = {}
GETS_MAX, GETS_MAX_CHARS = 1024, 8192


def _get_params(query_string: str) -> tuple[dict[str, list[str]], str | None]:
    found = _GETS.get(query_string)
    if found is None:
        found = protocol_request(query_string.encode("latin-1"), "GET", "", _no_body)
        if len(query_string) <= GETS_MAX_CHARS:
            if len(_GETS) >= GETS_MAX:
                _GETS.clear()
            _GETS[query_string] = found
    return found


def _plain_length(environ: dict) -> bool:
    """A body of a stated length (no chunked encoding): the fast path reads it whole."""
    length = environ.get("CONTENT_LENGTH") or ""
    return length.isdigit() and length.isascii() and "HTTP_TRANSFER_ENCODING" not in environ


def _no_body() -> bytes:
    return b""


class _BodyReader:
    """Reads a POST body once, refusing it whole (413) past the size limit, as the view does."""

    def __init__(self, environ: dict, limit: int | None):
        self.environ, self.limit, self.data = environ, limit, None

    def __call__(self) -> bytes:
        length = int(self.environ["CONTENT_LENGTH"])
        if self.limit and length > self.limit:
            raise PayloadTooLarge(f"the request body is larger than {self.limit} bytes (SVCAT_MAX_QUERY_BYTES)")
        self.data = self.environ["wsgi.input"].read(length) if length else b""
        if len(self.data) < length:
            raise ClientDisconnected()
        return self.data

    def put_back(self) -> None:
        """Let Flask read the body again (a request the fast path hands over after reading it)."""
        if self.data is not None:
            self.environ["wsgi.input"] = io.BytesIO(self.data)
            self.environ["CONTENT_LENGTH"] = str(len(self.data))


def init_app(app: Flask) -> None:
    app.wsgi_app = SparqlFastPath(app)
