"""Every non-spend file in the manifest loads with its kind, with counts and totals computed
here independently of the loaders (csv module, Decimal, the column names written by hand)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from catalogue.ingest import load_file
from loaders.mapping import dialects
from tests.conftest import BASE, OGL, real_files

KINDS = ("contracts", "grants", "outcomes")
FILES = [f for kind in KINDS for f in real_files(kind)]


def records(path) -> list[dict]:
    text = path.read_bytes().decode("utf-8-sig").removeprefix("\u00ef\u00bb\u00bf")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def money(cell: str) -> Decimal | None:
    cell = cell.strip().replace(",", "").replace("£", "")
    try:
        return Decimal(cell)
    except ArithmeticError:
        return None


def expected(entry) -> dict:
    """What the loader should make of a file: how many resources and what they add up to."""
    rows = records(entry["file"])
    if entry["kind"] == "contracts":
        return {"class": "http://purl.org/procurement/public-contracts#Contract", "n": len(rows),
                "value": "https://w3id.org/svcat/def#totalValue",
                "total": sum(v for r in rows if (v := money(r["Total Contract Value (including extensions)"]))
                             is not None)}
    if entry["kind"] == "grants":
        return {"class": "https://w3id.org/svcat/def#Grant", "n": len(rows),
                "value": "https://w3id.org/svcat/def#amountAwarded",
                "total": sum(Decimal(r["Amount Awarded"]) for r in rows)}
    # outcomes: one observation per filled, non-NA value cell
    dialect = next(d for d in dialects("outcomes") if set(d.match) <= {h.lower() for h in rows[0]})
    measure_titles = [c.titles[0] for c in dialect.columns if c.extra.get("sv:indicator")] or ["value"]
    cells = [Decimal(r[t]) for r in rows for t in measure_titles if r[t].strip() not in ("", "NA")]
    return {"class": "http://purl.org/linked-data/cube#Observation", "n": len(cells),
            "value": "http://purl.org/linked-data/sdmx/2009/measure#obsValue", "total": sum(cells)}


@pytest.mark.parametrize("entry", FILES, ids=[f["path"] for f in FILES])
def test_file_loads_with_as_many_resources_and_the_same_total(entry, memory_store):
    outcome = load_file(memory_store, entry["kind"], entry["file"], base=BASE, publisher=entry["gss_code"],
                        licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    want = expected(entry)
    graph = outcome.graph
    count = memory_store.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a <{want['class']}> }} }}")
    total = memory_store.select(f"SELECT (SUM(?v) AS ?total) WHERE {{ GRAPH <{graph}> {{ ?s a <{want['class']}> ; "
                                f"<{want['value']}> ?v }} }}")
    assert int(count.rows[0]["n"]) == want["n"]
    assert Decimal(str(total.rows[0]["total"])) == want["total"]
    assert outcome.report.violations == 0


def test_contracts_register_warnings_name_rows_a_person_can_check(memory_store):
    entry = next(f for f in real_files("contracts") if f["path"].startswith("salford/"))
    outcome = load_file(memory_store, "contracts", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)
    found = {(i.row, i.column, i.value, i.kind) for i in outcome.report.issues}
    assert (118, "End Date", "2022-09-31", "bad-end-date") in found  # 31 September does not exist
    assert (210, "OJEU/FTS?", "Noo", "bad-threshold-flag") in found
    assert (7, "Company Number", "GBML4119704", "unreadable-identifier") in found
    assert (85, "Supplier Company Name", "Various Providers", "contract-without-supplier") in found
    assert outcome.report.warnings == sum(1 for i in outcome.report.issues)
