"""``/query``: the query page (YASGUI when installed, a plain form always) and the gallery.

Without JavaScript the page is an HTML form: ``GET /query?query=...`` runs the query and
shows the result as a table, says how many rows there are, and links the whole result
as CSV and JSON from ``/sparql``. With YASGUI installed (``svcat assets``, which
``svcat demo`` runs when npm is present) the same page upgrades to the YASGUI editor
on ``/sparql``, with our prefixes. ``/queries`` lists the example queries
(``catalogue/queries/*.rq``); ``/queries/<name>.rq`` is each one as a file.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from catalogue.analysis import gallery
from catalogue.errors import CatalogueError, NotFound
from catalogue.vocab import PREFIXES
from catalogue.web import get_store

bp = Blueprint("query", __name__)

#: Rows a result page shows; the rest is one download away (and the page says so).
SHOW_ROWS = 500
#: Characters of a CONSTRUCT/DESCRIBE result shown on the page.
SHOW_CHARS = 200_000
YASGUI_FILES = ("vendor/yasgui/yasgui.min.js", "vendor/yasgui/yasgui.min.css")


def yasgui_installed() -> bool:
    static = Path(current_app.static_folder)
    return all((static / name).is_file() for name in YASGUI_FILES)


def sparql_url(query: str, fmt: str) -> str:
    return url_for("sparql.endpoint") + "?" + urlencode({"query": query, "format": fmt})


def run_for_page(query: str) -> dict:
    """Run ``query`` for display: the first rows, the total, and what was left out."""
    try:
        kind, media_type, body = get_store().query_raw(
            query, results_type="application/sparql-results+json", graph_type="text/turtle")
    except CatalogueError as exc:
        return {"error": exc.message, "status": exc.status}
    out = {"kind": kind, "csv": sparql_url(query, "csv"), "json": sparql_url(query, "json"),
           "turtle": sparql_url(query, "ttl"), "truncated": False}
    if kind == "graph":
        text = body.decode("utf-8", "replace")
        out.update(text=text[:SHOW_CHARS], cut=len(text) > SHOW_CHARS, chars=len(text))
        return out
    data = json.loads(body)
    if "boolean" in data:
        out["boolean"] = data["boolean"]
        return out
    variables = data["head"]["vars"]
    bindings = data["results"]["bindings"]
    out.update(variables=variables, total=len(bindings), cut=len(bindings) > SHOW_ROWS,
               rows=[[_cell(b.get(v)) for v in variables] for b in bindings[:SHOW_ROWS]])
    return out


def _cell(term: dict | None) -> dict | None:
    if term is None:
        return None
    value = term["value"]
    if term["type"] == "uri":
        from catalogue.web.formatting import local_href

        return {"value": value, "href": local_href(value)}
    return {"value": value, "datatype": term.get("datatype", "").rsplit("#", 1)[-1] or None,
            "lang": term.get("xml:lang")}


@bp.route("/query")
def page():
    query = request.args.get("query")
    chosen = gallery.example(request.args.get("example", "")) if request.args.get("example") else None
    if chosen is None and request.args.get("example"):
        raise NotFound(f"no example query {request.args['example']!r}")
    text = query if query is not None else (chosen or gallery.examples()[0]).text
    result = run_for_page(query) if query and query.strip() else None
    response = Response(render_template(
        "query/page.html", text=text, result=result, examples=gallery.examples(), chosen=chosen,
        yasgui=yasgui_installed(), prefixes=PREFIXES, show_rows=SHOW_ROWS,
        limit=current_app.config.get("SVCAT_RESULT_LIMIT"),
        timeout=current_app.config.get("SVCAT_QUERY_TIMEOUT")), mimetype="text/html")
    if result and result.get("cut"):
        response.headers["X-SVCAT-Truncated"] = f"page shows {SHOW_ROWS} of {result['total']} rows; full result at /sparql"
    if result and result.get("error"):
        response.status_code = result.get("status", 400)
    return response


@bp.route("/queries")
def examples():
    return render_template("query/gallery.html", examples=gallery.examples())


@bp.route("/queries/<name>.rq")
def example_file(name: str):
    found = gallery.example(name)
    if found is None:
        raise NotFound(f"no example query {name!r}")
    response = Response(found.text, mimetype="application/sparql-query")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.rq"'
    return response
