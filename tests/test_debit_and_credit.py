"""A ledger's amount in two columns, *Debit* and *Credit*: each line's amount is the debit
less the credit, a credit (a refund, a reversal) a negative amount.

Before, such a file was refused whole (no column for the amount: two columns of money, and
neither title said amount). The files are made from the real Calderdale August 2022 file
(tests/data/real/calderdale, OGL v3.0, see tests/data/real/SOURCES.md): its *Net Amount*
split into the two columns as ledgers export them, with 81 credits. What each line should
say is the original's own amount, read here with the csv and decimal modules.
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest

from catalogue import iris
from catalogue.ingest import load_file, validate_file
from catalogue.vocab import PAY
from loaders import open_source
from tests.conftest import BASE, OGL, REAL, manifest
from tests.golden import loader_graph
from tests.kind_variants import write
from tests.table_shapes import debit_and_credit, row_facts

CALDERDALE = REAL / "calderdale" / "2022-08.csv"
GSS = "E08000033"


def split(folder, debit="Debit", credit="Credit", signed=False, both=False, name="ledger.csv"):
    """The file with 'Net Amount' as a debit and a credit column; the amounts it should give."""
    with open(CALDERDALE, encoding="utf-8-sig", errors="replace", newline="") as handle:
        header, *rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
    at = header.index("Net Amount")
    out, want = [header[:at] + [debit, credit] + header[at + 1:]], Counter()
    for n, r in enumerate(rows):
        amount = Decimal(r[at].replace(",", ""))
        if amount < 0:
            cells = ["", f"{amount}" if signed else f"{-amount}"]
        elif both and n % 10 == 0:  # a line that was paid and part refunded on one row
            cells = [f"{amount + 10}", "10.00"]
        else:
            cells = [r[at], ""]
        out.append(r[:at] + cells + r[at + 1:])
        want[amount] += 1
    return write(folder, name, out), want


def amounts(path, gss: str = GSS) -> Counter:
    return Counter(Decimal(str(a)) for a in loader_graph("spend", path, publisher=gss).objects(None, PAY.netAmount))


@pytest.mark.parametrize("how", [
    {}, {"debit": "Debit Amount", "credit": "Credit Amount"}, {"signed": True}, {"both": True},
    {"debit": "Debyd", "credit": "Credyd"}, {"debit": "DR", "credit": "Credits"},
], ids=["debit-credit", "amount-titles", "credits-signed", "both-on-a-row", "welsh", "dr-credits"])
def test_each_line_is_its_debit_less_its_credit(how, tmp_path):
    path, want = split(tmp_path, **how)
    report = validate_file("spend", path, base=BASE, publisher=GSS)
    assert report.valid, report.to_json()
    assert report.columns["credit_amount"] == how.get("credit", "Credit")
    assert "amount-from-debit-and-credit" in {n.kind for n in report.notes}
    got = amounts(path)
    assert got == want and sum(n for a, n in want.items() if a < 0) == 81


def test_a_credit_beside_a_net_amount_is_not_subtracted_again(tmp_path):
    """*Debit*, *Credit* and *Net Amount* (their difference): the net is the amount; the
    credit column is not read, so no credit is taken off twice."""
    path, want = split(tmp_path)
    with open(path, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    with open(CALDERDALE, encoding="utf-8-sig", errors="replace", newline="") as handle:
        net = [r[5] for r in csv.reader(handle) if any(c.strip() for c in r)][1:]
    at = header.index("Debit")
    path = write(tmp_path, "with-net.csv", [header[:at] + ["Net Amount"] + header[at:]]
                 + [r[:at] + [n] + r[at:] for r, n in zip(rows, net)])
    report = validate_file("spend", path, base=BASE, publisher=GSS)
    assert report.valid and report.columns["net_amount"] == "Net Amount" and "credit_amount" not in report.columns
    assert amounts(path) == want


def test_an_unreadable_credit_is_refused_with_its_cell(tmp_path):
    path, _ = split(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    row[header.index("Credit")] = "eighty"
    path = write(tmp_path, "bad-credit.csv", [header, row] + [next(csv.reader([x])) for x in lines[2:]])
    report = validate_file("spend", path, base=BASE, publisher=GSS)
    assert not report.valid
    issue = next(i for i in report.issues if i.kind == "bad-amount")
    assert (issue.row, issue.column, issue.value) == (2, "Credit", "eighty")


def test_a_credit_flag_is_not_an_amount(tmp_path):
    """*Credit* ``Y``/``N`` beside *Amount* (a credit-note flag): not read as money."""
    with open(CALDERDALE, encoding="utf-8-sig", errors="replace", newline="") as handle:
        header, *rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
    at = header.index("Net Amount")
    path = write(tmp_path, "flag.csv", [header[:at + 1] + ["Credit"] + header[at + 1:]]
                 + [r[:at + 1] + ["Y" if r[at].startswith("-") else "N"] + r[at + 1:] for r in rows])
    report = validate_file("spend", path, base=BASE, publisher=GSS)
    assert report.valid and "credit_amount" not in report.columns
    assert amounts(path) == amounts(CALDERDALE)


def test_loaded_the_councils_total_is_the_originals(memory_store, tmp_path):
    path, want = split(tmp_path)
    outcome = load_file(memory_store, "spend", path, base=BASE, publisher=GSS, licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    total = sum((a * n for a, n in want.items()), Decimal(0))
    row = memory_store.select(f"""PREFIX pay: <http://reference.data.gov.uk/def/payment#>
        SELECT (SUM(?a) AS ?total) (COUNT(?line) AS ?n) WHERE {{ GRAPH <{outcome.graph}> {{ ?line pay:netAmount ?a }} }}
        """).rows[0]
    assert Decimal(str(row["total"])) == total and int(row["n"]) == sum(want.values())
    months = memory_store.select(f"""PREFIX sv: <https://w3id.org/svcat/def#>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        SELECT ?total WHERE {{ GRAPH <{iris.council_summary_graph(BASE, GSS)}> {{
            ?obs qb:dataSet <{iris.council_summary(BASE, GSS, "by-month")}> ; sv:spendTotal ?total }} }}""").rows
    assert sum(Decimal(str(m["total"])) for m in months) == total


SPEND = manifest(REAL, "spend")


@pytest.mark.slow
@pytest.mark.parametrize("entry", SPEND, ids=lambda e: e["path"])
def test_every_repository_spend_file_as_debits_and_credits_keeps_each_lines_amount(entry, tmp_path):
    """Councils' own dialects too (Harrogate's, Gateshead's ledger), which know no credit
    column: they give way to one that reads both, never losing every credit."""
    made = debit_and_credit(entry, tmp_path)
    if made is None:  # no negative amount in the file: nothing to split
        assert not any(a < 0 for a in amounts(entry["file"], entry["gss_code"]))
        return
    path, want = made
    report = validate_file("spend", path, base=BASE, publisher=entry["gss_code"])
    assert report.loadable and report.columns.get("credit_amount") == "Credit", report.to_json()
    got = {row: Decimal(a) for row, a in row_facts(open_source("spend", path, base=BASE,
                                                                 publisher=entry["gss_code"]), "amount").items()}
    assert got == want and any(a < 0 for a in want.values())
