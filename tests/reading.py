"""Helpers for the reading tests: what a spend file loads as, and real files transformed.

``spend_summary`` streams a file through the loader (no store) and returns what a user
checks: line count, total, payees, dates. The writers turn a real DEV CSV into the same
table in another container (UTF-16, a workbook, a ZIP...), typing the cells the loader
reads as amounts and dates the way a spreadsheet would hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from loaders import RowEvent, open_source
from loaders import converters as cv
from loaders.read import records, sniff
from tests.conftest import BASE, REAL, manifest


@dataclass(frozen=True)
class Summary:
    lines: int
    total: Decimal
    payees: frozenset
    dates: frozenset
    notes: tuple


def spend_summary(path: Path, gss: str, **options) -> Summary:
    """Lines, total, payees and dates of a spend file as the loader reads it."""
    source = open_source("spend", path, base=BASE, publisher=gss, **options)
    lines, total, payees, dates = 0, Decimal(0), set(), set()
    for event in source.events():
        if isinstance(event, RowEvent):
            facts = event.facts or {}
            lines += 1
            if facts.get("amount"):
                total += Decimal(facts["amount"])
            if facts.get("payee"):
                payees.add(facts["payee"])
            dates.update(facts.get("dates", ()))
    return Summary(lines, total, frozenset(payees), frozenset(dates), tuple(source.notes()))


def dev_spend(name: str) -> tuple[Path, str]:
    """A DEV spend file of the repository copies by council folder: ``(path, gss)``."""
    entry = next(e for e in manifest(REAL, "spend") if e["path"].startswith(name + "/"))
    return entry["file"], entry["gss_code"]


def typed_rows(path: Path, gss: str) -> list[list[tuple[str, str]]]:
    """Every record of a CSV as ``(type, text)`` cells: "float" for an amount, "date" for a
    payment date (ISO), "string" for the rest, as a spreadsheet export would type them."""
    source = open_source("spend", path, base=BASE, publisher=gss)
    amounts = {source.table.fields[f] for f in ("net_amount", "gross_amount") if f in source.table.fields}
    dates = {source.table.fields[f] for f in ("date",) if f in source.table.fields}
    out = []
    for number, cells in records(sniff(path)):
        row = []
        for i, cell in enumerate(cells):
            data = number > source.table.header_row
            if data and i in amounts and cv.money(cell) is not None:
                row.append(("float", cv.money(cell)))
            elif data and i in dates and (d := cv.payment_date(cell)) and d[1] == "date":
                row.append(("date", d[0]))
            else:
                row.append(("string", cell))
        out.append(row)
    return out


def write_xlsx(rows, target: Path, *, notes_sheet: bool = True) -> Path:
    """An .xlsx workbook (openpyxl) with an optional notes sheet before the data sheet; a
    ``("month", "2022-05")`` cell is a date cell (the first) whose number format shows the month
    (``"May-22"``), a ``("month name", "2022-05")`` cell one that shows the month alone (``"May"``)."""
    import openpyxl

    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    if notes_sheet:
        book.create_sheet("Notes").append(["Payments over 500 pounds; see the Spend sheet"])
    sheet = book.create_sheet("Spend")

    def month(value: str, shown: str = "mmm-yy") -> WriteOnlyCell:  # the first of the month, shown as "May-22"
        cell = WriteOnlyCell(sheet, value=date.fromisoformat(value + "-01"))
        cell.number_format = shown
        return cell

    for row in rows:
        sheet.append([float(v) if k == "float" else date.fromisoformat(v) if k == "date" else month(v) if k == "month"
                      else month(v, "mmm") if k == "month name" else v for k, v in row])
    book.save(target)
    return target


def write_ods(rows, target: Path) -> Path:
    """An OpenDocument spreadsheet (odfpy): numbers and dates as typed cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Spend")
    for row in rows:
        tr = TableRow()
        for kind, value in row:
            if kind == "float":
                cell = TableCell(valuetype="float", value=value)
            elif kind == "date":
                cell = TableCell(valuetype="date", datevalue=value)
            elif kind == "month":  # the first of the month, displayed "May-22"
                cell = TableCell(valuetype="date", datevalue=value + "-01")
                value = date.fromisoformat(value + "-01").strftime("%b-%y")
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(target))
    return target
