"""Reading council files as published: with ``loaders.delimiter``, the only user of the ``csv`` module.

``sniff`` looks at a file once, in 1 MiB blocks (never the whole file in memory): its
size against the cap, its first bytes (a spreadsheet, or an archive, image or other
binary refused at once, see ``loaders.magic``), its encoding (a BOM: UTF-8, UTF-16 or
UTF-32; a BOM that was itself encoded twice, ``ï»¿``; UTF-16 without a BOM from its NUL
pattern; valid UTF-8; else cp1252, which is what Windows finance systems write; or what
the mapping's ``dialect.encoding`` says), its line endings, its longest line against the
cap, how many control characters it holds, the sha256, and its delimiter (comma, tab,
semicolon or pipe: ``loaders.delimiter``). ``records`` then streams the
records with their RFC 7111 row numbers (row 1 is the first record), applying the
mapping's dialect (``loaders.csvw_dialect``) and the caps (``loaders.limits``) as it
goes, and removing control characters (one note for the whole file). Spreadsheets
stream through ``loaders.spreadsheet`` as the same ``(row, cells)`` records.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from loaders import delimiter, magic
from loaders.csvw_dialect import CsvDialect
from loaders.limits import DEFAULT, FileRefused, Limits, refuse
from loaders.report import WARNING, LoadIssue

BLOCK = 1 << 20
UTF8_BOM = b"\xef\xbb\xbf"
DOUBLE_BOM = "\u00ef\u00bb\u00bf"  # a UTF-8 BOM decoded as cp1252 then encoded to UTF-8 again
#: Byte order marks, longest first (a UTF-32-LE BOM starts with the UTF-16-LE one).
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"), (UTF8_BOM, "utf-8-sig"))
#: C0 control characters other than tab, LF and CR: not allowed in XML 1.0, and
#: nothing a council means to publish.
CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13))
_CONTROL_TABLE = dict.fromkeys(CONTROLS)
_CONTROL = re.compile("[" + re.escape(CONTROLS.decode("ascii")) + "]")
_NEWLINE = re.compile(rb"[\r\n]")


@dataclass(frozen=True)
class FileInfo:
    """What the first pass learnt about a file."""

    path: Path
    size: int
    sha256: str
    encoding: str  # "utf-8", "utf-8-sig", "cp1252", "utf-16", ... or "xlsx"/"ods" for a spreadsheet
    double_bom: bool
    newline: str  # "CRLF", "LF", "CR" or "none"
    lines: int  # physical line count: an upper bound on records, for progress bars
    format: str = "csv"  # "csv", "xlsx" or "ods"
    controls: int = 0  # control characters in the file (see CONTROLS)
    delimiter: str = ","  # what separates cells, found from the first rows (``loaders.delimiter``)


def sniff(path: Path, limits: Limits = DEFAULT, encoding: str | None = None) -> FileInfo:
    """Size, kind, encoding, line endings and checksum of a file, streaming it once.

    Raises ``FileRefused`` as soon as a cap is passed or the first bytes show a binary."""
    path = Path(path)
    size = path.stat().st_size
    if limits.max_file_bytes and size > limits.max_file_bytes:
        raise refuse(path.name, f"the file is {size:,} bytes", "max_file_bytes", limits, reason="too-large")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    kind = magic.kind_of(path, head)
    if kind != "text":
        return FileInfo(path, size, _sha256(path), kind, False, "none", 0, kind)
    encoding, strict = _encoding(path, head, encoding)
    info = _scan(path, size, encoding, strict, head.startswith(DOUBLE_BOM.encode("utf-8")), limits)
    return replace(info, delimiter=delimiter.detect(_start(info)))


def _start(info: FileInfo) -> str:
    """The file's first characters as text (for the delimiter), undecodable bytes replaced."""
    with open(info.path, "rb") as handle:
        head = handle.read(delimiter.SAMPLE_CHARS * (4 if info.encoding.startswith(("utf-16", "utf-32")) else 1))
    return head.decode(info.encoding, errors="replace")


def _encoding(path: Path, head: bytes, stated: str | None) -> tuple[str | None, bool]:
    """``(encoding or None to find out, whether it must decode)`` from the first bytes and
    the mapping's ``dialect.encoding``."""
    found = next((name for bom, name in BOMS if head.startswith(bom)), None)
    if found is None and len(head) >= 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = len(head) // 2
        if odd > half * 0.4 and even < half * 0.05:
            found = "utf-16-le"
        elif even > half * 0.4 and odd < half * 0.05:
            found = "utf-16-be"
        elif magic.looks_binary(head):
            raise FileRefused(f"{path.name}: refused: this is a binary file (many NUL bytes), not a CSV or "
                              "spreadsheet; upload the CSV file itself.", reason="binary")
    if stated is None:
        return found, found is not None and found != "utf-8-sig"
    family = codecs.lookup(stated).name[:6]
    if found is not None and not codecs.lookup(found).name.startswith(family):
        raise FileRefused(f"{path.name}: the mapping's dialect.encoding says {stated!r} but the file begins with "
                          f"a {found.upper()} byte order mark; correct dialect.encoding or re-save the file",
                          reason="encoding")
    if found is not None:
        return found, True
    return ("utf-8-sig" if codecs.lookup(stated).name == "utf-8" else stated), True


def _scan(path: Path, size: int, encoding: str | None, strict: bool, double_bom: bool, limits: Limits) -> FileInfo:
    """The streaming pass: checksum, decodability, newlines, longest line, control characters.

    ``strict``: the encoding is known (a BOM, or the mapping says), so bytes it cannot
    decode refuse the file; otherwise they mean cp1252."""
    digest = hashlib.sha256()
    wide = encoding is not None and codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    decoder = codecs.getincrementaldecoder(encoding or "utf-8")()
    decodes = True
    crlf = lf = cr = controls = 0
    run = 0  # length of the line still open at the end of the last block
    newline, feed, ret = ("\r\n", "\n", "\r") if wide else (b"\r\n", b"\n", b"\r")
    last = newline[:0]
    cap = limits.max_line_bytes
    offset = 0
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
            data = block
            if decodes:
                try:
                    text = decoder.decode(block)
                except UnicodeDecodeError as exc:
                    if strict:
                        raise _undecodable(path, encoding, offset + exc.start) from None
                    decodes = False
                else:
                    if wide:
                        data = text
            offset += len(block)
            crlf += data.count(newline) + (last == ret and data[:1] == feed)
            lf += data.count(feed)
            cr += data.count(ret)
            last = data[-1:]
            stripped = data.translate(_CONTROL_TABLE) if wide else data.translate(None, CONTROLS)
            controls += len(data) - len(stripped)
            if cap:
                run = _longest(data, run, cap, path, limits, wide)
        if decodes:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                if strict:
                    raise _undecodable(path, encoding, offset) from None
                decodes = False
    if encoding is None or not decodes:
        encoding = "utf-8" if decodes else "cp1252"
    if crlf and crlf >= lf - crlf:
        newline_kind = "CRLF"
    elif lf:
        newline_kind = "LF"
    elif cr:
        newline_kind = "CR"
    else:
        newline_kind = "none"
    lines = max(lf, cr) if newline_kind == "CR" else lf
    return FileInfo(path, size, digest.hexdigest(), encoding, double_bom, newline_kind, lines, "csv", controls)


def _longest(data, run: int, cap: int, path: Path, limits: Limits, wide: bool) -> int:
    """The open line's length after this block; refuses the file when a line passes the cap."""
    if wide:
        data = data.encode("utf-8", "surrogatepass")  # lengths in bytes, as for the other files
    first = _NEWLINE.search(data)
    if first is None:
        run += len(data)
        if run > cap:
            raise refuse(path.name, f"a line is longer than {cap:,} bytes (no line break in the first "
                         f"{run:,} bytes of it)", "max_line_bytes", limits, reason="line-too-long")
        return run
    longest = run + first.start()
    tail = len(data) - 1 - max(data.rfind(b"\n"), data.rfind(b"\r"))
    if len(data) > cap:  # an inner line could be longer than the cap: measure them all
        longest = max(longest, max(map(len, data.replace(b"\r", b"\n").split(b"\n"))))
    if longest > cap:
        raise refuse(path.name, f"a line is longer than {cap:,} bytes", "max_line_bytes", limits,
                     reason="line-too-long")
    return tail


def _undecodable(path: Path, encoding: str, offset: int) -> FileRefused:
    return FileRefused(f"{path.name}: cannot decode the file as {encoding} (byte {offset:,}), the encoding its "
                       "byte order mark, NUL pattern or mapping (dialect.encoding) gives; correct "
                       "the encoding or re-save the file as UTF-8", reason="encoding")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def open_text(info: FileInfo) -> io.TextIOBase:
    """The file as text, BOMs (single or double-encoded) removed, newlines left to csv."""
    handle = open(info.path, encoding=info.encoding, errors="strict", newline="")
    if info.double_bom:
        handle.read(len(DOUBLE_BOM))
    return handle


class Records:
    """``(row_number, cells)`` for every record of a file, with the caps and dialect applied.

    Iterate it like a generator; afterwards ``notes()`` says what was cleaned."""

    def __init__(self, info: FileInfo, dialect: CsvDialect | None = None, limits: Limits = DEFAULT,
                 sheet: str | None = None):
        self.info, self.dialect, self.limits, self.sheet = info, dialect, limits, sheet
        self.removed = 0  # control characters removed
        self.rows_cleaned: list[int] = []
        self._iterator = self._apply_dialect(self._checked(self._raw()))

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        return next(self._iterator)

    def _raw(self) -> Iterator[tuple[int, list[str]]]:
        if self.info.format != "csv":
            from loaders import spreadsheet
            yield from spreadsheet.rows(self.info, self.sheet, self.limits)
            return
        options = dict(self.dialect.csv_options) if self.dialect else {}
        if self.dialect is None or self.dialect.delimiter is None:  # a mapping's own is honoured as stated
            options["delimiter"] = self.info.delimiter
        cap = self.limits.max_cell_chars
        csv.field_size_limit(cap if cap else 1 << 30)
        with open_text(self.info) as handle:
            reader = csv.reader(_bare_cr_to_lf(handle) if self.info.newline == "CR" else handle, **options)
            number = 0
            try:
                for number, cells in enumerate(reader, start=1):
                    yield number, cells
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise refuse(self.info.path.name, f"a cell is longer than {cap:,} characters",
                                 "max_cell_chars", self.limits, reason="cell-too-long",
                                 where=f"row {number + 1}") from None
                raise FileRefused(f"{self.info.path.name}: row {number + 1}: cannot read the CSV ({exc}); check "
                                  "the quotes around cells", reason="csv") from None

    def _checked(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """The caps on rows, columns and (for spreadsheets) cells; control characters removed."""
        limits, name = self.limits, self.info.path.name
        clean = self.info.controls > 0 or self.info.format != "csv"
        check_cells = self.info.format != "csv" and limits.max_cell_chars
        for number, cells in rows:
            if limits.max_rows and number > limits.max_rows:
                raise refuse(name, f"the file has more than {limits.max_rows:,} rows", "max_rows", limits,
                             reason="too-many-rows", where=f"row {number}")
            if limits.max_columns and len(cells) > limits.max_columns:
                raise refuse(name, f"a row has {len(cells):,} cells", "max_columns", limits,
                             reason="too-many-columns", where=f"row {number}")
            if check_cells and any(len(c) > limits.max_cell_chars for c in cells):
                raise refuse(name, f"a cell is longer than {limits.max_cell_chars:,} characters", "max_cell_chars",
                             limits, reason="cell-too-long", where=f"row {number}")
            if clean:
                cells = self._clean(number, cells)
            yield number, cells

    def _clean(self, number: int, cells: list[str]) -> list[str]:
        dirty = False
        out = []
        for cell in cells:
            if _CONTROL.search(cell):
                cleaned = cell.translate(_CONTROL_TABLE)
                self.removed += len(cell) - len(cleaned)
                dirty = True
                cell = cleaned
            out.append(cell)
        if dirty:
            self.rows_cleaned.append(number)
        return out

    def _apply_dialect(self, rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """skipRows, commentPrefix, skipBlankRows, skipColumns and the header rows, as CSVW says."""
        d = self.dialect
        if d is None:
            yield from rows
            return
        skipped = 0
        header: list[tuple[int, list[str]]] = []
        wanted = d.header_rows
        if wanted == 0:
            yield 0, list(d.column_titles)
        for number, cells in rows:
            if skipped < d.skip_rows:
                skipped += 1
                continue
            if d.comment_prefix and cells and cells[0].startswith(d.comment_prefix):
                continue
            if d.skip_blank_rows and is_blank(cells):
                continue
            cells = cells[d.skip_columns:]
            if wanted and len(header) < wanted:
                header.append((number, cells))
                if len(header) == wanted:
                    yield header[0][0], _merge(header)
                continue
            yield number, cells
        if wanted and 0 < len(header) < wanted:
            yield header[0][0], _merge(header)

    def notes(self) -> list[LoadIssue]:
        """One warning for all the control characters removed (with the first rows)."""
        if not self.removed:
            return []
        first = ", ".join(str(n) for n in self.rows_cleaned[:5])
        more = f" and {len(self.rows_cleaned) - 5} more" if len(self.rows_cleaned) > 5 else ""
        return [LoadIssue(
            "control-characters", WARNING, self.rows_cleaned[0], None, None,
            f"{self.removed:,} control character(s) (NUL and other invisible codes) were removed from "
            f"{len(self.rows_cleaned):,} row(s) (rows {first}{more}).",
            "Nothing to do if the values read right; re-export the file from the finance system to be sure.")]


def _merge(header: list[tuple[int, list[str]]]) -> list[str]:
    """Several header rows as one: each column's non-empty titles joined by a space."""
    width = max(len(cells) for _, cells in header)
    return [" ".join(c[i].strip() for _, c in header if i < len(c) and c[i].strip()) for i in range(width)]


def records(info: FileInfo, dialect: CsvDialect | None = None, limits: Limits = DEFAULT,
            sheet: str | None = None) -> Records:
    """``(row_number, cells)`` for every record; row 1 is the first record."""
    return Records(info, dialect, limits, sheet)


def _bare_cr_to_lf(handle: io.TextIOBase) -> Iterator[str]:
    """Old Mac files end lines with a bare CR, which csv does not split on."""
    pending = ""
    for block in iter(lambda: handle.read(BLOCK), ""):
        text = pending + block
        pending = ""
        if text.endswith("\r"):
            text, pending = text[:-1], "\r"
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        pending = lines.pop() + pending
        for line in lines:
            yield line + "\n"
    if pending:
        yield pending.rstrip("\r")


def is_blank(cells: list[str]) -> bool:
    """An empty line or a record whose every cell is empty or spaces."""
    return not cells or all(not cell.strip() for cell in cells)
