"""Big SELECT answers are read a row at a time, and the council figures summed as they stream.

At 5,000,000 lines a council's payee x month answer has hundreds of thousands of rows;
``results._Capped`` writes solutions straight into their serialisation,
``store.paging.each_row`` parses the CSV only as rows are consumed, and
``council_summary.figures`` sums them on the way instead of keeping them in a list.
These tests hold the streamed paths to what holding everything gave, on the real sample
files linked by a real ``link_all``: the same rows whether the store answers in one go
or cuts the answer at its row limit (then pages come sorted), the same figures as the
list-based sums, and awkward CSV values read back exactly.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from catalogue.summaries import councils as council_summary
from catalogue.analysis import spend
from catalogue.analysis.spend import financial_year
from catalogue.store.paging import all_rows, csv_rows, each_row
from catalogue.store.embedded import EmbeddedStore
from catalogue.store.sparql_text import literal
from catalogue.vocab import SV
from tests.conftest import BASE

SUPPLIER_FACTS = f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s a <{SV.Supplier}> ; ?p ?o }} }}"


@pytest.fixture
def store(linked_store):
    """The session's linked store; a test that gives it a row limit takes it away again."""
    yield linked_store
    linked_store.result_limit = None


def _limited(store, limit: int | None):
    store.result_limit = limit
    return store


def test_rows_read_one_at_a_time_are_the_rows_in_one_go_and_in_pages(store):
    whole = csv_rows(_limited(store, None), SUPPLIER_FACTS)
    streamed = list(each_row(store, SUPPLIER_FACTS, order="?s ?p ?o"))
    limit = len(whole) // 4  # cuts the answer, and a first page of a third of it: pages of a sixth
    try:
        paged = all_rows(_limited(store, limit), SUPPLIER_FACTS, order="?s ?p ?o", page=len(whole) // 3)
    finally:
        _limited(store, None)
    assert limit > 100
    key = lambda r: (r["s"], r["p"], r["o"])  # noqa: E731
    assert streamed == whole
    assert sorted(map(key, paged)) == sorted(map(key, whole))


def _figures_from_held_rows(store, council: str) -> dict:
    """The figures as they were computed before streaming: every payee x month row in a
    list, then summed (the reference the streamed sums must equal)."""
    f = council_summary
    by_payee = all_rows(store, f"""SELECT ?payee ?month (SUM(?spend) AS ?total) (SUM(?lines) AS ?n) WHERE {{
          {f._pass(BASE, council, SV.payeeRecord, "payee")} {f._pass(BASE, council, SV.month, "month")}
          {f._pass(BASE, council, SV.spendTotal, "spend")} {f._pass(BASE, council, SV.lineCount, "lines")}
        }} GROUP BY ?payee ?month""", order="?payee ?month")
    links = f._links(store, sorted({r["payee"] for r in by_payee}))
    identified = f._identified(store, sorted({r["payee"] for r in by_payee}))
    org_of: dict[str, tuple[str, str]] = {}
    for row in sorted(links, key=lambda r: (r["payee"], r["org"])):
        org_of.setdefault(row["payee"], (row["org"], row.get("classes") or ""))
    payees, organisations = defaultdict(lambda: [Decimal(0), 0]), defaultdict(lambda: [Decimal(0), 0])
    identification = {True: [Decimal(0), 0], False: [Decimal(0), 0]}
    for row in by_payee:
        amount, lines = Decimal(row["total"]), int(row["n"])
        payees[row["payee"]][0] += amount
        payees[row["payee"]][1] += lines
        identification[row["payee"] in identified][0] += amount
        identification[row["payee"] in identified][1] += lines
        if row["payee"] in org_of:
            cell = organisations[(org_of[row["payee"]][0], financial_year(row["month"]))]
            cell[0] += amount
            cell[1] += lines
    payee_rows = [{"payee": p, "organisation": org_of.get(p, (None, ""))[0],
                   "classes": org_of.get(p, (None, ""))[1], "total": t} for p, (t, _) in payees.items()]
    return {"payees": sorted(payees.items(), key=lambda kv: (-kv[1][0], kv[0])),
            "classes": spend.class_rows(payee_rows), "concentration": spend.concentration(payee_rows, 10),
            "organisations": dict(organisations), "identification": identification}


@pytest.mark.parametrize("limit", [None, 400])
def test_council_figures_summed_while_streaming_equal_the_held_rows_sums(store, limit):
    councils = sorted(council_summary.spend_councils(store, BASE))
    assert len(councils) >= 2
    linked = 0
    try:
        for council in councils:
            expected = _figures_from_held_rows(_limited(store, None), council)
            found = council_summary.figures(_limited(store, limit), council=council, base=BASE)
            for key, value in expected.items():
                assert found[key] == value, (council, key)
            linked += len(found["organisations"])
    finally:
        _limited(store, None)
    assert linked > 0  # organisations were summed, not only payees


def test_awkward_values_read_back_exactly_from_the_streamed_csv():
    values = ['quote " comma , newline \n tab \t cr \r end', "cr\ralone", "crlf\r\nin", "ünïcödé ✓ 𝄞", "",
              "back\\slash", "\n"]
    store = EmbeddedStore(None, mode="write")
    try:
        body = " ".join(f"(<http://example.org/v{i}> {literal(v)})" for i, v in enumerate(values))
        rows = csv_rows(store, f"SELECT ?s ?v WHERE {{ VALUES (?s ?v) {{ {body} }} }} ORDER BY ?s")
    finally:
        store.close()
    assert [r["v"] for r in rows] == values
    assert [r["s"] for r in rows] == [f"http://example.org/v{i}" for i in range(len(values))]
