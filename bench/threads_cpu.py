"""CPU seconds of a command's threads, by thread name: where a load's CPU goes inside the
writer process (``python``: our threads and the engine's loader threads; ``rocksdb:low``:
RocksDB's compaction; ``rocksdb:high``: its flushes).

    python bench/threads_cpu.py -- .venv/bin/python -m catalogue --store /tmp/s load \\
        --manifest ../shared/data/real/manifest.csv -q

Reads ``/proc/PID/task/*/stat`` every 0.2 s while the command runs (Linux only) and prints
the last CPU time seen of each thread, summed by name. A thread that ends between two
reads loses at most its last 0.2 s, and one that starts and ends between them is not seen
at all: the bulk loader starts a short-lived thread for each batch it sorts, so a load of
many small calls hides much of its CPU there. The process's own total (``/proc/PID/stat``,
which keeps the time of ended threads) is printed beside the sum, the gap named "threads
that ended unseen". Child processes (the load's workers) are not counted by name; the
last line gives the whole machine's busy CPU seconds over the run (``/proc/stat``: the
workers, and anything else running) against what its cores could give, and the samples
(about 0.5 s each) in which every core was busy. A load that keeps every core busy can
only get faster by doing less work, not by overlapping more.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict


def machine() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine since boot (every core)."""
    fields = [int(f) for f in open("/proc/stat", encoding="ascii").readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def cpu_seconds(stat: str, ticks: int) -> float:
    """User + system seconds from a ``/proc/.../stat`` line (the fields after the name)."""
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / ticks


def main(argv: list[str]) -> None:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    if not command:
        raise SystemExit(__doc__)
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    ticks = os.sysconf("SC_CLK_TCK")
    last: dict[str, tuple[str, float]] = {}
    whole = 0.0  # the process's own CPU seconds, every thread, ended ones too
    started = time.monotonic()
    first = mark = machine()
    mark_at, halves, full = started, 0, 0
    while child.poll() is None:
        if time.monotonic() - mark_at >= 0.5:
            now = machine()
            halves += 1
            full += (now[0] - mark[0]) >= 0.95 * (now[1] - mark[1])
            mark, mark_at = now, time.monotonic()
        try:
            tasks = os.listdir(f"/proc/{child.pid}/task")
            whole = cpu_seconds(open(f"/proc/{child.pid}/stat", encoding="ascii").read(), ticks)
        except OSError:
            break
        for tid in tasks:
            try:
                stat = open(f"/proc/{child.pid}/task/{tid}/stat", encoding="ascii").read()
            except OSError:
                continue
            last[tid] = (stat[stat.index("(") + 1:stat.rindex(")")], cpu_seconds(stat, ticks))
        time.sleep(0.2)
    child.wait()
    by_name: dict[str, float] = defaultdict(float)
    for name, seconds in last.values():
        by_name[name] += seconds
    by_name["threads that ended unseen"] = max(0.0, whole - sum(by_name.values()))
    for name, seconds in sorted(by_name.items(), key=lambda kv: -kv[1]):
        print(f"{seconds:8.2f} s  {name}")
    print(f"{max(whole, sum(by_name.values())):8.2f} s  in all (the command's own process, as last read), "
          f"{time.monotonic() - started:.1f} s wall, exit {child.returncode}")
    last_mark = machine()
    busy, total = last_mark[0] - first[0], last_mark[1] - first[1]
    print(f"{busy:8.2f} s  busy on the whole machine ({os.cpu_count()} cores), {100 * busy / max(total, 1e-9):.0f}% "
          f"of what they could give; every core busy in {full} of {halves} samples (about 0.5 s each)")


if __name__ == "__main__":
    main(sys.argv[1:])
