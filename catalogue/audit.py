"""The upload audit log: one JSON line per upload, appended under a lock.

Each line says who (the token's name, or null), when, from where, the file's name, size
and sha256, what was asked (kind, publisher, validate only, skip invalid rows), the
dataset and the outcome (published, refused, valid, invalid, unauthorized, too-large,
error). Tokens are never written.
"""

from __future__ import annotations

import fcntl
import json
from datetime import datetime, timezone
from pathlib import Path

from catalogue.paths import beside_store

#: The audit log's name in an embedded store's folder.
FILE_NAME = "audit.log"


def audit_path(config: dict) -> Path:
    return beside_store(config, "AUDIT_LOG", FILE_NAME, "svcat-audit.log")


def record(path: Path, **fields) -> dict:
    """Append one entry; returns it."""
    entry = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"), **fields}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        fcntl.flock(handle, fcntl.LOCK_UN)
    return entry


def entries(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        return []
