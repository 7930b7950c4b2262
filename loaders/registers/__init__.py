"""Official registers as kinds of ``svcat load``: what their loaders share.

A register (Companies House, the Charity Commission, the ONS Postcode Directory,
Procurement Act notices) is read exactly as its publisher distributes it and loaded as a
dataset of its own, through the same hooks as a council file (``make_context``,
``preamble``, ``skip_reason``, ``row_to_triples``, ``SHAPES``, ``FIELDS_FOR_PATH``). Two
things differ, and each register module says them:

- ``PUBLISHER``: the register body, never a council, so no ``--publisher`` is asked for;
- ``records(info)`` (optional): how to split the file into records when it is not a
  comma-separated CSV (the charity extract is tab-separated; OCDS is JSON).

Each row becomes one ``sv:RegisterEntry`` (or ``sv:PostcodeUnit``) whose IRI is minted
from the org-id (``GB-COH-01243967``), so the linker finds it from a supplier record's
identifier with one lookup. What each column becomes, predicate and datatype, is its
mapping column's ``propertyUrl`` and ``datatype`` (``loaders/mappings/<kind>/``); a date
or amount that cannot be read is kept as published and the shapes warn about it.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from catalogue import iris
from catalogue.vocab import DCTERMS, ORG, PROV, SKOS, SV, XSD
from loaders import converters as cv
from loaders.common import A, LABEL, KindContext, term
from loaders.councils import Council
from loaders.mapping import ColumnTerm
from loaders.registers.names import name_key
from loaders.terms import Triple, iri, literal

DATE, DECIMAL, BOOLEAN = str(XSD.date), str(XSD.decimal), str(XSD.boolean)


def body(key: str, name: str) -> Council:
    """A register body in the place a council file's publisher goes (its key is the
    path segment of the dataset IRIs: ``id/dataset/companies-house/...``)."""
    return Council(gss=key, name=name, short_name=name, type="register body", snac="", odc_slug="",
                   aliases=(), status="live", end_date="")


def is_register_body(council: Council) -> bool:
    return council.type == "register body"


def publisher_iri(base: str, council: Council) -> str:
    """The dataset's ``dcterms:publisher``: the register body, or the council."""
    return iris.register_body(base, council.gss) if is_register_body(council) else council.iri(base)


def make_context(base: str, council: Council, dataset: str, source: str, table=None) -> KindContext:
    return KindContext(base, council, dataset, source, table)


def body_triples(ctx: KindContext, extract_date: str | None = None) -> list[Triple]:
    """The register body as an org:FormalOrganization (and the extract's date, if known)."""
    node = iri(publisher_iri(ctx.base, ctx.council))
    out = [(node, A, term(ORG.FormalOrganization)), (node, LABEL, literal(ctx.council.name)),
           (node, term(SKOS.prefLabel), literal(ctx.council.name))]
    if extract_date:
        out.append((iri(ctx.dataset), term(SV.extractDate), literal(extract_date, DATE)))
    return out


_FILE_DATE = re.compile(r"(20\d\d)-(\d\d)-(\d\d)")


def date_in_name(name: str) -> str | None:
    """``BasicCompanyData-2025-12-01-part1_7.csv`` -> ``2025-12-01`` (the extract's date)."""
    m = _FILE_DATE.search(name)
    return iso_date(m[0]) if m else None


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+Z?)?$")


@lru_cache(maxsize=65536)
def iso_date(raw: str) -> str | None:
    """Registers' date forms (``31/03/2024``, ``2024-03-31``, ``2024-03-31 00:00:00``) -> ISO."""
    value = raw.strip()
    m = _DMY.match(value)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _YMD.match(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def cell_literal(column: ColumnTerm, raw: str) -> str | None:
    """A register cell read as its mapping column's ``datatype`` says (``ColumnTerm``): a
    date, an amount or a flag, typed; a date or amount that cannot be read is kept as
    published for the shapes to warn about; a flag that is neither true nor false is
    left out; a column with no datatype is text."""
    datatype = column.datatype
    if datatype is None:
        return literal(cv.text(raw))
    if datatype == BOOLEAN:
        flag = raw.strip().lower()
        return literal(flag, datatype) if flag in ("true", "false") else None
    read = READERS.get(datatype)
    if read is None:
        raise ValueError(f"a register column typed <{datatype}>: registers read dates, decimals and booleans only; "
                         f"fix the column's datatype in its mapping (loaders/mappings/)")
    value = read(raw)
    return literal(value, datatype) if value is not None else literal(cv.text(raw))


#: How a cell of each datatype is read (``cell_literal``).
READERS = {DATE: iso_date, DECIMAL: cv.money}


def entry_triples(ctx: KindContext, org_id: str, name: str | None, row: int, *, id_field: str,
                  name_field: str) -> tuple[str, list[Triple]]:
    """The entry's node and the triples every register entry has; the org-id (read from
    ``id_field``) and the name (``name_field``) become what their mapping columns say."""
    node = iri(iris.register_entry(ctx.base, org_id))
    identifier, label = ctx.terms[id_field], ctx.terms[name_field]
    out = [(node, A, term(SV.RegisterEntry)), (node, identifier.predicate, literal(org_id, identifier.datatype)),
           (node, term(PROV.wasDerivedFrom), ctx.row(row)),
           (node, term(DCTERMS.publisher), iri(publisher_iri(ctx.base, ctx.council)))]
    if name:
        out.append((node, label.predicate, literal(cv.text(name), label.datatype)))
        if key := name_key(cv.text(name)):
            out.append((node, term(SV.registerNameKey), literal(key)))
    return node, out


__all__ = ["body", "is_register_body", "publisher_iri", "make_context", "body_triples", "date_in_name",
           "iso_date", "cell_literal", "entry_triples"]
