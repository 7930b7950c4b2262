"""Every IRI pattern the catalogue mints, in one place.

Resource IRIs live under ``{base}id/`` (they 303 to ``{base}doc/``); source files under
``{base}file/``; named graphs under ``{base}graph/``. The base is configuration
(``SVCAT_BASE_URI``), never the host or port a request arrived on. Path segments are
slugs (``loaders.converters.slug``) or codes checked by their callers, so the strings
here are always valid IRIs.
"""

from __future__ import annotations

import re

ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
#: The UK government's reference intervals (years, government years, quarters, months, days).
REFERENCE_INTERVALS = "http://reference.data.gov.uk/id/"
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]+\Z")


def is_absolute_iri(value: str) -> bool:
    """True for an absolute IRI (a scheme, then characters an IRI may hold): ``https://...``."""
    return bool(_ABSOLUTE_IRI.match(value or ""))


def normalise_base(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def council(base: str, gss: str) -> str:
    return f"{base}id/council/{gss}"


def publisher(base: str, key: str) -> str:
    """A publisher that is not a council (``--publisher NAME --publisher-url URL``), or
    ``not-stated`` for a table that names none."""
    return f"{base}id/publisher/{key}"


def geography(gss: str) -> str:
    return ONS_GEOGRAPHY + gss


def interval(kind: str, key: str) -> str:
    """``interval("government-year", "2017-2018")`` -> the reference.data.gov.uk IRI."""
    return f"{REFERENCE_INTERVALS}{kind}/{key}"


def series(base: str, gss: str, kind: str) -> str:
    """A council's files of one kind over time: the parent of their dataset IRIs."""
    return f"{base}id/dataset/{gss}/{kind}"


def dataset(base: str, gss: str, kind: str, key: str) -> str:
    return f"{base}id/dataset/{gss}/{kind}/{key}"


def source_file(base: str, gss: str, kind: str, key: str, filename_slug: str) -> str:
    """The published CSV as we received it; rows are ``#row=N`` fragments (RFC 7111)."""
    return f"{base}file/{gss}/{kind}/{key}/{filename_slug}"


_LINE = re.compile(r"^(?P<dataset>.+/id/dataset/[^/]+/[^/]+/[^/]+)/line/(?P<row>[1-9][0-9]*)$")


def line_of(iri: str) -> tuple[str, int] | None:
    """``{dataset}/line/N`` -> ``(dataset, N)``: a payment line is row N of its dataset's
    file, so its source row (``<file>#row=N``) and its payer (the dataset's publisher) are
    stated once per dataset, not on every line (docs/architecture.md, "The payment line")."""
    match = _LINE.match(str(iri))
    return (match["dataset"], int(match["row"])) if match else None


def source_row(download: str, row: int) -> str:
    """A row of a source file as an RFC 7111 fragment IRI."""
    return f"{download}#row={int(row)}"


def dataset_graph(base: str, gss: str, kind: str, key: str, version: str) -> str:
    return f"{base}graph/{gss}/{kind}/{key}/{version}"


def catalogue_graph(base: str) -> str:
    return f"{base}graph/catalogue"


def catalogue(base: str) -> str:
    return f"{base}id/catalogue"


def supplier(base: str, gss: str, key: str) -> str:
    return f"{base}id/supplier/{gss}/{key}"


def redaction(base: str, gss: str, key: str) -> str:
    return f"{base}id/redaction/{gss}/{key}"


def concept_scheme(base: str, gss: str, scheme: str) -> str:
    return f"{base}id/scheme/{gss}/{scheme}"


def concept(base: str, gss: str, scheme: str, key: str) -> str:
    return f"{base}id/concept/{gss}/{scheme}/{key}"


def service(base: str) -> str:
    """The SPARQL service itself, for its Service Description."""
    return f"{base}sparql"


def software(base: str) -> str:
    return f"{base}id/software/svcat"


# ---------------------------------------------------------------- linking (catalogue.linking)

def organisation(base: str, key: str) -> str:
    """A canonical organisation: ``key`` is ``GB-COH-01234567``, ``council-E08000035``, ``name-...``."""
    return f"{base}id/organisation/{key}"


def organisation_key(base: str, iri: str) -> str | None:
    """The ``key`` of an organisation IRI minted by ``organisation``, else ``None``."""
    prefix = f"{base}id/organisation/"
    return iri[len(prefix):] if iri.startswith(prefix) and len(iri) > len(prefix) else None


def supplier_link(base: str, supplier_iri: str) -> str:
    """The link of a supplier record to its organisation: ``{base}id/link/{GSS}/{key}``."""
    prefix = f"{base}id/supplier/"
    tail = supplier_iri[len(prefix):] if supplier_iri.startswith(prefix) else supplier_iri.rsplit("/id/", 1)[-1]
    return f"{base}id/link/{tail}"


def linkset(base: str) -> str:
    """The dataset of canonical organisations and links (a void:Linkset), in the catalogue."""
    return f"{base}id/linkset/organisations"


def linkset_graph(base: str, version: str) -> str:
    return f"{base}graph/linkset/organisations/{version}"


def class_summary_graph(base: str) -> str:
    """The graph of spend by social-value class (``catalogue.summaries.social_value``)."""
    return f"{base}graph/summary/social-value"


def class_summary(base: str, name: str) -> str:
    """One of the social-value summary cubes (``by-class``, ``by-month``)."""
    return f"{base}id/summary/social-value/{name}"


def council_summary_graph(base: str, gss: str) -> str:
    """The graph of one council's dashboard figures (``catalogue.summaries.councils``)."""
    return f"{base}graph/summary/council/{gss}"


def organisation_summary_graph(base: str) -> str:
    """The graph of spend by organisation across councils (``catalogue.summaries.organisations``)."""
    return f"{base}graph/summary/organisations"


def organisation_summary(base: str) -> str:
    """The cube of spend by canonical organisation across councils, ranked."""
    return f"{base}id/summary/organisations/across-councils"


def council_summary(base: str, gss: str, name: str) -> str:
    """One of a council's summary cubes (``by-payee``, ``by-month``, ``concentration``...)."""
    return f"{base}id/summary/council/{gss}/{name}"


#: What a resource of each kind is called when it has no label (``fallback_label``).
_KIND_WORDS = {"supplier": "supplier record", "organisation": "organisation", "council": "council",
               "dataset": "dataset", "concept": "category", "link": "supplier link", "summary": "summary",
               "scheme": "category scheme", "linkset": "linkset"}


def fallback_label(iri: str) -> str:
    """A name for one of our resources that has no label, built from what it is: a page never
    shows a raw IRI where a label belongs. ``…/id/supplier/E08000036/id-8df67a`` -> "supplier
    record E08000036/id-8df67a"; ``…/id/dataset/X/spend/k#load`` -> "load of dataset X/spend/k";
    ``…/file/X/spend/k/f.csv#row=5`` -> "row 5 of f.csv"; a redaction -> "redacted (personal data)"."""
    text = str(iri)
    whole, _, fragment = text.partition("#")
    if "/file/" in whole:
        name = whole.rstrip("/").rsplit("/", 1)[-1]
        return f"row {fragment[4:]} of {name}" if fragment.startswith("row=") else name
    if "/graph/" in whole and "/id/" not in whole:
        return "named graph " + whole.split("/graph/", 1)[1]
    if "/id/" not in whole:
        return text
    segments = whole.split("/id/", 1)[1].strip("/").split("/")
    if fragment:
        return f"{fragment.replace('-', ' ')} of {fallback_label(whole)}"
    if segments[0] == "redaction":
        return "redacted (personal data)"
    if len(segments) >= 3 and segments[-2] in ("payment", "line", "issue", "evidence"):
        return f"{segments[-2]} {segments[-1]} of {fallback_label(whole.rsplit('/', 2)[0])}"
    words = _KIND_WORDS.get(segments[0], segments[0])
    return f"{words} {'/'.join(segments[1:])}".strip()


# ---------------------------------------------------------------- official registers (loaders.registers)

def register_body(base: str, key: str) -> str:
    """The body that publishes a register (``companies-house``, ``charity-commission``, ``ons``...)."""
    return f"{base}id/register-body/{key}"


def register_entry(base: str, org_id: str) -> str:
    """One organisation's entry in an official register, by its org-id (``GB-COH-01243967``)."""
    return f"{base}id/register-entry/{org_id}"


def postcode_unit(base: str, postcode: str) -> str:
    """A postcode as the ONS Postcode Directory places it (``LS1 1UR`` -> ``.../postcode/LS11UR``)."""
    return f"{base}id/postcode/{postcode.replace(' ', '')}"


def notice(base: str, key: str) -> str:
    """A procurement notice (an OCDS release), by its ocid and release id."""
    return f"{base}id/notice/{key}"
