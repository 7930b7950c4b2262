"""SPARQL as text: the one way values enter generated queries, and lexical facts about queries.

Generated queries never paste a value raw. ``iri(value)`` writes an IRI reference whose
characters SPARQL forbids (``<>"{}|^`\\``, spaces, controls) are percent-encoded, so a
value can never close the ``<...>`` and write query text of its own; ``literal(value)``
writes a string with every quote, backslash and line break escaped; ``term(node)`` does
either for an rdflib node. Use them in f-strings: ``f"SELECT * {{ {iri(x)} ?p ?o }}"``.

``tokens(query)`` splits a query into the terminals of the SPARQL 1.1 grammar
(strings, IRI references, comments, variables, prefixed names, keywords), exactly as the
grammar does, so that checks on keywords (``catalogue.store.policy``) and
``has_dataset_clause`` are never fooled by text hidden in a string, IRI or comment, nor
miss a keyword that the engine would see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["iri", "literal", "lexical", "decimal", "integer", "insert_data", "term", "tokens", "Token", "has_dataset_clause",
           "keywords", "row_bound"]

#: Characters an IRIREF may not contain (SPARQL 1.1 grammar [139]), besides 0x00-0x20.
_IRI_FORBIDDEN = '<>"{}|^`\\'
_IRI_ESCAPES = {ch: f"%{ord(ch):02X}" for ch in _IRI_FORBIDDEN}
_IRI_ESCAPES.update({chr(c): f"%{c:02X}" for c in range(0x21)})
_IRI_TABLE = str.maketrans(_IRI_ESCAPES)
_LITERAL_TABLE = str.maketrans({"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r",
                                "\t": "\\t", "\b": "\\b", "\f": "\\f"})
_LANG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*\Z")
#: Whether a value needs any escaping at all: most do not, and a regex search is some six
#: times cheaper than ``str.translate`` with a table (the summaries write ~700,000 IRIs a load).
_IRI_NEEDS = re.compile('[\x00-\x20' + re.escape(_IRI_FORBIDDEN) + ']')
_LITERAL_NEEDS = re.compile('[\\\\"\'\n\r\t\b\f]')


def iri(value: str) -> str:
    """``value`` as a SPARQL IRI reference ``<...>``, forbidden characters percent-encoded.

    An IRI that needed encoding was not a valid IRI, so it names nothing in the store:
    the query simply finds nothing, which is what it should find.
    """
    value = str(value)
    if _IRI_NEEDS.search(value) is None:
        return f"<{value}>"
    return f"<{value.translate(_IRI_TABLE)}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """``value`` as a SPARQL string literal (with a datatype IRI or language tag)."""
    value = str(value)
    text = '"' + (value if _LITERAL_NEEDS.search(value) is None else value.translate(_LITERAL_TABLE)) + '"'
    if lang:
        if not _LANG.match(lang):
            raise ValueError(f"not a language tag: {lang!r}")
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^{iri(datatype)}"
    return text


_UNESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
_ESCAPED = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def lexical(term: str) -> str:
    """The text of a term in N-Triples or SPARQL term text, as a SPARQL result gives it: an
    IRI without its brackets, a double-quoted literal's unescaped lexical form (``literal``'s
    inverse, and ``loaders.terms.literal``'s), anything else (a blank node) as it is."""
    if term.startswith("<"):
        return term[1:-1]
    if not term.startswith('"'):
        return term
    text = term[1:term.rindex('"')]  # a datatype IRI or a language tag holds no quote
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _UNESCAPES[m[3]], text)


def decimal(value) -> str:
    """A ``Decimal`` as an ``xsd:decimal`` literal in its canonical form (no exponent, never ``-0``)."""
    text = format(value, "f")  # digits, a sign and a point: nothing to escape
    return f'"{text if text not in ("-0", "") else "0"}"^^{_DECIMAL}'


def integer(value) -> str:
    """An ``int`` as an ``xsd:integer`` literal."""
    return f'"{int(value)}"^^{_INTEGER}'


_DECIMAL, _INTEGER = iri(str(XSD.decimal)), iri(str(XSD.integer))


def insert_data(graph: str, triples: Iterable[tuple[str, str, str]], chunk: int = 400) -> Iterator[str]:
    """INSERT DATA updates that write ``triples`` (terms as SPARQL text) into ``graph``,
    ``chunk`` triples each.

    Virtuoso compiles one INSERT DATA to at most 10,000 lines of SQL (about 6 a triple),
    so a longer one fails there. The updates are made as they are asked for, from
    triples read as they come, so a big graph (a council summary at 5,000,000 lines is
    some 300,000 triples) is never held whole as text.
    """
    target = iri(graph)
    lines = (f"{s} {p} {o} .\n" for s, p, o in triples)
    while batch := "".join(islice(lines, chunk)):
        yield f"INSERT DATA {{ GRAPH {target} {{\n{batch}}} }}"


def term(node) -> str:
    """An rdflib term as SPARQL text (IRIs and literals; blank nodes cannot be named)."""
    if isinstance(node, Literal):
        return literal(str(node), str(node.datatype) if node.datatype else None, node.language)
    if isinstance(node, BNode):
        raise ValueError("a blank node cannot be named in a query")
    if isinstance(node, URIRef) or isinstance(node, str):
        return iri(str(node))
    raise TypeError(f"cannot write {type(node).__name__} into SPARQL")


# ------------------------------------------------------------------ tokenizer

# The terminals of the SPARQL 1.1 grammar (section 19.8), tried in this order at each
# position. PN_LOCAL escapes (PLX) are included so that ``ex:a\#b`` is one name, not a
# name and a comment; IRIREF uses the grammar's exact excluded set (not ``\s``).
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = r"(?:[^\W\d_](?:[\w.\-\u00B7\u0300-\u036F\u203F-\u2040]*[\w\-\u00B7\u0300-\u036F\u203F-\u2040])?)"
_PN_LOCAL = (rf"(?:(?:[\w:]|{_PLX})(?:(?:[\w.:\-\u00B7\u0300-\u036F\u203F-\u2040]|{_PLX})*"
             rf"(?:[\w:\-\u00B7\u0300-\u036F\u203F-\u2040]|{_PLX}))?)")
_TOKEN = re.compile(
    r'(?P<string>"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*')"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<comment>#[^\n\r]*)"
    r"|(?P<var>[?$]\w+)"
    r"|(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<bnode>_:[\w](?:[\w.\-]*[\w\-])?)"
    rf"|(?P<pname>{_PN_PREFIX}?:{_PN_LOCAL}?)"
    r"|(?P<word>[^\W\d]\w*)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


class Token(NamedTuple):
    kind: str  # string, iri, comment, var, langtag, bnode, pname, word, other
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """The query's tokens, whitespace left out."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind != "space":
            yield Token(kind, match.group(), match.start())


def keywords(query: str) -> list[Token]:
    """Bare words outside strings, IRIs and comments (SPARQL keywords and function names)."""
    return [t for t in tokens(query) if t.kind == "word"]


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset with FROM or FROM NAMED."""
    if "from" not in query.lower():
        return False
    return any(t.text.upper() == "FROM" for t in keywords(query))


_OPENS, _CLOSES = "({[", ")}]"
_COUNT = re.compile(r"[0-9]+")
#: ``row_bound`` by query text: an endpoint sees the same texts again and again.
_BOUNDS: dict[str, int | None] = {}
BOUNDS_MAX, BOUNDS_MAX_CHARS = 1024, 8192


def row_bound(query: str) -> int | None:
    """The most rows a query can answer, when its own outermost ``LIMIT`` says so; else None.

    Why: a result known to fit under the row cap can be written by the engine in one go
    (``results.capped_answer``) instead of row by row. The outermost LIMIT is the only one
    outside every bracket (a sub-select's sits inside its group's braces); a LIMIT the
    tokens do not show plainly (a comment between it and its number) counts as none.
    """
    if "limit" not in query.lower():
        return None
    found = _BOUNDS.get(query, -1)
    if found != -1:
        return found
    found, depth = None, 0
    for token in tokens(query):
        if token.kind == "other":
            depth += (token.text in _OPENS) - (token.text in _CLOSES)
        elif token.kind == "word" and depth == 0 and token.text.upper() == "LIMIT":
            end = token.start + len(token.text)
            count = _COUNT.match(query, end + _spaces(query, end))
            found = int(count.group()) if count else None
    if len(query) <= BOUNDS_MAX_CHARS:
        if len(_BOUNDS) >= BOUNDS_MAX:
            _BOUNDS.clear()
        _BOUNDS[query] = found
    return found


def _spaces(text: str, at: int) -> int:
    """How many whitespace characters start at ``at``."""
    end = at
    while end < len(text) and text[end].isspace():
        end += 1
    return end - at
