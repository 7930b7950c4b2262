"""Issue 17 item 8: a --mapping's CSVW dialect and datatype formats are honoured in full.

A real DEV file is rewritten the way other finance systems write the same table
(semicolons, a decimal comma, US dates, title lines, no header...) and read back with a
mapping that says so: the lines, total, payees and dates must be the original's. What
the loader cannot honour is refused with an error naming the property.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from catalogue.ingest import validate_file
from loaders import FileRefused, open_source
from loaders import converters as cv
from loaders.formats import date_parser, number_parser
from loaders.mapping import DialectError
from loaders.read import records, sniff
from tests.conftest import BASE
from tests.reading import dev_spend, spend_summary

OXFORD, GSS = dev_spend("oxford")
HEADER = next(records(sniff(OXFORD)))[1]
DATE, AMOUNT = HEADER.index("Paid Date"), HEADER.index("Amount")


@pytest.fixture(scope="module")
def original():
    return spend_summary(OXFORD, GSS)


def _rows():
    return [cells for _, cells in records(sniff(OXFORD))][1:]


def _us_date(cell: str) -> str:
    iso = cv.payment_date(cell)[0]
    return f"{iso[5:7]}/{iso[8:10]}/{iso[:4]}"


def _decimal_comma(cell: str) -> str:
    value = Decimal(cv.money(cell))
    sign, text = ("-" if value < 0 else ""), f"{abs(value):,.2f}"
    return sign + text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _write(tmp_path, name, rows, *, header=True, delimiter=",", quotechar='"', before=(), encoding="utf-8",
           doublequote=True, escapechar=None):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quotechar=quotechar, doublequote=doublequote,
                        escapechar=escapechar, lineterminator="\r\n")
    for line in before:
        out.write(line + "\r\n")
    if header:
        writer.writerow(HEADER if header is True else header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def _mapping(tmp_path, dialect=None, date_format="MM/dd/yyyy", number_format=None, columns=None, **extra):
    doc = {"@context": "http://www.w3.org/ns/csvw", "sv:kind": "spend", **extra}
    if dialect is not None:
        doc["dialect"] = dialect
    doc["tableSchema"] = {"columns": columns if columns is not None else [
        {"titles": "Paid Date", "propertyUrl": "pay:date",
         "datatype": {"base": "date", "format": date_format} if date_format else "date"},
        {"titles": "Amount", "propertyUrl": "pay:netAmount",
         "datatype": {"base": "decimal", "format": number_format} if number_format else "decimal"},
    ]}
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _same(got, want):
    assert (got.lines, got.total, got.payees, got.dates) == (want.lines, want.total, want.payees, want.dates)


def test_semicolons_decimal_comma_us_dates_and_title_lines_read_as_the_metadata_says(tmp_path, original):
    rows = []
    for cells in _rows():
        cells = list(cells)
        cells[DATE], cells[AMOUNT] = _us_date(cells[DATE]), _decimal_comma(cells[AMOUNT])
        rows.append(cells)
    path = _write(tmp_path, "oxford-eu.csv", rows, delimiter=";", quotechar="'",
                  before=["Oxford City Council;;", "Payments over 500 pounds;;"])
    mapping = _mapping(tmp_path, {"delimiter": ";", "quoteChar": "'", "skipRows": 2, "headerRowCount": 1,
                                  "encoding": "utf-8", "trim": True, "lineTerminators": ["\r\n", "\n"]},
                       number_format={"decimalChar": ",", "groupChar": ".", "pattern": "#,##0.00"})
    _same(spend_summary(path, GSS, mapping=mapping), original)


def test_a_date_format_changes_how_dates_are_read(tmp_path, original):
    rows = [[_us_date(c) if i == DATE else c for i, c in enumerate(cells)] for cells in _rows()]
    path = _write(tmp_path, "oxford-us-dates.csv", rows)
    _same(spend_summary(path, GSS, mapping=_mapping(tmp_path)), original)
    # Without it, the column is found month first throughout (tests/test_month_first.py) and read so.
    _same(spend_summary(path, GSS), original)


def test_no_header_row_columns_named_by_the_mapping_in_order(tmp_path, original):
    path = _write(tmp_path, "oxford-no-header.csv", _rows(), header=False)
    columns = [{"titles": title} for title in HEADER]
    columns[DATE] = {"titles": "Paid Date", "propertyUrl": "pay:date", "datatype": "date"}
    columns[AMOUNT] = {"titles": "Amount", "propertyUrl": "pay:netAmount", "datatype": "decimal"}
    for column in columns:
        column.setdefault("suppressOutput", True)
    columns[HEADER.index("Supplier Name")] = {"titles": "Supplier Name", "propertyUrl": "pay:payee"}
    # the supplier's id names the supplier record; a suppressOutput column would not be read
    columns[HEADER.index("Supplier ID")] = {"titles": "Supplier ID", "propertyUrl": "dcterms:identifier"}
    mapping = _mapping(tmp_path, {"header": False}, columns=columns)
    source = open_source("spend", path, base=BASE, publisher=GSS, mapping=mapping)
    assert source.table.header_row == 0
    got = spend_summary(path, GSS, mapping=mapping)
    assert (got.lines, got.total, got.payees) == (original.lines, original.total, original.payees)


def test_two_header_rows_skip_columns_and_comment_lines(tmp_path, original):
    top = [t.split(" ", 1)[0] if " " in t else t for t in HEADER]
    bottom = [t.split(" ", 1)[1] if " " in t else "" for t in HEADER]
    rows = [["#", "exported"]] + [["x"] + cells for cells in _rows()]
    path = _write(tmp_path, "oxford-two-headers.csv", [["spare"] + top, [""] + bottom] + rows, header=False)
    mapping = _mapping(tmp_path, {"headerRowCount": 2, "skipColumns": 1, "commentPrefix": "#"},
                       date_format="dd/MM/yyyy")
    got = spend_summary(path, GSS, mapping=mapping)
    _same(got, original)


def test_backslash_escaped_quotes_when_double_quote_is_false(tmp_path, original):
    rows = [[c + ' "x"' if i == 0 else c for i, c in enumerate(cells)] for cells in _rows()[:50]]
    path = _write(tmp_path, "oxford-escaped.csv", rows, doublequote=False, escapechar="\\")
    assert b'\\"x\\"' in path.read_bytes()
    mapping = _mapping(tmp_path, {"doubleQuote": False}, date_format=None)
    source = open_source("spend", path, base=BASE, publisher=GSS, mapping=mapping)
    first = next(e for e in source.events() if hasattr(e, "cells"))
    assert first.cells[0].endswith(' "x"')


def test_a_cell_that_does_not_match_its_format_is_reported_not_guessed(tmp_path):
    rows = [[_us_date(c) if i == DATE else c for i, c in enumerate(cells)] for cells in _rows()[:20]]
    rows[5][DATE] = "2017-10-06"  # ISO: a loader that guessed would read it; the metadata says MM/dd/yyyy
    path = _write(tmp_path, "oxford-us-dates-one-iso.csv", rows)
    report = validate_file("spend", path, base=BASE, publisher=GSS, mapping=str(_mapping(tmp_path)))
    assert not report.loadable
    bad = [i for i in report.issues if i.row == 7]
    assert bad and bad[0].column == "Paid Date" and "2017-10-06" in (bad[0].value or "")


def test_dialect_encoding_is_used_and_a_contradicting_bom_refused(tmp_path, original):
    path = tmp_path / "oxford-utf16.csv"
    path.write_bytes(OXFORD.read_bytes().decode("utf-8").encode("utf-16"))
    mapping = _mapping(tmp_path, {"encoding": "utf-16"}, date_format="dd/MM/yyyy")
    _same(spend_summary(path, GSS, mapping=mapping), original)
    wrong = _mapping(tmp_path, {"encoding": "windows-1252"}, date_format="dd/MM/yyyy")
    with pytest.raises(FileRefused, match="dialect.encoding says 'windows-1252'.*UTF-16 byte order mark"):
        open_source("spend", path, base=BASE, publisher=GSS, mapping=wrong)


@pytest.mark.parametrize("dialect, named", [
    ({"trim": False}, "dialect.trim"),
    ({"trim": "start"}, "dialect.trim"),
    ({"lineTerminators": [";"]}, "dialect.lineTerminators"),
    ({"delimiter": "::"}, "dialect.delimiter"),
    ({"quoteChar": "ab"}, "dialect.quoteChar"),
    ({"encoding": "klingon"}, "dialect.encoding"),
    ({"headerRowCount": -1}, "dialect.headerRowCount"),
    ({"skipRows": "2"}, "dialect.skipRows"),
    ({"header": False, "headerRowCount": 1}, "dialect.header"),
    ({"delimeter": ";"}, "'delimeter'"),
    ("https://example.org/dialect.json", "dialect must be an object"),
])
def test_a_dialect_property_the_loader_cannot_honour_is_refused_by_name(tmp_path, dialect, named):
    with pytest.raises(DialectError, match=named.replace(".", r"\.")):
        open_source("spend", OXFORD, base=BASE, publisher=GSS, mapping=_mapping(tmp_path, dialect))


@pytest.mark.parametrize("column, named", [
    ({"titles": "Paid Date", "propertyUrl": "pay:date", "separator": ";"}, "separator"),
    ({"titles": "Paid Date", "propertyUrl": "pay:date", "default": "01/01/2017"}, "default"),
    ({"titles": "Paid Date", "propertyUrl": "pay:date", "datatype": {"base": "date", "format": "dd/QQ/yyyy"}},
     "'Q'"),
    ({"titles": "Paid Date", "propertyUrl": "pay:date", "datatype": {"base": "date", "format": "dd"}},
     "needs a year and a month"),
    ({"titles": "Amount", "propertyUrl": "pay:netAmount", "datatype": {"base": "decimal", "format": "#0.0%"}},
     "percent"),
    ({"titles": "Amount", "propertyUrl": "pay:netAmount",
      "datatype": {"base": "decimal", "format": {"decimalChar": ",", "groupChar": ","}}}, "both ','"),
    ({"titles": "Supplier Name", "propertyUrl": "pay:payee", "datatype": {"base": "string", "format": "[A-Z]+"}},
     "formats are read for dates and numbers only"),
])
def test_a_column_property_the_loader_cannot_honour_is_refused_by_name(tmp_path, column, named):
    with pytest.raises(DialectError, match=named):
        open_source("spend", OXFORD, base=BASE, publisher=GSS, mapping=_mapping(tmp_path, columns=[column]))


def test_a_table_group_is_refused(tmp_path):
    path = tmp_path / "group.json"
    path.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "tables": [{"url": "a.csv"}]}))
    with pytest.raises(DialectError, match="'tables'"):
        open_source("spend", OXFORD, base=BASE, publisher=GSS, mapping=path)


@pytest.mark.parametrize("pattern, raw, iso", [
    ("yyyy-MM-dd", "2021-03-04", "2021-03-04"), ("yyyyMMdd", "20210304", "2021-03-04"),
    ("dd-MM-yyyy", "04-03-2021", "2021-03-04"), ("d-M-yyyy", "4-3-2021", "2021-03-04"),
    ("MM-dd-yyyy", "03-04-2021", "2021-03-04"), ("M-d-yyyy", "3-4-2021", "2021-03-04"),
    ("dd/MM/yyyy", "04/03/2021", "2021-03-04"), ("d/M/yyyy", "4/3/2021", "2021-03-04"),
    ("MM/dd/yyyy", "03/04/2021", "2021-03-04"), ("M/d/yyyy", "3/4/2021", "2021-03-04"),
    ("dd.MM.yyyy", "04.03.2021", "2021-03-04"), ("d.M.yyyy", "4.3.2021", "2021-03-04"),
    ("MM.dd.yyyy", "03.04.2021", "2021-03-04"), ("M.d.yyyy", "3.4.2021", "2021-03-04"),
    ("d MMM yyyy", "4 Mar 2021", "2021-03-04"), ("d MMMM yyyy", "4 March 2021", "2021-03-04"),
    ("dd-MMM-yy", "04-Sep-21", "2021-09-04"), ("MMMM yyyy", "April 2021", "2021-04"),
    ("yyyy-MM-dd'T'HH:mm:ss", "2021-03-04T10:11:12", "2021-03-04T10:11:12"),
    ("dd/MM/yyyy HH:mm", "04/03/2021 10:11", "2021-03-04T10:11:00"),
    ("MM/dd/yyyy", "13/04/2021", None), ("dd/MM/yyyy", "2021-03-04", None), ("dd/MM/yyyy", "31/02/2021", None),
    ("dd/MM/yyyy", "4/3/2021", None),
])
def test_date_formats(pattern, raw, iso):
    assert date_parser(pattern, "test")(raw) == iso


@pytest.mark.parametrize("fmt, raw, text", [
    ({"decimalChar": ",", "groupChar": ".", "pattern": "#,##0.00"}, "1.234,50", "1234.50"),
    ({"decimalChar": ",", "groupChar": ".", "pattern": "#.##0,00"}, "-1.234.567,01", "-1234567.01"),
    ({"decimalChar": ","}, "1234,5", "1234.5"),
    ({"decimalChar": ","}, "1.234,5", None),  # no groupChar stated: a group character is not a number
    ({"decimalChar": ",", "groupChar": " "}, "1 234,50", "1234.50"),
    ("#,##0.00", "1,234.50", "1234.50"), ("#,##0.00", "1234.50", "1234.50"), ("#,##0.00", "1,234.5", None),
    ("#,##0.00", "12,34.50", None), ("#,##0.##", "1,234", "1234"),
    ("£#,##0.00;(£#,##0.00)", "(£1,234.50)", "-1234.50"), ("£#,##0.00", "£0.10", "0.10"),
    ({"pattern": "0.00"}, "-0.00", "0.00"),
])
def test_number_formats_give_exact_decimal_text(fmt, raw, text):
    assert number_parser(fmt, "test")(raw) == text


@pytest.mark.parametrize("title", ["Irrecoverable VAT", "Expense Area"])
def test_a_column_marked_suppress_output_is_never_read(title, tmp_path):
    """CSVW ``suppressOutput``: the column makes no output. Under a title the kind's own
    mapping knows (or whose words a field takes), it stays unread; the rest still loads."""
    path, gss = dev_spend("calderdale")
    plain = validate_file("spend", path, base=BASE, publisher=gss)
    field = next(f for f, t in plain.columns.items() if t == title)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"@context": "http://www.w3.org/ns/csvw", "tableSchema": {
        "columns": [{"titles": title, "suppressOutput": True}]}}), encoding="utf-8")
    report = validate_file("spend", path, base=BASE, publisher=gss, mapping=str(mapping))
    assert report.valid and field not in report.columns and title not in report.columns.values()
    assert report.rows_loaded == plain.rows_loaded and set(report.columns) == set(plain.columns) - {field}
