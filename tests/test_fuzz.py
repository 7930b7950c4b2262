"""Property-based tests: hostile CSV bytes and SPARQL text never crash us.

CSV: the sample files of every kind, mutated (bytes inserted, delimiters and line endings
swapped, transcoded, NULs, huge fields, truncation), or plain random bytes. Validating
(and loading) either succeeds or refuses with a report: never an exception, never a hang.
SPARQL: query strings built from grammar fragments and random text, sent every way the
protocol allows to an app on a real on-disk store with query workers: always a 200 or a
4xx with a message (or a 503 *because the query timed out*), never a 500.
"""

from __future__ import annotations

import contextlib
import json
import signal
import tempfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.app import create_app
from catalogue.cli import cli
from catalogue.ingest import load_file, validate_file
from catalogue.reports import as_table
from catalogue.store import open_store
from loaders import KINDS
from loaders.report import LoadReport
from tests.conftest import BASE, DATA, OGL, REAL

SEEDS = {kind: sorted((DATA / kind).glob("*.csv")) for kind in sorted(KINDS)}
SEEDS["spend"] += [REAL / "devon" / "DCCSpendingOver500_202603.csv"]
SPECIAL = [b"\x00", b'"', b'""', b",", b";", b"\t", b"\r", b"\n", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe",
           b"\x80", b"\xe9", b"\xc3", b"\xa3", b"<script>alert(1)</script>", b"x" * 200_000, b"\n" * 500,
           b"31/02/2010", b"(1,234.50)", b"\xc2\xa3-0", b"REDACTED", b"Total", b",,,,,,,,,,", b'"\n"']
BOUND_SECONDS = 60


@contextlib.contextmanager
def bounded(seconds: int):
    """Fail (instead of hanging) if the block runs longer than ``seconds``."""
    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def mutation(draw):
    how = draw(st.sampled_from(["insert", "delete", "delimiter", "newlines", "transcode", "truncate", "repeat"]))
    where = draw(st.floats(0, 1))
    if how == "insert":
        piece = draw(st.one_of(st.sampled_from(SPECIAL), st.binary(max_size=16)))
        return lambda data: data[: int(len(data) * where)] + piece + data[int(len(data) * where):]
    if how == "delete":
        size = draw(st.integers(1, 200))
        return lambda data: data[: int(len(data) * where)] + data[int(len(data) * where) + size:]
    if how == "delimiter":
        new = draw(st.sampled_from([b";", b"\t", b"|", b"", b'","']))
        return lambda data: data.replace(b",", new)
    if how == "newlines":
        new = draw(st.sampled_from([b"\n", b"\r", b"\r\n", b"\r\r\n", b"\n\n"]))
        return lambda data: data.replace(b"\r\n", b"\n").replace(b"\n", new)
    if how == "transcode":
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32", "utf-8-sig"]))
        return lambda data: data.decode("utf-8", "replace").encode(codec, "replace")
    if how == "truncate":
        return lambda data: data[: int(len(data) * where)]
    lines = draw(st.integers(2, 2000))
    return lambda data: data + b"\n".join(data.split(b"\n")[1:2] * lines)


@st.composite
def csv_files(draw):
    kind = draw(st.sampled_from(sorted(KINDS)))
    if draw(st.integers(0, 9)) == 0 or not SEEDS[kind]:
        return kind, draw(st.binary(max_size=4000))
    data = draw(st.sampled_from(SEEDS[kind])).read_bytes()[:30_000]
    for change in draw(st.lists(mutation(), max_size=5)):
        data = change(data)
    return kind, data


def _write(folder: str, data: bytes) -> Path:
    path = Path(folder) / "fuzzed.csv"
    path.write_bytes(data)
    return path


def _check_report(report: LoadReport) -> None:
    assert isinstance(report.valid, bool)
    if not report.valid:
        assert report.fatal or report.violations, "refused without saying why"
    json.dumps(report.to_json())
    as_table(report)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(csv_files())
def test_validating_any_bytes_gives_a_report(case):
    kind, data = case
    with tempfile.TemporaryDirectory() as folder, bounded(BOUND_SECONDS):
        _check_report(validate_file(kind, _write(folder, data), base=BASE))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(csv_files())
def test_loading_any_bytes_loads_or_changes_nothing(case):
    kind, data = case
    store = open_store("memory:", "write")
    try:
        with tempfile.TemporaryDirectory() as folder, bounded(BOUND_SECONDS):
            outcome = load_file(store, kind, _write(folder, data), base=BASE, licence=OGL, publisher="E08000035")
            _check_report(outcome.report)
            graphs = store.graphs()
            assert (outcome.graph in graphs) if outcome.loaded else graphs == []
    finally:
        store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(csv_files(), st.sampled_from(["table", "json"]))
def test_svcat_validate_never_shows_a_traceback(case, fmt):
    kind, data = case
    with tempfile.TemporaryDirectory() as folder, bounded(BOUND_SECONDS):
        result = CliRunner().invoke(cli, ["validate", kind, str(_write(folder, data)), "--format", fmt])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ SPARQL

FRAGMENTS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "{", "}", "(", ")", "[", "]", ".", ";", ",", "?s", "?p",
    "?o", "$x", "a", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES", "UNDEF", "GROUP BY",
    "ORDER BY", "DESC(?o)", "LIMIT 5", "OFFSET 3", "HAVING", "COUNT(*)", "SUM(?o)", "AVG(?o)", "SAMPLE(?o)",
    "GROUP_CONCAT(?o; SEPARATOR=',')", "DISTINCT", "REDUCED", "FROM", "NAMED", "<http://example.org/x>",
    "<x>", "<>", "<https://data.example.gov.uk/graph/catalogue>", "PREFIX ex: <http://example.org/>", "ex:p",
    "BASE <http://example.org/>", '"text"', "'x'", '"""long\nstring"""', '"a"@en', '"1"^^xsd:integer',
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>", "xsd:date(?o)", "xsd:integer(\"abc\")", "1", "-2.5",
    "1e308", "99999999999999999999999999", "1/0", "0/2.5", "true", "REGEX(?o, \"(\")", "REGEX(?o, \"a\", \"z\")",
    "REPLACE(?o, \"\", \"x\")", "SUBSTR(?o, -99999999999)", "STRDT(\"x\", <y>)", "STRLANG(\"x\", \"\")",
    "LANGMATCHES(LANG(?o), \"*\")", "BNODE()", "IRI(?o)", "URI(\"\")", "NOW()", "RAND()", "UUID()", "STRUUID()",
    "ENCODE_FOR_URI(?o)", "CONCAT()", "COALESCE()", "IF(?o, 1, 2)", "SHA512(?o)", "MD5(1)", "ABS(\"x\")",
    "YEAR(?o)", "TZ(?o)", "TIMEZONE(?o)", "STRBEFORE(?o, ?o)", "EXISTS", "NOT EXISTS", "IN (1, 2)", "NOT IN ()",
    "<<( ?s ?p ?o )>>", "TRIPLE(?s, ?p, ?o)", "?s ?p ?o", "?s <http://example.org/p>* ?o", "?s (^a|!a)+ ?o",
    "SERVICE <http://127.0.0.1:9/>", "INSERT DATA", "LOAD <http://x/>", "DEFINE", "bif:contains", "# comment",
    "\n", "\\", "\x00", "é", "𝄞", "\ufeff",
]
ALLOWED = {200, 400, 403, 404, 405, 406, 413, 415}


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("fuzz") / "store")
    with open_store(path, "write") as writer:
        assert load_file(writer, "spend", DATA / "spend" / "leeds-2010-excerpt.csv", base=BASE, licence=OGL).loaded
    app = create_app({"TESTING": True, "SVCAT_STORE": path, "SVCAT_BASE_URI": BASE, "SVCAT_QUERY_TIMEOUT": 3.0,
                      "SVCAT_RESULT_LIMIT": 100, "SVCAT_QUERY_WORKERS": 2, "PROPAGATE_EXCEPTIONS": False})
    app.testing = False  # errors go through the handler, as in production
    yield app
    with app.app_context():
        from catalogue.web import get_store

        get_store().close()


# Well-formed queries with random expressions, so that evaluation (not only the parser) is
# exercised: type errors, overflow, bad regexes, odd literals, paths, aggregates.
PROLOGUE = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX ex: <http://example.org/> "
            "PREFIX pay: <http://reference.data.gov.uk/def/payment#> ")
VARS = ["?s", "?p", "?o", "?x", "?g"]
TERMS = ['"text"', '""', '"a"@en', '"1"^^xsd:integer', '"x"^^xsd:integer', '"2010-12-24"^^xsd:date',
         '"nope"^^xsd:date', '"1e999"^^xsd:double', "1", "0", "-1", "2.5", "1e308", "99999999999999999999999",
         "true", "ex:a", "<http://example.org/b>", "pay:netAmount", '"\u0000"', '"é𝄞"', "<<( ex:a ex:b 1 )>>"]
FUNCTIONS = {1: ["STR", "LANG", "DATATYPE", "IRI", "BNODE", "ABS", "CEIL", "FLOOR", "ROUND", "STRLEN", "UCASE",
                 "LCASE", "ENCODE_FOR_URI", "YEAR", "MONTH", "DAY", "HOURS", "TIMEZONE", "TZ", "MD5", "SHA1",
                 "SHA256", "SHA512", "isIRI", "isBLANK", "isLITERAL", "isNUMERIC", "BOUND", "xsd:integer",
                 "xsd:decimal", "xsd:double", "xsd:date", "xsd:dateTime", "xsd:boolean", "xsd:string",
                 "SUBJECT", "OBJECT", "isTRIPLE"],
             2: ["LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "STRDT", "STRLANG",
                 "SUBSTR", "REGEX", "sameTerm", "COALESCE", "CONCAT"],
             3: ["IF", "REPLACE", "SUBSTR", "REGEX", "CONCAT"]}
OPERATORS = ["+", "-", "*", "/", "=", "!=", "<", ">", "<=", "&&", "||"]


def _call(name_and_args):
    name, args = name_and_args
    return f"{name}({', '.join(args)})"


expressions = st.recursive(
    st.sampled_from(VARS + TERMS),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(FUNCTIONS[1]), st.lists(inner, min_size=1, max_size=1)).map(_call),
        st.tuples(st.sampled_from(FUNCTIONS[2]), st.lists(inner, min_size=2, max_size=2)).map(_call),
        st.tuples(st.sampled_from(FUNCTIONS[3]), st.lists(inner, min_size=3, max_size=3)).map(_call),
        st.tuples(inner, st.sampled_from(OPERATORS), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"!{e}"),
        st.tuples(inner, st.lists(inner, max_size=3)).map(lambda t: f"({t[0]} IN ({', '.join(t[1])}))"),
    ),
    max_leaves=8,
)
paths = st.sampled_from(["?p", "a", "pay:netAmount", "ex:p*", "(ex:p|pay:payer)+", "^pay:payer",
                         "!(a|ex:p)", "pay:payer/<http://www.w3.org/2000/01/rdf-schema#label>", "ex:p?"])
patterns = st.recursive(
    st.one_of(
        st.tuples(st.sampled_from(["?s", "ex:a", "?x"]), paths, st.sampled_from(VARS[:3] + TERMS[:6])).map(
            lambda t: f"{t[0]} {t[1]} {t[2]} ."),
        expressions.map(lambda e: f"FILTER({e})"),
        expressions.map(lambda e: f"BIND({e} AS ?b{zlib.crc32(e.encode()) % 1000})"),
        st.lists(st.sampled_from(TERMS), max_size=4).map(lambda ts: f"VALUES ?x {{ {' '.join(ts)} UNDEF }}"),
    ),
    lambda inner: st.one_of(
        inner.map(lambda p: f"OPTIONAL {{ {p} }}"),
        st.tuples(inner, inner).map(lambda t: f"{{ {t[0]} }} UNION {{ {t[1]} }}"),
        inner.map(lambda p: f"MINUS {{ {p} }}"),
        inner.map(lambda p: f"GRAPH ?g {{ {p} }}"),
        inner.map(lambda p: f"FILTER NOT EXISTS {{ {p} }}"),
        st.lists(inner, min_size=2, max_size=3).map(" ".join),
    ),
    max_leaves=5,
)


@st.composite
def well_formed(draw):
    where = "{ ?s ?p ?o . " + draw(patterns) + " }"
    form = draw(st.sampled_from(["select", "aggregate", "ask", "construct", "describe"]))
    tail = draw(st.sampled_from(["", " LIMIT 7", " ORDER BY ?o", " ORDER BY DESC(STR(?o)) LIMIT 3 OFFSET 2",
                                 " LIMIT 0", " OFFSET 99999999999"]))
    if form == "select":
        head = f"SELECT {draw(st.sampled_from(['*', 'DISTINCT ?s ?o', 'REDUCED ?o']))} "
        head += f"({draw(expressions)} AS ?e)" if draw(st.booleans()) and "*" not in head else ""
        return PROLOGUE + head + " WHERE " + where + tail
    if form == "aggregate":
        agg = draw(st.sampled_from(["COUNT(*)", "SUM(?o)", "AVG(?o)", "MIN(?o)", "MAX(?o)", "SAMPLE(?o)",
                                    "GROUP_CONCAT(?o; SEPARATOR=', ')", "COUNT(DISTINCT ?o)"]))
        return PROLOGUE + f"SELECT ?p ({agg} AS ?a) WHERE {where} GROUP BY ?p HAVING({draw(expressions)})"
    if form == "ask":
        return PROLOGUE + "ASK " + where
    if form == "construct":
        return PROLOGUE + "CONSTRUCT { ?s ?p ?o . ?s ex:e ?x } WHERE " + where + tail
    return PROLOGUE + "DESCRIBE ?s WHERE " + where + tail


queries = st.one_of(
    well_formed(), well_formed(),
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.builds(lambda body: "SELECT * WHERE { " + body + " }", st.lists(st.sampled_from(FRAGMENTS), max_size=15).map(" ".join)),
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(query=queries, how=st.sampled_from(["get", "form", "direct", "bytes"]),
       accept=st.sampled_from(["", "*/*", "text/csv", "application/sparql-results+xml", "text/turtle",
                               "application/ld+json", "text/html", "image/png", "application/json;q=0,*/*;q=0"]),
       fmt=st.sampled_from([None, "json", "tsv", "rdf", "nope"]),
       graph=st.sampled_from([None, "", "not an iri", "https://data.example.gov.uk/graph/catalogue"]))
def test_any_query_gets_a_200_or_a_4xx_with_a_message(fuzz_app, query, how, accept, fmt, graph):
    client = fuzz_app.test_client()
    params = {"format": fmt} if fmt else {}
    if graph is not None:
        params["default-graph-uri"] = graph
    headers = {"Accept": accept} if accept else {}
    if how == "get":
        response = client.get("/sparql", query_string={"query": query, **params}, headers=headers)
    elif how == "form":
        response = client.post("/sparql", data={"query": query, **params}, headers=headers)
    elif how == "direct":
        response = client.post("/sparql", query_string=params, data=query.encode("utf-8"),
                               content_type="application/sparql-query", headers=headers)
    else:
        response = client.post("/sparql", query_string=params, data=query.encode("utf-8", "replace")[::-1],
                               content_type="application/sparql-query", headers=headers)
    timed_out = response.status_code == 503 and b"timed out" in response.data
    assert response.status_code in ALLOWED or timed_out, (response.status_code, response.data[:300])
    if response.status_code >= 400 and response.mimetype == "application/json":
        body = response.get_json()
        assert body["ok"] is False and body["error"]
