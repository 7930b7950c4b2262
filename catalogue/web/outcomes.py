"""Outcomes: the indicators councils publish, each over time with the council beside its peers.

``/outcomes`` lists every indicator and measure. An indicator's page is the HTML of its
concept IRI (``/doc/concept/<GSS>/indicator/<key>``): for each of its measures, a chart
(the council's own area in colour, England dashed, the other areas in the file in grey),
the table of values (``/outcomes/<GSS>/<indicator>/<measure>``, ``.csv``, ``.json``; the
chart at ``.svg``) and the query.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from catalogue import iris
from catalogue.analysis import outcomes as oc
from catalogue.errors import NotFound
from catalogue.vocab import SV
from catalogue.web import base_uri
from catalogue.web.conditional import cached
from catalogue.web.councils import council_rows
from catalogue.web.fetch import fetch
from catalogue.web.resources import register_page
from catalogue.web.tables import Column, Table, respond, split_format, view

bp = Blueprint("outcomes", __name__)
ENGLAND = iris.geography("E92000001")


def indicators_table() -> Table:
    result = fetch(oc.indicators())
    rows = []
    for r in result.rows:
        gss, key = _keys(r["indicator"])
        rows.append(dict(r, page=url_for("resources.document", path=f"concept/{gss}/indicator/{key}")))
    return Table("indicators", "Outcome indicators", [
        Column("indicatorLabel", "Indicator", href="page"), Column("measureLabel", "Measure"),
        Column("councilLabel", "Published by", href="council"), Column("observations", "Values", "int"),
        Column("areas", "Areas", "int"), Column("periods", "Periods", "int")], rows, query=result.query,
        sort="indicatorLabel", extra_keys=["indicator", "measure"],
        description="Each indicator a council publishes in its outcome files, with the areas (the council "
                    "and its peers) and periods it covers.")


#: The measure key of observations that do not say how they are measured (``sv:notStated``).
NOT_STATED = "not-stated"


def _keys(concept: str) -> tuple[str, str]:
    """``{base}id/concept/<GSS>/<scheme>/<key>`` -> (GSS, key)."""
    if concept == str(SV.notStated):
        return "", NOT_STATED
    parts = concept[len(base_uri()):].split("/")
    if len(parts) != 5 or parts[:2] != ["id", "concept"]:
        raise NotFound(f"{concept} is not one of our concepts")
    return parts[2], parts[4]


def values_table(gss: str, indicator_key: str, measure_key: str) -> tuple[Table, dict]:
    base = base_uri()
    indicator = iris.concept(base, gss, "indicator", indicator_key)
    measure = str(SV.notStated) if measure_key == NOT_STATED else iris.concept(base, gss, "measure", measure_key)
    result = fetch(oc.observations(indicator, measure))
    if not result.rows:
        raise NotFound(f"no values of {indicator} measured as {measure}")
    home = iris.geography(gss)
    rows = []
    for r in result.rows:
        code = r["area"].rsplit("/", 1)[-1]
        name = r.get("areaLabel") or ("England" if r["area"] == ENGLAND else code)
        rows.append({"area": r["area"], "area_name": name, "gss": code, "period": r.get("periodLabel") or r["period"],
                     "period_iri": r["period"], "start": r.get("start"), "value": r["value"], "unit": r.get("unit"),
                     "is_council": r["area"] == home})
    labels = {k: (fetch(oc.concept_label(iri)).rows or [{}])[0].get("label") or k
              for k, iri in (("indicator", indicator), ("measure", measure))}
    if measure_key == NOT_STATED:
        labels["measure"] = "Measure not stated"
    rows.sort(key=lambda r: (not r["is_council"], str(r["start"] or ""), r["gss"]))  # the council first
    table = Table(f"{indicator_key}--{measure_key}", f"{labels['indicator']}: {labels['measure'].lower()}", [
        Column("area_name", "Area"), Column("gss", "GSS code"), Column("period", "Period"),
        Column("value", "Value", "number"), Column("unit", "Unit")], rows, query=result.query,
        extra_keys=["area", "period_iri", "start", "is_council"],
        description="The publishing council's own values first, then every other area in the file. Areas "
                    "that are not councils with data here are named by their GSS code.")
    return table, {"indicator": indicator, "measure": measure, "home": home, "labels": labels}


@bp.route("/outcomes")
@bp.route("/outcomes.<any(csv,json,html):suffix>")
def index(suffix: str | None = None):
    return respond(indicators_table(), url_for("outcomes.index"), suffix,
                   breadcrumbs=[("Home", url_for("home.index"))])


@bp.route("/outcomes/<gss>/<indicator>/<name>")
def values(gss: str, indicator: str, name: str):
    if name.endswith(".svg"):
        return Response(cached(f"outcome-chart:{gss}/{indicator}/{name}", lambda: draw(gss, indicator, name[:-4])),
                        mimetype="image/svg+xml")
    measure, suffix = split_format(name)
    table, _ = values_table(gss, indicator, measure)
    return respond(table, url_for("outcomes.values", gss=gss, indicator=indicator, name=measure), suffix,
                   breadcrumbs=[("Home", url_for("home.index")), ("Outcomes", url_for("outcomes.index"))])


def draw(gss: str, indicator: str, measure: str) -> str:
    from catalogue import charts  # matplotlib loads on the first chart

    table, facts = values_table(gss, indicator, measure)
    order: dict[str, str] = {}
    for row in sorted(table.rows, key=lambda r: (str(r["start"] or ""), r["period"])):
        order.setdefault(row["period_iri"], row["period"])
    periods = list(order)
    series: dict[str, list] = {}
    home_name = reference = None
    for row in table.rows:
        values = series.setdefault(row["area_name"], [None] * len(periods))
        values[periods.index(row["period_iri"])] = row["value"]
        if row["is_council"]:
            home_name = row["area_name"]
        if row["area"] == ENGLAND:
            reference = row["area_name"]
    unit = next((r["unit"] for r in table.rows if r.get("unit")), "")
    title = table.caption
    if reference and len(series) > 1:
        others = [v for name, vs in series.items() if name != reference for v in vs if v is not None]
        if others and max(v for v in series[reference] if v is not None) > 10 * max(others):
            series.pop(reference)  # a count for all England would flatten every council to zero
            reference, title = None, f"{title} (England left out: its scale is far larger)"
    return charts.peer_lines([order[p] for p in periods], series, home_name, reference, title,
                             f"{facts['labels']['measure']} ({unit})" if unit else facts["labels"]["measure"])


def indicator_page(iri: str, graph, match) -> str:
    gss, key = match.groups()
    measures = sorted({r["measure"] for r in fetch(oc.indicators()).rows if r["indicator"] == iri})
    if not measures:
        raise NotFound(f"no outcome values for {iri}")
    panels = []
    for measure in measures:
        measure_key = _keys(measure)[1]
        table, facts = values_table(gss, key, measure_key)
        path = url_for("outcomes.values", gss=gss, indicator=key, name=measure_key)
        panels.append({"v": view(table, path), "full_url": path, "chart": path + ".svg", "facts": facts})
    title = panels[0]["facts"]["labels"]["indicator"]
    names = {c["gss"]: c["name"] for c in council_rows()}
    return render_template("outcomes/indicator.html", iri=iri, title=title, panels=panels, gss=gss,
                           council_name=names.get(gss, gss))


register_page(r"concept/([EWSN]\d{8}|[a-z0-9][a-z0-9-]*)/indicator/([a-z0-9-]+)", indicator_page)
