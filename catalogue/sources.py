"""The source files as received, kept so that ``{base}file/...`` download URLs resolve.

Every dataset's DCAT record names its source CSV (``dcat:downloadURL``, with size and
sha256) and every line cites its row as ``<file IRI>#row=N`` (RFC 7111). A citation is
only useful if the file is there to fetch, byte for byte as the council published it.
So a successful load keeps a copy, content-addressed by sha256 (``sources/ab/abcdef...``):
a refused reload never overwrites the version that is still served, the same bytes
loaded twice are stored once, and the web layer finds a file from its record alone.
Copies are written to a temporary name, synced and renamed, so a crash never leaves a
half-copied file under a real name.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from catalogue.paths import beside_store

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sources_dir(config: dict) -> Path | None:
    """Where source files are kept: ``SVCAT_SOURCES_DIR``, else ``sources/`` in the
    embedded store's folder, else ``svcat-sources`` for a remote store; ``None`` (not
    kept) for a throw-away ``memory:`` store unless a folder is configured."""
    if not config.get("SOURCES_DIR") and str(config["STORE"]) == "memory:":
        return None
    # Absolute, against the working directory: a relative folder handed to Flask's
    # ``send_file`` would be read under the package folder instead (every /file/ link
    # answered 500 in ``svcat demo``, whose store path is relative).
    return beside_store(config, "SOURCES_DIR", "sources", "svcat-sources").absolute()


def path_for(folder: Path, sha256: str) -> Path:
    if not _SHA256.match(sha256):
        raise ValueError(f"not a sha256 digest: {sha256!r}")
    return folder / sha256[:2] / sha256


def keep(path: str | Path, sha256: str, folder: Path) -> Path:
    """Copy ``path`` (whose digest the loader computed) into ``folder``; idempotent."""
    target = path_for(folder, sha256)
    if target.is_file() and target.stat().st_size == Path(path).stat().st_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{sha256}.{os.getpid()}.partial")
    with open(path, "rb") as src, open(partial, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(partial, target)
    return target


def find(folder: Path | None, sha256: str) -> Path | None:
    """The kept copy of the file with this digest, if there is one."""
    if folder is None or not _SHA256.match(sha256 or ""):
        return None
    target = path_for(folder, sha256)
    return target if target.is_file() else None


__all__ = ["sources_dir", "keep", "find", "path_for"]
