"""Issue 20 item 7: bad files are refused cheaply, and odd encodings are read right.

Each test takes a real DEV file and gives it one defect (re-encoded, NULs injected,
zipped, one endless line...), named after the defect. The caps are the real ones with
small values, so the tests stay fast; bench/refusals.py measures the real sizes.
"""

from __future__ import annotations

import gzip
import zipfile

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from catalogue.ingest import validate_file
from loaders import FileRefused, Limits, open_source
from loaders.read import sniff
from tests.conftest import BASE
from tests.reading import dev_spend, spend_summary

OXFORD, OXFORD_GSS = dev_spend("oxford")


@pytest.fixture(scope="module")
def original():
    return spend_summary(OXFORD, OXFORD_GSS)


def _text():
    return OXFORD.read_bytes().decode("utf-8")


@pytest.mark.parametrize("encoding, expected", [
    ("utf-16", "utf-16"),  # with a BOM, little-endian as Windows writes it
    ("utf-16-be", "utf-16-be"),  # without a BOM: found from the NUL pattern
    ("utf-16-le", "utf-16-le"),
    ("utf-32", "utf-32"),
])
def test_utf16_and_utf32_files_read_like_the_original(tmp_path, original, encoding, expected):
    path = tmp_path / f"oxford-{encoding}.csv"
    path.write_bytes(_text().encode(encoding))
    assert sniff(path).encoding == expected
    got = spend_summary(path, OXFORD_GSS)
    assert (got.lines, got.total, got.payees, got.dates) == (original.lines, original.total, original.payees,
                                                             original.dates)


def test_utf16_file_with_a_bom_reports_its_encoding(tmp_path):
    path = tmp_path / "oxford-utf16.csv"
    path.write_bytes(_text().encode("utf-16"))
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert report.loadable and report.encoding == "utf-16"


def test_nul_and_control_characters_are_removed_with_one_warning(tmp_path, original):
    lines = OXFORD.read_bytes().split(b"\n")
    dirty = list(range(2, len(lines) - 1, 250))
    for i in dirty:  # inside the supplier name, the last cell
        lines[i] = lines[i].rstrip(b"\r") + b"\x00\x07\x1b" + (b"\r" if lines[i].endswith(b"\r") else b"")
    path = tmp_path / "oxford-nul.csv"
    path.write_bytes(b"\n".join(lines))
    got = spend_summary(path, OXFORD_GSS)
    assert (got.lines, got.total, got.payees) == (original.lines, original.total, original.payees)
    warnings = [n for n in got.notes if n.kind == "control-characters"]
    assert len(warnings) == 1
    assert f"{3 * len(dirty):,} control character(s)" in warnings[0].message
    assert warnings[0].row == dirty[0] + 1 and f"rows {dirty[0] + 1}, {dirty[1] + 1}," in warnings[0].message


def test_nul_bytes_never_reach_the_triples(tmp_path):
    raw = OXFORD.read_bytes()
    path = tmp_path / "oxford-nul.csv"
    path.write_bytes(raw.replace(b"LTD", b"L\x00TD\x0c"))
    source = open_source("spend", path, base=BASE, publisher=OXFORD_GSS)
    written = "".join(f"{s} {p} {o} .\n" for event in source.events() if hasattr(event, "triples")
                      for s, p, o in event.triples + [t for _, d in event.related for t in d])
    assert "LTD" in written and not any(ch in written for ch in "\x00\x0c")
    assert "\\u0000" not in written


def test_zip_archive_of_a_real_file_is_refused_naming_what_is_inside(tmp_path):
    path = tmp_path / "oxford.csv"  # named .csv: the bytes say what it is
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(OXFORD, "expenditure.csv")
    with pytest.raises(FileRefused, match=r"ZIP archive \(1 member\(s\): expenditure.csv\).*extract the CSV") as err:
        open_source("spend", path, base=BASE, publisher=OXFORD_GSS)
    assert err.value.reason == "archive"


def test_zip_archive_refused_by_the_cli_with_a_readable_report(tmp_path):
    path = tmp_path / "oxford.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(OXFORD, "expenditure.csv")
    result = CliRunner().invoke(cli, ["--store", "memory:", "validate", "spend", str(path), "--publisher",
                                      OXFORD_GSS, "--quiet"])
    assert result.exit_code == 1 and "ZIP archive" in result.output, result.output


@pytest.mark.parametrize("name, make, what", [
    ("gzip", lambda raw: gzip.compress(raw), "gzip-compressed"),
    ("pdf", lambda raw: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + raw, "PDF document"),
    ("png", lambda raw: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + raw, "PNG image"),
    ("jpeg", lambda raw: b"\xff\xd8\xff\xe0\x00\x10JFIF" + raw, "JPEG image"),
    ("gif", lambda raw: b"GIF89a" + raw, "GIF image"),
    ("xls", lambda raw: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + raw, "old Excel"),
    ("binary", lambda raw: bytes(range(256)) * 64, "binary file"),
])
def test_binary_files_are_refused_by_their_magic_bytes(tmp_path, name, make, what):
    path = tmp_path / f"oxford-{name}.csv"
    path.write_bytes(make(OXFORD.read_bytes()))
    with pytest.raises(FileRefused, match=what):
        sniff(path)


def test_one_line_file_is_refused_at_the_line_cap_without_reading_on(tmp_path):
    path = tmp_path / "one-line.csv"
    path.write_bytes(OXFORD.read_bytes().replace(b"\r\n", b",").replace(b"\n", b",") * 8)
    limits = Limits(max_line_bytes=100_000)
    with pytest.raises(FileRefused, match="a line is longer than 100,000 bytes.*SVCAT_MAX_LINE_BYTES") as err:
        sniff(path, limits)
    assert err.value.reason == "line-too-long"


def test_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    report = validate_file("spend", OXFORD, base=BASE, publisher=OXFORD_GSS,
                           limits=Limits(max_file_bytes=OXFORD.stat().st_size - 1))
    assert not report.loadable and "SVCAT_MAX_FILE_BYTES" in report.fatal and OXFORD.name in report.fatal


def test_a_cell_longer_than_the_cap_refuses_the_file_naming_the_row(tmp_path):
    lines = OXFORD.read_bytes().split(b"\n")
    lines[40] = lines[40].rstrip(b"\r") + b'"' + b"x\n" * 600 + b'"'  # one quoted cell over many lines
    path = tmp_path / "oxford-long-cell.csv"
    path.write_bytes(b"\n".join(lines))
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS, limits=Limits(max_cell_chars=1000))
    assert not report.loadable and "row 41" in report.fatal and "SVCAT_MAX_CELL_CHARS" in report.fatal


def test_too_many_columns_refuses_the_file_naming_the_row(tmp_path):
    lines = OXFORD.read_bytes().split(b"\n")
    lines[10] = lines[10].rstrip(b"\r") + b"," * 200
    path = tmp_path / "oxford-wide.csv"
    path.write_bytes(b"\n".join(lines))
    report = validate_file("spend", path, base=BASE, publisher=OXFORD_GSS, limits=Limits(max_columns=100))
    assert not report.loadable and "row 11" in report.fatal and "SVCAT_MAX_COLUMNS" in report.fatal


def test_too_many_rows_refuses_the_file_while_streaming(tmp_path):
    report = validate_file("spend", OXFORD, base=BASE, publisher=OXFORD_GSS, limits=Limits(max_rows=1000))
    assert not report.loadable and "more than 1,000 rows" in report.fatal and "SVCAT_MAX_ROWS" in report.fatal


def test_caps_come_from_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("SVCAT_MAX_ROWS", "500")
    result = CliRunner().invoke(cli, ["--store", "memory:", "validate", "spend", str(OXFORD), "--publisher",
                                      OXFORD_GSS, "--quiet", "--format", "json"])
    assert result.exit_code == 1 and "SVCAT_MAX_ROWS" in result.output
