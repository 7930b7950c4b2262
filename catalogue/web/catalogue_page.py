"""``/catalogue`` (DCAT 3), ``/void`` (VoID) and ``/sitemap.xml``.

``/catalogue`` is one resource in several representations: an HTML table of every
dataset (also ``.csv``/``.json``, paged and sortable like every table) and the DCAT
catalogue as Turtle, JSON-LD, N-Triples or RDF/XML, by ``Accept`` or suffix.
``/.well-known/void`` (RFC 5785, VoID section 7) redirects to ``/void``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Response, redirect, request, url_for

from catalogue.analysis import datasets as ds
from catalogue.errors import NotFound
from catalogue.vocab import PREFIXES
from catalogue.web import base_uri
from catalogue.web import negotiate as ng
from catalogue.web.conditional import cached
from catalogue.web.councils import catalogue_rows, council_rows
from catalogue.web.dcat import catalogue_rdf, page_url, void_rdf
from catalogue.web.resources import register_page
from catalogue.web.tables import Column, Table, respond

bp = Blueprint("catalogue", __name__)
SERIALIZERS = {"turtle": "turtle", "json-ld": "json-ld", "n-triples": "nt", "rdf/xml": "xml"}
TABLE_FORMATS = {"csv", "json", "html"}


def datasets_table() -> Table:
    rows = []
    for d in catalogue_rows():
        rows.append(dict(d, period=f"{d['start'] or '?'} to {d['end'] or '?'}" if d["start"] or d["end"] else None,
                         dump=page_url(base_uri(), d["dataset"]).replace("/doc/dataset/", "/dumps/") + ".nq.gz",
                         download="N-Quads (gzip)",
                         licence_name="OGL v3.0" if d["licence"] and "open-government-licence/version/3"
                         in d["licence"] else d["licence"]))
    return Table("catalogue", "Datasets", [
        Column("title", "Dataset", href="dataset"), Column("council_name", "Publisher", href="council"),
        Column("kind", "Kind"), Column("start", "From"), Column("end", "To"), Column("rows", "Rows", "int"),
        Column("licence_name", "Licence", href="licence"), Column("status", "Validation"),
        Column("modified", "Loaded"), Column("download", "Download", href="dump")],
        rows, query=ds.datasets(base_uri()), sort="council_name",
        extra_keys=["skipped", "warnings", "violations", "issued"],
        description="Every dataset loaded, with its publisher, period, rows, licence and validation status. "
                    "Each is a DCAT dataset: this page is also DCAT 3 RDF (Turtle, JSON-LD) at the same address.")


def rdf_response(graph, fmt: ng.Format) -> Response:
    if fmt is ng.JSONLD:
        body = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    else:
        body = graph.serialize(format=SERIALIZERS[fmt.name])
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/catalogue")
@bp.route("/catalogue.<suffix>")
def index(suffix: str | None = None):
    if suffix is not None and suffix not in TABLE_FORMATS:
        fmt = ng.BY_EXTENSION.get(suffix)
        if fmt is None:
            raise NotFound(f"no {suffix!r} format; use .ttl, .jsonld, .nt, .rdf, .csv, .json or .html")
        return catalogue_rdf_response(fmt)
    if suffix is None:
        choice = ng.best(request.headers.get("Accept"), (ng.HTML, *ng.RDF_FORMATS, ng.JSON, ng.CSV))
        if choice in ng.RDF_FORMATS:
            return catalogue_rdf_response(choice)
    return respond(datasets_table(), url_for("catalogue.index"), suffix,
                   breadcrumbs=[("Home", url_for("home.index"))])


def catalogue_rdf_response(fmt: ng.Format) -> Response:
    body = cached(f"catalogue-rdf:{fmt.name}", lambda: rdf_response(catalogue_rdf(base_uri()), fmt).get_data())
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/void")
@bp.route("/void.<any(ttl,jsonld,nt,rdf):suffix>")
def void(suffix: str | None = None):
    fmt = ng.BY_EXTENSION[suffix] if suffix else (ng.best(request.headers.get("Accept"), ng.RDF_FORMATS) or ng.TURTLE)
    body = cached(f"void:{fmt.name}", lambda: rdf_response(void_rdf(base_uri()), fmt).get_data())
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/.well-known/void")
def well_known_void():
    return redirect(url_for("catalogue.void"), code=303)


@bp.route("/sitemap.xml")
def sitemap():
    """Every page worth indexing: the lists, each council's dashboard and each dataset."""
    base = base_uri()
    urls = [base, f"{base}catalogue", f"{base}councils", f"{base}social-value", f"{base}outcomes",
            f"{base}query", f"{base}queries", f"{base}search"]
    urls += [page_url(base, c["council"]) for c in council_rows()]
    urls += [page_url(base, d["dataset"]) for d in catalogue_rows()]
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{escape(url)}</loc></url>" for url in urls]
    body.append("</urlset>\n")
    return Response("\n".join(body), mimetype="application/xml")


def catalogue_document(iri: str, graph, match) -> str:
    """``/doc/catalogue`` in HTML is the catalogue page."""
    response = respond(datasets_table(), url_for("catalogue.index"), "html",
                       breadcrumbs=[("Home", url_for("home.index"))])
    return response.get_data(as_text=True)


register_page("catalogue", catalogue_document)
