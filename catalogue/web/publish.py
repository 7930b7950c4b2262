"""``/publish``: the authenticated upload page and API for council publishers.

``GET /publish`` is the upload form. ``POST /publish`` (multipart: ``file``, ``kind``,
optional ``publisher``, ``sheet``, ``validate_only``, ``skip_invalid_rows``) checks the size first
(413 before the body is read when Content-Length is over ``SVCAT_MAX_UPLOAD_BYTES``),
then the token (``Authorization: Bearer``, or the form's ``token`` field for the page):
401 and nothing changes without a valid one. It then runs ``svcat validate`` or
``svcat load --format json`` on the uploaded file in a subprocess (this layer never
parses CSV; the app's read caps, ``SVCAT_MAX_FILE_BYTES`` and the others, go with it, so an
archive, a binary or a one-line 200 MB file is refused in seconds), and answers with the report: JSON for API clients (201 published, 200
valid, 422 refused), or a page whose table links every problem to its row and cell.
Every upload, allowed or not, is a line in the audit log; tokens are never written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from catalogue import audit
from catalogue.errors import BadRequest, PayloadTooLarge, StoreUnavailable, Unauthorized
from catalogue.records import KIND_TERMS
from catalogue.tokens import TokenFile, tokens_path
from catalogue.web import negotiate as ng
from catalogue.web.errors import error_response

bp = Blueprint("publish", __name__)

#: Room for the multipart framing and the form's other fields around the file.
FORM_OVERHEAD = 64 * 1024
KINDS = sorted(KIND_TERMS)


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
    return _bearer() is not None or ng.best(request.headers.get("Accept"), (ng.HTML, ng.JSON)) is ng.JSON


@bp.get("/publish")
def form():
    return render_template("publish/upload.html", kinds=KINDS, limit=current_app.config["SVCAT_MAX_UPLOAD_BYTES"],
                           values={})


@bp.post("/publish")
def upload():
    limit = int(current_app.config["SVCAT_MAX_UPLOAD_BYTES"])
    length = request.content_length
    if length is not None and length > limit + FORM_OVERHEAD:  # refused before the body is read
        _audit(who=None, outcome="too-large", size=length)
        raise PayloadTooLarge(f"the upload is {length:,} bytes; the limit is {limit:,} (SVCAT_MAX_UPLOAD_BYTES)")
    request.max_content_length = limit + FORM_OVERHEAD  # and a body without Content-Length stops there
    tokens = TokenFile(tokens_path(_config()))
    bearer = _bearer()
    try:  # a chunked body (no Content-Length) is only found too large while the form is read
        who = tokens.verify(bearer) if bearer else tokens.verify(request.form.get("token"))
        if who is not None:
            request.files.get("file")
    except RequestEntityTooLarge:
        _audit(who=tokens.verify(bearer) if bearer else None, outcome="too-large", size=None)
        raise PayloadTooLarge(f"the upload is larger than the limit, {limit:,} bytes (SVCAT_MAX_UPLOAD_BYTES)") \
            from None
    if who is None:
        _audit(who=None, outcome="unauthorized")
        response = make_response(*error_response(
            401, Unauthorized.title, "A valid publishing token is needed: send 'Authorization: Bearer <token>' "
            "or type it in the form. Operators make tokens with `svcat token create NAME`."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="svcat publish"'
        return response
    return _publish(who)


def _publish(who: str):
    limit = int(current_app.config["SVCAT_MAX_UPLOAD_BYTES"])
    values = {k: request.form.get(k, "").strip() for k in ("kind", "publisher", "sheet")}
    validate_only = bool(request.form.get("validate_only"))
    skip_invalid = bool(request.form.get("skip_invalid_rows"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadRequest("choose a CSV or spreadsheet file to upload (form field 'file')")
    if values["kind"] not in KINDS:
        raise BadRequest(f"say which kind of file this is (kind = one of {', '.join(KINDS)})")
    store = str(current_app.config["SVCAT_STORE"])
    if current_app.config.get("SVCAT_STORE_OBJECT") is not None or store == "memory:":
        raise StoreUnavailable("publishing needs a store that the load process can open (a folder or a URL)")
    folder = Path(tempfile.mkdtemp(prefix="svcat-upload-"))
    stem, ext = os.path.splitext(secure_filename(upload.filename) or "upload.csv")
    name = stem[:120] + ext[:16]  # a file system takes 255 bytes; the dataset key uses the first 80
    try:
        path = folder / name
        upload.save(path)
        size, sha256 = path.stat().st_size, _sha256(path)
        facts = {"who": who, "file": upload.filename, "size": size, "sha256": sha256, "kind": values["kind"],
                 "publisher": values["publisher"] or None, "validate_only": validate_only,
                 "skip_invalid_rows": skip_invalid}
        if size > limit:
            _audit(**facts, outcome="too-large")
            raise PayloadTooLarge(f"the file is {size:,} bytes; the limit is {limit:,} (SVCAT_MAX_UPLOAD_BYTES)")
        code, report, problem = _run(store, path, values, validate_only, skip_invalid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if report is None:
        _audit(**facts, outcome="error", problem=problem)
        raise BadRequest(problem)
    report["file"] = upload.filename
    published = bool(report.get("loaded"))
    outcome = "published" if published else ("valid" if validate_only and code == 0 else
                                             "invalid" if validate_only else "refused")
    _audit(**facts, dataset=report.get("dataset"), outcome=outcome)
    status = 201 if published else 200 if code == 0 else 422
    if _wants_json():
        return jsonify({"ok": code == 0, "published": published, "dataset": report.get("dataset"), "who": who,
                        "outcome": outcome, "report": report}), status
    return render_template("publish/report.html", report=report, outcome=outcome, who=who, kinds=KINDS,
                           values=values, rows=_rows(report), limit=limit), status


def _run(store: str, path: Path, values: dict, validate_only: bool, skip_invalid: bool):
    """``svcat validate|load --format json`` in a subprocess: (exit code, report, problem)."""
    command = [sys.executable, "-m", "catalogue", "--store", store, "--base-uri",
               current_app.config["SVCAT_BASE_URI"], "validate" if validate_only else "load",
               values["kind"], str(path), "--format", "json", "--quiet"]
    if values["publisher"]:
        command += ["--publisher", values["publisher"]]
    if values.get("sheet"):
        command += ["--sheet", values["sheet"]]
    if skip_invalid:
        command.append("--skip-invalid-rows")
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=_load_environment(),
                              timeout=float(current_app.config["SVCAT_UPLOAD_TIMEOUT"]))
    except subprocess.TimeoutExpired:
        return None, None, "the upload took longer than SVCAT_UPLOAD_TIMEOUT and was stopped; nothing changed"
    if done.returncode in (0, 1):
        try:
            return done.returncode, json.loads(done.stdout), None
        except json.JSONDecodeError:
            pass
    message = (done.stderr.strip().splitlines() or ["the load could not run"])[-1]
    return None, None, message.removeprefix("Error: ")


#: The caps a file is read under (``loaders.limits``): the app's settings reach the load process.
READ_CAPS = ("MAX_FILE_BYTES", "MAX_LINE_BYTES", "MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_ROWS")


def _load_environment() -> dict:
    """The load process's environment: this process's, with the app's read caps."""
    env = os.environ.copy()
    for name in READ_CAPS:
        if (value := current_app.config.get(f"SVCAT_{name}")) is not None:
            env[f"SVCAT_{name}"] = str(value)
    return env


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
