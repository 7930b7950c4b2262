"""One error hierarchy for the catalogue; one HTTP handler renders it (``web.errors``).

    CatalogueError (status 500)
    ├── NotFound (404)
    ├── BadRequest (400)
    │   └── BadQuery (400)            SPARQL that does not parse, or is refused
    ├── Unauthorized (401)
    ├── Forbidden (403)
    │   ├── UpdateRefused (403)        SPARQL Update on the read-only endpoint
    │   ├── FederationRefused (403)    SERVICE to an endpoint not on the allow-list
    │   └── ReadOnlyStore (403)        a write on a store opened for reading
    ├── PayloadTooLarge (413)
    ├── TooManyRequests (429)        a client over its rate or concurrency limit (Retry-After)
    ├── ClientGone (499)             the client closed its connection; its query was stopped
    ├── QueryTimeout (503)           a query stopped at its time limit
    ├── QueryTooLarge (503)          a query stopped at its memory limit
    └── StoreUnavailable (503)       the store cannot be opened or reached

The CLI turns them into ``click.ClickException``; the web layer into one JSON shape
``{"ok": false, "error": ..., "status": ...}`` or an HTML page.
"""

from __future__ import annotations


class CatalogueError(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, message: str, *, status: int | None = None, title: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title


class NotFound(CatalogueError):
    status = 404
    title = "Not found"


class BadRequest(CatalogueError):
    status = 400
    title = "Bad request"


class BadQuery(BadRequest):
    title = "Bad query"


class Unauthorized(CatalogueError):
    status = 401
    title = "Unauthorized"


class Forbidden(CatalogueError):
    status = 403
    title = "Forbidden"


class UpdateRefused(Forbidden):
    title = "Updates are not allowed"


class FederationRefused(Forbidden):
    title = "Federated query refused"


class PayloadTooLarge(CatalogueError):
    status = 413
    title = "Payload too large"


class TooManyRequests(CatalogueError):
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class ClientGone(CatalogueError):
    status = 499  # nginx's "client closed request": nobody reads the answer
    title = "Client closed the request"


class QueryTimeout(CatalogueError):
    status = 503
    title = "Query timed out"


class QueryTooLarge(CatalogueError):
    status = 503
    title = "Query used too much memory"


class StoreUnavailable(CatalogueError):
    status = 503
    title = "Store unavailable"


class ReadOnlyStore(Forbidden):
    title = "Read-only store"
