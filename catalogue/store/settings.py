"""Settings: name, default and help for each, read from ``SVCAT_*`` environment variables.

Nothing reads the environment at import time: ``settings()`` is called by the app
factory and the CLI. ``tests/test_docs.py`` checks that the README documents every
setting listed here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

PREFIX = "SVCAT_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("STORE", "svcat-store",
            "Where the data lives: a folder for the embedded on-disk store (created if missing), "
            "memory: for a throw-away store, or the http(s) URL of a remote SPARQL 1.1 endpoint."),
    Setting("BASE_URI", "https://data.example.gov.uk/",
            "Public base under which resource IRIs are minted (/id/..., /doc/..., /file/...). "
            "IRIs never depend on the host or port a server is reached by."),
    Setting("LICENCE", "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "Licence recorded for loaded datasets unless a load names another one."),
    Setting("QUERY_TIMEOUT", 30.0,
            "Seconds a query (on /sparql or for a page) may run before it is stopped and answered 503."),
    Setting("RESULT_LIMIT", 10000,
            "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query returns; a longer result is cut "
            "and the response says so (X-SVCAT-Truncated)."),
    Setting("QUERY_WORKERS", 2,
            "Query worker processes per web process (embedded on-disk store); a query that outlives "
            "SVCAT_QUERY_TIMEOUT is stopped by killing its worker."),
    Setting("QUERY_MEMORY_MB", 2048,
            "Megabytes of memory a query worker may hold while it runs a query; past it the query is "
            "stopped (503). 0: no limit."),
    Setting("QUERY_INPROCESS_MS", 5.0,
            "A query that a query worker answered within this many milliseconds, on the same published "
            "snapshot, with a small answer and no SERVICE, runs in the web process when asked again, "
            "without the worker hop. 0: every query goes to a query worker."),
    Setting("FEDERATION", "",
            "Space-separated SPARQL endpoint URLs that SERVICE may call; empty (the default) turns "
            "federated queries off."),
    Setting("MAX_QUERY_BYTES", 1_000_000, "Largest SPARQL request body accepted."),
    Setting("CLIENT_RATE", 120.0,
            "Requests a minute one client may make to /sparql, POST /publish and /dumps/ (per web process; "
            "over it: 429 with Retry-After). 0 turns the per-client limits off (docs/serving.md)."),
    Setting("CLIENT_BURST", 30, "Requests one client may make at once before SVCAT_CLIENT_RATE applies."),
    Setting("CLIENT_CONCURRENCY", 2,
            "Requests one client may have running at once on /sparql, POST /publish and /dumps/ (per web "
            "process); more get 429 with Retry-After."),
    Setting("CLIENT_LIMIT_LOCAL", False,
            "Apply the per-client limits to clients on this machine (loopback addresses) too; by default "
            "they are exempt, so local scripts and checkers are never answered 429 (docs/serving.md)."),
    Setting("PROXIES", 0,
            "Trusted reverse proxies in front (nginx: 1): the client is then the X-Forwarded-For address the "
            "outermost of them saw; 0 (the default) takes the connection's address and ignores the header."),
    Setting("STORE_USER", "", "User name for a remote store that asks for HTTP authentication."),
    Setting("STORE_PASSWORD", "", "Password for a remote store that asks for HTTP authentication."),
    Setting("TOKENS_FILE", "",
            "File holding the publishing tokens (sha256 hashes only), made with svcat token; default "
            "tokens.json in the store folder (svcat-tokens.json in the working directory for other stores)."),
    Setting("AUDIT_LOG", "",
            "JSON-lines log of every upload (who, when, file, sha256, dataset, outcome; never a token); "
            "default audit.log in the store folder (svcat-audit.log for other stores)."),
    Setting("SOURCES_DIR", "",
            "Folder that keeps each loaded source file (content-addressed by sha256) so that its download "
            "URL and row citations resolve; default sources/ in the store folder (svcat-sources for a remote "
            "store; not kept for memory:)."),
    Setting("DUMPS_DIR", "",
            "Folder where dumps are kept, built once per data version (docs/serving.md); default dumps/ in "
            "the store folder (svcat-dumps in the working directory for a remote store)."),
    Setting("MAX_UPLOAD_BYTES", 50_000_000,
            "Largest file /publish accepts; a bigger upload is refused (413) before its body is read."),
    Setting("MAX_FILE_BYTES", 200_000_000,
            "Largest file svcat load/validate/inspect reads; a bigger one is refused before it is read "
            "(see docs/dialects-and-mappings.md, Reading files)."),
    Setting("MAX_LINE_BYTES", 1_000_000,
            "Longest line (bytes) a CSV may have; a longer one refuses the file as soon as it is met, "
            "so a huge one-line file costs seconds, not minutes."),
    Setting("MAX_CELL_CHARS", 100_000, "Longest cell (characters) a file may have; a longer one refuses the file."),
    Setting("MAX_COLUMNS", 1_000, "Most cells one row of a file may have; more refuses the file."),
    Setting("MAX_ROWS", 5_000_000, "Most rows a file may have; more refuses the file when the reader gets there."),
    Setting("UPLOAD_TIMEOUT", 900.0, "Seconds an upload's validation and load may take before it is stopped."),
    Setting("STORE_UPDATE_URL", "",
            "SPARQL 1.1 Update endpoint of a remote store; default the query endpoint (Virtuoso: its "
            "/sparql-auth)."),
    Setting("STORE_GRAPH_STORE_URL", "",
            "SPARQL 1.1 Graph Store Protocol endpoint of a remote store, for bulk writes; default the query "
            "endpoint (Virtuoso: its /sparql-graph-crud-auth); none to write with INSERT DATA instead."),
)

def settings(environ: dict | None = None) -> dict:
    """Defaults overlaid with ``SVCAT_<NAME>`` variables, converted to the default's type."""
    env = os.environ if environ is None else environ
    out = {}
    for setting in SETTINGS:
        raw = env.get(PREFIX + setting.name)
        if raw is None or raw == "":
            out[setting.name] = setting.default
        elif isinstance(setting.default, bool):
            out[setting.name] = raw.lower() in {"1", "true", "yes", "on"}
        elif isinstance(setting.default, int):
            out[setting.name] = int(raw)
        elif isinstance(setting.default, float):
            out[setting.name] = float(raw)
        else:
            out[setting.name] = raw
    return out


def query_limits(config: dict):
    """The ``QueryLimits`` a web process holds its queries to (keys without the prefix)."""
    from catalogue.store import QueryLimits

    limit = int(config["RESULT_LIMIT"])
    return QueryLimits(timeout=float(config["QUERY_TIMEOUT"]), result_limit=limit if limit > 0 else None,
                       workers=int(config["QUERY_WORKERS"]),
                       memory_mb=int(config.get("QUERY_MEMORY_MB", 2048)),
                       inprocess_ms=float(config.get("QUERY_INPROCESS_MS", 5.0)),
                       federation=tuple(str(config["FEDERATION"]).split()))


def remote_options(config: dict):
    """How to reach a remote store's endpoints (keys without the prefix)."""
    from catalogue.store.remote_http import RemoteOptions

    return RemoteOptions(user=str(config.get("STORE_USER") or ""), password=str(config.get("STORE_PASSWORD") or ""),
                         update_url=str(config.get("STORE_UPDATE_URL") or ""),
                         graph_store_url=str(config.get("STORE_GRAPH_STORE_URL") or ""))
