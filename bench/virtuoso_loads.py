"""Every DEV spend file into a throw-away Virtuoso, in one process, and what it sent.

Starts Debian's ``virtuoso-t`` on 127.0.0.1 (``tests/virtuoso.py``, a fresh database), loads
every spend file of the manifest with the manifest loader (``catalogue.ingest.manifest.load_all``,
as ``svcat load --manifest`` does), refreshes the summaries once, then runs a full link,
and prints the time of each phase and, per phase, the SPARQL updates the remote store
sent (their count, the requests ``update_split`` cut them into, the largest request) and
the Graph Store Protocol writes (count, largest, total bytes)::

    python bench/virtuoso_loads.py                        # ResultSetMaxRows 10,000 (Virtuoso's default)
    python bench/virtuoso_loads.py --max-rows 1000000     # high enough for a full link of them all
    python bench/virtuoso_loads.py --no-link

Figures are in docs/remote-stores.md and bench/README.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.store import open_store, remote, update_split  # noqa: E402
from tests.conftest import OGL, REAL, SHARED_REAL, remote_options  # noqa: E402
from tests.virtuoso import start_virtuoso, stop_virtuoso  # noqa: E402

BASE = "https://loads.example.test/"


class Tally:
    """What the remote store sends, by phase: update texts, the requests they became, GSP bodies."""

    def __init__(self):
        self.phase = "load"
        self.sizes: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
        split, post = update_split.split, remote.RemoteStore._post

        def counted_split(text, **options):
            parts = split(text, **options)
            self.sizes[(self.phase, "updates (bytes)")].append(len(text))
            self.sizes[(self.phase, "requests (bytes)")].extend(len(p) for p in parts)
            return parts

        def counted_post(store, graph, ntriples):
            self.sizes[(self.phase, "GSP writes (bytes)")].append(len(ntriples))
            return post(store, graph, ntriples)

        update_split.split = counted_split
        remote.RemoteStore._post = counted_post

    def report(self) -> str:
        lines = [f"{'phase':8} {'what':20} {'count':>7} {'largest':>11} {'total':>13}"]
        for (phase, what), values in self.sizes.items():
            lines.append(f"{phase:8} {what:20} {len(values):>7,} {max(values):>11,} {sum(values):>13,}")
        return "\n".join(lines)


def spend_manifest(source: Path, folder: Path) -> Path:
    """The manifest's spend rows, with absolute paths, as a manifest of their own."""
    with open(source, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "spend"]
    target = folder / "spend.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["path", "kind", "gss_code"])
        out.writerows([str((source.parent / r["path"]).resolve()), "spend", r["gss_code"]] for r in rows)
    return target


def main() -> None:
    from catalogue.commands.common import KINDS
    from catalogue.linking.run import link_all
    from catalogue.ingest.manifest import entries, load_all
    from catalogue.summaries import Pending, refresh

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, help="default: ../shared/data/real's, else tests/data/real's",
                        default=(SHARED_REAL if (SHARED_REAL / "manifest.csv").exists() else REAL) / "manifest.csv")
    parser.add_argument("--max-rows", type=int, default=10000, help="Virtuoso's ResultSetMaxRows")
    parser.add_argument("--no-link", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="svcat-virtuoso-"))
    server = start_virtuoso(folder / "db", max_rows=args.max_rows)
    tally = Tally()
    store = open_store(server.sparql, "write", remote=remote_options(server))
    try:
        files = entries(spend_manifest(args.manifest, folder), kinds=KINDS)
        pending, clock = Pending(), time.monotonic()
        outcomes = load_all(store, files, base=BASE, licence=OGL, pending=pending)
        lines = sum(o.report.rows_loaded for _, o in outcomes if o.loaded)
        print(f"load:   {sum(o.loaded for _, o in outcomes)} of {len(files)} files, {lines:,} lines, "
              f"{time.monotonic() - clock:.1f} s", flush=True)
        tally.phase, clock = "settle", time.monotonic()
        refresh(store, BASE, pending)
        print(f"settle: summaries refreshed in {time.monotonic() - clock:.1f} s", flush=True)
        if not args.no_link:
            tally.phase, clock = "link", time.monotonic()
            try:
                outcome = link_all(store, BASE, licence=OGL)
                print(f"link:   {outcome.records:,} supplier records -> {outcome.organisations:,} organisations "
                      f"in {time.monotonic() - clock:.1f} s", flush=True)
            except Exception as exc:  # noqa: BLE001 - a figure to print, not to hide
                print(f"link:   FAILED after {time.monotonic() - clock:.1f} s: {type(exc).__name__}: "
                      f"{str(exc)[:120]}", flush=True)
        print(f"(Virtuoso ResultSetMaxRows {args.max_rows:,})")
        print(tally.report())
    finally:
        store.close()
        stop_virtuoso(server)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
