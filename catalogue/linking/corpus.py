"""What linking reads from *every* supplier name, so that linking a few records decides as linking all.

Two steps of clustering look beyond the pair they compare: a scored name weighs each
word by how rare it is among all distinct names (``matchers.rarity``), a block of names
too common to compare (``matchers.BLOCK_LIMIT``) is skipped by its size over all names,
and an initials form ("DfE") joins a public body's name only when it spells exactly one
among all names (``public_variants.variant_pairs``). A full link sees every name; the
incremental link (``incremental``) clusters only the records a load touched and the
organisations around them, so it hands clustering this corpus of every name instead:
then the same pair gets the same score, the same block is skipped and the same
variants join, and the incremental link gives the partition a full link would.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from catalogue import iris
from catalogue.linking.matchers import block_keys, is_scoped
from catalogue.linking.names import parse
from catalogue.linking.public_variants import variant_pairs
from catalogue.store import Store
from catalogue.store.paging import each_row
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import RDFS, SV


@dataclass
class Corpus:
    """The distinct (core name, scope) units of every record, and the records of each key."""

    units: set[tuple[str, str]] = field(default_factory=set)
    by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # unscoped key -> records
    names: dict[str, str] = field(default_factory=dict)  # unscoped key -> a published name of it
    _idf: dict[str, float] | None = None
    _blocks: Counter | None = None
    _variants: list | None = None

    def idf(self) -> dict[str, float]:
        """Each word's weight over every distinct name (``matchers.rarity``, on all names)."""
        if self._idf is None:
            counts: Counter = Counter()
            for core, _ in self.units:
                counts.update(set(core.split()))
            n = len(self.units) or 1
            self._idf = {t: math.log(1 + n / c) for t, c in counts.items()}
        return self._idf

    def block_size(self, key: tuple[str, str]) -> int:
        """How many distinct names the block (block key, scope) holds over all names."""
        if self._blocks is None:
            self._blocks = Counter((k, scope) for core, scope in self.units for k in block_keys(core))
        return self._blocks[key]

    def variants(self) -> list[tuple[str, str, str]]:
        """Public-body name variants (``public_variants.variant_pairs``) among all unscoped names."""
        if self._variants is None:
            self._variants = variant_pairs(self.names)
        return self._variants

    def variant_records(self, keys: set[str]) -> set[str]:
        """Records whose name is a public-body variant of one of ``keys``."""
        out = set()
        for a, b, _ in self.variants():
            if a in keys or b in keys:
                out |= set(self.by_key.get(a, ())) | set(self.by_key.get(b, ()))
        return out


def read_corpus(store: Store, base: str, detached: set[str] = frozenset()) -> Corpus:
    """Every live supplier record's name, as clustering counts it (records a person
    detached from automatic evidence left out, as ``cluster_records`` leaves them out)."""
    rows = each_row(store, f"""SELECT DISTINCT ?s ?council ?name WHERE {{
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?s {q(SV.recordedBy)} ?council ; {q(RDFS.label)} ?name ; a {q(SV.Supplier)} }} }}""",
                    "?s ?council ?name")
    prefix = iris.council(base, "")
    named = sorted((r["s"], r["name"], r["council"].removeprefix(prefix)) for r in rows if r["s"] not in detached)
    return corpus_of(named)


def corpus_of(named) -> Corpus:
    """The corpus of (record IRI, published name, council GSS) triples, in record order
    (a record's first name counts, as ``records.read_records`` keeps it)."""
    seen: set[str] = set()
    out = Corpus()
    for record, name, council in named:
        if record in seen:
            continue
        seen.add(record)
        parsed = parse(name)
        if not parsed.key:
            continue
        scope = council if is_scoped(parsed) else ""
        out.units.add((parsed.core, scope))
        if not scope:
            out.by_key[parsed.key].append(record)
            out.names.setdefault(parsed.key, name)
    return out
