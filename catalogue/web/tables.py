"""Tables: every list on a page pages, sorts, says its total, and is also CSV and JSON.

A view builds a ``Table`` (columns, all rows or one page of them, the query that made
it) and hands it to ``respond``, which picks the format from a ``.csv``/``.json``
suffix, ``?_format=`` or ``Accept``, like Datasette. Query parameters, also like
Datasette: ``_sort=COL`` or ``_sort_desc=COL``, ``_page=N`` (from 1), ``_size=N`` (or
``max``). CSV is always the whole table in the requested order; JSON and HTML are one
page with links to the next.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil
from urllib.parse import urlencode

from flask import Response, current_app, jsonify, render_template, request

from catalogue import csv_safe
from catalogue.analysis import Query
from catalogue.errors import BadRequest, NotFound
from catalogue.web import negotiate as ng

DEFAULT_SIZE = 50
MAX_SIZE = 1000
FORMATS = {"csv": ng.CSV, "json": ng.JSON, "html": ng.HTML}


@dataclass
class Column:
    key: str
    title: str
    kind: str = "text"  # text | int | money | share | iri
    href: str | None = None  # the row key whose value links this cell
    numeric: bool = False
    #: For a share: the row key of the unknown share beside it, shown as "at least 12.4%,
    #: unknown 82.5%" (a bare 0.0% when most of the base is unknown misleads).
    unknown: str | None = None

    def __post_init__(self):
        self.numeric = self.kind in ("int", "money", "share", "number")


@dataclass
class Table:
    name: str
    caption: str
    columns: list[Column]
    rows: list[dict]
    query: Query | None = None
    sort: str | None = None
    desc: bool = False
    description: str | None = None
    truncated: bool = False
    truncation_reason: str | None = None
    total: int | None = None  # set when ``rows`` is already one page (fetched by the caller)
    page_size: int = DEFAULT_SIZE
    extra_keys: list[str] = field(default_factory=list)
    more_queries: list[Query] = field(default_factory=list)  # when two queries make the table
    #: Positions paged through when a page is a window of positions with gaps (a file's row
    #: numbers, with skipped rows missing); ``total`` stays the count of rows listed.
    span: int | None = None
    #: Every row in the table's order, page after page, for a whole download of a table whose
    #: ``rows`` are one page (``total`` set); without it such a CSV is one page and says so.
    stream_all: Callable[[], Iterator[dict]] | None = None

    @property
    def queries(self) -> list[Query]:
        return ([self.query] if self.query else []) + self.more_queries

    @property
    def data_keys(self) -> list[str]:
        """Keys a download carries: the columns, then the IRIs they link to."""
        keys = [c.key for c in self.columns]
        for key in [c.href for c in self.columns if c.href] + self.extra_keys:
            if key not in keys:
                keys.append(key)
        return keys

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def split_format(name: str) -> tuple[str, str | None]:
    """``"suppliers.csv"`` -> ``("suppliers", "csv")``."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext in FORMATS:
        return stem, ext
    return name, None


def choose_format(suffix: str | None) -> ng.Format:
    wanted = suffix or request.args.get("_format")
    if wanted:
        if wanted not in FORMATS:
            raise NotFound(f"no {wanted!r} format; use .csv, .json or .html")
        return FORMATS[wanted]
    return ng.best(request.headers.get("Accept"), (ng.HTML, ng.JSON, ng.CSV)) or ng.HTML


def _sort_key(value):
    if value is None:
        return (1, "")
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


def ordered(table: Table) -> tuple[list[dict], str | None, bool]:
    """Rows in the requested order (the table's own when none is asked for)."""
    sort, desc = table.sort, table.desc
    if request.args.get("_sort_desc"):
        sort, desc = request.args["_sort_desc"], True
    elif request.args.get("_sort"):
        sort, desc = request.args["_sort"], False
    if sort is None or table.total is not None:
        return table.rows, sort, desc
    if sort not in table.data_keys:
        raise BadRequest(f"cannot sort by {sort!r}: the columns are {', '.join(table.data_keys)}")
    present = [r for r in table.rows if r.get(sort) is not None]
    missing = [r for r in table.rows if r.get(sort) is None]
    return sorted(present, key=lambda r: _sort_key(r.get(sort)), reverse=desc) + missing, sort, desc


def requested_page(table_sort: str, desc: bool = True) -> tuple[int, int] | None:
    """(page, size) asked for when the rows are wanted in the table's own order, one page at
    a time (HTML or JSON, no ``_sort``, no ``_size=max``); else ``None``.

    Lets a view fetch only that page from a ranked source instead of every row.
    """
    if request.args.get("_sort") or request.args.get("_size") == "max":
        return None
    if request.args.get("_sort_desc", table_sort if desc else None) != (table_sort if desc else None):
        return None
    try:
        page = max(1, int(request.args.get("_page", 1)))
        size = min(MAX_SIZE, max(1, int(request.args.get("_size") or DEFAULT_SIZE)))
    except ValueError as exc:
        raise BadRequest("_page and _size must be whole numbers (or _size=max)") from exc
    return page, size


def page_args(table: Table) -> tuple[int, int]:
    raw_size = request.args.get("_size")
    try:
        page = max(1, int(request.args.get("_page", 1)))
        if raw_size == "max":
            size = MAX_SIZE if table.total is not None else max(1, len(table.rows))
        else:
            size = min(MAX_SIZE, max(1, int(raw_size or table.page_size)))
    except ValueError as exc:
        raise BadRequest("_page and _size must be whole numbers (or _size=max)") from exc
    return page, size


def _url(path: str, **changes) -> str:
    args = {k: v for k, v in request.args.items() if not k.startswith("_") or k in ("_sort", "_sort_desc", "_size")}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return path + ("?" + urlencode(args) if args else "")


def view(table: Table, path: str) -> dict:
    """What templates and JSON need: one page of rows, counts, sort and paging links."""
    if table.truncated:
        from catalogue.web.conditional import mark_truncated

        mark_truncated(table.truncation_reason or "true")
    rows, sort, desc = ordered(table)
    page, size = page_args(table)
    total = table.total if table.total is not None else len(rows)
    pages = max(1, ceil((table.span if table.span is not None else total) / size))
    shown = rows if table.total is not None else rows[(page - 1) * size: page * size]
    raw_size = request.args.get("_size")
    wanted = total if raw_size == "max" else int(raw_size) if raw_size else size
    capped = (f"{min(wanted, total):,} rows were asked for a page; at most {size:,} are sent a page: "
              "follow the next link, or download the whole table as CSV") if min(wanted, total) > size else None
    sort_links = {}
    for col in table.columns:
        if col.key == sort and not desc:
            sort_links[col.key] = _url(path, _sort=None, _sort_desc=col.key, _page=None)
        else:
            sort_links[col.key] = _url(path, _sort_desc=None, _sort=col.key, _page=None)
    return {
        "table": table, "rows": shown, "total": total, "page": page, "pages": pages, "size": size,
        "sort": sort, "desc": desc, "sort_links": sort_links, "path": path,
        "first": (page - 1) * size + 1 if shown else 0, "last": (page - 1) * size + len(shown),
        "prev_url": _url(path, _page=str(page - 1)) if page > 1 else None,
        "next_url": _url(path, _page=str(page + 1)) if page < pages else None,
        "next_json": _url(path + ".json", _page=str(page + 1)) if page < pages else None,
        "csv_url": _url(path + ".csv", _size=None), "json_url": _url(path + ".json"),
        "all_rows": rows, "capped": capped,
    }


def plain(value):
    """A cell as CSV/JSON carry it: decimals as exact text, everything else as is."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def csv_lines(keys: list[str], rows) -> Iterator[str]:
    """The header and then each row as CSV text, a few hundred rows a chunk (streamed)."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    writer.writerow(keys)
    for n, row in enumerate(rows, 1):
        writer.writerow(["" if row.get(k) is None else plain(row.get(k)) for k in keys])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _each_in_app(app, rows) -> Iterator[dict]:
    """Each row of a generator that reads the store, made inside an app context of its own.

    The body is sent after the view returns; an app context pushed and popped within each
    step (not the request's, kept open across steps) never outlives or interleaves with
    another request's, even when a client reads two streamed bodies at once.
    """
    iterator = iter(rows)
    while True:
        with app.app_context():
            row = next(iterator, None)
        if row is None:
            return
        yield row


def csv_response(table: Table, rows) -> Response:
    """The rows as CSV, streamed (``rows`` may be a generator over the whole table)."""
    if isinstance(rows, list):  # in hand already: one body, nothing left open
        body = "".join(csv_lines(table.data_keys, rows))
    else:  # a generator that reads the store page after page: streamed
        body = csv_lines(table.data_keys, _each_in_app(current_app._get_current_object(), rows))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{table.name}.csv"'
    return response


def json_body(table: Table, v: dict) -> dict:
    keys = table.data_keys
    return {
        "ok": True, "table": table.name, "caption": table.caption,
        "columns": [{"key": c.key, "title": c.title, "kind": c.kind} for c in table.columns]
                   + [{"key": k, "title": k, "kind": "iri"} for k in keys if table.column(k) is None],
        "total": v["total"], "page": v["page"], "pages": v["pages"], "size": v["size"],
        "sort": v["sort"], "desc": v["desc"],
        "next": v["next_json"], "csv": v["csv_url"],
        "truncated": table.truncated, "truncation_reason": table.truncation_reason,
        "page_capped": v["capped"],
        "query": table.query.text if table.query else None,
        "queries": [q.text for q in table.queries],
        "rows": [{k: plain(r.get(k)) for k in keys} for r in v["rows"]],
    }


def link_next(url: str) -> str:
    """An RFC 8288 ``Link`` header value for the next page."""
    return "<" + url + '>; rel="next"'


def respond(table: Table, path: str, suffix: str | None = None, template: str = "tables/table.html",
            **context):
    """The table as HTML (a whole page), CSV (all rows) or JSON (one page)."""
    fmt = choose_format(suffix)
    if fmt is ng.CSV and table.total is not None and table.stream_all is None:
        # One page is all this table can give in one response: say so in-band.
        table.truncated = table.truncated or table.total > len(table.rows)
        table.truncation_reason = table.truncation_reason or (
            f"one page of {table.total:,} rows; follow the Link header's next page" if table.truncated else None)
    v = view(table, path)
    if fmt is ng.CSV:
        if table.total is None:
            response = csv_response(table, v["all_rows"])
        elif table.stream_all is not None:
            response = csv_response(table, table.stream_all())
        else:
            response = csv_response(table, v["rows"])
            if v["page"] < v["pages"]:
                response.headers["Link"] = link_next(_url(path + ".csv", _page=str(v["page"] + 1)))
    elif fmt is ng.JSON:
        response = jsonify(json_body(table, v))
    else:
        response = Response(render_template(template, v=v, **context), mimetype="text/html")
    response.headers["Vary"] = "Accept"
    if fmt is not ng.CSV and v["next_url"]:
        response.headers["Link"] = link_next(v["next_json"] if fmt is ng.JSON else v["next_url"])
    if table.truncated:
        response.headers["X-SVCAT-Truncated"] = table.truncation_reason or "true"
    if fmt is not ng.CSV and v["capped"]:
        response.headers["X-SVCAT-Page-Capped"] = v["capped"]
    return response
