"""Datasets: each one's page (its ``/doc/dataset/...`` HTML), its tables, and dumps.

The page shows the DCAT record, the load history, the validation report, a page of
rows and the downloads. Tables live at ``/dataset/<GSS>/<kind>/<key>/<table>`` (``rows``,
``issues``, ``skipped``; ``.csv``/``.json`` too). Dumps are gzipped files built once per
data version (``catalogue.web.dumps``): ``/dumps/<GSS>/<kind>/<key>.nq.gz`` (one
dataset's graph, N-Quads), ``.ttl.gz`` (the same as Turtle), ``.csv.gz`` (its rows
table, every row, through the one formula-safe CSV writer) and ``/dumps/all.nq.gz``
(everything).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO

from flask import Blueprint, render_template, url_for

from catalogue import iris
from catalogue.analysis import Query, Result, run
from catalogue.analysis import datasets as ds
from catalogue.errors import NotFound, StoreUnavailable
from catalogue.vocab import compact
from catalogue.web import base_uri, get_store
from catalogue.web.dumps import dump_file, send_dump
from catalogue.web.fetch import fetch
from catalogue.web.resources import register_page, statements
from catalogue.web.tables import Column, Table, csv_lines, page_args, respond, split_format, view

bp = Blueprint("datasets", __name__)
SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]*"
#: The publisher segment is a council's GSS code, or a body's key (``iris.publisher``:
#: a national body's name, ``not-stated``) for tables that cover many areas.
PUBLISHER = r"[EWSN]\d{8}|[a-z0-9][a-z0-9-]*"
PAGE_PATTERN = rf"dataset/({PUBLISHER})/({SEGMENT})/({SEGMENT})"
_SEGMENT = re.compile(f"^{SEGMENT}$")
SAMPLE_ROWS = 20


def record_or_404(gss: str, kind: str, key: str) -> dict:
    if not (re.fullmatch(PUBLISHER, gss) and _SEGMENT.match(kind) and _SEGMENT.match(key)):
        raise NotFound("not a dataset address: /dataset/<GSS code or publisher>/<kind>/<key>")
    iri = iris.dataset(base_uri(), gss, kind, key)
    rows = fetch(ds.dataset(base_uri(), iri)).rows
    if not rows:
        raise NotFound(f"no dataset {iri} is loaded")
    record = dict(rows[0], iri=iri, gss=gss, kind_name=ds.kind_name(rows[0].get("kind")), key=key,
                  kind_segment=kind)
    record["dump"] = url_for("datasets.dump", gss=gss, kind=kind, key=key)
    record["dump_turtle"] = url_for("datasets.dump_turtle", gss=gss, kind=kind, key=key)
    record["dump_csv"] = url_for("datasets.dump_csv", gss=gss, kind=kind, key=key)
    return record


def issues_table(record: dict) -> Table:
    result = fetch(ds.issues(base_uri(), record["iri"]))
    rows = [dict(r, severity=str(r["severity"]).rsplit("#", 1)[-1]) for r in result.rows]
    return Table("issues", "Validation report", [
        Column("row", "Row", "int"), Column("column", "Column"), Column("value", "Value"),
        Column("severity", "Severity"), Column("problem", "Problem"), Column("message", "What is wrong"),
        Column("fix", "How to fix it")], rows, query=result.query, sort="row",
        description="Problems found when the file was loaded, by CSV row (the header is row 1) and "
                    "column as the file spells it. Warnings leave the row loaded.")


def skipped_table(record: dict) -> Table:
    result = fetch(ds.skipped(base_uri(), record["iri"]))
    return Table("skipped", "Rows not loaded", [Column("row", "Row", "int"), Column("reason", "Reason")],
                 result.rows, query=result.query, sort="row")


#: Row numbers read at a time when a whole file's rows are downloaded.
STREAM_WINDOW = 1000


def rows_table(record: dict, size: int | None = None, page: int = 1,
               get: Callable[[Query], Result] = fetch) -> Table:
    """One page of the file's rows, by CSV row number (a window of row numbers per page).

    The table's total is the rows loaded (what it lists); its pages span the file's row
    numbers, skipped rows included, so a skipped row leaves a gap, never a lost page.
    Its CSV is every loaded row, streamed a window at a time. ``get`` runs each window's
    query (the page cache by default; the CSV dump reads past it).
    """
    positions = int(record.get("sourceRows") or record.get("rows") or 0)
    loaded = int(record.get("rows") or 0)
    size = size or SAMPLE_ROWS
    start = 2 + (page - 1) * size  # the header is row 1
    window = range(start, min(positions + 1, start + size - 1) + 1)
    table = _rows_window(record, window, get)
    table.total, table.span, table.page_size = loaded, positions, size

    def every_row():
        for first in range(2, positions + 2, STREAM_WINDOW):
            yield from _rows_window(record, range(first, min(positions + 1, first + STREAM_WINDOW - 1) + 1), get).rows

    table.stream_all = every_row
    return table


def _rows_window(record: dict, window: range, get: Callable[[Query], Result] = fetch) -> Table:
    """The rows whose CSV row numbers are in ``window``, in that order."""
    if record["kind_name"] != "spend":
        return derived_table(record, window, get)
    result = get(ds.lines(record["iri"], str(record["graph"]), window, str(record.get("download") or "")))
    rows = []
    for r in result.rows:
        number = int(r["line"].rsplit("/", 1)[-1])
        # A line dated by a period (a quarter, a financial year) shows the period as published.
        rows.append({"row": number, "line": r["line"], "date": r.get("period") or r.get("date"),
                     "amount": r.get("amount"),
                     "payee_label": r.get("payeeLabel") or (r.get("payee") and iris.fallback_label(r["payee"])),
                     "payee": r.get("payee"),
                     "expense_type": r.get("expenseType"), "service_area": r.get("serviceArea"),
                     "cite": f"row {number}" if r.get("source") else None, "source": r.get("source")})
    rows.sort(key=lambda r: r["row"])
    when = "Date or period" if any(r.get("period") for r in result.rows) else "Date"
    return Table("rows", "Payment lines", [
        Column("row", "Row", "int", href="line"), Column("date", when),
        Column("payee_label", "Payee", href="payee"), Column("amount", "Net amount", "money"),
        Column("expense_type", "Expense type"), Column("service_area", "Service area"),
        Column("cite", "Source (RFC 7111)", href="source")], rows,
        query=result.query,
        description="The file's records as loaded, numbered as in the CSV (the header is row 1, so the "
                    "first record is row 2). Skipped rows leave gaps. The whole dataset is in the N-Quads dump.")


def derived_table(record: dict, window: range, get: Callable[[Query], Result] = fetch) -> Table:
    """Any kind: what each row became (resources derived from ``source#row=N``)."""
    result = get(ds.derived(str(record["graph"]), str(record.get("download") or ""), window))
    rows = []
    for r in result.rows:
        rows.append({"row": int(r["source"].rsplit("=", 1)[-1]), "thing": r["thing"],
                     "label": r.get("label") or iris.fallback_label(r["thing"]),
                     "kind": compact(r["kind"]) if r.get("kind") else None})
    rows.sort(key=lambda r: (r["row"], r["thing"]))
    return Table("rows", "Rows and what they became", [
        Column("row", "Row", "int"), Column("label", "Resource", href="thing"), Column("kind", "Type")], rows,
        query=result.query,
        description="The file's rows as loaded, numbered as in the CSV (header = row 1), each with the "
                    "resources made from it. The whole dataset is in the N-Quads dump.")


@bp.route("/dataset/<gss>/<kind>/<key>/<name>")
def table(gss: str, kind: str, key: str, name: str):
    record = record_or_404(gss, kind, key)
    stem, suffix = split_format(name)
    path = url_for("datasets.table", gss=gss, kind=kind, key=key, name=stem)
    if stem == "rows":
        holder = Table("rows", "", [], [], total=0, page_size=50)
        page, size = page_args(holder)
        built = rows_table(record, size=size, page=page)
    elif stem in TABLES:
        built = TABLES[stem](record)
    else:
        raise NotFound(f"no table {stem!r}; the tables are rows, {', '.join(TABLES)}")
    return respond(built, path, suffix, heading=str(record["title"]),
                   breadcrumbs=[("Home", url_for("home.index")), ("Catalogue", url_for("catalogue.index")),
                                (str(record["title"]), _doc(record))])


def _doc(record: dict) -> str:
    return url_for("resources.document", path=f"dataset/{record['gss']}/{record['kind_segment']}/{record['key']}")


def history_table(record: dict) -> Table:
    """The dataset's change records: when, what, rows added and removed, which file, by whom."""
    result = fetch(ds.changes(base_uri(), record["iri"]))
    rows = [dict(r, what=str(r["type"]).rsplit("#", 1)[-1]) for r in result.rows]
    return Table("history", "Change history", [
        Column("date", "When"), Column("what", "What"), Column("rowsAdded", "Rows added", "int"),
        Column("rowsRemoved", "Rows removed", "int"), Column("rowsAfter", "Rows after", "int"),
        Column("file", "File"), Column("who", "By"), Column("sha256", "sha256")], rows, query=result.query, sort="date", desc=True,
        extra_keys=["change"],
        description="Every load, reload and withdrawal of this dataset. Rows added and removed compare the "
                    "rows' content with the version before.")


TABLES = {"issues": issues_table, "skipped": skipped_table, "history": history_table}


def page(iri: str, graph, match) -> str:
    record = record_or_404(*match.groups())
    base_path = url_for("datasets.table", gss=record["gss"], kind=record["kind_segment"], key=record["key"],
                        name="")
    tables = {}
    for name, built in (("history", history_table(record)), ("issues", issues_table(record)),
                        ("skipped", skipped_table(record)), ("rows", rows_table(record))):
        tables[name] = {"v": view(built, base_path + name), "full_url": base_path + name}
    return render_template("datasets/page.html", iri=iri, record=record, panels=tables,
                           statements=statements(iri, graph),
                           council_href=url_for("resources.document", path=f"council/{record['gss']}"))


@bp.route("/dumps/<gss>/<kind>/<key>.nq.gz", defaults={"fmt": "nq"})
@bp.route("/dumps/<gss>/<kind>/<key>.ttl.gz", defaults={"fmt": "ttl"}, endpoint="dump_turtle")
def dump(gss: str, kind: str, key: str, fmt: str):
    """One dataset's graph: built once per load (its graph names the version)."""
    record = record_or_404(gss, kind, key)
    store, graph = get_store(), str(record["graph"])
    path = dump_file(f"{gss}-{kind}-{key}", graph, fmt, lambda out: store.dump(out, graph))
    return send_dump(path, f"{gss}-{kind}-{key}.{fmt}.gz", fmt)


@bp.route("/dumps/<gss>/<kind>/<key>.csv.gz")
def dump_csv(gss: str, kind: str, key: str):
    """One dataset's rows table as CSV: built once per load, like its N-Quads."""
    record = record_or_404(gss, kind, key)
    path = dump_file(f"{gss}-{kind}-{key}", str(record["graph"]), "csv", rows_csv(record, get_store()),
                     off_loop=False)
    return send_dump(path, f"{gss}-{kind}-{key}.csv.gz", "csv")


def rows_csv(record: dict, store) -> Callable[[IO[bytes]], None]:
    """A writer of every row of the dataset as CSV (the rows table's columns, formula-safe).

    Its queries go straight to the store, a window of rows at a time, not through the
    page cache (a whole dataset would push every page out of it); they run where the
    request runs, since a query worker's pipe cooperates with the event loop. A window the
    store cut short fails the build: a dump is whole or not written."""
    def get(query: Query) -> Result:
        result = run(store, query)
        if result.truncated:
            raise StoreUnavailable(f"the CSV dump of {record['iri']} was not written: {result.truncation_reason}")
        return result

    def write(out: IO[bytes]) -> None:
        table = rows_table(record, get=get)
        for chunk in csv_lines(table.data_keys, table.stream_all()):
            out.write(chunk.encode("utf-8"))

    return write


@bp.route("/dumps/all.nq.gz")
def dump_all():
    """Everything: built once per published data version."""
    from catalogue.web.conditional import data_version

    store = get_store()
    path = dump_file("all", data_version()[0], "nq", lambda out: store.dump(out))
    return send_dump(path, "svcat-all.nq.gz", "nq")


register_page(PAGE_PATTERN, page)
