"""Content negotiation: the one table from media types (and file extensions) to formats.

``best(accept, offers)`` implements RFC 9110 proactive negotiation over ``Accept``
with q-values and wildcards; ties go to the server's order of preference.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str


HTML = Format("html", "text/html", "html")
JSON = Format("json", "application/json", "json")
CSV = Format("csv", "text/csv", "csv")

TURTLE = Format("turtle", "text/turtle", "ttl")
JSONLD = Format("json-ld", "application/ld+json", "jsonld")
NTRIPLES = Format("n-triples", "application/n-triples", "nt")
RDFXML = Format("rdf/xml", "application/rdf+xml", "rdf")

RESULTS_JSON = Format("sparql-json", "application/sparql-results+json", "srj")
RESULTS_XML = Format("sparql-xml", "application/sparql-results+xml", "srx")
RESULTS_CSV = Format("sparql-csv", "text/csv", "csv")
RESULTS_TSV = Format("sparql-tsv", "text/tab-separated-values", "tsv")

#: RDF graph formats, in order of preference when the client does not care.
RDF_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
#: SPARQL SELECT/ASK result formats, in order of preference.
RESULT_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)

#: Other names clients use for the same formats (Accept values and ?format= values).
ALIASES = {
    "application/x-turtle": TURTLE, "application/turtle": TURTLE, "text/n3": TURTLE,
    "text/plain": NTRIPLES, "application/json": JSON,
    "application/sparql-results+json": RESULTS_JSON, "application/sparql-results+xml": RESULTS_XML,
    "text/tab-separated-values": RESULTS_TSV, "text/csv": RESULTS_CSV,
    "json": RESULTS_JSON, "xml": RESULTS_XML, "csv": RESULTS_CSV, "tsv": RESULTS_TSV,
    "ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "json-ld": JSONLD, "nt": NTRIPLES,
    "ntriples": NTRIPLES, "rdf": RDFXML, "rdfxml": RDFXML, "xml-rdf": RDFXML, "html": HTML,
}

BY_EXTENSION = {f.extension: f for f in (*RDF_FORMATS, HTML)}


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``Accept`` -> [(media range, q, position)], highest q first."""
    if not header:
        return [("*/*", 1.0, 0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return sorted(ranges, key=lambda r: (-r[1], r[2]))


def _matches(media_range: str, media_type: str) -> int:
    """Specificity of a match (2 exact, 1 type/*, 0 */*), or -1."""
    if media_range == media_type:
        return 2
    if media_range == "*/*":
        return 0
    main, _, sub = media_range.partition("/")
    if sub == "*" and media_type.startswith(main + "/"):
        return 1
    return -1


@lru_cache(maxsize=512)
def best(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers most; ``None`` when it accepts none of them.

    Cached: a pure function of two strings, asked on every request (clients send the same
    few ``Accept`` values over and over).
    """
    ranges = parse_accept(accept)
    scored = []
    for index, offer in enumerate(offers):
        quality, specificity = 0.0, -1
        for media_range, q, _ in ranges:
            spec = _matches(media_range, offer.media_type)
            if spec < 0 and media_range in ALIASES and ALIASES[media_range] is offer:
                spec = 2
            if spec > specificity:
                quality, specificity = q, spec
        if specificity >= 0 and quality > 0:
            scored.append((-quality, -specificity, index, offer))
    return min(scored)[3] if scored else None


def wants_html(accept: str | None) -> bool:
    """True when a browser asked (HTML preferred over JSON and RDF)."""
    choice = best(accept, (HTML, JSON, *RDF_FORMATS)) if accept else None
    return choice is HTML and "text/html" in (accept or "")
