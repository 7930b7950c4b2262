"""The JSON access line written without ``json.dumps`` or a ``LogRecord`` (issue 22 item 5):
the same text as before, to the same handler, and ``logging``'s way whenever a set-up could
change the line (a filter, a formatter of one's own, a second handler)."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from gunicorn.config import Config

from catalogue.access_log import JsonAccessLogger, line, plain_handler, safe_query, utc_millis

FIELDS = [
    dict(method="GET", path="/sparql", query="query=ASK+%7B%7D", status=200, duration_ms=0.4567, size=26,
         rid="b689116dbb0647b297ee45e2c9542419", remote="127.0.0.1"),
    dict(method="POST", path='/caf\u00e9/"quoted"\\back\nline\t\u2028', query="token=x&q=\u00e9", status=413,
         duration_ms=12345.05, size=None, rid=None, remote=None),
    dict(method="-", path="", query="", status=500, duration_ms=0.0, size=0, rid="lb-7f3a.42", remote="::1"),
]


def as_before(now: float, **fields) -> str:
    """The line as ``json.dumps`` of a dict wrote it before (the reference)."""
    stamp = datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({
        "time": stamp, "type": "access", "request_id": fields["rid"], "method": fields["method"],
        "path": fields["path"], "query": safe_query(fields["query"]), "status": fields["status"],
        "duration_ms": round(fields["duration_ms"], 1), "bytes": fields["size"], "remote": fields["remote"],
    }, ensure_ascii=False)


@pytest.mark.parametrize("fields", FIELDS)
def test_the_line_is_the_text_json_dumps_wrote(fields):
    for now in (1796528457.0, 1796528457.1234, 1796528457.999, 1796528458.5):
        assert line(**fields, now=now) == as_before(now, **fields)
        assert json.loads(line(**fields, now=now))["query"] == safe_query(fields["query"])


def test_the_time_is_utc_to_the_millisecond():
    assert utc_millis(0.25) == "1970-01-01T00:00:00.250Z"
    assert utc_millis(1796528457.5) == "2026-12-06T03:40:57.500Z"
    assert utc_millis(1796528458.007) == "2026-12-06T03:40:58.007Z"  # a new second after a cached one


class _Resp:
    status = "200 OK"
    headers = [("Content-Type", "application/json"), ("X-Request-Id", "from-the-answer")]
    sent = 26


def _logger(path) -> JsonAccessLogger:
    """gunicorn's logger writing access lines to ``path``, as the worker sets it up."""
    cfg = Config()
    cfg.set("accesslog", str(path))
    logger = JsonAccessLogger(cfg)
    for handler in list(logger.access_log.handlers):  # pytest's log capture, when it holds the logger
        if not getattr(handler, "_gunicorn", False):
            logger.access_log.removeHandler(handler)
    return logger


ENVIRON = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": "query=x&api_key=k",
           "REMOTE_ADDR": "10.0.0.7"}


def test_gunicorns_own_file_handler_gets_the_line_directly(tmp_path):
    logger = _logger(tmp_path / "access.log")
    handler = plain_handler(logger.access_log)
    assert isinstance(handler, logging.FileHandler)
    logger.access(_Resp(), None, ENVIRON, timedelta(microseconds=1250))
    logger.access(_Resp(), None, dict(ENVIRON, **{"svcat.request_id": "rid-2"}), timedelta(seconds=2))
    rows = [json.loads(text) for text in (tmp_path / "access.log").read_text().splitlines()]
    assert [row["request_id"] for row in rows] == ["from-the-answer", "rid-2"]
    assert rows[0]["query"] == "query=x&api_key=REDACTED" and rows[0]["duration_ms"] == 1.2
    assert rows[0]["bytes"] == 26 and rows[0]["remote"] == "10.0.0.7" and rows[1]["duration_ms"] == 2000.0


def test_a_set_up_that_could_change_the_line_takes_loggings_way(tmp_path):
    logger = _logger(tmp_path / "access.log")
    handler = logger.access_log.handlers[0]
    handler.addFilter(lambda record: "drop-me" not in record.getMessage())
    assert plain_handler(logger.access_log) is None
    logger.access(_Resp(), None, ENVIRON, timedelta(0))
    logger.access(_Resp(), None, dict(ENVIRON, PATH_INFO="/drop-me"), timedelta(0))  # the filter still works
    handler.filters.clear()
    handler.setFormatter(logging.Formatter("access %(message)s"))
    assert plain_handler(logger.access_log) is None
    logger.access(_Resp(), None, ENVIRON, timedelta(0))
    handler.setFormatter(logging.Formatter("%(message)s"))
    second = logging.FileHandler(tmp_path / "copy.log")
    logger.access_log.addHandler(second)
    assert plain_handler(logger.access_log) is None
    logger.access(_Resp(), None, ENVIRON, timedelta(0))
    logger.access_log.removeHandler(second)
    second.close()
    rows = (tmp_path / "access.log").read_text().splitlines()
    assert len(rows) == 3 and "drop-me" not in "".join(rows)
    assert rows[1].startswith('access {"time": ')
    assert json.loads((tmp_path / "copy.log").read_text())["path"] == "/sparql"
