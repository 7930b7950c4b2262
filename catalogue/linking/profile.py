"""Everything an organisation's page shows, read from the links and the summary cubes.

Totals per council and financial year come from the councils' summaries
(``catalogue.summaries.councils``: what each council paid each organisation per year), or,
in a store written before those existed, from each spend dataset's ``by-payee`` cube
joined through ``sv:canonicalOrganisation``; never from payment lines.
Read-only and Flask-free: the web layer and the reconciliation service use it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef

from catalogue import iris
from catalogue.analysis.spend import financial_year
from catalogue.linking.crosswalk import method_notations
from catalogue.linking.records import linkset_graph
from catalogue.store import Store
from catalogue.store.paging import all_rows, csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS, ORG, QB, RDFS, SDMX_DIMENSION, SKOS, SV, ontology_graph


@dataclass
class Profile:
    iri: str
    label: str = ""
    retired_for: str | None = None
    identifiers: list[str] = field(default_factory=list)
    vat_numbers: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # local names: sme, vcse...
    evidence: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)  # council, year, total, lines
    councils: list[dict] = field(default_factory=list)  # council, name, total, lines, names
    #: What councils' supplier lists say it was paid (sv:SupplierTotal): shown apart, never
    #: added to the payments above (council, council_name, period, total, lines).
    list_totals: list[dict] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)


def labels_of(terms) -> dict[str, str]:
    graph = ontology_graph()
    return {str(t): str(graph.value(t, RDFS.label) or str(t).rsplit("#", 1)[-1]) for t in terms}


def profile(store: Store, base: str, org: str) -> Profile | None:
    """The organisation's page data, or ``None`` when the links do not know it."""
    graph = linkset_graph(store, base)
    if graph is None:
        return None
    rows = csv_rows(store, f"SELECT ?p ?o WHERE {{ GRAPH {q(graph)} {{ {q(org)} ?p ?o }} }}")
    if not rows:
        return None
    out = Profile(org)
    for r in rows:
        p, o = r["p"], r["o"]
        if p == str(RDFS.label):
            out.label = o
        elif p == str(ORG.identifier):
            out.identifiers.append(o)
        elif p == str(SV.vatNumber):
            out.vat_numbers.append(o)
        elif p == str(SV.postcode):
            out.postcodes.append(o)
        elif p == str(SV.socialValueClass):
            out.classes.append(o.rsplit("#", 1)[-1])
        elif p == str(DCTERMS.isReplacedBy):
            out.retired_for = o
        elif p.endswith("#sameAs"):
            out.same_as.append(o)
    if out.retired_for:
        return out
    out.identifiers.sort()
    out.evidence = _evidence(store, graph, org)
    out.records = _records(store, base, graph, org)
    out.totals, out.councils = _totals(store, base, graph, org, out.records)
    out.list_totals = _list_totals(store, base, out.records)
    out.related = [{"organisation": r["x"], "label": r.get("label") or iris.fallback_label(r["x"])} for r in csv_rows(store, f"""
        SELECT DISTINCT ?x ?label WHERE {{ GRAPH {q(graph)} {{ {{ {q(org)} {q(ORG.linkedTo)} ?x }} UNION
              {{ ?x {q(ORG.linkedTo)} {q(org)} }} OPTIONAL {{ ?x {q(RDFS.label)} ?label }} }} }} ORDER BY ?label""")]
    return out


def _evidence(store: Store, graph: str, org: str) -> list[dict]:
    rows = csv_rows(store, f"""SELECT ?cls ?source ?confidence ?accepted ?note WHERE {{ GRAPH {q(graph)} {{
        {q(org)} {q(SV.classEvidence)} ?e . ?e {q(SV.evidenceFor)} ?cls ; {q(SV.evidenceSource)} ?source ;
        {q(SV.accepted)} ?accepted ; {q(RDFS.comment)} ?note . OPTIONAL {{ ?e {q(SV.confidence)} ?confidence }} }} }}""")
    names = labels_of({URIRef(r[k]) for r in rows for k in ("cls", "source")})
    out = [{"class": names.get(r["cls"], r["cls"]), "class_key": r["cls"].rsplit("#", 1)[-1],
            "source": names.get(r["source"], r["source"]), "confidence": r.get("confidence") or "",
            "accepted": r["accepted"] in ("true", "1"), "note": r["note"]} for r in rows]
    return sorted(out, key=lambda e: (not e["accepted"], e["class"], e["source"]))


def _records(store: Store, base: str, graph: str, org: str) -> list[dict]:
    """The organisation's records with their links, then each record's council, names and ids.

    Two queries: the records come from the links graph, and their details are looked up
    by IRI (``VALUES``). Asked as one join, the engine started from every record's
    ``sv:recordedBy`` at a million lines and took 1.6 s instead of 30 ms.
    """
    links = all_rows(store, f"""SELECT DISTINCT ?rec ?method ?score ?why ?matched ?register
        WHERE {{ GRAPH {q(graph)} {{ ?rec {q(SV.canonicalOrganisation)} {q(org)} ; {q(SV.organisationLink)} ?l .
                 ?l {q(SV.linkMethod)} ?method ; {q(SV.linkScore)} ?score ; {q(RDFS.comment)} ?why .
                 OPTIONAL {{ ?l {q(SV.matchedValue)} ?matched }}
                 OPTIONAL {{ ?rec {q(SV.registerMatch)} ?rm . ?rm {q(RDFS.comment)} ?rwhy ; {q(SV.matchScore)} ?rscore
                            BIND(CONCAT("matched to the register by name (score ", STR(?rscore), "): ", ?rwhy) AS ?register) }}
                 }} }}""", order="?rec ?method ?score ?why ?matched")
    records = sorted({r["rec"] for r in links})
    details: dict[str, list[dict]] = defaultdict(list)
    for start in range(0, len(records), 500):
        values = " ".join(q(r) for r in records[start:start + 500])
        for r in all_rows(store, f"""SELECT DISTINCT ?rec ?council ?councilName ?name ?id WHERE {{
                VALUES ?rec {{ {values} }} ?rec {q(SV.recordedBy)} ?council .
                OPTIONAL {{ ?rec {q(RDFS.label)} ?name }} OPTIONAL {{ ?rec {q(DCTERMS.identifier)} ?id }}
                OPTIONAL {{ ?council {q(SKOS.prefLabel)} ?councilName }} }}""", order="?rec ?council ?name ?id"):
            details[r["rec"]].append(r)
    rows = [dict(link, **detail) for link in links for detail in details.get(link["rec"], ())]
    rows.sort(key=lambda r: (r["council"], r.get("name") or "", r.get("id") or "", r["rec"]))
    notations = method_notations()
    prefix = iris.council(base, "")
    return [{"record": r["rec"], "council": r["council"], "gss": r["council"][len(prefix):],
             "council_name": r.get("councilName") or iris.fallback_label(r["council"]), "name": r.get("name") or "",
             "supplier_id": r.get("id") or "", "method": notations.get(r["method"], r["method"]),
             "score": r["score"], "evidence": r["why"] + (f"; {r['register']}" if r.get("register") else ""),
             "matched": r.get("matched") or ""} for r in rows]


def _by_year(store: Store, base: str, graph: str, org: str) -> list[dict]:
    """(council, year, total, lines) rows: from the councils' summaries (``council_summary``,
    a few observations) when they are kept, else summed from every dataset's by-payee cube."""
    if csv_rows(store, f"SELECT ?cube WHERE {{ ?cube {q(QB.structure)} {q(SV.spendByOrganisation)} }} LIMIT 1"):
        return all_rows(store, f"""SELECT ?council ?year ?total ?lines WHERE {{ GRAPH ?g {{
            ?obs {q(SV.organisationDimension)} {q(org)} ; {q(SV.council)} ?council ; {q(SV.financialYear)} ?year ;
                 {q(SV.spendTotal)} ?total ; {q(SV.lineCount)} ?lines }} }}""", order="?council ?year")
    rows = all_rows(store, f"""SELECT ?council ?month (SUM(?t) AS ?total) (SUM(?n) AS ?lines) WHERE {{
        GRAPH {q(graph)} {{ ?rec {q(SV.canonicalOrganisation)} {q(org)} }}
        GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
        GRAPH ?g {{ ?obs {q(SV.payeeRecord)} ?rec ; {q(SV.council)} ?council ; {q(SV.month)} ?month ;
                    {q(SV.spendTotal)} ?t ; {q(SV.lineCount)} ?n }} }}
        GROUP BY ?council ?month""", order="?council ?month")
    return [dict(r, year=financial_year(r["month"])) for r in rows]


def _list_totals(store: Store, base: str, records: list[dict]) -> list[dict]:
    """The current supplier lists' totals for the organisation's records, looked up by record IRI."""
    names = {r["council"]: r["council_name"] for r in records}
    chosen = sorted({r["record"] for r in records})
    out = []
    for start in range(0, len(chosen), 500):
        values = " ".join(q(r) for r in chosen[start:start + 500])
        out += all_rows(store, f"""SELECT ?obs ?council ?period ?periodName ?total ?lines WHERE {{
            VALUES ?rec {{ {values} }}
            GRAPH {q(iris.catalogue_graph(base))} {{ ?ds {q(SV.namedGraph)} ?g }}
            GRAPH ?g {{ ?obs a {q(SV.SupplierTotal)} ; {q(SV.payeeRecord)} ?rec ; {q(SV.council)} ?council ;
                        {q(SV.spendTotal)} ?total .
                      OPTIONAL {{ ?obs {q(SV.lineCount)} ?lines }}
                      OPTIONAL {{ ?obs {q(SDMX_DIMENSION.refPeriod)} ?period
                                 OPTIONAL {{ ?period {q(RDFS.label)} ?periodName }} }} }} }}""",
                        order="?obs ?council ?period ?periodName ?total ?lines")
    rows = {r["obs"]: {"council": r["council"], "council_name": names.get(r["council"], r["council"]),
                       "period": r.get("periodName") or r.get("period") or "not stated",
                       "total": Decimal(r["total"]), "lines": r.get("lines")} for r in out}
    return sorted(rows.values(), key=lambda r: (r["council_name"], r["period"], -r["total"]))


def _totals(store: Store, base: str, graph: str, org: str, records: list[dict]):
    """Spend per council and financial year."""
    by_year: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for r in _by_year(store, base, graph, org):
        cell = by_year[(r["council"], r["year"])]
        cell[0] += Decimal(r["total"])
        cell[1] += int(r["lines"])
    names = {r["council"]: r["council_name"] for r in records}
    spellings = defaultdict(set)
    for r in records:
        spellings[r["council"]].add(r["name"] or r["supplier_id"])
    totals = [{"council": c, "council_name": names.get(c, c), "year": y, "total": t, "lines": n}
              for (c, y), (t, n) in sorted(by_year.items())]
    councils = {}
    for c in sorted(set(names) | {c for c, _ in by_year}):
        councils[c] = {"council": c, "council_name": names.get(c, c), "total": Decimal(0), "lines": 0,
                       "names": sorted(spellings.get(c, ()))}
    for t in totals:
        councils[t["council"]]["total"] += t["total"]
        councils[t["council"]]["lines"] += t["lines"]
    return totals, sorted(councils.values(), key=lambda c: (-c["total"], c["council_name"]))
