"""The one CSV writer: every CSV the service or the CLI writes goes through it.

Why: a council file can name a supplier ``=HYPERLINK("http://x","y")``. Written as is into
a CSV export, a spreadsheet opening the export runs it as a formula (CSV injection: it
can exfiltrate the sheet or start commands through DDE). OWASP's rule
(https://owasp.org/www-community/attacks/CSV_Injection): a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is written with a leading ``'``, so the
spreadsheet shows it as text. Numbers are left alone (``-12.50`` is a refund, not a
formula), so sums over an export still work.

The price: a program reading the CSV sees the ``'``. Exact values are in the JSON (and
SPARQL JSON/XML/TSV) forms of the same tables, which are not spreadsheet input.

Use ``writer(handle)`` where ``csv.writer`` would be used, or ``text(header, rows)``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number, as spreadsheets read it: sign, digits, decimals, exponent.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_number(text: str) -> bool:
    """``True`` when ``text`` is a plain number (``-12.50``, ``+3``, ``1e6``)."""
    return _NUMBER.fullmatch(text) is not None


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet will not run: ``None`` as empty, numbers as
    they are, text that starts like a formula with a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not is_number(text):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell (``safe_cell``)."""

    def __init__(self, handle: IO[str], **options):
        options.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: IO[str], **options) -> SafeWriter:
    """A formula-safe CSV writer on ``handle`` (options as for ``csv.writer``; CRLF lines)."""
    return SafeWriter(handle, **options)


def text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (header first) as text."""
    buffer = io.StringIO()
    out = writer(buffer)
    out.writerow(header)
    out.writerows(rows)
    return buffer.getvalue()
