"""Reading council CSV files as published: the only user of the ``csv`` module.

A first pass over the bytes (in 1 MiB blocks, never the whole file in memory) takes the
sha256 and finds the encoding: a BOM, a BOM that was itself encoded twice (``ï»¿``),
valid UTF-8, or else cp1252, which is what Windows finance systems write. The second
pass streams records with their RFC 7111 row numbers (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BLOCK = 1 << 20
UTF8_BOM = b"\xef\xbb\xbf"
DOUBLE_BOM = "\u00ef\u00bb\u00bf"  # a UTF-8 BOM decoded as cp1252 then encoded to UTF-8 again

csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class FileInfo:
    """What the first pass learnt about a file."""

    path: Path
    size: int
    sha256: str
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"
    double_bom: bool
    newline: str  # "CRLF", "LF", "CR" or "none"
    lines: int  # physical line count: an upper bound on records, for progress bars


def sniff(path: Path) -> FileInfo:
    """Checksum, encoding and line endings of a file, streaming it once."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    head = b""
    crlf = lf = cr = 0
    last = b""
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            if not head:
                head = block[:16]
            digest.update(block)
            size += len(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            crlf += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            lf += block.count(b"\n")
            cr += block.count(b"\r")
            last = block[-1:]
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    bom = head.startswith(UTF8_BOM)
    double_bom = head.startswith(DOUBLE_BOM.encode("utf-8"))
    encoding = ("utf-8-sig" if bom else "utf-8") if utf8 else "cp1252"
    if crlf and crlf >= lf - crlf:
        newline = "CRLF"
    elif lf:
        newline = "LF"
    elif cr:
        newline = "CR"
    else:
        newline = "none"
    lines = max(lf, cr) if newline == "CR" else lf
    return FileInfo(Path(path), size, digest.hexdigest(), encoding, double_bom, newline, lines)


def open_text(info: FileInfo) -> io.TextIOBase:
    """The file as text, BOMs (single or double-encoded) removed, newlines left to csv."""
    handle = open(info.path, encoding=info.encoding, errors="strict", newline="")
    if info.double_bom:
        handle.read(len(DOUBLE_BOM))
    return handle


def records(info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """``(row_number, cells)`` for every CSV record; row 1 is the first record."""
    with open_text(info) as handle:
        reader = csv.reader(_bare_cr_to_lf(handle) if info.newline == "CR" else handle)
        for number, cells in enumerate(reader, start=1):
            yield number, cells


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
