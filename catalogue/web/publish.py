"""``/publish``: the authenticated upload page and API for council publishers.

``GET /publish`` is the upload form. ``POST /publish`` (multipart: ``file``, ``kind``,
optional ``publisher``, ``sheet``, ``validate_only``, ``skip_invalid_rows``, ``allow_shrink``; ``kind``
and ``publisher`` may also be query parameters) decides everything it can BEFORE the body is
read (issue 20), each refusal an audit line:

1. a ``token`` query parameter: 400 (tokens only travel in the ``Authorization`` header,
   so they never reach access logs or browser history);
2. ``Content-Length`` over ``SVCAT_MAX_UPLOAD_BYTES``: 413;
3. no ``Authorization: Bearer``, an unknown, revoked or expired token: 401;
4. a ``publisher`` query parameter (GSS code) outside the token's scope: 403.

Then the form is read: a ``token`` form field is refused (400), a form ``publisher`` out of
scope is refused (403), and the file is validated or loaded in-process by the functions
``svcat validate`` and ``svcat load`` call (``catalogue.ingest.upload``: this layer never
parses CSV), under the store's write lock, on a native thread so that the worker goes on
answering other requests. The app's read caps (``SVCAT_MAX_FILE_BYTES`` and the others) go
with it, so an archive, a binary or a one-line 200 MB file is refused in seconds; so do the
token's scope (a file whose council is out of scope is refused, 403) and name (in the
change record), and ``SVCAT_UPLOAD_TIMEOUT``: a load still running then stops and is refused
whole (422), the dataset's previous version still served. A replacement that would empty or more than halve a dataset is refused (409 with
the figures) unless ``allow_shrink=true``. Answers: JSON for API clients (201 published,
200 valid, 422 refused), or a page whose table links every problem to its row and cell.
The page's form sends the token in the header too (``static/publish.js``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from catalogue import audit, heap
from catalogue.ingest.upload import Upload, run_upload
from catalogue.errors import BadRequest, PayloadTooLarge, StoreUnavailable, Unauthorized
from catalogue.kinds import COUNCIL_KINDS
from catalogue.tokens import GSS, TokenFile, TokenRecord, tokens_path
from catalogue.web import negotiate as ng
from catalogue.web.errors import error_response

bp = Blueprint("publish", __name__)

#: Room for the multipart framing and the form's other fields around the file.
FORM_OVERHEAD = 64 * 1024
KINDS = list(COUNCIL_KINDS)


def _config() -> dict:
    """The ``SVCAT_*`` settings as the command line names them (``STORE``, ``TOKENS_FILE``...)."""
    return {k[len("SVCAT_"):]: v for k, v in current_app.config.items() if k.startswith("SVCAT_")}


def _audit(**fields) -> None:
    audit.record(audit.audit_path(_config()), remote=request.remote_addr, **fields)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _wants_json() -> bool:
    return _bearer() is not None and "text/html" not in request.headers.get("Accept", "") \
        or ng.best(request.headers.get("Accept"), (ng.HTML, ng.JSON)) is ng.JSON


def _refuse(status: int, title: str, message: str, **headers):
    response = make_response(*error_response(status, title, message))
    response.headers.update(headers)
    return response


@bp.get("/publish")
def form():
    return render_template("publish/upload.html", kinds=KINDS, limit=current_app.config["SVCAT_MAX_UPLOAD_BYTES"],
                           values={})


@bp.post("/publish")
def upload():
    if "token" in request.args:  # refused before anything else: the URL is already in someone's log
        _audit(who=None, outcome="token-in-url")
        raise BadRequest(TOKEN_PLACE + " A token in the URL is refused: it would be written to access logs "
                         "and browser history. Revoke this token (svcat token rotate NAME) and send the new one "
                         "in the header.")
    limit = int(current_app.config["SVCAT_MAX_UPLOAD_BYTES"])
    length = request.content_length
    if length is not None and length > limit + FORM_OVERHEAD:  # refused before the body is read
        _audit(who=None, outcome="too-large", size=length)
        raise PayloadTooLarge(f"the upload is {length:,} bytes; the limit is {limit:,} (SVCAT_MAX_UPLOAD_BYTES)")
    request.max_content_length = limit + FORM_OVERHEAD  # and a body without Content-Length stops there
    record = TokenFile(tokens_path(_config())).find(_bearer())
    if record is None or record.expired():
        why = ("no token was sent" if _bearer() is None else "the token is not known (revoked or mistyped)"
               if record is None else f"the token {record.name!r} expired on {record.expires}")
        _audit(who=record.name if record else None, outcome="unauthorized")
        return _refuse(401, Unauthorized.title, f"A valid publishing token is needed, and {why}. {TOKEN_PLACE} "
                       "Operators make tokens with `svcat token create NAME --publisher GSS` and renew them with "
                       "`svcat token rotate NAME`.", **{"WWW-Authenticate": 'Bearer realm="svcat publish"'})
    asked = request.args.get("publisher", "").strip().upper()
    if asked and not _in_scope(record, asked):  # still before the body is read
        return _forbidden(record, asked)
    try:  # a chunked body (no Content-Length) is only found too large while the form is read
        request.files.get("file")
    except RequestEntityTooLarge:
        _audit(who=record.name, outcome="too-large", size=None)
        raise PayloadTooLarge(f"the upload is larger than the limit, {limit:,} bytes (SVCAT_MAX_UPLOAD_BYTES)") \
            from None
    if "token" in request.form:
        _audit(who=record.name, outcome="token-in-form")
        raise BadRequest(TOKEN_PLACE + " A token in a form field is refused (the /publish page puts it in the "
                         "header for you).")
    return _publish(record)


#: Where a token goes, said in every refusal about tokens.
TOKEN_PLACE = "Send the token only in the header 'Authorization: Bearer <token>'."


def _in_scope(record: TokenRecord, publisher: str) -> bool:
    """Whether the token may publish for ``publisher`` as given; a council's name (not a GSS
    code) is checked by the load itself, which resolves it (``--scope``)."""
    return record.admin or publisher.upper() in record.publishers or not GSS.match(publisher.upper())


def _forbidden(record: TokenRecord, publisher: str, message: str | None = None):
    _audit(who=record.name, outcome="forbidden", publisher=publisher)
    return _refuse(403, "Forbidden", message or (
        f"the token {record.name!r} may publish for {record.scope}, not for {publisher}. Nothing changed. "
        "Ask the operator for a token for that council."))


def _publish(record: TokenRecord):
    who = record.name
    limit = int(current_app.config["SVCAT_MAX_UPLOAD_BYTES"])
    values = {k: (request.form.get(k) or request.args.get(k) or "").strip() for k in ("kind", "publisher")}
    values["sheet"] = request.form.get("sheet", "").strip()
    for name in ("kind", "publisher"):
        if request.form.get(name) and request.args.get(name) and request.form[name].strip() != request.args[name].strip():
            raise BadRequest(f"{name} is {request.args[name]!r} in the URL and {request.form[name]!r} in the form; "
                             "give it once")
    if values["publisher"] and not _in_scope(record, values["publisher"]):
        return _forbidden(record, values["publisher"])
    flags = {"validate_only": _flag("validate_only"), "skip_invalid": _flag("skip_invalid_rows"),
             "allow_shrink": _flag("allow_shrink")}
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("choose a CSV or spreadsheet file to upload (form field 'file')")
    if values["kind"] not in KINDS:
        raise BadRequest(f"say which kind of file this is (kind = one of {', '.join(KINDS)})")
    store = str(current_app.config["SVCAT_STORE"])
    if current_app.config.get("SVCAT_STORE_OBJECT") is not None or store == "memory:":
        raise StoreUnavailable("publishing needs a store that the load can open for writing (a folder or a URL)")
    folder = Path(tempfile.mkdtemp(prefix="svcat-upload-"))
    stem, ext = os.path.splitext(secure_filename(upload.filename) or "upload.csv")
    name = stem[:120] + ext[:16]  # a file system takes 255 bytes; the dataset key uses the first 80
    try:
        path = folder / name
        upload.save(path)
        size, sha256 = path.stat().st_size, _sha256(path)
        facts = {"who": who, "file": upload.filename, "size": size, "sha256": sha256, "kind": values["kind"],
                 "publisher": values["publisher"] or None, "validate_only": flags["validate_only"],
                 "skip_invalid_rows": flags["skip_invalid"], "allow_shrink": flags["allow_shrink"]}
        if size > limit:
            _audit(**facts, outcome="too-large")
            raise PayloadTooLarge(f"the file is {size:,} bytes; the limit is {limit:,} (SVCAT_MAX_UPLOAD_BYTES)")
        code, report, problem = _run(store, path, values, flags, record)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if report is None:
        _audit(**facts, outcome="error", problem=problem)
        raise BadRequest(problem)
    report["file"] = upload.filename
    refusal = report.get("refusal")
    if refusal == "out-of-scope":
        return _forbidden(record, report.get("council") or values["publisher"] or "?",
                          f"the token {record.name!r} is refused: {report.get('fatal')}")
    published = bool(report.get("loaded"))
    outcome = "published" if published else ("valid" if flags["validate_only"] and code == 0 else
                                             "invalid" if flags["validate_only"] else
                                             "refused-shrink" if refusal == "shrink" else "refused")
    _audit(**facts, dataset=report.get("dataset"), outcome=outcome, **(report.get("figures") or {}))
    status = 201 if published else 200 if code == 0 else 409 if refusal == "shrink" else 422
    if _wants_json():
        return jsonify({"ok": code == 0, "published": published, "dataset": report.get("dataset"), "who": who,
                        "outcome": outcome, "figures": report.get("figures"), "report": report}), status
    return render_template("publish/report.html", report=report, outcome=outcome, who=who, kinds=KINDS,
                           values=values, rows=_rows(report), limit=limit), status


def _flag(name: str) -> bool:
    """A yes/no form field or query parameter (``1``, ``true``, ``yes``, ``on``)."""
    value = (request.form.get(name) or request.args.get(name) or "").strip().lower()
    return value in ("1", "true", "yes", "on")


def _run(store: str, path: Path, values: dict, flags: dict, record: TokenRecord):
    """The upload validated or loaded in-process, as ``svcat validate|load --format json``
    would: (exit code, report, problem). See ``catalogue.ingest.upload``."""
    upload = Upload(values["kind"], path, publisher=values["publisher"] or None, sheet=values.get("sheet") or None,
                    skip_invalid=flags["skip_invalid"], validate_only=flags["validate_only"],
                    allow_shrink=flags["allow_shrink"], scope=None if record.admin else set(record.publishers),
                    who=record.name)
    answer = off_the_loop(run_upload, _config(), upload)
    return answer.code, answer.report, answer.problem


def off_the_loop(function, *args):
    """``function(*args)``, on a native thread when gevent runs this process (gunicorn's
    gevent worker), waiting for it cooperatively: a load is seconds of CPU, and on the
    event loop's own thread it would stall every other request of the worker (pages,
    ``/sparql``, the worker's heartbeat) until it ended. Elsewhere (``svcat serve --dev``,
    tests) it simply runs."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return function(*args)
    if not monkey.is_module_patched("threading"):
        return function(*args)
    heap.prepare()  # it starts a child process, which gevent allows only on the main thread
    return get_hub().threadpool.apply(function, args)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(report: dict) -> list[dict]:
    """The rows with problems, for the page's table: cells, and which cells are wrong."""
    header = report.get("header") or []
    bad: dict[int, dict[int, str]] = {}
    for issue in report.get("issues", []):
        if issue.get("row") is None:
            continue
        column = header.index(issue["column"]) if issue.get("column") in header else None
        bad.setdefault(issue["row"], {})
        if column is not None:
            bad[issue["row"]].setdefault(column, issue["severity"])
    out = []
    for row, cells in sorted(((int(k), v) for k, v in report.get("rows_with_issues", {}).items())):
        out.append({"row": row, "cells": cells, "bad": bad.get(row, {})})
    return out


def column_index(report: dict, title: str | None) -> int | None:
    header = report.get("header") or []
    return header.index(title) if title in header else None


@bp.app_template_global("column_anchor")
def column_anchor(report: dict, issue: dict) -> str:
    """``#row-5-col-3`` for an issue whose column is in the header, else ``#row-5``."""
    index = column_index(report, issue.get("column"))
    return f"#row-{issue['row']}" + (f"-col-{index + 1}" if index is not None else "")
