"""Structured access logs: one JSON object a line, with the request id, and no secrets.

Why: an operator's log tools (journald, Loki, CloudWatch, ``jq``) read JSON; the request id
ties a client's report (``X-Request-Id`` is sent back on every answer) to the log line and
to the application's own error lines. gunicorn's default access line is the raw request
line, query string included, so a ``?token=`` ended up in the log (issue 20).

``request_id`` (used by ``catalogue.web.requests``) keeps a well-formed ``X-Request-Id``
from the client or the proxy in front, or makes one. ``JsonAccessLogger`` is gunicorn's
``logger_class`` (``catalogue.server.SETTINGS``): each line has time, request id, method,
path, the query with secret-looking parameters' values replaced, status, duration in
milliseconds, bytes sent and the client's address. Request headers are never logged, so
neither is ``Authorization``.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlencode

from gunicorn.glogging import Logger

HEADER = "X-Request-Id"
_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: Query parameters whose values never reach a log (matched as substrings, case-insensitively).
SECRET_WORDS = ("token", "password", "passwd", "secret", "key", "auth", "session", "signature")
REDACTED = "REDACTED"
#: Longest query string kept in a line (SPARQL queries in URLs can be long).
QUERY_CHARS = 2000


def request_id(given: str | None) -> str:
    """The client's (or proxy's) request id when it is a plain token, else a new one."""
    if given and _ID.match(given):
        return given
    return uuid.uuid4().hex


def safe_query(query: str) -> str:
    """``query`` with the values of secret-looking parameters replaced, cut to ``QUERY_CHARS``."""
    if not query:
        return ""
    if not _may_hold_secrets(query):  # most lines (every /sparql GET): no parsing, no re-encoding
        return query if len(query) <= QUERY_CHARS else query[:QUERY_CHARS] + "..."
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, REDACTED if any(w in k.lower() for w in SECRET_WORDS) else v) for k, v in pairs]
    text = urlencode(kept)
    return text if len(text) <= QUERY_CHARS else text[:QUERY_CHARS] + "..."


def _may_hold_secrets(query: str) -> bool:
    """Whether a query string may name a secret-looking parameter: a secret word anywhere in
    it, or an encoded parameter name (``%74oken``) that could decode to one. A query string
    that says no is logged as it came, sparing a parse and a re-encoding on every request."""
    lowered = query.lower()
    return any(word in lowered for word in SECRET_WORDS) or any(
        "%" in part.split("=", 1)[0] or "+" in part.split("=", 1)[0] for part in query.split("&"))


def line(*, method: str, path: str, query: str, status: int, duration_ms: float, size: int | None,
         rid: str | None, remote: str | None) -> str:
    """One access log line (JSON)."""
    return json.dumps({
        "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "type": "access", "request_id": rid, "method": method, "path": path, "query": safe_query(query),
        "status": status, "duration_ms": round(duration_ms, 1), "bytes": size, "remote": remote,
    }, ensure_ascii=False)


class JsonAccessLogger(Logger):
    """gunicorn's logger with JSON access lines (its error log is unchanged)."""

    def access(self, resp, _req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
            rid = environ.get("svcat.request_id") or _sent_id(resp.headers)
            self.access_log.info(line(
                method=environ.get("REQUEST_METHOD", "-"), path=environ.get("PATH_INFO", ""),
                query=environ.get("QUERY_STRING", ""), status=int(status),
                duration_ms=request_time.total_seconds() * 1000, size=getattr(resp, "sent", None), rid=rid,
                remote=environ.get("REMOTE_ADDR")))
        except Exception:  # a log line must never break a response
            self.exception("could not write an access log line")


def _sent_id(headers) -> str | None:
    """The request id among the answer's headers (for an answer the app did not make)."""
    for name, value in headers or ():
        if name.lower() == "x-request-id":
            return value
    return None
