"""Spreadsheets (.xlsx, .ods) as the same ``(row, cells)`` records a CSV gives.

Many councils publish their spend as a workbook. Each cell becomes the text the CSV
path already reads, so recognition, converters and validation are the same:

- a date cell becomes its ISO date (``2021-04-01``; a date-time keeps its time), or its
  month or year when that is all the cell shows (an .xlsx number format ``mmm-yy``, an
  .ods cell displayed "Apr-22"): ``2021-04``, never a first of the month it did not state;
- a number cell becomes plain decimal text. An .ods cell stores the number as text
  (``office:value``), taken digit for digit; an .xlsx cell stores a binary double, shown
  with the 15 significant digits a spreadsheet itself shows, so ``0.1 + 0.2`` is
  ``0.3``, never ``0.30000000000000004``;
- text, booleans (``true``/``false``) and empty cells as they are.

.xlsx is read with openpyxl in read-only (streaming) mode. .ods is read by streaming
its ``content.xml`` with ``xml.etree.ElementTree.iterparse``: odfpy (the OpenDocument
library, used by the tests to write .ods files) builds the whole document in memory,
which would defeat the caps. Repeated empty rows and columns (an .ods sheet "ends" at
row 1,048,576) are never expanded. The sheet read is ``--sheet`` (a name or a 1-based
number), else the first sheet.
"""

from __future__ import annotations

import calendar
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from xml.etree import ElementTree

from loaders.limits import FileRefused, Limits, refuse
from loaders.periods import interval

TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_T, _O, _X = f"{{{TABLE_NS}}}", f"{{{OFFICE_NS}}}", f"{{{TEXT_NS}}}"


def sheet_names(info) -> list[str]:
    """The workbook's sheets, in order."""
    if info.format == "xlsx":
        book = _open_xlsx(info)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    names = []
    with zipfile.ZipFile(info.path) as archive, archive.open("content.xml") as handle:
        for _, element in ElementTree.iterparse(handle, events=("start",)):
            if element.tag == f"{_T}table":
                names.append(element.get(f"{_T}name") or f"Sheet{len(names) + 1}")
    return names


def choose_sheet(info, sheet: str | None) -> str:
    """The sheet a name or 1-based number picks (the first when none); a clear error if none."""
    names = sheet_names(info)
    if not names:
        raise FileRefused(f"{info.path.name}: the workbook has no sheets", reason="no-sheet")
    if sheet is None or sheet == "":
        return names[0]
    if sheet in names:
        return sheet
    if str(sheet).isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    raise FileRefused(f"{info.path.name}: no sheet {sheet!r}; the sheets are "
                      f"{', '.join(f'{i}: {n!r}' for i, n in enumerate(names, 1))}. Pass --sheet NAME or --sheet N.",
                      reason="no-sheet")


def rows(info, sheet: str | None, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """``(row_number, cells)`` of one sheet; trailing empty cells dropped, as a CSV would."""
    name = choose_sheet(info, sheet)
    reader = _xlsx_rows if info.format == "xlsx" else _ods_rows
    for number, cells in reader(info, name, limits):
        while cells and cells[-1] == "":
            cells.pop()
        yield number, cells


# ---------------------------------------------------------------- xlsx

def _open_xlsx(info):
    import openpyxl
    try:
        return openpyxl.load_workbook(info.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileRefused(f"{info.path.name}: cannot read the workbook ({exc}); open it in a spreadsheet and save "
                          "it again, or save the sheet as CSV", reason="spreadsheet") from None


def _xlsx_rows(info, name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    book = _open_xlsx(info)
    try:
        worksheet = book[name]
        for number, row in enumerate(worksheet.iter_rows(), start=1):
            if limits.max_columns and len(row) > limits.max_columns:
                # openpyxl pads rows to the sheet's width; only cells with values count
                row = _trim(row)
            yield number, [xlsx_text(c.value, getattr(c, "number_format", None)) for c in row]
    finally:
        book.close()


def _trim(row) -> tuple:
    end = len(row)
    while end and row[end - 1].value in (None, ""):
        end -= 1
    return row[:end]


#: What a number format shows of a date: quoted text, [colour] and [$-809] locale parts and
#: escaped characters say nothing of it.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@lru_cache(maxsize=256)
def shown_part(number_format: str | None) -> str | None:
    """``"month"`` when a date cell's number format shows a month and year but no day
    (``mmm-yy``, ``mmmm yyyy``), ``"year"`` for a year alone (``yyyy``), ``"month name"``
    for a month alone (``mmm``: a *Month* column beside a *Financial Year*), else ``None``:
    a workbook that shows "Apr-22" states a month, and the first of April is not a fact."""
    if not number_format:
        return None
    shown = _FORMAT_NOISE.sub("", number_format).lower()
    if "d" in shown or "h" in shown or "s" in shown:
        return None
    if "y" not in shown:
        return "month name" if "m" in shown else None
    return "month" if "m" in shown else "year"


def xlsx_text(value, number_format: str | None = None) -> str:
    """An openpyxl cell value as the text a CSV export would hold (a date shown as a month
    or a year, by its number format, as that month or year: ``2022-04``, ``2022``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date) and (part := shown_part(number_format)):
        if part == "month name":  # "Apr" shown: the month's name (its number would be ambiguous)
            return calendar.month_name[value.month]
        return f"{value.year:04d}-{value.month:02d}" if part == "month" else f"{value.year:04d}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return plain(Decimal(f"{value:.15g}"))
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def plain(number: Decimal) -> str:
    """A Decimal as plain digits (no exponent), trailing fraction zeros as stored."""
    text = format(number, "f")
    return "0" if text in ("-0", "") else text


# ---------------------------------------------------------------- ods

def _ods_rows(info, name: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """Stream one table of content.xml; ``number-rows-repeated`` advances the row number."""
    with zipfile.ZipFile(info.path) as archive:
        size = archive.getinfo("content.xml").file_size
        if limits.max_file_bytes and size > limits.max_file_bytes * 20:
            raise refuse(info.path.name, f"the sheet's XML unpacks to {size:,} bytes", "max_file_bytes", limits,
                         reason="too-large")
        with archive.open("content.xml") as handle:
            yield from _ods_table(handle, name, limits, info.path.name)


def _ods_table(handle, name: str, limits: Limits, filename: str) -> Iterator[tuple[int, list[str]]]:
    inside = False
    number = 0
    cells: list[str] = []
    for event, element in ElementTree.iterparse(handle, events=("start", "end")):
        tag = element.tag
        if tag == f"{_T}table":
            if event == "start":
                inside = element.get(f"{_T}name") == name
            elif inside:
                return
            continue
        if not inside:
            if event == "end":
                element.clear()
            continue
        if tag == f"{_T}table-row" and event == "end":
            repeat = int(element.get(f"{_T}number-rows-repeated", "1"))
            while cells and cells[-1] == "":
                cells.pop()
            if cells:
                for _ in range(min(repeat, 1_000)):  # a repeated row with values: rare, bounded
                    number += 1
                    yield number, list(cells)
                number += max(repeat - 1_000, 0)
            else:
                number += repeat
            cells = []
            element.clear()
        elif tag in (f"{_T}table-cell", f"{_T}covered-table-cell") and event == "end":
            repeat = int(element.get(f"{_T}number-columns-repeated", "1"))
            value = _ods_value(element)
            if value == "":
                if repeat > (limits.max_columns or 16_384):
                    repeat = 1  # trailing padding to the sheet's edge
                cells.extend([""] * repeat)
            else:
                if limits.max_columns and len(cells) + repeat > limits.max_columns:
                    raise refuse(filename, f"a row has more than {limits.max_columns:,} cells", "max_columns",
                                 limits, reason="too-many-columns", where=f"row {number + 1}")
                cells.extend([value] * repeat)
            element.clear()


def _ods_value(cell) -> str:
    """An .ods cell as CSV text: typed values from their attributes, text from its paragraphs."""
    kind = cell.get(f"{_O}value-type")
    if kind in ("float", "currency", "percentage"):
        raw = cell.get(f"{_O}value")
        try:
            return plain(Decimal(raw))
        except (ArithmeticError, TypeError, ValueError):
            return raw or ""
    if kind == "date":
        raw = cell.get(f"{_O}date-value", "")
        shown = interval("\n".join("".join(_text(p)) for p in cell.iter(f"{_X}p")))
        if shown and shown.months == 1 and shown.start[:7] == raw[:7]:  # displayed "Apr-22": a month, no day
            return shown.start[:7]
        if shown and shown.months == 12 and shown.start[5:] == "01-01" and shown.start[:4] == raw[:4]:
            return shown.start[:4]  # displayed "2022": a year
        return raw[:10] if raw.endswith("T00:00:00") or len(raw) == 10 else raw
    if kind == "boolean":
        return cell.get(f"{_O}boolean-value", "")
    if kind == "time":
        return cell.get(f"{_O}time-value", "")
    paragraphs = ["".join(_text(p)) for p in cell.iter(f"{_X}p")]
    return "\n".join(paragraphs)


def _text(element) -> Iterator[str]:
    """A paragraph's text, with text:s (spaces), text:tab and text:line-break expanded."""
    if element.text:
        yield element.text
    for child in element:
        if child.tag == f"{_X}s":
            yield " " * int(child.get(f"{_X}c", "1"))
        elif child.tag == f"{_X}tab":
            yield "\t"
        elif child.tag == f"{_X}line-break":
            yield "\n"
        else:
            yield from _text(child)
        if child.tag != f"{_X}p" and child.tail:
            yield child.tail
