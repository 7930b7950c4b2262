"""OCDS release and record packages (Find a Tender, Contracts Finder) -> procurement notices.

A package is one JSON document (``{"releases": [...]}`` or ``{"records": [{"releases":
[...]}]}``, where a record may give a ``compiledRelease`` instead) that can be large, so
it is streamed with ``ijson``: one release at a time, never the whole package in memory
(``records``). Each release is one "row" of the dataset (row N is the N-th release of
the file) and becomes an ``sv:ProcurementNotice`` with its ocid, date, title, value and
buyer. A buyer that is a council (found by name in the register of councils, or by a
GSS code among its identifiers) resolves to that council; then each party with the role
``supplier`` or ``tenderer`` becomes a supplier record of that council, with its
identifiers (GB-COH company numbers, GB-CHC charity numbers, GB-PPON Procurement Act
identifiers) and the size it declared (``details.scale``: ``sme``/``micro`` -> SME,
``large`` -> not): self-declared, so weaker evidence than a register
(``catalogue.linking.classify``). A supplier record links to an organisation like any
council file's. What each field read from a release becomes (predicate and datatype) is
said by the mapping, ``loaders/mappings/ocds/ocds-package.json``, whose columns are named
by OCDS field path (``tender/title``). Only the structure this loader reads is checked (a JSON object with
``releases`` or ``records``; releases with an ``ocid``): no package on PyPI ships the
OCDS JSON schema for offline use, and schemas cannot be fetched while loading.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from catalogue import iris
from catalogue.vocab import PROV, SV
from loaders import converters as cv
from loaders import organisations
from loaders.common import A, KindContext, RowTriples, term
from loaders.councils import register
from loaders.read import FileInfo
from loaders.registers import body, body_triples, iso_date, make_context
from loaders.terms import Triple, iri, literal

PUBLISHER = body("cabinet-office", "Cabinet Office (Find a Tender and Contracts Finder)")
SHAPES = ("suppliers.ttl", "registers.ttl")
SUPPLIER_ROLES = frozenset({"supplier", "tenderer"})
SCALE = {"sme": "Yes", "micro": "Yes", "large": "No"}
SCHEMES = {"GB-COH": "company", "GB-CHC": "charity", "GB-SC": "charity", "GB-NIC": "charity"}
#: Every path a shape can report is in the one column a release has.
FIELDS_FOR_PATH = {path: ("release",) for path in [*organisations.FIELDS_FOR_PATH, str(SV.postcode),
                                                     str(SV.unreadableRelease)]}
#: The terms no field of a release feeds; what each field read from a release becomes is
#: its mapping column's ``propertyUrl`` and ``datatype`` (``ctx.terms``, columns named by
#: OCDS field path in ``loaders/mappings/ocds/ocds-package.json``).
NOTICE, DERIVED, UNREADABLE_RELEASE = term(SV.ProcurementNotice), term(PROV.wasDerivedFrom), term(SV.unreadableRelease)

__all__ = ["PUBLISHER", "SHAPES", "FIELDS_FOR_PATH", "records", "make_context", "preamble", "skip_reason",
           "row_to_triples"]


#: Marks the cell ``records`` yields where the package stops being readable JSON.
UNREADABLE = "\x00"


class NotAPackage(ValueError):
    """A JSON file that is not an OCDS release or record package."""


def records(info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """A one-cell header (``release``), then each release as JSON text, streamed with ijson."""
    import ijson

    key = None
    with open(info.path, "rb") as handle:
        try:
            for prefix, event, value in ijson.parse(handle):
                if prefix == "" and event not in ("start_map", "map_key"):
                    raise NotAPackage(f"{info.path.name}: not an OCDS package (a JSON object with releases or records)")
                if prefix in ("releases", "records") and event == "start_array":
                    key = prefix
                    break
        except ijson.JSONError as exc:
            raise NotAPackage(f"{info.path.name}: not readable JSON ({exc})") from exc
    if key is None:
        raise NotAPackage(f"{info.path.name}: an OCDS package has 'releases' or 'records'; this file has neither")
    yield 1, ["release"]
    number = 1
    with open(info.path, "rb") as handle:
        try:
            for number, release in enumerate(_releases(handle, key), start=2):
                yield number, [json.dumps(release, ensure_ascii=False)]
        except ijson.JSONError as exc:  # cut short or broken after the start: a violation, never half a load
            yield number + 1, [UNREADABLE + f"the package is not readable JSON after release {number - 1}: {exc}"]


def _releases(handle, key: str) -> Iterator[dict]:
    import ijson

    for item in ijson.items(handle, f"{key}.item", use_float=True):
        if key == "releases":
            yield item
        elif item.get("compiledRelease"):
            yield item["compiledRelease"]
        else:
            yield from item.get("releases") or []


def preamble(ctx: KindContext) -> list[Triple]:
    return body_triples(ctx)


def skip_reason(values: Mapping[str, str], cells: list[str]) -> str | None:
    if (values.get("release") or "").startswith(UNREADABLE):
        return None  # a violation (see row_to_triples), not a skip
    try:
        release = json.loads(values.get("release") or "null")
    except ValueError:
        return "not a JSON release"
    if not isinstance(release, dict) or not release.get("ocid"):
        return "a release without an ocid"
    return None


def _buyer(release: dict) -> tuple[str, object]:
    """(buyer name, council or None)."""
    parties = release.get("parties") or []
    buyer = release.get("buyer") or next((p for p in parties if "buyer" in (p.get("roles") or [])), {}) or {}
    name = cv.text(str(buyer.get("name") or ""))
    candidates = [name] + [str((p.get("identifier") or {}).get("id") or "") for p in parties
                           if p.get("id") == buyer.get("id")]
    for candidate in candidates:
        if candidate and (council := register().find(candidate)):
            return name, council
    return name, None


def _supplier_facts(party: dict) -> organisations.SupplierFacts | None:
    ids = [party.get("identifier") or {}, *(party.get("additionalIdentifiers") or [])]
    found = {"company": "", "charity": "", "org_identifier": ""}
    for identifier in ids:
        scheme, value = str(identifier.get("scheme") or ""), str(identifier.get("id") or "").strip()
        if not value:
            continue
        field = SCHEMES.get(scheme)
        if field and not found[field]:
            found[field] = value
        elif scheme and not found["org_identifier"]:
            found["org_identifier"] = value if value.startswith(scheme) else f"{scheme}-{value}"
    address = party.get("address") or {}
    scale = str((party.get("details") or {}).get("scale") or "").lower()
    return organisations.supplier_facts({
        "supplier_name": str(party.get("name") or ""), "company_number": found["company"],
        "charity_number": found["charity"], "org_identifier": found["org_identifier"],
        "postcode": str(address.get("postalCode") or ""), "sme": SCALE.get(scale, "")})


def _value(release: dict) -> float | None:
    for holder in [*(release.get("awards") or []), *(release.get("contracts") or []), release.get("tender") or {}]:
        amount = (holder.get("value") or {}).get("amount")
        if isinstance(amount, (int, float)):
            return float(amount)
    return None


def row_to_triples(values: Mapping[str, str], row: int, ctx: KindContext) -> RowTriples:
    """One release -> its notice, and the council's supplier records of its suppliers."""
    if values["release"].startswith(UNREADABLE):
        node = iri(iris.notice(ctx.base, f"unreadable-{row}"))
        return RowTriples(node, [(node, A, NOTICE), (node, UNREADABLE_RELEASE, literal(values["release"][1:]))], [])
    P = ctx.terms
    release = json.loads(values["release"])
    key = cv.slug(f"{release['ocid']}-{release.get('id') or row}", 120)
    node = iri(iris.notice(ctx.base, key))
    ocid = P["ocid"]
    out: list[Triple] = [(node, A, NOTICE), (node, ocid.predicate, literal(str(release["ocid"]), ocid.datatype)),
                         (node, DERIVED, ctx.row(row))]
    if day := iso_date(str(release.get("date") or "")[:10]):
        out.append((node, P["date"].predicate, literal(day, P["date"].datatype)))
    if title := cv.text(str((release.get("tender") or {}).get("title") or "")):
        out.append((node, P["tender/title"].predicate, literal(title, P["tender/title"].datatype)))
    if (amount := _value(release)) is not None:
        value = P["awards/value/amount"]
        out.append((node, value.predicate, literal(f"{amount:.2f}", value.datatype)))
    name, council = _buyer(release)
    related = []
    if council is not None:
        council_iri = iri(iris.council(ctx.base, council.gss))
        out.append((node, P["buyer"].predicate, council_iri))
        for party in release.get("parties") or []:
            if not SUPPLIER_ROLES & set(party.get("roles") or []):
                continue
            facts = _supplier_facts(party)
            if facts is None:
                continue
            record, record_key, description = organisations.supplier_record(ctx.base, council.gss, council_iri, facts)
            out += [(node, P["parties"].predicate, record), (record, DERIVED, ctx.row(row))]
            related.append((record_key, description))
    return RowTriples(node, out, related)
