"""``/``: what is loaded: councils, datasets and their row counts, with links."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from catalogue import iris
from catalogue.store.sparql_text import iri
from catalogue.vocab import sparql_prologue
from catalogue.web import base_uri, get_store
from catalogue.web import negotiate as ng
from catalogue.web.resources import local_href

bp = Blueprint("home", __name__)


def loaded_datasets() -> list[dict]:
    """Every dataset in the catalogue graph with its council and counts."""
    cat = iris.catalogue_graph(base_uri())
    rows = get_store().select(sparql_prologue("dcat", "dcterms", "sv", "void", "rdfs") + f"""
        SELECT DISTINCT ?dataset ?title ?council ?councilName ?kind ?rows ?skipped ?warnings ?triples ?modified
        WHERE {{ GRAPH {iri(cat)} {{
            ?dataset a dcat:Dataset ; dcterms:title ?title ; dcterms:publisher ?council ;
                     sv:loadedRowCount ?rows ; sv:skippedRowCount ?skipped ;
                     sv:warningCount ?warnings ; void:triples ?triples ; dcterms:modified ?modified .
            OPTIONAL {{ ?dataset dcterms:type ?kind }} }}
          OPTIONAL {{ ?council rdfs:label ?councilName }} }}
        ORDER BY ?councilName ?title""").rows
    return [{
        "iri": str(r["dataset"]), "href": local_href(r["dataset"]), "title": str(r["title"]),
        "council": str(r["council"]), "council_href": local_href(r["council"]),
        "council_name": str(r.get("councilName") or iris.fallback_label(r["council"])),
        "kind": str(r["kind"]).rsplit("#", 1)[-1] if r.get("kind") else "",
        "rows": int(r["rows"]), "skipped": int(r["skipped"]), "warnings": int(r["warnings"]),
        "triples": int(r["triples"]), "modified": str(r["modified"]),
    } for r in rows]


def councils(datasets: list[dict]) -> list[dict]:
    out: dict[str, dict] = {}
    for d in datasets:
        c = out.setdefault(d["council"], {"iri": d["council"], "href": d["council_href"],
                                          "name": d["council_name"], "datasets": 0, "rows": 0})
        c["datasets"] += 1
        c["rows"] += d["rows"]
    return sorted(out.values(), key=lambda c: c["name"])


def figures(datasets: list[dict]) -> dict:
    """The home page's headline figures (the page and its JSON show these, nothing else).

    ``payment_lines`` counts only the spend datasets' loaded lines: the rows of supplier
    lists, contracts, grants and outcomes are rows, not payments (56,788 rows were shown as
    payment lines where the store held 53,992).
    """
    return {"datasets": datasets, "councils": councils(datasets),
            "payment_lines": sum(d["rows"] for d in datasets if d["kind"] == "spend"),
            "spend_datasets": sum(1 for d in datasets if d["kind"] == "spend"),
            "rows": sum(d["rows"] for d in datasets)}


@bp.route("/")
def index():
    summary = figures(loaded_datasets())
    if ng.best(request.headers.get("Accept"), (ng.HTML, ng.JSON)) is ng.JSON:
        return jsonify(summary)
    return render_template("home/index.html", **summary)
