"""Organisations: each canonical organisation's page, the list, and the crosswalk.

An organisation's page is the HTML representation of its IRI (``/id/organisation/...``
303s to ``/doc/organisation/...``; RDF clients get RDF from the same URL). It shows every
council that paid it with totals per council and financial year (from the by-payee
summary cubes), the names each council used, its social-value classes with their
evidence, and every link with its method and score. ``/organisations/crosswalk.csv``
is the crosswalk researchers use outside SPARQL.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from catalogue.errors import NotFound
from catalogue.linking import crosswalk, profile
from catalogue.web import base_uri, get_store
from catalogue.web.conditional import cached
from catalogue.web.formatting import local_href
from catalogue.web.resources import register_page, statements

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
LIST_SIZE = 100


@bp.route("/")
def index():
    """The organisations paid by the most councils, and how to get the rest."""
    from catalogue.web.reconcile import index as lookup_index

    idx = lookup_index()
    wanted = request.args.get("q", "").strip()
    entries = idx.entries
    if wanted:
        from catalogue.linking.reconcile import suggest_entities

        entries = suggest_entities(idx, wanted, LIST_SIZE)
    else:
        entries = sorted(entries, key=lambda e: (-len(e.councils), -e.record_count, e.label))[:LIST_SIZE]
    rows = [{"label": e.label, "href": local_href(e.iri), "councils": len(e.councils), "records": e.record_count,
             "classes": ", ".join(sorted(e.classes)), "identifiers": ", ".join(sorted(e.identifiers)[:2])}
            for e in entries]
    return render_template("organisations/index.html", rows=rows, total=len(idx.entries), q=wanted)


@bp.route("/crosswalk.csv")
def crosswalk_csv():
    """One row per supplier as each council publishes it, with its canonical organisation."""
    rows = crosswalk.rows(get_store(), base_uri())
    response = Response(crosswalk.as_csv(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = "inline; filename=crosswalk.csv"
    return response


def organisation_page(iri: str, graph, match) -> str:
    """The HTML of ``/doc/organisation/<key>`` (``resources.register_page``)."""
    data = cached(f"organisation:{iri}", lambda: profile.profile(get_store(), base_uri(), iri))
    if data is None:
        raise NotFound(f"no organisation {iri} in the current links")
    return render_template("organisations/page.html", org=data, iri=iri, href=local_href,
                           statements=statements(iri, graph),
                           replaced_by=local_href(data.retired_for) if data.retired_for else None)


register_page(r"organisation/(.+)", organisation_page)
