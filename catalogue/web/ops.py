"""Operations: ``/healthz``, ``/readyz`` and the request id every answer carries.

``/healthz`` says the process is up and answering; it touches nothing else, so a load
balancer's liveness probe never restarts a worker because the store is slow. ``/readyz``
says whether this worker can serve: it opens (or reuses) the store and asks it one small
question, the latest load (the newest dataset record: its dataset, its graph, whose name
ends with the load's id, and when). 200 when readable, 503 otherwise; both JSON, never
cached.

Every request gets an id (``X-Request-Id`` from the client or proxy when well formed, else
a new one), sent back in ``X-Request-Id`` and written by the JSON access log
(``catalogue.access_log``) and by the error handler's log line.
"""

from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, g, jsonify, request

from catalogue import __version__, iris
from catalogue.access_log import HEADER, request_id
from catalogue.errors import CatalogueError
from catalogue.store import sparql_text as q
from catalogue.vocab import DCTERMS, SV
from catalogue.web import base_uri, get_store

bp = Blueprint("ops", __name__)
#: The environ key of a request's id (read by the access log, ``catalogue.access_log``).
REQUEST_ID_KEY = "svcat.request_id"
STARTED = time.time()


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    """The process is up (no store access)."""
    return _no_store(jsonify({"ok": True, "status": "up", "version": __version__, "pid": os.getpid(),
                              "uptime_s": round(time.time() - STARTED, 1)}))


@bp.get("/readyz")
def readyz():
    """The store is readable; the latest load's dataset, graph (load id) and time."""
    cat = q.iri(iris.catalogue_graph(base_uri()))
    try:
        rows = get_store().select(
            f"SELECT ?dataset ?graph ?modified WHERE {{ GRAPH {cat} {{ ?dataset {q.iri(SV.namedGraph)} ?graph . "
            f"OPTIONAL {{ ?dataset {q.iri(DCTERMS.modified)} ?modified }} }} }} "
            "ORDER BY DESC(?modified) LIMIT 1").rows
    except (CatalogueError, OSError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        response = jsonify({"ok": False, "status": "store unreadable", "error": message})
        response.status_code = 503
        return _no_store(response)
    latest = None
    if rows:
        graph = str(rows[0]["graph"])
        latest = {"dataset": str(rows[0]["dataset"]), "graph": graph, "load_id": graph.rstrip("/").rsplit("/", 1)[-1],
                  "loaded": str(rows[0]["modified"]) if rows[0].get("modified") else None}
    return _no_store(jsonify({"ok": True, "status": "ready", "latest_load": latest}))


def _start():
    given = request.environ.get(REQUEST_ID_KEY)  # chosen already by the /sparql fast path
    g.request_id = given or request_id(request.headers.get(HEADER))
    request.environ[REQUEST_ID_KEY] = g.request_id


def _finish(response):
    rid = g.get("request_id")
    if rid:
        response.headers[HEADER] = rid
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.register_blueprint(bp)
