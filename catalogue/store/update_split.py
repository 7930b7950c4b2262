"""SPARQL Update requests cut to fit a remote server's limits (Virtuoso's, measured).

Why: a re-link writes its changes as one update (deletes by ``VALUES`` lists of
organisations, then thousands of ``INSERT DATA`` lines). Virtuoso compiles each request
to SQL and refuses big ones; loading the Oxford and Salford files failed on it. Measured
on Debian's Virtuoso 7.2 (``virtuoso-opensource``, tests/virtuoso.py's settings):

- one ``INSERT DATA`` holds at most about 1,425 triples: past that the generated SQL
  exceeds 10,000 lines (SP031); at about 4,990 the parser's stack runs out (SP030,
  "memory exhausted");
- one request of several operations: 2 x 1,000 triples passed, 3 x 1,000 failed
  ("Maximum size (32767) of a code vector exceeded", SQ199);
- one ``VALUES`` list: at most about 4,060 IRIs;
- a request text over 10 MB is refused ("string session is longer than 10Mb").

So ``split(update)`` cuts the request into its operations (at the top-level ``;``), cuts
an ``INSERT DATA``/``DELETE DATA`` of more than ``MAX_TRIPLES`` statements into several,
cuts a ``DELETE``/``INSERT ... WHERE`` with one long single-variable ``VALUES`` list into
one operation per slice (the same solutions, so the same effect), and packs consecutive
operations into requests of at most ``MAX_WEIGHT`` statements and values and
``MAX_BYTES`` of text. Requests run in order; each is one transaction on the server, but
an update that had to be cut is no longer one transaction as a whole (docs/remote-stores.md).
Operations with blank nodes are never cut (their labels would name different nodes).
"""

from __future__ import annotations

from collections.abc import Iterator

from catalogue.store.sparql_text import Token, tokens

MAX_TRIPLES = 400
MAX_VALUES = 1000
MAX_WEIGHT = 1000
MAX_BYTES = 4 << 20


def split(update: str, *, max_triples: int = MAX_TRIPLES, max_values: int = MAX_VALUES,
          max_weight: int = MAX_WEIGHT, max_bytes: int = MAX_BYTES) -> list[str]:
    """``update`` as requests that each fit the limits, in order (``[update]`` if it fits)."""
    pieces: list[tuple[str, str, int]] = []
    for prologue, op, toks in operations(update):
        for part in _cut(op, toks, max_triples, max_values):
            pieces.append((prologue, part, _weight(part)))
    if len(pieces) <= 1 and (not pieces or pieces[0][2] <= max_weight) and len(update) <= max_bytes:
        return [update] if update.strip() else []
    requests: list[str] = []
    current: list[str] = []
    current_prologue, weight, size = "", 0, 0
    for prologue, text, w in pieces:
        # a request starts with its prologue once (Oxigraph refuses one after ";")
        if current and (weight + w > max_weight or size + len(text) > max_bytes or prologue != current_prologue):
            requests.append(current_prologue + ";\n".join(current))
            current, weight, size = [], 0, 0
        current_prologue = prologue
        current.append(text)
        weight, size = weight + w, size + len(text) + 2
    if current:
        requests.append(current_prologue + ";\n".join(current))
    return requests


def operations(update: str) -> Iterator[tuple[str, str, list[Token]]]:
    """(prologue so far, operation text, its tokens) for each operation of ``update``.

    PREFIX and BASE declarations carry over to later operations (SPARQL 1.1 Update,
    section 3), so each operation is given every declaration made before it.
    """
    prologue: list[str] = []
    toks = list(tokens(update))
    depth, start, i = 0, 0, 0
    while i <= len(toks):
        tok = toks[i] if i < len(toks) else None
        if tok is None or (depth == 0 and tok.text == ";"):
            part = toks[start:i]
            while part and part[0].kind == "word" and part[0].text.upper() in ("PREFIX", "BASE"):
                take = 3 if part[0].text.upper() == "PREFIX" else 2
                prologue.append(" ".join(t.text for t in part[:take]))
                part = part[take:]
            if part:
                end = part[-1].start + len(part[-1].text)
                yield ("\n".join(prologue) + "\n" if prologue else ""), update[part[0].start:end], part
            start = i + 1
        elif tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        i += 1


def _weight(op: str) -> int:
    """Statements (a DATA operation's terms over three) or terms (any other operation, as a
    ``VALUES`` list's): what Virtuoso's compiled SQL grows with."""
    toks = list(tokens(op))
    count = sum(1 for t in toks if t.kind in ("iri", "string", "pname"))
    if [t.text.upper() for t in toks[1:2]] == ["DATA"]:
        count //= 3
    return max(1, count)


def _cut(op: str, toks: list[Token], max_triples: int, max_values: int) -> list[str]:
    if any(t.kind == "bnode" for t in toks):
        return [op]
    words = [t.text.upper() for t in toks[:2]]
    if words in (["INSERT", "DATA"], ["DELETE", "DATA"]):
        return _cut_data(op, toks, max_triples)
    if words and words[0] in ("DELETE", "INSERT", "WITH"):
        return _cut_values(op, toks, max_values)
    return [op]


def _cut_data(op: str, toks: list[Token], max_triples: int) -> list[str]:
    """An INSERT/DELETE DATA of many statements as several, each inside the same GRAPH."""
    base = toks[0].start
    # the innermost opening brace before the first statement: after "{ GRAPH <g> {" or "{"
    opening = [i for i, t in enumerate(toks[:6]) if t.text == "{"]
    if not opening:
        return [op]
    first = opening[-1] + 1
    closing = len(toks) - len(opening)  # as many closing braces at the end
    if any(t.text != "}" for t in toks[closing:]):
        return [op]
    ends = [i for i in range(first, closing) if toks[i].text == "." and toks[i].kind == "other"
            and (op[toks[i].start - base + 1:toks[i].start - base + 2] in ("", " ", "\n", "\t", "\r", "}"))]
    if len(ends) <= max_triples:
        return [op]
    head = op[:toks[first].start - base]
    tail = op[toks[closing - 1].start - base + 1:]
    out, begin = [], toks[first].start - base
    for n in range(max_triples - 1, len(ends), max_triples):
        stop = toks[ends[n]].start - base + 1
        out.append(f"{head}\n{op[begin:stop].strip()}\n{tail.strip()}")
        begin = stop
    rest = op[begin:toks[closing].start - base].strip()
    if rest:
        out.append(f"{head}\n{rest}\n{tail.strip()}")
    return out


def _cut_values(op: str, toks: list[Token], max_values: int) -> list[str]:
    """A DELETE/INSERT ... WHERE whose one ``VALUES ?v { ... }`` is long, one per slice."""
    base = toks[0].start
    blocks = [i for i, t in enumerate(toks) if t.kind == "word" and t.text.upper() == "VALUES"]
    if len(blocks) != 1:
        return [op]
    at = blocks[0]
    if at + 2 >= len(toks) or toks[at + 1].kind != "var" or toks[at + 2].text != "{":
        return [op]
    close = next((j for j in range(at + 3, len(toks)) if toks[j].text == "}"), None)
    values = toks[at + 3:close] if close is not None else []
    if close is None or len(values) <= max_values or any(t.kind not in ("iri", "string", "pname") for t in values):
        return [op]
    head = op[:toks[at + 2].start - base + 1]
    tail = op[toks[close].start - base:]
    return [f"{head} {' '.join(t.text for t in values[k:k + max_values])} {tail}"
            for k in range(0, len(values), max_values)]
