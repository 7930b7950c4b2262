"""What a full link reads, as one digest: so ``svcat link`` with nothing changed stops at once.

A full link is a function of the live datasets (each dataset's current version graph,
named in the catalogue), the manual decisions kept in the links graph, and the linking
code and reference data. Loads mint a fresh graph name for every version and decisions
only change through a link that is given a decisions file, so the digest of the
(dataset, graph) pairs plus the code and data files is enough: equal digests, same
links. Re-linking the demo's 19 files took 18 s for nothing; comparing the digest
takes a few milliseconds.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from catalogue import iris
from catalogue.store.paging import csv_rows
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, SV
from loaders.terms import Triple, iri, literal

LINKING = Path(__file__).resolve().parent
#: Code and data whose change can change the links (the loaders' registers and word lists).
SOURCES = (LINKING, LINKING.parent.parent / "loaders" / "data")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of the linking package's modules and the loaders' reference data files."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".csv", ".json", ".txt"):
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_digest(store: Store, base: str) -> str:
    """The digest of what a full link would read now."""
    rows = csv_rows(store, f"SELECT ?ds ?g WHERE {{ GRAPH {q(iris.catalogue_graph(base))} {{ "
                           f"?ds {q(SV.namedGraph)} ?g ; {q(DCTERMS.type)} ?kind }} }}")
    digest = hashlib.sha256(code_digest().encode())
    for row in sorted((r["ds"], r["g"]) for r in rows):
        digest.update(("\t".join(row) + "\n").encode())
    return digest.hexdigest()


def stored_digest(store: Store, base: str) -> str | None:
    """The digest the current links were made from (``None``: none recorded, or an incremental link since)."""
    rows = csv_rows(store, f"SELECT ?d WHERE {{ GRAPH {q(iris.catalogue_graph(base))} {{ "
                           f"{q(iris.linkset(base))} {q(SV.inputDigest)} ?d }} }}")
    return rows[0]["d"] if rows else None


def digest_triple(base: str, digest: str) -> Triple:
    """The linkset record's statement of its inputs' digest."""
    return (iri(iris.linkset(base)), iri(str(SV.inputDigest)), literal(digest))
