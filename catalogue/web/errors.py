"""The one HTTP error handler: every error is ``{"ok": false, "error", "status"}`` or a page.

Catalogue errors keep their status and message; Werkzeug's HTTP errors (404 for an
unknown route, 405, 413) get the same shape; anything else is a 500 whose details go to
the log, not to the client.
"""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from catalogue.errors import CatalogueError
from catalogue.web.negotiate import wants_html


def error_response(status: int, title: str, message: str):
    if wants_html(request.headers.get("Accept")):
        page = render_template("error.html", status=status, title=title, message=message)
        return page, status
    if request.headers.get("Accept", "").startswith("text/plain"):
        return f"{status} {title}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8"}
    return jsonify({"ok": False, "error": message, "title": title, "status": status}), status


def register(app: Flask) -> None:
    @app.errorhandler(CatalogueError)
    def catalogue_error(exc: CatalogueError):
        response = app.make_response(error_response(exc.status, exc.title, exc.message))
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_response(exc.code or 500, exc.name, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s %s (request id %s)", request.method, request.path,
                             g.get("request_id"))
        return error_response(500, "Internal error", "Something went wrong on our side; it has been logged.")
