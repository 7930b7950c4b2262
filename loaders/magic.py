"""What a file really is, from its first bytes: a spreadsheet, an archive, a binary, or text.

Publishers upload what their portal hands them: a ZIP of the month's CSVs, a PDF of the
same table, a screenshot, a gzipped export, an old ``.xls``. Read as text, these make
nonsense rows (or, worse, a few plausible ones). The magic numbers below identify them
in the first bytes, so they are refused at once with a message that says what the file
is and what to upload instead. A ZIP is opened only to read its list of members: an
Office Open XML workbook (``xl/workbook.xml``) or an OpenDocument spreadsheet (its
``mimetype`` member) is a spreadsheet; any other ZIP is an archive.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from loaders.limits import FileRefused

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

#: (leading bytes, what the file is, what to do instead).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "ask for the data as CSV (or export the table from the PDF's source)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "upload the CSV file, not a picture of it"),
    (b"\xff\xd8\xff", "a JPEG image", "upload the CSV file, not a picture of it"),
    (b"GIF87a", "a GIF image", "upload the CSV file, not a picture of it"),
    (b"GIF89a", "a GIF image", "upload the CSV file, not a picture of it"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file", "upload the CSV file"),
    (b"II*\x00", "a TIFF image", "upload the CSV file, not a picture of it"),
    (b"MM\x00*", "a TIFF image", "upload the CSV file, not a picture of it"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it (gunzip) and load the CSV inside"),
    (b"BZh", "a bzip2-compressed file", "decompress it and load the CSV inside"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it and load the CSV inside"),
    (b"(\xb5/\xfd", "a zstd-compressed file", "decompress it and load the CSV inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it and load the CSV inside"),
    (b"Rar!\x1a\x07", "a RAR archive", "extract it and load the CSV inside"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or other Office 97-2003 file",
     "save it as .xlsx or as CSV and load that"),
    (b"\x7fELF", "a program (ELF executable)", "upload the CSV file"),
    (b"SQLite format 3\x00", "an SQLite database", "export the table as CSV and load that"),
    (b"PAR1", "a Parquet file", "export the table as CSV and load that"),
    (b"{\\rtf", "a Rich Text (RTF) document", "save the table as CSV and load that"),
)


def kind_of(path: Path, head: bytes) -> str:
    """``"xlsx"``, ``"ods"`` or ``"text"``; raises ``FileRefused`` for anything else.

    ``head`` is the file's first bytes (at least 16)."""
    name = path.name
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(path)
    for magic, what, instead in SIGNATURES:
        if head.startswith(magic):
            raise FileRefused(f"{name}: refused: this is {what}, not a CSV or spreadsheet; {instead}.",
                              reason="binary")
    return "text"


def _zip_kind(path: Path) -> str:
    """A ZIP is a workbook (xlsx), an OpenDocument spreadsheet (ods), or an archive (refused)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileRefused(f"{path.name}: refused: this is a damaged ZIP archive ({exc}), not a CSV or "
                          "spreadsheet; upload the CSV file itself.", reason="archive") from exc
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    if any(n.startswith("word/") for n in names):
        what = "a Word document (.docx)"
    elif any(n.startswith("ppt/") for n in names):
        what = "a PowerPoint presentation (.pptx)"
    else:
        what = f"a ZIP archive ({len(names)} member(s): {shown or 'empty'})"
    raise FileRefused(f"{path.name}: refused: this is {what}, not a CSV or spreadsheet; extract the CSV "
                      "(or save the table as CSV/.xlsx/.ods) and load that file.", reason="archive")


#: C0 control bytes other than tab, LF, CR, form feed and escape: rare in text, common in binaries.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(block: bytes) -> bool:
    """Text has few control bytes outside UTF-16/32 (checked before this); a block where
    more than one byte in twenty is one is a binary (random bytes: about one in nine)."""
    if not block:
        return False
    controls = len(block) - len(block.translate(None, _BINARY_BYTES))
    return controls > max(8, len(block) // 20)
