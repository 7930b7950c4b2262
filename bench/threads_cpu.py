"""CPU seconds of a command's threads, by thread name: where a load's CPU goes inside the
writer process (``python``: our threads and the engine's loader threads; ``rocksdb:low``:
RocksDB's compaction; ``rocksdb:high``: its flushes).

    python bench/threads_cpu.py -- .venv/bin/python -m catalogue --store /tmp/s load \\
        --manifest ../shared/data/real/manifest.csv -q

Reads ``/proc/PID/task/*/stat`` every 0.2 s while the command runs (Linux only) and prints
the last CPU time seen of each thread, summed by name. Threads that end between two reads
lose at most their last 0.2 s; child processes (the load's workers) are not counted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import defaultdict


def main(argv: list[str]) -> None:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    if not command:
        raise SystemExit(__doc__)
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    ticks = os.sysconf("SC_CLK_TCK")
    last: dict[str, tuple[str, float]] = {}
    started = time.monotonic()
    while child.poll() is None:
        try:
            tasks = os.listdir(f"/proc/{child.pid}/task")
        except OSError:
            break
        for tid in tasks:
            try:
                stat = open(f"/proc/{child.pid}/task/{tid}/stat", encoding="ascii").read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            last[tid] = (name, (int(fields[11]) + int(fields[12])) / ticks)
        time.sleep(0.2)
    child.wait()
    by_name: dict[str, float] = defaultdict(float)
    for name, seconds in last.values():
        by_name[name] += seconds
    for name, seconds in sorted(by_name.items(), key=lambda kv: -kv[1]):
        print(f"{seconds:8.2f} s  {name}")
    print(f"{sum(by_name.values()):8.2f} s  in all (the command's own process), {time.monotonic() - started:.1f} s wall,"
          f" exit {child.returncode}")


if __name__ == "__main__":
    main(sys.argv[1:])
