"""Councils: the list, each council's dashboard (its ``/doc/council/<GSS>`` page) and its tables.

``/councils`` lists every council with loaded data. A council's dashboard is the HTML
representation of its IRI (``/id/council/<GSS>`` 303s there; RDF clients get RDF from
the same URL). Each panel is a table at ``/council/<GSS>/<table>`` (``.csv``, ``.json``)
with its chart at ``/council/<GSS>/<table>.svg``, all read from the summary cubes.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, redirect, render_template, url_for

from catalogue import iris
from catalogue.analysis import datasets as ds
from catalogue.errors import NotFound
from catalogue.web import base_uri
from catalogue.web import council_tables as ct
from catalogue.web.conditional import cached
from catalogue.web.fetch import fetch
from catalogue.web.resources import register_page, statements
from catalogue.web import negotiate as ng
from catalogue.web.tables import (
    Column, Table, choose_format, requested_page, respond, split_format, view,
)

bp = Blueprint("councils", __name__)
GSS = re.compile(r"^[EWSN]\d{8}$")
DASHBOARD_ROWS = 10
CHARTED = ("months", "expense-types", "service-areas", "suppliers", "classes")


def catalogue_rows() -> list[dict]:
    """Every dataset record as a plain row (shared by the catalogue and council pages)."""
    result = fetch(ds.datasets(base_uri()))
    rows = []
    for r in result.rows:
        rows.append({
            "dataset": r["dataset"], "title": r["title"], "council": r["council"],
            "council_name": r.get("councilLabel") or iris.fallback_label(r["council"]),
            "kind": ds.kind_name(r.get("kind")),
            "start": r.get("start"), "end": r.get("end"), "rows": r.get("rows"),
            "skipped": r.get("skipped"), "warnings": r.get("warnings"), "violations": r.get("violations"),
            "licence": r.get("licence"), "modified": r.get("modified"), "issued": r.get("issued"),
            "status": _status(r),
        })
    return rows


def _status(record: dict) -> str:
    if record.get("violations"):
        return f"{record['violations']:,} violations (rows skipped)"
    if record.get("warnings"):
        return f"valid, {record['warnings']:,} warnings"
    return "valid"


def council_rows() -> list[dict]:
    out: dict[str, dict] = {}
    for d in catalogue_rows():
        if "/id/council/" not in d["council"]:
            continue  # a national body's table, or one whose publisher is not stated: not a council
        c = out.setdefault(d["council"], {"council": d["council"], "name": d["council_name"],
                                          "gss": d["council"].rsplit("/", 1)[-1], "datasets": 0, "rows": 0,
                                          "start": None, "end": None})
        c["datasets"] += 1
        if d["kind"] != "spend":
            continue  # payment lines and the spend period come from spend files only
        c["rows"] += d["rows"] or 0
        if d["start"] and (c["start"] is None or d["start"] < c["start"]):
            c["start"] = d["start"]
        if d["end"] and (c["end"] is None or d["end"] > c["end"]):
            c["end"] = d["end"]
    return sorted(out.values(), key=lambda c: c["name"])


def councils_table() -> Table:
    return Table("councils", "Councils", [
        Column("name", "Council", href="council"), Column("gss", "GSS code"),
        Column("datasets", "Datasets", "int"), Column("rows", "Payment lines", "int"),
        Column("start", "Spend from"), Column("end", "Spend to")], council_rows(), sort="name",
        query=ds.datasets(base_uri()))


@bp.route("/councils")
@bp.route("/councils.<any(csv,json,html):suffix>")
def index(suffix=None):
    return respond(councils_table(), url_for("councils.index"), suffix,
                   breadcrumbs=[("Home", url_for("home.index"))])


def council_or_404(gss: str) -> dict:
    if not GSS.match(gss):
        raise NotFound(f"{gss!r} is not a GSS code (a letter and eight digits, e.g. E08000035)")
    iri = iris.council(base_uri(), gss)
    for council in council_rows():
        if council["council"] == iri:
            return council
    raise NotFound(f"no data is loaded for the council {gss}")


@bp.route("/council/<gss>")
def council(gss: str):
    council_or_404(gss)
    return redirect(url_for("resources.document", path=f"council/{gss}"), code=302)


@bp.route("/council/<gss>/<name>")
def table(gss: str, name: str):
    info = council_or_404(gss)
    if name.endswith(".svg"):
        return chart(info, name[:-4])
    stem, suffix = split_format(name)
    page = None
    if stem == "suppliers" and choose_format(suffix) is not ng.CSV:
        page = requested_page("spend")  # one page by rank, not every payee (2 s at 100,000 lines)
    built = ct.suppliers(info["council"], page=page) if page else ct.build(stem, info["council"])
    if built is None:
        raise NotFound(f"no table {stem!r}; the tables are {', '.join(ct.BUILDERS)}")
    path = url_for("councils.table", gss=gss, name=stem)
    return respond(built, path, suffix, heading=info["name"],
                   breadcrumbs=[("Home", url_for("home.index")), ("Councils", url_for("councils.index")),
                                (info["name"], url_for("resources.document", path=f"council/{gss}"))])


def chart(info: dict, name: str) -> Response:
    if name not in CHARTED:
        raise NotFound(f"no chart {name!r}; the charts are {', '.join(CHARTED)}")
    svg = cached(f"chart:{info['council']}:{name}", lambda: draw(name, info))
    return Response(svg, mimetype="image/svg+xml")


def draw(name: str, info: dict) -> str:
    from catalogue import charts  # matplotlib loads on the first chart, not with the app

    built = ct.build(name, info["council"], top=DASHBOARD_ROWS)
    rows = built.rows
    title = f"{info['name']}: {built.caption.lower()}"
    if name == "months":
        return charts.bars_by_month([r["month"] for r in rows], [r["spend"] for r in rows], title)
    if name == "classes":
        shares = {r["label"]: r["share"] or 0.0 for r in rows if not r["class"].count("?")}
        return charts.stacked_shares([(info["name"], shares)], title)
    top = sorted(rows, key=lambda r: r["spend"], reverse=True)[:DASHBOARD_ROWS]
    label = "supplier" if name == "suppliers" else "label"
    return charts.horizontal_bars([str(r[label]) for r in top], [r["spend"] for r in top],
                                  f"{title} (top {len(top)})")


def dashboard(iri: str, graph, match) -> str:
    """The council's page: headline figures, then one panel per table."""
    info = council_or_404(match.group(1))
    gss = info["gss"]
    panels = []
    for name in ("months", "classes", "concentration", "suppliers", "expense-types", "service-areas",
                 "supplier-lists"):
        built = ct.build(name, info["council"], top=DASHBOARD_ROWS)
        path = url_for("councils.table", gss=gss, name=name)
        panels.append({"name": name, "v": view(built, path), "full_url": path,
                       "chart": url_for("councils.table", gss=gss, name=name + ".svg") if name in CHARTED else None})
    months = ct.months(info["council"]).rows
    figures = ct.headline(info["council"])
    datasets = [d for d in catalogue_rows() if d["council"] == info["council"]]
    return render_template(
        "councils/dashboard.html", iri=iri, info=info, panels={p["name"]: p for p in panels},
        total=figures["spend"], lines=figures["lines"], figures=figures,
        months=months, datasets=datasets, statements=statements(iri, graph), limit=DASHBOARD_ROWS,
        known_share=figures["known_share"], shares=ct.shares(info["council"]))


register_page(r"council/([EWSN]\d{8})", dashboard)
