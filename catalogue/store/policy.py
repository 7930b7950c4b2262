"""What a query on the public endpoint may do: read, and call only allowed endpoints.

``check_public_query(query, federation, base_iri)`` refuses, before any engine sees it:

- SPARQL Update keywords (``INSERT``, ``DELETE``, ``LOAD``, ``DROP``, ...): 403. Oxigraph
  would not run an update as a query, but a remote server might;
- ``SERVICE``: federated queries make the *server* send requests, so the endpoint could
  be used to reach internal addresses. Off unless the operator lists the endpoints that
  may be called (``SVCAT_FEDERATION``); then only those, named by a literal IRI: 403;
- Virtuoso pragmas (``DEFINE get:soft ...`` makes Virtuoso fetch IRIs from the web) and
  prefixed names whose prefix the query does not declare (``bif:``, ``sql:`` built-ins
  of Virtuoso, which can read files): 400;
- brackets nested deeper than ``MAX_NESTING``: Oxigraph recurses on them and a few
  thousand levels crash it (a stack overflow): 400.

It reads the query with ``sparql_text.tokens`` (the grammar's own terminals), so text
inside strings, IRIs and comments is never mistaken for a keyword. Oxigraph matches
keywords without a word boundary (``service:x { }`` and ``SERVICESILENT:x { }`` both
call ``:x``), so any bare word or prefixed name that *starts* with SERVICE counts as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urljoin

from catalogue.errors import BadQuery, FederationRefused, UpdateRefused
from catalogue.store.sparql_text import Token, tokens

#: Deepest nesting of (), {} and [] accepted: the engine recurses on nesting, and a few
#: thousand levels overflow its stack. Real queries stay far below this.
MAX_NESTING = 128

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                             "ADD", "WITH", "USING"})


def _names(found: list[Token]) -> tuple[dict[str, str], str | None]:
    """Declared prefixes (name -> IRI) and the declared BASE of the query."""
    prefixes: dict[str, str] = {}
    base = None
    for i, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else ""
        nxt = found[i + 1] if i + 1 < len(found) else None
        if word == "PREFIX" and nxt is not None and nxt.kind == "pname" and nxt.text.endswith(":"):
            after = found[i + 2] if i + 2 < len(found) else None
            prefixes[nxt.text[:-1]] = after.text[1:-1] if after is not None and after.kind == "iri" else ""
        elif word == "BASE" and nxt is not None and nxt.kind == "iri":
            base = nxt.text[1:-1]
    return prefixes, base


def _service_target(found: list[Token], i: int, prefixes: dict[str, str], base: str | None) -> str:
    """The endpoint IRI after the SERVICE keyword at ``found[i]``; refuse what is not literal."""
    j = i + 1
    if j < len(found) and found[j].kind in ("word", "pname") and found[j].text.upper().startswith("SILENT"):
        if found[j].kind != "word" or found[j].text.upper() != "SILENT":
            raise FederationRefused("write SERVICE SILENT <endpoint> with spaces between the words")
        j += 1
    target = found[j] if j < len(found) else None
    if target is None or target.kind == "var":
        raise FederationRefused("SERVICE must name its endpoint with an IRI, not a variable")
    if target.kind == "iri":
        return urljoin(base, target.text[1:-1]) if base else target.text[1:-1]
    if target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    raise FederationRefused(f"cannot tell which endpoint SERVICE {target.text} calls")


def service_targets(query: str, base_iri: str | None = None) -> list[str]:
    """Every endpoint the query's SERVICE clauses call (raises if one cannot be told)."""
    found = [t for t in tokens(query) if t.kind != "comment"]
    prefixes, base = _names(found)
    base = urljoin(base_iri, base) if base_iri and base else (base or base_iri)
    targets = []
    for i, token in enumerate(found):
        if token.kind in ("word", "pname") and token.text.upper().startswith("SERVICE"):
            if token.kind != "word" or token.text.upper() != "SERVICE":
                raise FederationRefused(
                    f"{token.text!r} reads as SERVICE; write SERVICE <endpoint> with a space, or "
                    "rename a prefix that starts with 'service'")
            targets.append(_service_target(found, i, prefixes, base))
    return targets


#: Queries that passed ``check_public_query``, by (query, federation, base): an endpoint
#: sees the same texts again and again, and reading one costs more than running a small one.
_PASSED: dict[tuple, bool] = {}
PASSED_MAX, PASSED_MAX_CHARS = 1024, 8192


def check_public_query(query: str, federation: Sequence[str] = (), base_iri: str | None = None) -> None:
    """Refuse what the public endpoint must not run (see the module docstring)."""
    key = (query, tuple(federation), base_iri)
    if key in _PASSED:
        return
    _check_public_query(query, federation, base_iri)
    if len(query) <= PASSED_MAX_CHARS:
        if len(_PASSED) >= PASSED_MAX:
            _PASSED.clear()
        _PASSED[key] = True


def _check_public_query(query: str, federation: Sequence[str], base_iri: str | None) -> None:
    found = [t for t in tokens(query) if t.kind != "comment"]
    depth = deepest = 0
    for token in found:
        if token.kind == "other" and token.text in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif token.kind == "other" and token.text in ")}]":
            depth -= 1
    if deepest > MAX_NESTING:
        raise BadQuery(f"the query nests brackets {deepest} deep; at most {MAX_NESTING} are accepted")
    for token in found:
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word in UPDATE_KEYWORDS:
            raise UpdateRefused(f"this endpoint is read-only: {word} (SPARQL Update) is not accepted")
        if word == "DEFINE":
            raise BadQuery("DEFINE pragmas are not SPARQL and are not accepted here")
    check_federation(query, federation, base_iri)
    prefixes, _ = _names(found)
    for token in found:
        if token.kind == "pname":
            prefix = token.text.partition(":")[0]
            if prefix not in prefixes:
                raise BadQuery(f"the prefix {prefix}: is not declared; add PREFIX {prefix}: <...> to the query")


def check_federation(query: str, federation: Sequence[str] = (), base_iri: str | None = None) -> None:
    """Refuse SERVICE calls to endpoints not in ``federation`` (all of them when it is empty)."""
    if "SERVICE" not in query.upper():
        return
    targets = service_targets(query, base_iri)
    if not targets:
        return
    if not federation:
        raise FederationRefused("federated queries (SERVICE) are off on this endpoint")
    for target in targets:
        if target not in federation:
            raise FederationRefused(f"SERVICE {target} is not an endpoint this server may call; "
                                    f"allowed: {' '.join(federation)}")
