"""RDF terms as N-Triples text.

Loaders yield triples whose terms are already in N-Triples syntax (``<iri>``,
``"lexical"^^<datatype>``). That is the form the store's bulk loader reads, so a
million-line file is never turned into Python term objects and back: the loader is
the only place terms are built, and it builds them once. ``to_rdflib`` turns them
into rdflib terms where a test or a SHACL cross-check wants a ``Graph``.

IRIs are only ever minted from slugs and validated prefixes, so ``iri`` refuses
characters that N-Triples forbids instead of escaping them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph

Triple = tuple[str, str, str]

#: Characters N-Triples forbids in an IRI (and every control character), as one regex:
#: ``iri`` runs for every term of every row, so the check must run at C speed.
_FORBIDDEN_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


class BadIRI(ValueError):
    """An IRI that would not be valid N-Triples."""


def iri(value: str) -> str:
    """``https://x/y`` -> ``<https://x/y>``, refusing characters IRIs may not hold."""
    if not value or _FORBIDDEN_IN_IRI.search(value):
        raise BadIRI(f"not a valid IRI: {value!r}")
    return f"<{value}>"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escape(lexical: str) -> str:
    if not _NEEDS_ESCAPE.search(lexical):
        return lexical
    text = lexical.translate(_ESCAPES)
    if _CONTROL.search(text):
        text = "".join(f"\\u{ord(ch):04X}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in text)
    return text


def literal(lexical: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal in N-Triples syntax; ``datatype`` is a full IRI (not bracketed)."""
    text = f'"{_escape(lexical)}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


def nquads(triples: Iterable[Triple], graph: str) -> str:
    """Serialise triples into one named graph (``graph`` is an ``<iri>`` term)."""
    return "".join(f"{s} {p} {o} {graph} .\n" for s, p, o in triples)


def ntriples(triples: Iterable[Triple]) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


def to_rdflib(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph of the triples (for tests, pyshacl and small records)."""
    graph = Graph()
    graph.parse(data=ntriples(triples), format="nt")
    return graph
