"""HTTP validators: ``ETag`` and ``Last-Modified`` on every page and data URL, and 304s.

Everything we serve is a function of the published data, the code and the request, so
one tag per data version does for all of it: the embedded store names its published
snapshot (``EmbeddedStore.version``); any other store is asked for the newest
modification time in the catalogue graph. A client that revalidates with
``If-None-Match`` or ``If-Modified-Since`` gets ``304 Not Modified`` before any page
query runs. The version also keys the per-process cache of query results
(``cached``), so a new load is visible at once and old results are never served.

``/sparql`` is left out: issue-7's limits may cut a result, and a cut result must not
be revalidated as if it were whole.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime

from flask import Flask, current_app, g, request

from catalogue import __version__, iris
from catalogue.store.snapshots import Layout, published_version
from catalogue.store.sparql_text import iri
from catalogue.vocab import DCTERMS, SV
from catalogue.web import get_store

#: Endpoints that never get validators (their answers are not a function of the data alone;
#: the health probes must not touch the store at all). Dumps are files with validators of
#: their own (``catalogue.web.dumps``).
EXEMPT = {"static", "sparql.endpoint", "ops.healthz", "ops.readyz",
          "datasets.dump", "datasets.dump_turtle", "datasets.dump_csv", "datasets.dump_all"}
CACHE_KEY = "svcat.results"
CACHE_SIZE = 512


def data_version() -> tuple[str, datetime]:
    """(tag, last modified) of the data this request sees, computed once per request."""
    if "svcat_version" in g:
        return g.svcat_version
    found = _published_snapshot()
    if found is None:
        store = get_store()
        version = getattr(store, "version", None)
        found = version() if callable(version) else None
        if found is None:
            found = _catalogue_version(store)
    tag, seconds = found
    modified = datetime.fromtimestamp(int(seconds), tz=timezone.utc)
    g.svcat_version = (str(tag), modified)
    return g.svcat_version


def _published_snapshot() -> tuple[str, float] | None:
    """An on-disk store's published snapshot, read without opening the store (or its query workers)."""
    config = current_app.config
    url = str(config.get("SVCAT_STORE") or "")
    if config.get("SVCAT_STORE_OBJECT") is not None or url == "memory:" or url.startswith(("http://", "https://")):
        return None
    path = url[len("oxigraph:"):] if url.startswith("oxigraph:") else url
    return published_version(Layout(path))


def _catalogue_version(store) -> tuple[str, float]:
    """For stores that cannot name their version: newest record change and record count."""
    cat = iris.catalogue_graph(current_app.config["SVCAT_BASE_URI"])
    rows = store.select(f"""SELECT (MAX(STR(?m)) AS ?last) (COUNT(?d) AS ?n)
        WHERE {{ GRAPH {iri(cat)} {{ ?d {iri(SV.namedGraph)} ?g ; {iri(DCTERMS.modified)} ?m }} }}""").rows
    last = str(rows[0].get("last") or "") if rows else ""
    count = str(rows[0].get("n") or 0) if rows else "0"
    try:
        seconds = datetime.fromisoformat(last.replace("Z", "+00:00")).timestamp() if last else 0.0
    except ValueError:
        seconds = 0.0
    return f"{last}/{count}", seconds


def _etag() -> str:
    tag, _ = data_version()
    key = "\x1f".join((tag, __version__, request.full_path, request.headers.get("Accept", "")))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _not_modified(etag: str, modified: datetime) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        tags = {t.strip().removeprefix("W/").strip('"') for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _before():
    if request.method not in ("GET", "HEAD") or request.endpoint in EXEMPT or request.endpoint is None:
        return None
    etag = _etag()
    _, modified = data_version()
    g.svcat_etag = etag
    if _not_modified(etag, modified):
        response = current_app.response_class(status=304)
        _stamp(response, etag, modified)
        return response
    return None


def _stamp(response, etag: str, modified: datetime) -> None:
    response.headers["ETag"] = f'"{etag}"'
    response.headers["Last-Modified"] = format_datetime(modified, usegmt=True)
    response.headers.setdefault("Cache-Control", "no-cache")


def mark_truncated(reason: str) -> None:
    """Say that this response shows a cut result: a header, and no validators."""
    g.svcat_truncated = reason


def _after(response):
    truncated = g.get("svcat_truncated") or response.headers.get("X-SVCAT-Truncated")
    if truncated:
        response.headers.setdefault("X-SVCAT-Truncated", truncated)
        return response  # a cut result is never revalidated as if it were whole
    etag = g.get("svcat_etag")
    if etag and response.status_code == 200 and "ETag" not in response.headers:
        _stamp(response, etag, data_version()[1])
    return response


def cached(key: str, compute):
    """``compute()`` once per data version and key, in this process (an LRU of results)."""
    tag, _ = data_version()
    holder = current_app.extensions.setdefault(CACHE_KEY, {"lock": threading.Lock(), "items": OrderedDict()})
    full_key = (tag, key)
    with holder["lock"]:
        if full_key in holder["items"]:
            holder["items"].move_to_end(full_key)
            return holder["items"][full_key]
    value = compute()
    with holder["lock"]:
        holder["items"][full_key] = value
        while len(holder["items"]) > CACHE_SIZE:
            holder["items"].popitem(last=False)
    return value


def init_app(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)
