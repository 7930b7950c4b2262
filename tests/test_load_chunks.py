"""The fast load path writes exactly what the plain one would: whatever the chunk size,
the same triples; the quick SHACL checks never pass what the full ones fail; row digests
kept as integers count added and removed rows as the strings did."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from catalogue.digests import RowDigests
from catalogue.ingest import load_file
from catalogue.shacl import _passes, _quick, compiled
from catalogue.store.embedded import EmbeddedStore
from catalogue.ingest.stream import row_digest
from loaders.converters import short_hash
from tests.conftest import BASE, OGL, real_files


def dataset_triples(store: EmbeddedStore, graph: str) -> list[str]:
    """The graph's triples as sorted N-Triples lines (graph names differ between loads)."""
    rows = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return sorted(" ".join(t.n3() for t in triple) for triple in rows)


def test_every_chunk_size_writes_the_same_triples_on_real_files(tmp_path):
    smallest = {}
    for entry in sorted(real_files("spend"), key=lambda f: f["file"].stat().st_size):
        smallest.setdefault(entry["gss_code"], entry)  # one file per council, several dialects
    files = list(smallest.values())[:3]
    assert len(files) == 3
    for entry in files:
        graphs = {}
        for chunk_rows in (7, 97, 100_000):
            store = EmbeddedStore(str(tmp_path / f"{entry['gss_code']}-{chunk_rows}"), mode="write")
            try:
                outcome = load_file(store, "spend", entry["file"], base=BASE, publisher=entry["gss_code"],
                                    licence=OGL, chunk_rows=chunk_rows)
                assert outcome.loaded, outcome.report.fatal or outcome.report.summary()
                graphs[chunk_rows] = (dataset_triples(store, outcome.graph), outcome.report.triples)
            finally:
                store.close()
        (small, n7), (some, n97), (whole, n_all) = graphs[7], graphs[97], graphs[100_000]
        assert small == some == whole, entry["file"]
        assert n7 == n97 == n_all == len(whole)  # the count kept while writing is the graph's size


def test_row_digest_is_the_short_hash_of_the_stripped_cells():
    cells = [" 2302-0009815 ", "ACME LTD", "£1,234.50 ", ""]
    assert row_digest(cells) == short_hash(*(c.strip() for c in cells), length=16)


def test_row_digests_count_added_and_removed_rows_by_content():
    old, new = RowDigests(), RowDigests()
    for cells in (["a"], ["b"], ["c"], ["c"]):  # a repeated row is one row by content
        old.add(row_digest(cells))
    for cells in (["b"], ["c"], ["d"], ["e"]):
        new.add(row_digest(cells))
    assert len(old) == 3 and len(new) == 4
    assert new.changes(old) == (2, 1)  # d, e added; a removed
    assert row_digest(["d"]) in new and row_digest(["a"]) not in new


def test_row_digests_are_read_back_from_sparql_tsv():
    digests = [row_digest([str(i)]) for i in range(5)]
    body = ("?d\n" + "".join(f'"{d}"\n' for d in digests)).encode()
    read = RowDigests.from_tsv(body)
    assert len(read) == 5 and all(d in read for d in digests)
    typed = ("?d\n" + "".join(f'"{d}"^^<http://www.w3.org/2001/XMLSchema#string>\n' for d in digests)).encode()
    assert RowDigests.from_tsv(typed).changes(read) == (0, 0)


TERMS = st.sampled_from([
    '"12.5"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"-3"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    '"2023-01-02"^^<http://www.w3.org/2001/XMLSchema#date>', '"2023-01"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
    '"abc"', '"x"@en', '"12.5"', "<https://example.org/a>", "_:b1", '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    '"a\\"^^<http://www.w3.org/2001/XMLSchema#decimal>"',
])


@given(st.lists(TERMS, max_size=4))
def test_the_quick_checks_never_pass_what_the_full_checks_fail(values):
    shapes = compiled(("spend.ttl", "suppliers.ttl"))
    for checks in shapes.by_class.values():
        for check in checks:
            if _quick(check)(values):
                assert _passes(check, values), (check.kind, values)


def test_the_quick_checks_pass_a_valid_line():
    shapes = compiled(("spend.ttl", "suppliers.ttl"))
    amount = ['"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>']
    by_kind = {c.kind: c for checks in shapes.by_class.values() for c in checks}
    assert _quick(by_kind["bad-amount"])(amount) and _quick(by_kind["missing-amount"])(amount)
    assert not _quick(by_kind["bad-amount"])(['"1.50"'])
    assert by_kind["bad-amount"].min_inclusive is None or by_kind["bad-amount"].min_inclusive <= Decimal(0)
