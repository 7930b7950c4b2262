"""Capped query answers: at most ``limit`` rows or triples, and a flag when more existed.

The engine serialises a whole result or nothing, so a result-row cap needs the rows in
hand: ``capped_answer`` iterates at most ``limit + 1`` solutions (never the rest of a
huge result), and writes SELECT results itself in the four SPARQL 1.1 results formats
(JSON, XML, CSV, TSV); ASK and graph results are still written by the engine. Answers
are plain data (``Answer``), so that a query worker process can send them back whole.

Terms travel as plain tuples (``plain``): ``("u", iri)``, ``("b", id)``,
``("l", lexical, datatype, lang)`` or ``("t", s, p, o)`` for RDF 1.2 triple terms.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from catalogue import csv_safe
from catalogue.store.sparql_text import row_bound

BINDINGS, BOOLEAN, GRAPH = "bindings", "boolean", "graph"
#: Not a type a client can ask for: SPARQL CSV results with every value exactly as stored,
#: for the catalogue's own readers (``catalogue.store.paging``: linking, the summaries). The
#: CSV that clients get is formula-safe (``catalogue.csv_safe``: ``@Home Ltd`` is written
#: ``'@Home Ltd``), which the linker used to read back as the supplier's name; unlimited, the
#: engine writes these itself, which took 1.4-1.7 s off a full link of the DEV files.
EXACT_CSV = "text/csv;svcat=exact"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass
class Answer:
    """What a query produced, capped: serialised bytes, or plain rows/triples."""

    kind: str  # BINDINGS, BOOLEAN or GRAPH
    media_type: str = ""
    body: bytes = b""
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # SELECT: one plain term or None per variable
    triples: list[tuple] = field(default_factory=list)  # CONSTRUCT: plain (s, p, o)
    boolean: bool | None = None
    truncated: bool = False
    limit: int | None = None


def plain(term) -> tuple | None:
    """A pyoxigraph term as a plain, picklable tuple."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.datatype.value, term.language)
    if isinstance(term, ox.Triple):
        return ("t", plain(term.subject), plain(term.predicate), plain(term.object))
    return ("u", str(term))


def _take(iterator, limit: int | None) -> tuple[list, bool]:
    if limit is None:
        return list(iterator), False
    items = list(islice(iterator, limit + 1))
    return items[:limit], len(items) > limit


class _Capped:
    """At most ``limit`` items of an iterator, read once as they are consumed; after that,
    ``truncated`` says whether there was one more.

    SELECT answers go through this straight into their writer, so a big answer is never
    held twice (every solution as an engine object, then its serialisation).
    """

    def __init__(self, iterator, limit: int | None):
        self.iterator, self.limit, self.truncated = iter(iterator), limit, False

    def __iter__(self):
        if self.limit is None:
            yield from self.iterator
            return
        yield from islice(self.iterator, self.limit)
        self.truncated = next(self.iterator, None) is not None


def capped_answer(result, limit: int | None, *, results_type: str | None = None,
                  graph_type: str | None = None, sparql: str | None = None) -> Answer:
    """Read at most ``limit`` rows/triples of ``result``; serialise them if types are given.

    A SELECT wanted as JSON whose own outermost LIMIT (``sparql``'s) keeps it within
    ``limit`` is written by the engine in one go, bytes identical to ``write_json``'s
    (``tests/test_sparql_fast.py``), at about half the CPU.
    """
    if isinstance(result, ox.QueryBoolean):
        fmt = ox.QueryResultsFormat.from_media_type(results_type) if results_type else None
        body = result.serialize(format=fmt) if fmt else b""
        return Answer(BOOLEAN, fmt.media_type if fmt else "", body, boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples, truncated = _take(result, limit)
        answer = Answer(GRAPH, truncated=truncated, limit=limit)
        if graph_type:
            fmt = ox.RdfFormat.from_media_type(graph_type)
            answer.media_type = fmt.media_type
            answer.body = ox.serialize(triples, format=fmt) or b""
        else:
            answer.triples = [(plain(t.subject), plain(t.predicate), plain(t.object)) for t in triples]
        return answer
    variables = [v.value for v in result.variables]
    solutions = _Capped(result, limit)
    answer = Answer(BINDINGS, variables=variables, limit=limit)
    if results_type == EXACT_CSV:
        answer.media_type = ox.QueryResultsFormat.CSV.media_type
        if limit is None:
            answer.body = result.serialize(format=ox.QueryResultsFormat.CSV)
            return answer
        answer.body = write_csv(variables, solutions, safe=False)
    elif results_type:
        fmt = ox.QueryResultsFormat.from_media_type(results_type)
        answer.media_type = fmt.media_type
        if fmt == ox.QueryResultsFormat.JSON and sparql is not None and _fits(sparql, limit):
            answer.body = result.serialize(format=fmt)
            return answer
        answer.body = WRITERS[fmt.media_type](variables, solutions)
    else:
        answer.rows = [tuple(plain(s[v]) for v in variables) for s in solutions]
    answer.truncated = solutions.truncated
    return answer


def _fits(sparql: str, limit: int | None) -> bool:
    """Whether the query's own LIMIT keeps its rows within ``limit``."""
    if limit is None:
        return True
    bound = row_bound(sparql)
    return bound is not None and bound <= limit


# ------------------------------------------------------------------ SELECT writers

def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    return {"type": "uri", "value": str(term)}


def write_json(variables: list[str], solutions: Iterable) -> bytes:
    bindings = []
    for solution in solutions:
        row = {}
        for name in variables:
            value = solution[name]
            if value is not None:
                row[name] = _json_term(value)
        bindings.append(row)
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_XML_TEXT = {"\r": "&#13;"}  # a raw CR would be read back as LF


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value, _XML_TEXT)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value, _XML_TEXT)}</literal>"
        return f"<literal>{escape(term.value, _XML_TEXT)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
                f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object></triple>")
    return f"<uri>{escape(str(term))}</uri>"


def write_xml(variables: list[str], solutions: Iterable) -> bytes:
    out = [f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>']
    out += [f"<variable name={quoteattr(name)}/>" for name in variables]
    out.append("</head><results>")
    for solution in solutions:
        out.append("<result>")
        for name in variables:
            value = solution[name]
            if value is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # blank nodes as _:id, triple terms in N-Triples syntax


def write_csv(variables: list[str], solutions: Iterable, *, safe: bool = True) -> bytes:
    """SPARQL CSV results, formula-safe (``catalogue.csv_safe``: values are text here) unless
    ``safe`` is false (``EXACT_CSV``)."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer) if safe else csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for solution in solutions:
        writer.writerow([_csv_value(solution[name]) for name in variables])
    return buffer.getvalue().encode("utf-8")


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return f"<<( {_tsv_term(term.subject)} {_tsv_term(term.predicate)} {_tsv_term(term.object)} )>>"
    return str(term)  # N-Triples syntax, escapes included


def write_tsv(variables: list[str], solutions: Iterable) -> bytes:
    lines = ["\t".join(f"?{name}" for name in variables)]
    for solution in solutions:
        lines.append("\t".join(_tsv_term(solution[name]) for name in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {
    ox.QueryResultsFormat.JSON.media_type: write_json,
    ox.QueryResultsFormat.XML.media_type: write_xml,
    ox.QueryResultsFormat.CSV.media_type: write_csv,
    ox.QueryResultsFormat.TSV.media_type: write_tsv,
}
