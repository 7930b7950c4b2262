"""``/search?q=``: councils, organisations, supplier records and datasets by name or identifier.

The results are a table like any other: paged, with its total, and ``.csv``/``.json``
(``/search.csv?q=...``). More than ``MAX_MATCHES`` matches are cut, and the page says so.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from catalogue.analysis import search as s
from catalogue.errors import BadRequest
from catalogue.web import base_uri
from catalogue.web.councils import council_rows
from catalogue.web.fetch import fetch
from catalogue.web.tables import Column, Table, respond, view

bp = Blueprint("search", __name__)


@bp.route("/search")
@bp.route("/search.<any(csv,json,html):suffix>")
def index(suffix: str | None = None):
    suffix = suffix or request.args.get("_format") or None
    text = (request.args.get("q") or "").strip()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in s.KINDS:
        raise BadRequest(f"kind must be one of {', '.join(s.KINDS)}")
    context = {"q": text, "kind": kind, "kinds": s.KINDS}
    if len(text) < 2:
        if suffix in ("csv", "json"):
            raise BadRequest("give at least two characters to search for: ?q=...")
        return render_template("search/results.html", v=None, **context)
    result = fetch(s.search(base_uri(), text, kind))
    names = {c["council"]: c["name"] for c in council_rows()}
    rows = [dict(r, council_name=names.get(r.get("council"), r.get("council"))) for r in s.rank(result.rows, text)]
    cut = len(rows) > s.MAX_MATCHES or result.truncated or len(result.rows) >= s.CANDIDATES
    table = Table("search", f"Matches for “{text}”", [
        Column("label", "Name", href="thing"), Column("type", "What it is"), Column("kind", "Kind"),
        Column("identifier", "Identifier"),
        Column("council_name", "Council or publisher", href="council")], rows[: s.MAX_MATCHES],
        query=result.query, truncated=cut,
        truncation_reason=f"more than {s.MAX_MATCHES:,} things match; add words to narrow the search"
        if cut else None)
    path = url_for("search.index")
    if suffix in ("csv", "json"):
        return respond(table, path, suffix)
    if suffix not in (None, "html"):
        raise BadRequest(f"no {suffix!r} format; use .csv, .json or .html")
    return render_template("search/results.html", v=view(table, path), **context)
