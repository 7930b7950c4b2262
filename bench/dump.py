"""How fast one graph is exported as N-Quads: the engine's serializer against Python.

    python bench/dump.py --store PATH [--graph IRI] [--python]

Times ``EmbeddedStore.dump(out, graph)`` (Oxigraph writes the graph as N-Triples and
the graph name is appended to each line) on the store's largest graph, or ``--graph``;
with ``--python`` it also times the writer it replaced (one formatted line per quad in
Python, ``quads_for_pattern``), checks that both give the same set of lines, and prints
the ratio. Output goes to /dev/null-like counters, so the disk is not measured.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402

from catalogue.store.embedded import EmbeddedStore  # noqa: E402


class Lines:
    """Counts lines and keeps an order-free digest of them (sum of per-line hashes)."""

    def __init__(self):
        self.lines, self.digest, self.tail = 0, 0, b""

    def write(self, data: bytes) -> int:
        block = self.tail + bytes(data)
        *complete, self.tail = block.split(b"\n")
        self.lines += len(complete)
        self.digest += sum(int.from_bytes(hashlib.blake2b(line, digest_size=8).digest(), "big")
                           for line in complete)
        return len(data)


def python_dump(engine: ox.Store, out, graph: str) -> None:
    """The writer ``_dump_graph`` replaced, kept here to measure against."""
    for quad in engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        out.write(f"{quad.subject} {quad.predicate} {quad.object} {quad.graph_name} .\n".encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--graph")
    parser.add_argument("--python", action="store_true", help="also time the old quad-by-quad writer")
    args = parser.parse_args()
    store = EmbeddedStore(args.store, mode="read")
    graph = args.graph or max(store.graphs(), key=store.triple_count)
    rows = []
    engine_out = Lines()
    started = time.perf_counter()
    store.dump(engine_out, graph)
    rows.append(("engine serializer", time.perf_counter() - started, engine_out))
    if args.python:
        python_out = Lines()
        started = time.perf_counter()
        python_dump(store._reader(), python_out, graph)
        rows.append(("python, quad by quad", time.perf_counter() - started, python_out))
    print(f"graph {graph}")
    for name, seconds, out in rows:
        print(f"{name:<22}{out.lines:>12,} quads{seconds:>9.1f} s{out.lines / seconds:>12,.0f} quads/s")
    if args.python:
        same = (engine_out.lines, engine_out.digest) == (python_out.lines, python_out.digest)
        print(f"same quads: {same}; python / engine time: {rows[1][1] / rows[0][1]:.1f}x")
    store.close()


if __name__ == "__main__":
    main()
