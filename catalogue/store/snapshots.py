"""Published snapshots of the embedded store, so readers never see a write in progress.

RocksDB (under Oxigraph) lets one process write a database; reading it read-only
while another process writes is undefined. So the writer works on ``primary/`` and,
when a load is complete, ``publish`` takes an Oxigraph backup (a RocksDB checkpoint:
hard links, so it costs milliseconds, not a copy) into ``snapshots/<n>/`` and points
``CURRENT`` at it with an atomic rename. Web workers open the current snapshot
read-only and reopen when ``CURRENT`` changes: new data appears without a restart and
a reader sees either the old or the new state, never a mix.

Readers hold a shared ``flock`` on the snapshot they use; garbage collection removes a
superseded snapshot only when it can take that lock exclusively.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path

CURRENT = "CURRENT"
LOCK = ".readers"
KEEP = 2  # superseded snapshots kept for a grace period besides the current one


class Layout:
    """Paths inside a store folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.primary = self.root / "primary"
        self.snapshots = self.root / "snapshots"
        self.current_file = self.root / CURRENT
        self.write_lock = self.root / "write.lock"
        self.sources = self.root / "sources"

    def current(self) -> Path | None:
        """The folder of the current snapshot, or ``None`` before the first publish."""
        try:
            name = self.current_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        path = self.snapshots / name
        return path if path.is_dir() else None

    def current_stamp(self) -> tuple[int, int] | None:
        """Cheap change detection for readers: (inode, mtime_ns) of CURRENT."""
        try:
            st = os.stat(self.current_file)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns


def published_version(layout: Layout) -> tuple[str, float] | None:
    """(current snapshot name, its publish time in epoch seconds), or ``None`` before any."""
    try:
        name = layout.current_file.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    stamp = name.split("-", 1)[0]
    return name, int(stamp) / 1e9 if stamp.isdigit() else 0.0


def new_snapshot_name() -> str:
    return f"{time.time_ns():020d}-{os.getpid()}"


def point_current(layout: Layout, name: str) -> None:
    """Atomically make ``name`` the current snapshot."""
    tmp = layout.root / f".{CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(name + "\n", encoding="ascii")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, layout.current_file)
    dir_fd = os.open(layout.root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def hold(snapshot: Path):
    """Take a shared lock that keeps ``snapshot`` from being collected; returns the fd."""
    fd = os.open(snapshot / LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def collect(layout: Layout) -> list[str]:
    """Remove superseded snapshots nobody holds (keeping the newest ``KEEP``)."""
    current = layout.current()
    if not layout.snapshots.is_dir():
        return []
    old = sorted(p for p in layout.snapshots.iterdir() if p.is_dir() and p != current)
    removed = []
    for path in old[: max(0, len(old) - KEEP)]:
        lock = path / LOCK
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            shutil.rmtree(path, ignore_errors=True)  # a half-made snapshot from a crash
            removed.append(path.name)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)
        removed.append(path.name)
    return removed
