"""Column recognition by title words and content (issue 17, item 1), on files written the
way other councils' finance systems write them: none of these titles is in the mappings'
synonym lists as a whole, and each file must still load without --mapping."""

from __future__ import annotations

import csv

import pytest

from catalogue.ingest import validate_file
from loaders.recognise import recognise
from loaders.mapping import dialects
from loaders.words import WORDS_FILE, content_score, profile, title_words, word_score
from tests.conftest import BASE

LEEDS = {"publisher": "E08000035"}

FILES = {
    "amount-with-pound-sign-and-midnight-times": (
        'Supplier,Date,Amount £,Description,Department,Ref\n'
        'ACME SUPPLIES LTD,01/04/2021 00:00:00,"£1,234.56",Stationery,Resources,INV001\n'
        'BRIGHT FUTURES CIC,02/04/2021 00:00:00,"£600.00",Youth services grant,Children,INV002\n'
        'ACME SUPPLIES LTD,03/04/2021 00:00:00,"£75.10",Toner,Resources,INV003\n',
        {"supplier_name": "Supplier", "date": "Date", "net_amount": "Amount £"}),
    "purchase-card": (
        "Transaction Date,Merchant Name,Merchant Category,Amount,Cardholder Directorate\n"
        "01-Apr-21,AMAZON EU,Retail,12.99,Adults\n02-Apr-21,TESCO STORES LTD,Grocery,45.00,Children\n",
        {"date": "Transaction Date", "supplier_name": "Merchant Name", "net_amount": "Amount"}),
    "ledger-net-gross-vat": (
        "Vendor Name,Posting Date,Document Number,Gross Amount,VAT,Net Amount\n"
        "KIER LTD,2021-04-01,5100001,1200.00,200.00,1000.00\nAGE UK,2021-04-02,5100002,500.00,0.00,500.00\n",
        {"supplier_name": "Vendor Name", "date": "Posting Date", "transaction": "Document Number",
         "net_amount": "Net Amount", "gross_amount": "Gross Amount"}),
    "title-lines-payee-paid-amount": (
        "Council X payments over 500\nPublished May 2021\n\n"
        "Payee,Paid Amount,Payment Date,Voucher No\n"
        "SMITH & SONS LTD,520.00,12/04/2021,V1\nREDACTED,800.00,13/04/2021,V2\n",
        {"supplier_name": "Payee", "net_amount": "Paid Amount", "date": "Payment Date",
         "transaction": "Voucher No"}),
    "untitled-supplier-and-value": (
        "Date,,Value,Expense Type\n"
        + "".join(f"0{d}/04/2021,{name},{100 + d}.50,Repairs\n" for d, name in enumerate(
            ["KIER LTD", "AGE UK TRAFFORD", "AMEY PLC", "KIER LTD", "BRIGHT FUTURES CIC", "J SMITH & SONS LTD"],
            start=1)),
        {"date": "Date", "supplier_name": "(column 2)", "net_amount": "Value"}),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_file_titled_another_way_loads_without_a_mapping(name, tmp_path):
    text, wanted = FILES[name]
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    report = validate_file("spend", path, base=BASE, **LEEDS)
    assert report.valid, report.to_json()
    assert {k: v for k, v in report.columns.items() if k in wanted} == wanted
    counts = report.row_counts()
    assert counts["read"] == counts["loaded"] + counts["skipped"] + counts["refused"]


def test_title_words_fold_case_punctuation_camel_case_and_units():
    assert title_words("IrrecoverableVATAmount") == ("irrecoverable", "vat", "amount")
    assert title_words("Total (£)") == ("total",)
    assert title_words("Supplier (Beneficiary) Name") == ("supplier", "beneficiary", "name")


def test_qualifiers_prefer_net_over_gross_and_payment_date_over_others():
    assert word_score("net_amount", "Net Value")[0] > word_score("net_amount", "Gross Value")[0]
    assert word_score("net_amount", "VAT Amount")[0] < 0
    assert word_score("date", "Payment Date")[0] > word_score("date", "Invoice Date")[0] > 0
    assert word_score("date", "Effective Date")[0] < word_score("date", "Posting Date")[0]
    assert word_score("supplier_id", "Supplier ID")[0] > word_score("supplier_id", "Area Code")[0]


def test_content_tells_money_dates_and_names_apart():
    money = profile(["1,234.50", "600.00", "(75.10)", "900.00"])
    dates = profile(["01/04/2021", "2021-04-02", "3-Apr-21"])
    names = profile(["KIER LTD", "AGE UK TRAFFORD CIO", "AMEY PLC", "BRIGHT FUTURES CIC"])
    ids = profile(["5100001", "5100002", "5100003"])
    assert content_score("net_amount", money) > content_score("net_amount", ids)
    assert content_score("date", dates) > 2.4 > content_score("date", money)
    assert content_score("supplier_name", names) > content_score("supplier_name", profile(["Adults"] * 4))


def test_a_column_titled_with_a_known_name_but_holding_no_money_is_not_the_amount():
    dialect = dialects("spend")[-1]
    rows = [["01/04/2021", "KIER LTD", "n/k", "120.00"] for _ in range(6)]
    fields, decisions = recognise(dialect, ["Date", "Supplier", "Amount", "Total (£)"], rows)
    assert fields["net_amount"] == 3
    assert any(d.field == "net_amount" and d.how == "title words" for d in decisions)


def test_every_form_in_the_words_file_says_where_it_is_seen():
    with WORDS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 100
    assert all(r["seen_in"].strip() and r["form"].strip() and float(r["weight"]) == float(r["weight"]) for r in rows)
