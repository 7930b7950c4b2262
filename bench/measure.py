"""Timing helpers for the benchmarks: child processes with their peak RSS, repeats, tables.

Benchmarks here run on shared machines, so every figure is measured ``repeat`` times
and reported as the median with the min-max spread; a single number would hide the
noise other processes add.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


@dataclass
class Run:
    """One child process: wall seconds, CPU seconds and peak resident memory."""

    seconds: float
    cpu: float
    max_rss: int  # bytes
    returncode: int
    stdout: str = ""
    stderr: str = ""


def run_child(args: Sequence[str], *, env: dict | None = None, cwd: Path = ROOT) -> Run:
    """Run a command, timing it and reading its own rusage (``wait4``) for peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(args), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 reaps the child itself (its own rusage, not all children's), so drain the
    # pipes on threads meanwhile.
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def drain(stream, key):
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)
    readers = [threading.Thread(target=drain, args=(proc.stdout, "out")),
               threading.Thread(target=drain, args=(proc.stderr, "err"))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = b"".join(chunks["out"]), b"".join(chunks["err"])
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, proc.returncode,
               out.decode(errors="replace"), err.decode(errors="replace"))


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


@dataclass
class Figure:
    """Repeated measurements of one quantity."""

    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def spread(self) -> str:
        if len(self.values) < 2:
            return ""
        return f"{_fmt(min(self.values))}-{_fmt(max(self.values))}"


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds per call of ``fn`` over ``repeat`` calls after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def _fmt(value: float) -> str:
    if value != value:  # NaN
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def table(rows: list[list[str]], header: list[str]) -> str:
    """A plain text table, right-aligned numbers."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths))))
    return "\n".join(lines)


def figure_rows(figures: list[Figure]) -> list[list[str]]:
    return [[f.name, _fmt(f.median), f.spread(), f.unit, str(len(f.values)), f.note] for f in figures]


def print_figures(title: str, figures: list[Figure]) -> None:
    print(f"\n{title}")
    print(table(figure_rows(figures), ["measure", "median", "min-max", "unit", "n", "note"]))


def machine_note() -> str:
    """What else was running: the load average says how shared the CPUs were."""
    load1, load5, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {load1:.1f} (1 min) {load5:.1f} (5 min) when the run ended"


def report(lines: list[str], name: str) -> None:
    """Print a benchmark's lines with the machine note, and keep them in ``bench/out/NAME-<time>.txt``."""
    text = "\n".join([*lines, machine_note()])
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.txt").write_text(text + "\n")


def dir_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def fmt(value: float) -> str:
    return _fmt(value)
