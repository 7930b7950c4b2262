"""Back up the whole store to a folder, and restore it, checked by counts and checksums.

A backup folder holds ``store.nq.gz`` (every quad, N-Quads, gzip), ``sources/`` (the
uploaded source files, if the store keeps any) and ``MANIFEST.json``: quads per graph,
the file's sha256, and a *content digest*: the sum of the sha256 of every N-Quads line,
modulo 2^256. The digest does not depend on the order the store lists its quads in, so
a restored store that dumps to the same digest holds the same quads (blank node labels
aside: the bulk loader relabels them, so the digest leaves them out; our data mints an
IRI for everything).

Restoring checks the file against its sha256 first, loads it, then counts and digests
the restored store and compares both with the manifest; only then is it published.
It writes into an empty store; ``replace=True`` replaces a store that has data (the
embedded store: by building the new one beside it and swapping the folders, so readers
see the old store or the restored one, never a mix).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from catalogue import __version__, audit, tokens
from catalogue.errors import BadRequest, CatalogueError
from catalogue.store import open_store

FORMAT = "svcat-backup/1"
DUMP, MANIFEST, SOURCES = "store.nq.gz", "MANIFEST.json", "sources"
MODULUS = 1 << 256
CHUNK = 8 << 20
AT_FDCWD, RENAME_EXCHANGE = -100, 2


class BackupMismatch(CatalogueError):
    status = 500
    title = "Backup does not match"


class Digest:
    """A file-like sink that counts and digests N-Quads lines, per graph too."""

    def __init__(self):
        self.total, self.quads, self.graphs = 0, 0, {}
        self._tail = b""

    def write(self, data: bytes) -> int:
        lines = (self._tail + bytes(data)).split(b"\n")
        self._tail = lines.pop()
        for line in lines:
            self._line(line)
        return len(data)

    def _line(self, line: bytes) -> None:
        if not line.strip():
            return
        key = hashlib.sha256(_without_blank_labels(line)).digest()
        self.total = (self.total + int.from_bytes(key, "big")) % MODULUS
        self.quads += 1
        graph = _graph_of(line)
        self.graphs[graph] = self.graphs.get(graph, 0) + 1

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if self._tail:
            self._line(self._tail)
            self._tail = b""

    @property
    def hex(self) -> str:
        return f"{self.total:064x}"


def _without_blank_labels(line: bytes) -> bytes:
    """The line with blank node labels blanked: the bulk loader gives blank nodes new ones."""
    if b"_:" not in line:
        return line
    parts = line.split(b" ", 2)
    if len(parts) < 3:
        return line
    if parts[0].startswith(b"_:"):
        parts[0] = b"_:"
    if parts[2].startswith(b"_:") and b" " in parts[2]:
        parts[2] = b"_:" + parts[2][parts[2].index(b" "):]
    return b" ".join(parts)


def _graph_of(line: bytes) -> str:
    """The graph IRI of an N-Quads line (``""`` for the default graph)."""
    body = line.rstrip()[:-1].rstrip()  # drop the final " ."
    if body.endswith(b">"):
        start = body.rfind(b"<")
        if start > 0 and body[start - 1:start] == b" ":
            candidate = body[start + 1:-1].decode("utf-8", "replace")
            if '"' not in candidate:
                return candidate
    return ""


class _Tee:
    def __init__(self, *sinks):
        self.sinks = sinks

    def write(self, data: bytes) -> int:
        for sink in self.sinks:
            sink.write(data)
        return len(data)

    def flush(self) -> None:
        pass


@dataclass
class Manifest:
    quads: int
    graphs: dict
    sha256: str
    digest: str
    sources: dict
    created: str = ""
    version: str = __version__
    format: str = FORMAT

    def to_json(self) -> dict:
        return dict(self.__dict__)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def store_digest(store) -> Digest:
    digest = Digest()
    store.dump(digest)
    digest.close()
    return digest


def backup(store_url: str, dest: str | Path) -> Manifest:
    """Write the whole store (as readers see it now) into the new folder ``dest``."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BadRequest(f"{dest} is not empty; back up into a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    store = open_store(store_url, "read")
    digest = Digest()
    try:
        with gzip.open(dest / DUMP, "wb", compresslevel=6) as handle:
            store.dump(_Tee(handle, digest))
        digest.close()
    finally:
        store.close()
    sources = {}
    root = _embedded_root(store_url)
    if root is not None and (root / SOURCES).is_dir():
        shutil.copytree(root / SOURCES, dest / SOURCES)
        sources = {str(p.relative_to(dest / SOURCES)): _sha256_file(p)
                   for p in sorted((dest / SOURCES).rglob("*")) if p.is_file()}
    manifest = Manifest(quads=digest.quads, graphs=digest.graphs, sha256=_sha256_file(dest / DUMP),
                        digest=digest.hex, sources=sources,
                        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    (dest / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def read_manifest(src: str | Path) -> Manifest:
    """The manifest of a backup, after checking the dump and sources against it."""
    src = Path(src)
    try:
        data = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise BadRequest(f"{src} is not an svcat backup ({MANIFEST} unreadable: {exc})") from exc
    if manifest.format != FORMAT:
        raise BadRequest(f"{src} is a backup in format {manifest.format!r}; this version reads {FORMAT!r}")
    if _sha256_file(src / DUMP) != manifest.sha256:
        raise BackupMismatch(f"{src / DUMP} does not match its sha256 in {MANIFEST}: the backup is damaged")
    for name, sha in manifest.sources.items():
        if _sha256_file(src / SOURCES / name) != sha:
            raise BackupMismatch(f"source file {name} does not match its sha256: the backup is damaged")
    return manifest


def _chunks(path: Path):
    """The dump in blocks that end at line boundaries (the bulk loader reads whole quads)."""
    with gzip.open(path, "rb") as handle:
        tail = b""
        while block := handle.read(CHUNK):
            block = tail + block
            cut = block.rfind(b"\n") + 1
            tail = block[cut:]
            if cut:
                yield block[:cut]
        if tail:
            yield tail + b"\n"


def _embedded_root(url: str) -> Path | None:
    if url.startswith(("http://", "https://")) or url == "memory:":
        return None
    return Path(url[len("oxigraph:"):] if url.startswith("oxigraph:") else url)


def _load_and_check(store_url: str, src: Path, manifest: Manifest) -> None:
    with open_store(store_url, "write") as store:
        store.bulk_add(_chunks(src / DUMP))
        digest = store_digest(store)
        if digest.quads != manifest.quads or digest.graphs != manifest.graphs or digest.hex != manifest.digest:
            raise BackupMismatch(f"the restored store holds {digest.quads} quads (digest {digest.hex[:12]}), "
                                 f"the backup {manifest.quads} (digest {manifest.digest[:12]})")
        store.publish()


def restore(src: str | Path, store_url: str, *, replace: bool = False) -> tuple[Manifest, Path | None]:
    """Restore the backup in ``src`` into the store at ``store_url`` and check it.

    Returns the manifest and, when a store was replaced, where its old folder was kept.
    """
    src = Path(src)
    manifest = read_manifest(src)
    with open_store(store_url, "read") as current:
        has_data = bool(current.graphs())
    if has_data and not replace:
        raise BadRequest(f"the store at {store_url} already holds data; restore into a new store, "
                         "or pass --replace to replace it")
    root = _embedded_root(store_url)
    if root is None:  # a remote store: empty it, then load (not atomic on the server)
        with open_store(store_url, "write") as store:
            for graph in store.graphs():
                store.drop_graph(graph)
        _load_and_check(store_url, src, manifest)
        return manifest, None
    target = root if not has_data else root.with_name(f"{root.name}.restoring-{os.getpid()}")
    if target != root:
        shutil.rmtree(target, ignore_errors=True)
    _load_and_check(str(target), src, manifest)
    if manifest.sources:
        shutil.copytree(src / SOURCES, target / SOURCES, dirs_exist_ok=True)
    if target != root:
        _carry_operator_files(root, target)
    return manifest, (_swap(root, target) if target != root else None)


#: Files in a store folder that are the operator's, not the data's: a restore of the data
#: must not revoke every publishing token or drop the audit trail.
OPERATOR_FILES = (tokens.FILE_NAME, audit.FILE_NAME)


def _carry_operator_files(old: Path, fresh: Path) -> None:
    for name in OPERATOR_FILES:
        if (old / name).is_file() and not (fresh / name).exists():
            shutil.copy2(old / name, fresh / name)  # keeps the tokens file's 0600 mode


def _swap(root: Path, fresh: Path) -> Path:
    """Exchange the restored store and the old one in one atomic step, under the write lock.

    ``renameat2(RENAME_EXCHANGE)`` swaps two paths atomically (Linux); readers following
    ``CURRENT`` move to the restored store at their next query. The old store is kept
    beside it (returned), for the operator to delete once nothing reads it any more.
    """
    import ctypes
    import fcntl

    from catalogue.store.snapshots import Layout

    lock = os.open(Layout(root).write_lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        libc = ctypes.CDLL(None, use_errno=True)
        exchanged = hasattr(libc, "renameat2") and libc.renameat2(
            AT_FDCWD, os.fsencode(fresh), AT_FDCWD, os.fsencode(root), RENAME_EXCHANGE) == 0
        old = root.with_name(f"{root.name}.replaced-{time.strftime('%Y%m%dT%H%M%S')}")
        if exchanged:
            os.rename(fresh, old)
        else:  # no atomic exchange here: two renames, the gap between them is tiny
            os.rename(root, old)
            os.rename(fresh, root)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    return old
