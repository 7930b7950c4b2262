"""What the kernel says about processes (Linux ``/proc``): for tests that assert on state."""

from __future__ import annotations

import os
from pathlib import Path


def exists(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie counts as gone)."""
    try:
        return state(pid) != "Z"
    except FileNotFoundError:
        return False


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()


def state(pid: int) -> str:
    """R running, S sleeping, D disk wait, Z zombie, ..."""
    return _stat(pid)[0]


def cpu_ticks(pid: int) -> int:
    """User + system CPU time the process has used, in clock ticks."""
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []


def query_workers(store_path: str) -> set[int]:
    """Every live query worker process serving the store at ``store_path``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            args = cmdline(int(entry))
            if "catalogue.store.worker" in args and str(store_path) in args and exists(int(entry)):
                found.add(int(entry))
    return found


def descendants(pid: int) -> set[int]:
    """All processes below ``pid``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(_stat(int(entry))[1])
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out
