"""The canonical questions as the exact SPARQL texts the catalogue runs for them.

Each peer runs the same texts, so "the same work" is literal. They are taken from the
catalogue's own code (``catalogue.analysis``, ``catalogue/queries/*.rq``, and the
organisation page's ``catalogue.linking.profile``, recorded while it runs on our store), so
a page that changes its queries changes the benchmark with it.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.analysis import council as council_summary
from catalogue.analysis import social_value, spend
from catalogue.linking import profile
from catalogue.vocab import sparql_prologue

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://data.example.gov.uk/"
SIMPLE = "SELECT ?p ?o WHERE {{ <{council}> ?p ?o }} LIMIT 10"


class RecordingStore:
    """A store that notes every query text the code it is handed runs, then runs it."""

    def __init__(self, store):
        self.store, self.texts = store, []

    def select(self, sparql: str):
        self.texts.append(sparql)
        return self.store.select(sparql)

    def query_raw(self, sparql: str, **kwargs):
        self.texts.append(sparql)
        return self.store.query_raw(sparql, **kwargs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def biggest_council(store) -> str:
    rows = store.select(social_value.total_spend(BASE, False).text).rows
    return str(max(rows, key=lambda r: int(r["lineCount"]))["council"])


def shared_suppliers(councils: int) -> str:
    """``suppliers-paid-by-several-councils.rq`` asking for ``councils`` or more."""
    text = (ROOT / "catalogue" / "queries" / "suppliers-paid-by-several-councils.rq").read_text()
    assert "FILTER(?councils > 1)" in text
    return text.replace("FILTER(?councils > 1)", f"FILTER(?councils >= {councils})")


def canonical(store) -> tuple[dict[str, list[str]], str]:
    """{question: [query texts]} and the simple ``/sparql`` query, for the data in ``store``."""
    council = biggest_council(store)
    raw_lines = sparql_prologue("pay", "sv", "dcterms") + """SELECT ?council (SUM(?a) AS ?total) (COUNT(*) AS ?lines) WHERE {
        ?dataset sv:namedGraph ?g ; dcterms:publisher ?council . GRAPH ?g { ?line pay:netAmount ?a } }
            GROUP BY ?council"""
    shared = shared_suppliers(5)
    organisations = [str(r["organisation"]) for r in store.select(shared_suppliers(2)).rows]
    recorder = RecordingStore(store)
    assert organisations and profile.profile(recorder, BASE, organisations[0]) is not None, "nothing is linked"
    queries = {
        "spend per council (summaries)": [social_value.total_spend(BASE, False).text],
        "spend per council (raw lines)": [raw_lines],
        "SME/VCSE share, all councils (2 queries)": [q.text for q in (
            social_value.class_spend(BASE, False), social_value.total_spend(BASE, False))],
        "suppliers paid by >= 5 councils": [shared],
        "top-10 share (one council's dashboard)": [q.text for q in (
            council_summary.concentration(BASE, council), council_summary.payees(BASE, council, 10))],
        "one council's whole suppliers table": [spend.payees(council).text],
        f"organisation page ({len(recorder.texts)} queries)": recorder.texts,
    }
    return queries, SIMPLE.format(council=council)
