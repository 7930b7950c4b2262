"""Re-linking with nothing changed, and adding one file, on a loaded store (issue 22 item 3).

    python bench/relink.py STORE [FILE PUBLISHER]

STORE is a store already loaded and linked (``svcat --store STORE load --manifest
../shared/data/real/manifest.csv``). Prints, in wall and CPU seconds: the input digest
check, a full ``link_all`` forced (what "re-link, nothing changed" cost before the digest
check), ``link_all`` unforced (stops at the digest), the incremental ``link_new`` with
nothing new; then, with FILE (a spend file) and PUBLISHER (GSS), that file's load, its
incremental link (with the size of the region it re-clusters and how many datasets'
summaries it owes) and the one summary refresh, apart, and a ``link_all`` after it (which
stops at the digest when the incremental link was stamped as a full one). It changes
STORE: use a copy.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalogue.ingest import load_file  # noqa: E402
from catalogue.linking.incremental import _link_new, link_new  # noqa: E402
from catalogue.linking.inputs import input_digest, stored_digest  # noqa: E402
from catalogue.linking.records import linkset_graph  # noqa: E402
from catalogue.linking.run import link_all, unchanged  # noqa: E402
from catalogue.store import open_store  # noqa: E402
from catalogue.summaries import Pending, refresh  # noqa: E402

BASE = "https://data.example.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def timed(label: str, action) -> object:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    print(f"{label:34} {time.perf_counter() - wall:8.2f} s wall {time.process_time() - cpu:8.2f} s cpu  "
          f"{str(result)[:70]}", flush=True)
    return result


def main() -> None:
    with open_store(sys.argv[1], "write") as store:
        timed("digest check", lambda: input_digest(store, BASE) == stored_digest(store, BASE))
        timed("link_all --force (the old re-link)", lambda: link_all(store, BASE, licence=OGL, force=True).mode)
        timed("link_all, nothing changed", lambda: link_all(store, BASE, licence=OGL).mode)
        timed("link_new, nothing new", lambda: link_new(store, BASE, licence=OGL).mode)
        if len(sys.argv) > 3:
            pending, exact = Pending(), unchanged(store, BASE)
            loaded = []
            timed("load one file", lambda: loaded.append(load_file(
                store, "spend", sys.argv[2], base=BASE, publisher=sys.argv[3], licence=OGL, pending=pending)))

            said = []

            def link():
                outcome, datasets = _link_new(store, BASE, linkset_graph(store, BASE), None, said.append, exact,
                                             [loaded[0].dataset])
                pending.add(datasets)
                return f"{outcome.records} new records, {outcome.organisations} organisations rewritten, " \
                       f"{len(datasets)} datasets owed"
            timed("its incremental link", link)
            print("   ", "; ".join(said))
            timed("summaries (touched councils) + publish", lambda: refresh(store, BASE, pending))
            timed("link_all after it", lambda: link_all(store, BASE, licence=OGL).mode)


if __name__ == "__main__":
    main()
