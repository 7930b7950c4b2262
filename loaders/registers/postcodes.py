"""ONS Postcode Directory rows -> ``sv:PostcodeUnit`` (postcode -> local authority, county, region).

The ONSPD (about 2.7 million rows, every postcode ever used in the UK) and the ONS
postcode-to-area lookups are CSVs whose column names change with the geography year
(``oslaua``/``laua`` in older editions, ``lad25cd`` in newer ones): the mapping
(``loaders/mappings/postcodes/onspd.json``) lists them. A postcode's areas are ONS
statistical geography IRIs, the same ones councils are tied to (``sv:area``), so "is
this supplier local to the council that paid it?" is one join. Terminated postcodes are
kept (with ``sv:terminationDate``): a register may still give an old address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from catalogue import iris
from catalogue.vocab import SV
from loaders import converters as cv
from loaders.common import A, KindContext, RowTriples, term
from loaders.orgid import read_postcode
from loaders.registers import body, body_triples, make_context
from loaders.terms import Triple, iri, literal

PUBLISHER = body("ons", "Office for National Statistics")
SHAPES = ("registers.ttl",)
ROW_SUBJECTS_UNIQUE = True

FIELDS_FOR_PATH: dict = {}
#: Fields whose cell is an area's GSS code (an ONS geography IRI); what each becomes is
#: its mapping column's ``propertyUrl`` (``ctx.terms``), like every other column's.
AREAS = ("local_authority", "county", "region")
#: The terms no column feeds: the class, and the mark of a postcode that cannot be read.
UNIT, UNREADABLE = term(SV.PostcodeUnit), term(SV.unreadableIdentifier)
_GSS = re.compile(r"^[EWSNLM]\d{8}$")
#: ONSPD's pseudo-codes for "no such area here" (E99999999: no county in a unitary area).
NO_AREA = re.compile(r"^[EWSNLM]99999999$")

__all__ = ["PUBLISHER", "SHAPES", "FIELDS_FOR_PATH", "make_context", "preamble", "skip_reason", "row_to_triples"]


def preamble(ctx: KindContext) -> list[Triple]:
    return body_triples(ctx)


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if not values.get("postcode"):
        return "no postcode in this row"
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    raw = values["postcode"]
    found = read_postcode(raw).identifiers
    postcode = found[0] if found else cv.text(raw).upper()
    node = iri(iris.postcode_unit(ctx.base, postcode if found else cv.slug(postcode, 20).upper()))
    P = ctx.terms
    out = [(node, A, UNIT), (node, P["postcode"].predicate, literal(postcode, P["postcode"].datatype))]
    if not found:
        out.append((node, UNREADABLE, literal(cv.text(raw))))
    for name in AREAS:
        code = (values.get(name) or "").strip().upper()
        if not code or NO_AREA.match(code):
            continue
        out.append((node, P[name].predicate, iri(iris.geography(code)) if _GSS.match(code) else literal(code)))
    if value := (values.get("terminated") or "").strip():
        out.append((node, P["terminated"].predicate, literal(value, P["terminated"].datatype)))
    return RowTriples(node, out, [])
