"""The social-value summary always agrees with the payment lines and the links.

Recomputed here from raw payment-line triples and the links, independently of
``catalogue.summaries.social_value``, after each step that changes what it sums: loads, a real
``link_all``, a reload of a changed file, a removal.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from catalogue import iris
from catalogue.summaries import social_value as class_summary
from catalogue.vocab import DCTERMS, PAY, QB, SV
from tests.conftest import BASE, OGL, REAL

FILES = (("calderdale/2022-08.csv", "E08000033"), ("salford/2022-06.csv", "E08000006"))
UNKNOWN = str(SV.unknownClass)


def from_lines(store) -> dict[tuple[str, str], Decimal]:
    """(council, class) -> spend, from the lines: a line's classes are its payee's
    organisation's known classes (each counts), else unknown; plus (council, "total")."""
    rows = store.select(f"""SELECT ?line ?council ?amount (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
        WHERE {{ ?dataset <{SV.namedGraph}> ?g ; <{DCTERMS.publisher}> ?council .
          GRAPH ?g {{ ?line <{PAY.netAmount}> ?amount }}
          OPTIONAL {{ ?line <{PAY.payee}> ?payee . ?payee <{SV.canonicalOrganisation}> ?org .
                     ?org <{SV.socialValueClass}> ?class FILTER(?class != <{SV.unknownClass}>) }} }}
        GROUP BY ?line ?council ?amount""").rows
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        amount, council = Decimal(str(row["amount"])), str(row["council"])
        sums[(council, "total")] += amount
        for cls in sorted(set(str(row.get("classes") or "").split())) or [UNKNOWN]:
            sums[(council, cls)] += amount
    return dict(sums)


def from_summary(store) -> dict[tuple[str, str], Decimal]:
    graph = iris.class_summary_graph(BASE)
    rows = store.select(f"""SELECT ?council ?cube ?class (SUM(?spend) AS ?total) WHERE {{ GRAPH <{graph}> {{
        ?obs <{QB.dataSet}> ?cube ; <{SV.council}> ?council ; <{SV.spendTotal}> ?spend .
        OPTIONAL {{ ?obs <{SV.classDimension}> ?class }} }} }} GROUP BY ?council ?cube ?class""").rows
    out = {}
    for row in rows:
        key = str(row["class"]) if row.get("class") else "total"
        assert (key == "total") == str(row["cube"]).endswith("/by-month")
        out[(str(row["council"]), key)] = Decimal(str(row["total"]))
    return out


def agree(store) -> dict:
    lines, summary = from_lines(store), from_summary(store)
    assert {k: v for k, v in summary.items() if v} == {k: v for k, v in lines.items() if v}
    return summary


@pytest.fixture(scope="module")
def store():
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    for path, gss in FILES:
        assert load_file(store, "spend", REAL / path, base=BASE, publisher=gss, licence=OGL).loaded
    return store


def test_after_loads_everything_is_unknown_and_totals_agree(store):
    summary = agree(store)
    councils = {iris.council(BASE, gss) for _, gss in FILES}
    assert {c for c, _ in summary} == councils
    assert all(cls in ("total", UNKNOWN) for _, cls in summary)


def test_after_a_real_link_classes_agree_with_the_lines(store):
    from catalogue.linking.run import link_all

    link_all(store, BASE, licence=OGL)
    summary = agree(store)
    known = {cls for (_, cls), v in summary.items() if cls not in ("total", UNKNOWN) and v}
    assert known, "the link gave no organisation a known class: nothing was checked"
    for council in {c for c, _ in summary}:  # unknown never exceeds the total
        assert abs(summary.get((council, UNKNOWN), Decimal(0))) <= abs(summary[(council, "total")])


def test_a_loads_own_cells_and_the_classes_give_what_the_cube_gives(store):
    """The load's path (its by-payee cells in hand, classes from the store) and the
    link's path (summing the cube in the store) agree month by month, class by class."""
    checked = 0
    for dataset, graph, _ in class_summary.spend_datasets(store, BASE):
        rows = store.select(f"""SELECT ?month ?payee ?spend ?lines WHERE {{ GRAPH <{graph}> {{
            ?obs <{QB.dataSet}> <{dataset}/summary/by-payee> ; <{SV.month}> ?month ;
                 <{SV.payeeRecord}> ?payee ; <{SV.spendTotal}> ?spend ; <{SV.lineCount}> ?lines }} }}""").rows
        cells = [(str(r["month"]), str(r["payee"]), Decimal(str(r["spend"])), int(str(r["lines"]))) for r in rows]
        classes = class_summary.payee_classes(store, graph)
        assert classes, "no payee of this dataset has a known class: nothing was checked"
        in_hand = class_summary.sums_from_cells(cells, classes)
        in_store = class_summary.dataset_sums(store, dataset, graph)
        assert {m: (e["total"], e["lines"], dict(e["classes"])) for m, e in in_hand.items()} == \
            {m: (e["total"], e["lines"], dict(e["classes"])) for m, e in in_store.items()}
        checked += 1
    assert checked == len(FILES)


def test_after_a_reload_of_a_changed_file_it_still_agrees(store, tmp_path):
    from catalogue.ingest import load_file

    source = (REAL / FILES[0][0]).read_bytes().splitlines(keepends=True)
    changed = tmp_path / "2022-08.csv"
    changed.write_bytes(b"".join(source[: len(source) // 2]))  # half the rows went away
    before = from_summary(store)[(iris.council(BASE, FILES[0][1]), "total")]
    assert load_file(store, "spend", changed, base=BASE, publisher=FILES[0][1], licence=OGL,
                     allow_shrink=True).loaded
    after = agree(store)
    assert after[(iris.council(BASE, FILES[0][1]), "total")] != before


def test_after_a_removal_the_dataset_is_gone_from_it(store):
    from catalogue.history import remove_dataset

    council = iris.council(BASE, FILES[1][1])
    dataset = str(store.select(f"""SELECT ?d WHERE {{ ?d <{SV.namedGraph}> ?g ;
        <{DCTERMS.publisher}> <{council}> }}""").rows[0]["d"])
    remove_dataset(store, BASE, dataset)
    summary = agree(store)
    assert council not in {c for c, _ in summary}
    assert class_summary.refresh(store, BASE) > 0  # a full refresh finds the same
    assert from_summary(store) == summary
