"""Organisations: each canonical organisation's page, the list, and the crosswalk.

An organisation's page is the HTML representation of its IRI (``/id/organisation/...``
303s to ``/doc/organisation/...``; RDF clients get RDF from the same URL). It shows every
council that paid it with totals per council and financial year (from the by-payee
summary cubes), the names each council used, its social-value classes with their
evidence, and every link with its method and score. ``/organisations/crosswalk.csv``
is the crosswalk researchers use outside SPARQL.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from catalogue.analysis.kinds import organisation_type
from catalogue.errors import NotFound
from catalogue.iris import fallback_label
from catalogue.linking import crosswalk, profile
from catalogue.linking import registry_facts as registry
from catalogue.vocab import SV
from catalogue.web import base_uri, get_store
from catalogue.web import negotiate as ng
from catalogue.web.conditional import cached
from catalogue.web.formatting import local_href
from catalogue.web.resources import register_page, statements
from catalogue.web.tables import Column, Table, choose_format, respond

bp = Blueprint("organisations", __name__)
#: Matches of a name search shown at most (the list without a search is every organisation).
MATCHES = 100


@bp.route("/organisations/", strict_slashes=False)
@bp.route("/organisations.<any(csv,json,html):suffix>")
def index(suffix: str | None = None):
    """Every canonical organisation, paid by the most councils first: a table like any other
    (paged with ``_size``/``_page`` and a next link, ``.csv``/``.json``); ``?q=`` narrows it
    to the names most like the words given."""
    from catalogue.web.reconcile import index as lookup_index

    idx = lookup_index()
    wanted = request.args.get("q", "").strip()
    if wanted:
        from catalogue.linking.reconcile import suggest_entities

        entries = suggest_entities(idx, wanted, MATCHES)
    else:
        entries = sorted(idx.entries, key=lambda e: (-len(e.councils), -e.record_count, e.label))
    rows = [{"label": e.label or fallback_label(e.iri), "organisation": e.iri,
             "type": organisation_type(e.iri, e.label, e.identifiers, (f"{SV}{c}" for c in e.classes)),
             "councils": len(e.councils), "records": e.record_count,
             "classes": ", ".join(sorted(e.classes)), "identifiers": " ".join(sorted(e.identifiers))}
            for e in entries]
    caption = f"Organisations named like “{wanted}”" if wanted else "Organisations, paid by the most councils first"
    table = Table("organisations", caption, [
        Column("label", "Organisation", href="organisation"), Column("type", "What it is"),
        Column("identifiers", "Identifiers"), Column("classes", "Social-value classes"),
        Column("councils", "Councils", "int"), Column("records", "Supplier records", "int")], rows,
        page_size=100, truncated=bool(wanted) and len(entries) >= MATCHES,
        truncation_reason=f"the {MATCHES} names most like “{wanted}”; add words to narrow the search"
        if wanted and len(entries) >= MATCHES else None)
    return respond(table, "/organisations", suffix or request.args.get("_format"),
                   template="organisations/index.html", total_organisations=len(idx.entries), q=wanted)


@bp.route("/organisations/crosswalk")
@bp.route("/organisations/crosswalk.<any(csv,json,html):suffix>")
def crosswalk_table(suffix: str | None = None):
    """One row per supplier as each council publishes it, with its canonical organisation:
    the crosswalk researchers use outside SPARQL, as a table (paged; ``.csv`` is every row)."""
    from catalogue.web.reconcile import index as lookup_index

    found = crosswalk.rows(get_store(), base_uri())
    suffix = suffix or request.args.get("_format")
    if choose_format(suffix) is ng.CSV:  # the same file as `svcat export crosswalk`, column for column
        response = Response(crosswalk.as_csv(found), mimetype="text/csv")
        response.headers["Content-Disposition"] = "inline; filename=crosswalk.csv"
        return response
    names = {e.iri: e.label for e in lookup_index().entries}
    rows = [dict(zip(crosswalk.COLUMNS, row)) for row in found]
    for row in rows:  # the HTML names the organisation; the CSV and JSON carry its IRI too
        row["organisation_label"] = names.get(row["organisation"]) or (
            fallback_label(row["organisation"]) if row["organisation"] else None)
    table = Table("crosswalk", "Supplier records and their organisations", [
        Column("council", "Council (GSS)"), Column("supplier_name", "Supplier (as published)"),
        Column("supplier_id", "Supplier id"), Column("method", "Link method"), Column("score", "Score"),
        Column("organisation_label", "Organisation", href="organisation")], rows, page_size=100,
        description="Every supplier record of every council with the organisation it is linked to, the "
                    "method and the score of the link.")
    return respond(table, "/organisations/crosswalk", suffix,
                   breadcrumbs=[("Home", url_for("home.index")), ("Organisations", url_for("organisations.index"))])


def _profile(iri: str):
    data = cached(f"organisation:{iri}", lambda: profile.profile(get_store(), base_uri(), iri))
    if data is None:
        raise NotFound(f"no organisation {iri} in the current links")
    return data


def _registry(data) -> list[dict]:
    """What the official registers say of it (``linking.registry_facts``), page and .json alike."""
    return cached(f"registry:{data.iri}", lambda: registry.registry_facts(get_store(), base_uri(), data.identifiers))


@bp.route("/doc/organisation/<path:key>.json")
def organisation_json(key: str):
    """The organisation as JSON: who it is, its classes, and its registry facts with their source and date."""
    iri = f"{base_uri()}id/organisation/{key}"
    data = _profile(iri)
    if data.retired_for:
        return jsonify({"organisation": iri, "retired_for": data.retired_for})
    settled = organisation_classification(iri)
    return jsonify({"organisation": iri, "label": data.label, "identifiers": data.identifiers,
                    "classes": data.classes, "postcodes": sorted(data.postcodes),
                    "registry": registry.as_json(_registry(data)),
                    "classification": settled.to_json() if settled else None})


def organisation_page(iri: str, graph, match) -> str:
    """The HTML of ``/doc/organisation/<key>`` (``resources.register_page``)."""
    data = _profile(iri)
    kind = organisation_type(data.same_as[0] if data.same_as else iri, data.label, data.identifiers,
                             (f"{SV}{c}" for c in data.classes))
    return render_template("organisations/page.html", org=data, iri=iri, href=local_href, org_type=kind,
                           fallback_label=fallback_label, registry=[] if data.retired_for else _registry(data),
                           classification=organisation_classification(iri),
                           statements=statements(iri, graph),
                           replaced_by=local_href(data.retired_for) if data.retired_for else None)


register_page(r"organisation/(.+)", organisation_page)


def organisation_classification(iri: str):
    """The settled class, evidence and conflicts the page's classification partial shows."""
    from catalogue.linking.classification_view import classification
    from catalogue.linking.records import linkset_graph

    store = get_store()
    return cached(f"classification:{iri}", lambda: classification(store, linkset_graph(store, base_uri()), iri))
