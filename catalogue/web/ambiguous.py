"""``/organisations/ambiguous``: register matches linking left for a person.

The records whose name leads to register entries that linking would not choose between
(two entries scoring within a margin, a common name alone, postcodes that disagree),
one row per record and candidate: the same rows as ``svcat link --ambiguous``
(``catalogue.linking.ambiguous``), paged like every table, with ``.csv`` and ``.json``.
"""

from __future__ import annotations

from flask import Blueprint, request, url_for

from catalogue.linking import ambiguous
from catalogue.web import base_uri, get_store
from catalogue.web.conditional import cached
from catalogue.web.tables import Column, Table, respond

bp = Blueprint("ambiguous", __name__)


@bp.route("/organisations/ambiguous")
@bp.route("/organisations/ambiguous.<any(csv,json,html):suffix>")
def ambiguous_table(suffix: str | None = None):
    """Every ambiguous (record, candidate entry), once per data version."""
    rows = cached("ambiguous-register-matches", lambda: ambiguous.rows(get_store(), base_uri()))
    table = Table("ambiguous", "Register matches left for a person", [
        Column("council", "Council (GSS)"), Column("supplier_name", "Supplier (as published)"),
        Column("supplier_id", "Supplier id"), Column("candidate", "Register entry"),
        Column("candidate_name", "Its registered name"), Column("score", "Score", "number"),
        Column("reason", "Why it was not matched")], [dict(r) for r in rows], page_size=100,
        extra_keys=["organisation"],
        description="Supplier records that publish no identifier and whose name leads to official register "
                    "entries linking would not choose between: two entries scoring within 0.05 of each other, a "
                    "name alone that another could share (no legal form, an establishment), or a postcode that "
                    "is not the register's. Settle one with svcat link --decisions (assign the record).")
    return respond(table, "/organisations/ambiguous", suffix or request.args.get("_format"),
                   breadcrumbs=[("Home", url_for("home.index")), ("Organisations", url_for("organisations.index"))])
