"""HTTP only: blueprints per resource, one error handler, the per-process store.

The web layer reads the store; it never parses CSV or imports the loaders (an upload
runs the ``svcat`` command in a subprocess instead). Import-linter enforces this.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, current_app

from catalogue.store import QueryLimits, Store, open_store
from catalogue.store.settings import query_limits, remote_options

STORE_KEY = "svcat.store"
_OPENING = threading.Lock()  # gthread workers: two first requests must not open two stores


def get_store() -> Store:
    """The store for this process: opened on first use, reopened after a fork."""
    return store_of(current_app)


def store_of(app: Flask) -> Store:
    """``get_store`` for a given app, outside a request (``sparql_fast`` pushes no context)."""
    given = app.config.get("SVCAT_STORE_OBJECT")
    if given is not None:
        return given
    holder = app.extensions.setdefault(STORE_KEY, {})
    pid = os.getpid()
    store = holder.get(pid)
    if store is not None:
        return store
    with _OPENING:
        store = holder.get(pid)
        if store is None:
            holder.clear()
            store = holder[pid] = open_store(app.config["SVCAT_STORE"], mode="read", limits=limits_of(app),
                                             remote=remote_options({k[6:]: v for k, v in app.config.items()
                                                                    if k.startswith("SVCAT_")}))
    return store


LIMIT_SETTINGS = ("QUERY_TIMEOUT", "RESULT_LIMIT", "QUERY_WORKERS", "FEDERATION", "QUERY_MEMORY_MB",
                  "QUERY_INPROCESS_MS")


def limits() -> QueryLimits:
    """The query limits of this app (``SVCAT_QUERY_TIMEOUT``, ``SVCAT_RESULT_LIMIT``, ...).

    Asked on every query: built once per distinct setting values (tests change them).
    """
    return limits_of(current_app)


def limits_of(app: Flask) -> QueryLimits:
    """``limits`` for a given app, outside a request."""
    config = app.config
    values = tuple(config[f"SVCAT_{name}"] for name in LIMIT_SETTINGS)
    holder = app.extensions.setdefault("svcat.limits", {})
    found = holder.get(values)
    if found is None:
        holder.clear()
        found = holder[values] = query_limits(dict(zip(LIMIT_SETTINGS, values)))
    return found


def base_uri() -> str:
    return current_app.config["SVCAT_BASE_URI"]


def init_app(app: Flask) -> None:
    from catalogue.web import (
        ambiguous, catalogue_page, conditional, councils, datasets, errors, files, formatting, home, ops, organisations,
        outcomes, publish, query, reconcile, resources, search, social_value, sparql, sparql_fast, throttle,
    )

    ops.init_app(app)  # first: every answer, errors included, carries its request id
    errors.register(app)
    throttle.init_app(app)
    formatting.init_app(app)
    conditional.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(councils.bp)
    app.register_blueprint(datasets.bp)
    app.register_blueprint(files.bp)
    app.register_blueprint(catalogue_page.bp)
    app.register_blueprint(query.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(organisations.bp)
    app.register_blueprint(ambiguous.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(social_value.bp)
    app.register_blueprint(outcomes.bp)
    app.register_blueprint(publish.bp)
    app.after_request(_cors_and_security)
    sparql_fast.init_app(app)  # last: plain /sparql queries skip Flask's request machinery


EVERY_RESPONSE = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "Content-Type, Content-Length, ETag, Last-Modified, Link, Location, "
                                      "X-SVCAT-Truncated, X-SVCAT-Page-Capped, X-SVCAT-Result-Limit, X-SVCAT-Message, "
                                      "X-Request-Id"),
    ("X-Content-Type-Options", "nosniff"),
)


def _cors_and_security(response):
    """CORS on every response (data URLs are public) and safe defaults for pages.

    Headers a view set itself are kept (one pass over the few headers there are, not a
    scan per name: this runs on every request).
    """
    present = {name.lower() for name, _ in response.headers}
    for name, value in EVERY_RESPONSE:
        if name.lower() not in present:
            response.headers.add(name, value)
    if response.mimetype == "text/html":
        if "frame-ancestors" not in response.headers.get("Content-Security-Policy", ""):
            response.headers.setdefault("X-Frame-Options", "DENY")  # unless a view allows framing
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
    elif response.mimetype == "image/svg+xml":  # opened on its own, an SVG is a document
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    return response
