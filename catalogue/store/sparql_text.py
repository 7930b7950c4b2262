"""Lexical facts about SPARQL text that the engines do not expose to Python.

``has_dataset_clause`` tells whether a query names its own dataset with FROM / FROM
NAMED. The endpoint's default graph is the union of all graphs *unless* the query (or
the protocol's default-graph-uri/named-graph-uri) says otherwise, and pyoxigraph
applies its union option over a query's FROM clauses, so we must know.
"""

from __future__ import annotations

import re

_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*",
)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:-])", re.IGNORECASE)
_UPDATE = re.compile(
    r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)(?![\w:-])", re.IGNORECASE)


def strip_literals(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (keywords left)."""
    return _STRINGS_IRIS_COMMENTS.sub(" ", query)


def has_dataset_clause(query: str) -> bool:
    return bool(_FROM.search(strip_literals(query)))


def mentions_update(query: str) -> bool:
    """True when the text uses SPARQL Update keywords outside strings and IRIs."""
    return bool(_UPDATE.search(strip_literals(query)))
