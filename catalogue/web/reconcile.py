"""``/reconcile``: the W3C Entity Reconciliation API 0.2 (what OpenRefine speaks).

The service manifest (GET with no parameters), reconciliation batches (``queries=`` by
GET or POST), data extension (``extend=``), preview, suggest (entity, type, property)
with flyout, and property proposal. JSONP for ``callback=``; CORS on every answer.
Everything protocol-independent is in ``catalogue.linking.reconcile``: a 1.0-draft route
set (``POST /reconcile/match`` and friends) would be another translation beside this one.
"""

from __future__ import annotations

import json
import re
import threading

from flask import Blueprint, Response, current_app, render_template, request, url_for

from catalogue import iris
from catalogue.errors import BadRequest, NotFound
from catalogue.linking import lookup
from catalogue.linking import reconcile as rc
from catalogue.vocab import ORG, PREFIXES
from catalogue.web import base_uri, get_store

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")
INDEX_KEY = "svcat.reconcile.index"
_LOCK = threading.Lock()
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")
MAX_QUERIES = 100
ORGANISATION_TYPE = {"id": str(ORG.Organization), "name": "Organisation"}


def index() -> lookup.Index:
    """The organisations index of this process, rebuilt when the links change."""
    store, base = get_store(), base_uri()
    now = lookup.version(store, base)
    cached = current_app.extensions.get(INDEX_KEY)
    if cached is not None and cached.version == now:
        return cached
    with _LOCK:
        cached = current_app.extensions.get(INDEX_KEY)
        if cached is None or cached.version != now:
            cached = current_app.extensions[INDEX_KEY] = lookup.build(store, base)
    return cached


def _json(payload) -> Response:
    callback = request.args.get("callback")
    body = json.dumps(payload, ensure_ascii=False)
    if callback:
        if not _CALLBACK.match(callback):
            raise BadRequest("callback must be a JavaScript identifier")
        return Response(f"/**/{callback}({body});", mimetype="application/javascript")
    return Response(body, mimetype="application/json")


@bp.after_request
def _cors(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    return response


def _type_of(entry) -> list[dict]:
    sv = PREFIXES["sv"]
    return [ORGANISATION_TYPE] + [{"id": f"{sv}{c}", "name": rc.CLASS_TYPES[c]}
                                  for c in sorted(entry.classes) if c in rc.CLASS_TYPES]


def _description(entry, idx) -> str:
    ids = ", ".join(sorted(entry.identifiers)[:3])
    councils = len(entry.councils)
    return "; ".join(x for x in (ids, f"paid by {councils} council{'s' if councils != 1 else ''}") if x)


def manifest() -> dict:
    host = request.url_root.rstrip("/")
    service = host + url_for("reconcile.service")
    base = base_uri()
    return {
        "versions": ["0.2"],
        "name": "Social Value Open Data Catalogue: organisations paid by councils",
        "identifierSpace": iris.organisation(base, ""),
        "schemaSpace": PREFIXES["sv"],
        "documentation": host + url_for("organisations.index"),
        "defaultTypes": [ORGANISATION_TYPE],
        "view": {"url": iris.organisation(base, "{{id}}")},
        "preview": {"url": host + url_for("reconcile.preview") + "?id={{id}}", "width": 430, "height": 300},
        "suggest": {
            "entity": {"service_url": service, "service_path": "/suggest/entity",
                       "flyout_service_path": "/flyout/entity?id=${id}"},
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {"propose_properties": {"service_url": service, "service_path": "/propose_properties"},
                   "property_settings": []},
        "batchSize": MAX_QUERIES,
    }


def _parse_json(name: str):
    raw = request.values.get(name)
    try:
        value = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"{name} is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise BadRequest(f"{name} must be a JSON object")
    return value


def _query(key: str, spec) -> rc.Query:
    if isinstance(spec, str):
        spec = {"query": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("query", ""), str):
        raise BadRequest(f"query {key!r} must be an object with a string 'query'")
    types = spec.get("type") or ()
    types = (types,) if isinstance(types, str) else tuple(str(t) for t in types if isinstance(t, str))
    try:
        limit = max(1, min(100, int(spec.get("limit") or 10)))
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"query {key!r}: limit must be a number") from exc
    properties = []
    for prop in spec.get("properties") or ():
        if not isinstance(prop, dict):
            raise BadRequest(f"query {key!r}: each property must be an object with pid and v")
        pid = prop.get("pid") or prop.get("p") or ""
        values = prop.get("v")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                value = value.get("id") or value.get("name") or ""
            if value is not None and str(value).strip():
                properties.append((str(pid), str(value)))
    return rc.Query(spec.get("query", ""), types, limit, tuple(properties))


def _candidate(c: rc.Candidate, idx) -> dict:
    return {"id": c.entry.key, "name": c.entry.label, "score": c.score, "match": c.match,
            "type": _type_of(c.entry), "description": _description(c.entry, idx),
            "features": [{"id": k, "value": v} for k, v in c.features.items()]}


@bp.route("", methods=["GET", "POST"], strict_slashes=False)
def service():
    """Manifest, reconciliation batch (``queries``) or data extension (``extend``)."""
    if "queries" in request.values:
        batch = _parse_json("queries")
        if len(batch) > MAX_QUERIES:
            raise BadRequest(f"at most {MAX_QUERIES} queries in one batch")
        parsed = {key: _query(key, spec) for key, spec in batch.items()}
        idx = index()
        return _json({key: {"result": [_candidate(c, idx) for c in rc.reconcile(idx, query)]}
                      for key, query in parsed.items()})
    if "extend" in request.values:
        return _json(_extend(_parse_json("extend")))
    return _json(manifest())


def _extend(spec: dict) -> dict:
    ids = spec.get("ids") or []
    props = [p.get("id") if isinstance(p, dict) else p for p in spec.get("properties") or []]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadRequest("extend.ids must be a list of organisation ids")
    unknown = [p for p in props if p not in rc.EXTEND]
    if unknown:
        raise BadRequest(f"unknown extension properties: {', '.join(map(str, unknown))}")
    idx = index()

    def cell(value):
        return {"int": value} if isinstance(value, int) else {"str": str(value)}
    rows = {i: {p: [cell(v) for v in rc.extension(idx, i, p)] for p in props} for i in ids}
    return {"meta": [{"id": p, "name": rc.EXTEND[p]} for p in props], "rows": rows}


@bp.route("/propose_properties")
def propose_properties():
    limit = request.args.get("limit", type=int) or len(rc.EXTEND)
    return _json({"type": request.args.get("type") or ORGANISATION_TYPE["id"],
                  "properties": [{"id": k, "name": v} for k, v in list(rc.EXTEND.items())[:limit]]})


@bp.route("/suggest/entity")
def suggest_entity():
    idx = index()
    found = rc.suggest_entities(idx, request.args.get("prefix", ""), request.args.get("limit", 10, type=int))
    return _json({"result": [{"id": e.key, "name": e.label, "description": _description(e, idx),
                              "notable": _type_of(e)} for e in found]})


@bp.route("/suggest/type")
def suggest_type():
    sv = PREFIXES["sv"]
    found = rc.types(request.args.get("prefix", ""))
    return _json({"result": [ORGANISATION_TYPE if k == "Organization" else {"id": f"{sv}{k}", "name": v}
                             for k, v in found]})


@bp.route("/suggest/property")
def suggest_property():
    wanted = request.args.get("prefix", "").casefold()
    return _json({"result": [{"id": k, "name": name, "description": text} for k, (name, text) in rc.PROPERTIES.items()
                             if not wanted or wanted in k.casefold() or wanted in name.casefold()]})


def _entry(key: str):
    idx = index()
    n = idx.by_id.get(key or "")
    if n is None:
        raise NotFound(f"no organisation {key!r}")
    return idx, idx.entries[n]


@bp.route("/flyout/entity")
def flyout():
    idx, entry = _entry(request.args.get("id", ""))
    return _json({"id": entry.key, "html": render_template("reconcile/flyout.html", entry=entry,
                                                           description=_description(entry, idx))})


@bp.route("/preview")
def preview():
    idx, entry = _entry(request.args.get("id", ""))
    councils = sorted(idx.council_names.get(g, g) for g in entry.councils)
    response = Response(render_template(
        "reconcile/preview.html", entry=entry, councils=councils,
        classes=[rc.CLASS_TYPES.get(c, c) for c in sorted(entry.classes)],
        page=url_for("resources.document", path=f"organisation/{entry.key}")), mimetype="text/html")
    # OpenRefine shows previews in a frame of its own page, on another origin.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors *")
    return response
