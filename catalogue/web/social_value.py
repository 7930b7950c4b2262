"""``/social-value``: councils side by side on who their money reaches, over time.

Shares to SMEs, VCSE organisations, public bodies, large enterprises and individuals,
and the unknown share beside them, never hidden: a class's true share lies between
its known share and known + unknown. Tables ``/social-value/<table>`` (``.csv``,
``.json``) and charts ``/social-value/<chart>.svg``, each with the queries behind it.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from catalogue.analysis import social_value as sv
from catalogue.errors import NotFound
from catalogue.web import base_uri
from catalogue.web.conditional import cached
from catalogue.web.councils import council_rows
from catalogue.web.fetch import fetch
from catalogue.web.tables import Column, Table, respond, split_format, view

bp = Blueprint("social_value", __name__)
CHARTS = ("shares", "sme-over-time", "vcse-over-time")


def _columns(by_month: bool) -> list[Column]:
    columns = [Column("council_name", "Council", href="council")]
    if by_month:
        columns.append(Column("month", "Month"))
    columns.append(Column("total", "Net spend", "money"))
    unknown = sv.class_slugs()[-1][0] + "_share"  # unknown is last
    for slug, label in sv.class_slugs():
        key = slug + "_share"
        columns.append(Column(key, label, "share", unknown=None if key == unknown else unknown))
    columns.append(Column("known_share", "Known class", "share"))
    return columns


def shares_table(by_month: bool) -> Table:
    base = base_uri()
    classes, totals = fetch(sv.class_spend(base, by_month)), fetch(sv.total_spend(base, by_month))
    names = {c["council"]: c["name"] for c in council_rows()}
    rows = [dict(r, council_name=names.get(r["council"], r["council"]))
            for r in sv.shares(classes.rows, totals.rows, by_month)]
    name = "shares-by-month" if by_month else "shares"
    caption = "Shares of spend by social-value class" + (", by month" if by_month else "")
    return Table(name, caption, _columns(by_month), rows, query=totals.query,
                 more_queries=[classes.query], sort="council_name",
                 truncated=classes.truncated or totals.truncated,
                 truncation_reason=classes.reason or totals.reason,
                 extra_keys=[slug for slug, _ in sv.class_slugs()] + ["lines"],
                 description="Each class's share of the council's net spend, by the canonical organisation "
                             "its suppliers are linked to. Unknown is spend with no class evidence yet: "
                             "unlinked suppliers, withheld payees, organisations not yet classified. "
                             "An organisation can be both SME and VCSE, so shares can add up to more "
                             "than the known share.")


def stacked_table() -> Table:
    """One class per payee (an SME that is also VCSE counts as VCSE): the parts of each
    council's spend, as shares of a stated base that add up to 100%; the stacked chart."""
    primary = fetch(sv.primary_class_spend(base_uri(), False))
    names = {c["council"]: c["name"] for c in council_rows()}
    rows = [dict(r, council_name=names.get(r["council"], r["council"])) for r in sv.stacked_shares(primary.rows, False)]
    columns = [Column("council_name", "Council", href="council"), Column("base", "Base (net spend of parts "
                                                                                 "that are not net credits)", "money")]
    columns += [Column(slug + "_share", label, "share") for slug, label in sv.class_slugs()]
    columns.append(Column("credits", "Left out as net credits", "money"))
    return Table("stacked-shares", "Shares of spend, one class per payee (they add up to 100%)", columns, rows,
                 query=primary.query, sort="council_name", truncated=primary.truncated,
                 truncation_reason=primary.reason,
                 description="Each payee's spend counts in one class: public body, then VCSE, SME, large "
                             "enterprise, individual, else unknown. The base is the sum of the parts that are "
                             "not net credits, so no share is below 0% or above 100% and a row adds up to 100%.")


TABLES = {"shares": lambda: shares_table(False), "shares-by-month": lambda: shares_table(True),
          "stacked-shares": stacked_table}


@bp.route("/social-value")
def index():
    panels = {}
    for name, build in TABLES.items():
        path = url_for("social_value.table", name=name)
        panels[name] = {"v": view(build(), path), "full_url": path}
    return render_template("social_value/index.html", panels=panels,
                           charts={c: url_for("social_value.table", name=c + ".svg") for c in CHARTS})


@bp.route("/social-value/<name>")
def table(name: str):
    if name.endswith(".svg"):
        stem = name[:-4]
        if stem not in CHARTS:
            raise NotFound(f"no chart {stem!r}; the charts are {', '.join(CHARTS)}")
        return Response(cached(f"sv-chart:{stem}", lambda: draw(stem)), mimetype="image/svg+xml")
    stem, suffix = split_format(name)
    if stem not in TABLES:
        raise NotFound(f"no table {stem!r}; the tables are {', '.join(TABLES)}")
    return respond(TABLES[stem](), url_for("social_value.table", name=stem), suffix,
                   breadcrumbs=[("Home", url_for("home.index")), ("Social value", url_for("social_value.index"))])


def draw(name: str) -> str:
    from catalogue import charts  # matplotlib loads on the first chart, not with the app

    labels = dict(sv.class_slugs())
    if name == "shares":
        rows = sorted(stacked_table().rows, key=lambda r: r["council_name"])
        bars = [(r["council_name"], {labels[s]: r[s + "_share"] or 0.0 for s in labels}) for r in rows]
        return charts.stacked_shares(bars, "Share of net spend by social-value class (one class per payee), "
                                           "all periods")
    slug, what = {"sme-over-time": ("sme", "SME"), "vcse-over-time": ("vcse", "VCSE")}[name]
    series: dict[str, list] = {}
    for r in sorted(shares_table(True).rows, key=lambda r: (r["council_name"], r["month"])):
        known = r[slug + "_share"] or 0.0
        unknown = r["unknownClass_share"] or 0.0
        series.setdefault(r["council_name"], []).append((r["month"], known, min(1.0, known + unknown)))
    return charts.share_bands(series, f"{what} share of spend by month: known, and the range unknown leaves",
                              what)
