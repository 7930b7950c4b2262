"""Variants of a council spend file, as another council's finance system might write it.

Issue 17 asks that recognition be general: a file whose amount column says "Value" or
"Total (£)", whose supplier column says "Creditor Name", "Name" or nothing, whose columns
come in another order, with spacer columns or a title line above the header, or with both
a net and a gross amount, must load exactly like the file it was derived from.

``variants(path)`` reads a DEV file with the ``csv`` module, finds its amount, date and
supplier columns from what the loader made of the original, and writes each variant as a
new CSV beside it. The titles used are typical of public council data (see
``loaders/data/column_words.csv`` for the forms the loader knows and where each is seen);
the test compares line count, total amount and payees with the original's.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from loaders import converters as cv

#: (variant name, {field: new title}); a field the file lacks is left alone.
RENAMES = [
    ("value-payee-posting", {"net_amount": "Value", "supplier_name": "Payee", "date": "Posting Date"}),
    ("total-creditor-datepaid", {"net_amount": "Total (£)", "supplier_name": "Creditor Name", "date": "Date Paid"}),
    ("netvalue-vendor-transactiondate", {"net_amount": "Net Value", "supplier_name": "Vendor",
                                         "date": "Transaction Date"}),
    ("paidamount-name", {"net_amount": "Paid Amount", "supplier_name": "Name"}),
    ("amountexcvat-merchant-clearing", {"net_amount": "Amount (exc VAT)", "supplier_name": "Merchant Name",
                                        "date": "Clearing Date"}),
    ("spend-recipient-paydate", {"net_amount": "Spend", "supplier_name": "Recipient", "date": "Pay Date"}),
    ("supplier-titled-description", {"supplier_name": "Description"}),
    ("supplier-untitled", {"supplier_name": ""}),
]

#: Other titles for the secondary fields, as council finance systems write them (Agresso,
#: Civica, SAP, Oracle exports and Transparency Code templates); ``retitled`` puts each over
#: the column the loader found for the field in a DEV file.
SECONDARY_TITLES = {
    "expense_type": ["Expenditure Type", "Expense Type", "Detailed Expenditure Type", "Subjective Description",
                     "Account Description", "Cost Type", "Spend Category", "Purchase Category",
                     "Nature of Expenditure", "Expense Description", "Account Name", "Subjective Name",
                     "GL Account Name", "Type of Expenditure", "Category of Spend", "Expenditure Description",
                     "Subjective", "Ledger Account", "Expenditure Group"],
    "service_area": ["Service Area", "Service", "Directorate", "Department", "Service Division",
                     "Cost Centre Name", "Cost Centre Description", "Business Unit", "Portfolio", "Service Label",
                     "Division", "Expense Area", "Organisational Unit", "Cost Center", "Team", "Budget Area",
                     "Directorate Name", "Responsible Service", "Cost Centre"],
    "transaction": ["Transaction Number", "Transaction No", "Transaction ID", "Trans No", "Document Number",
                    "Doc No", "Voucher No", "Payment Reference", "Reference", "Payment Number", "Ref",
                    "Journal No", "Unique Transaction ID", "Payment ID", "Line Reference", "Transaction Reference",
                    "Record ID", "Reference Number", "Doc Ref", "Payment Ref No"],
}


@dataclass(frozen=True)
class Original:
    """A DEV file as the loader read it: where its header is and which column is which."""

    path: Path
    encoding: str
    header_row: int  # 1-based record number
    fields: dict[str, int]


@dataclass(frozen=True)
class Variant:
    name: str
    text: str


def read_records(original: Original) -> list[list[str]]:
    with open(original.path, encoding=original.encoding, newline="") as handle:
        return list(csv.reader(handle))


def csv_text(records: list[list[str]], delimiter: str = ",") -> str:
    """Records written as a finance system would: CRLF line endings, quotes only where needed."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(records)
    return out.getvalue()


def retitled(original: Original, column: int, title: str) -> str:
    """The file with one column's title replaced (another column with that title marked "(other)")."""
    pre, header, rows = _split(original)
    key = cv.header_key(title)
    header = [f"{h} (other)" if cv.header_key(h) == key else h for h in header]
    header[column] = title
    return csv_text(pre + [header] + rows)


def _split(original: Original) -> tuple[list[list[str]], list[str], list[list[str]]]:
    records = read_records(original)
    index = original.header_row - 1
    header = list(records[index])
    return records[:index], header, records[index + 1:]


def variants(original: Original) -> list[Variant]:
    """Every variant of one file (see the module docstring)."""
    pre, header, rows = _split(original)
    fields = original.fields
    date_field = "date" if "date" in fields else "period"
    out = []
    for name, titles in RENAMES:
        renamed = list(header)
        changed = {}
        for field, title in titles.items():
            field = date_field if field == "date" else field
            if field in fields:
                changed[fields[field]] = title
        taken = {cv.header_key(t) for t in changed.values() if t}
        for i, title in enumerate(header):  # a title now used twice: the other copy says which it is
            renamed[i] = changed.get(i, f"{title} (other)" if cv.header_key(title) in taken else title)
        out.append(Variant(name, csv_text(pre + [renamed] + rows)))

    order = list(range(len(header)))
    random.Random(original.path.name).shuffle(order)
    out.append(Variant("columns-reordered", csv_text(pre + [[r[i] if i < len(r) else "" for i in order]
                                                           for r in [header] + rows])))

    def spaced(record: list[str]) -> list[str]:
        cells = []
        for i, cell in enumerate(record):
            cells.append(cell)
            if i % 3 == 1:
                cells.append("")
        return cells
    title_line = ["Payments over £500 published under the Local Government Transparency Code"]
    out.append(Variant("title-line-and-spacers", csv_text(
        pre + [title_line, []] + [spaced(r) for r in [header] + rows])))

    if "net_amount" in fields and "gross_amount" not in fields:
        at = fields["net_amount"]

        def with_gross(record: list[str], is_header: bool) -> list[str]:
            cells = list(record) + [""] * max(0, len(header) - len(record))
            net = cells[at] if at < len(cells) else ""
            gross = "Gross Value" if is_header else _gross(net)
            named = "Net Value" if is_header else net
            return cells[:at] + [gross, named] + cells[at + 1:]
        out.append(Variant("net-and-gross", csv_text(
            pre + [with_gross(header, True)] + [with_gross(r, False) for r in rows])))
    return out


def _gross(net: str) -> str:
    """Net plus 20% VAT, written as a finance system would (or the cell as it was)."""
    value = cv.money(net)
    if value is None:
        return net
    return f"{(Decimal(value) * Decimal('1.2')).quantize(Decimal('0.01'))}"


def dates_rewritten(path: Path, gss: str, folder: Path, write, *, kind: str = "spend",
                    fields: tuple[str, ...] = ("date",)) -> tuple[Path, list[tuple[int, date]]]:
    """The file with each date of ``fields`` written by ``write(day, row)`` (a spreadsheet's
    day number, month first...), under the same titles; its path and ``(row, day)`` of every
    date rewritten, in file order (rows numbered as the load report numbers them)."""
    from loaders import open_source

    source = open_source(kind, path, base="https://variants.example.test/", publisher=gss)
    table = source.table
    columns = [index for name, index in table.fields.items() if name in fields]
    with open(path, encoding=source.info.encoding, newline="") as handle:
        records = list(csv.reader(handle, delimiter=source.info.delimiter))
    days = []
    for row, record in enumerate(records[table.header_row:], table.header_row + 1):
        for index in columns:
            if index < len(record) and (parsed := cv.payment_date(record[index])) and parsed[1] == "date":
                day = date.fromisoformat(parsed[0])
                record[index] = write(day, row)
                days.append((row, day))
    target = folder / path.name
    target.write_text(csv_text(records), encoding="utf-8", newline="")
    return target, days
