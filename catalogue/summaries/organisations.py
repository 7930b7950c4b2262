"""Spend by canonical organisation across councils: how many councils paid each, and how much.

Why: "which suppliers are paid by five or more councils" is one of the policy questions,
and it used to sum every by-payee observation of every current spend dataset and join
each payee to its organisation: seconds on the sample data, tens of seconds at a million
lines. Each council's summary (``catalogue.summaries.councils``) already holds what it paid
each canonical organisation per financial year (``sv:spendByOrganisation``); this module
adds those up over councils into one RDF Data Cube (``sv:spendAcrossCouncils``) in its own
graph (``iris.organisation_summary_graph``): one observation per organisation paid by two
or more councils, with ``sv:payingCouncilCount``, ``sv:spendTotal`` and ``sv:lineCount``,
ranked (``sv:rank``: most councils first, then largest total), the observation of rank N at
``{cube}/N``, and the organisation's name copied onto it (``sv:organisationName``): the
question lists a thousand or more organisations at a million lines, and looking each name up
across every graph cost more than the rest of the question (README, *Scale*). Organisations
paid by one council only (most of them: 80-90% in the sample and
synthetic data) are left out: their figures are that council's own, and writing them would
make every load write five to ten times as many triples.

It is rewritten at the end of every ``council_summary.refresh`` (a load, a removal, a
full or an incremental link), from the councils' cubes just written, before the step
publishes, so a reader sees it in step with them. Supplier records not linked to an
organisation are not in it (``svcat load`` links them unless ``--no-link``).
"""

from __future__ import annotations

from decimal import Decimal

from catalogue import iris
from catalogue.store import Store, replace_graph
from catalogue.store import sparql_text as q
from catalogue.store.paging import all_rows
from catalogue.vocab import DCTERMS, QB, RDF, RDFS, SV

def figures(store: Store) -> list[tuple[str, int, Decimal, int]]:
    """(organisation, councils, total, lines) of those paid by two or more councils, ranked."""
    rows = all_rows(store, f"""SELECT ?org (COUNT(DISTINCT ?council) AS ?councils) (SUM(?spend) AS ?total)
          (SUM(?lines) AS ?n) WHERE {{ GRAPH ?g {{
            ?cube {q.iri(QB.structure)} {q.iri(SV.spendByOrganisation)} .
            ?obs {q.iri(QB.dataSet)} ?cube ; {q.iri(SV.council)} ?council ;
                 {q.iri(SV.organisationDimension)} ?org ; {q.iri(SV.spendTotal)} ?spend ;
                 {q.iri(SV.lineCount)} ?lines }} }}
        GROUP BY ?org HAVING (COUNT(DISTINCT ?council) > 1)""", order="?org")
    found = [(r["org"], int(r["councils"]), Decimal(r["total"]), int(r["n"])) for r in rows]
    return _ranked(found)


def figures_from(councils: dict[str, dict]) -> list[tuple[str, int, Decimal, int]]:
    """What ``figures`` reads, from every council's ``{(organisation, year): [spend, lines]}``
    as a refresh of every council has just written them: the query over their cubes cost
    1 s of a DEV manifest load's summaries. Only right when ``councils`` holds every
    council with a summary (``councils.refresh`` decides)."""
    sums: dict[str, list] = {}
    for council, cells in councils.items():
        for (org, _year), (amount, lines) in cells.items():
            entry = sums.setdefault(org, [set(), Decimal(0), 0])
            entry[0].add(council)
            entry[1] += amount
            entry[2] += lines
    return _ranked([(org, len(paying), total, lines) for org, (paying, total, lines) in sums.items()
                    if len(paying) > 1])


def _ranked(found: list) -> list:
    """Most councils first, then the largest total, then by IRI."""
    return sorted(found, key=lambda f: (-f[1], -f[2], f[0]))


def names(store: Store, organisations: list[str], chunk: int = 500) -> dict[str, str]:
    """{organisation: its name} (the least of its labels, should it have several)."""
    out: dict[str, str] = {}
    for start in range(0, len(organisations), chunk):
        values = " ".join(q.iri(org) for org in organisations[start:start + chunk])
        rows = store.select(f"""SELECT ?org (MIN(STR(?label)) AS ?name) WHERE {{
            VALUES ?org {{ {values} }} ?org {q.iri(RDFS.label)} ?label }} GROUP BY ?org""").rows
        out.update((str(r["org"]), str(r["name"])) for r in rows if r.get("name") is not None)
    return out


def triples(base: str, found: list[tuple[str, int, Decimal, int]],
            named: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """The cube and its observations, as SPARQL terms (s, p, o)."""
    named = named or {}
    cube = iris.organisation_summary(base)
    a = q.iri(RDF.type)
    out = [(q.iri(cube), a, q.iri(QB.DataSet)),
           (q.iri(cube), q.iri(QB.structure), q.iri(SV.spendAcrossCouncils)),
           (q.iri(cube), q.iri(RDFS.label), q.literal("Spend by canonical organisation across councils")),
           (q.iri(cube), q.iri(DCTERMS.description), q.literal(
               "Organisations paid by two or more councils, summed from every council's spend by "
               "organisation (sv:spendByOrganisation); rewritten whenever a council's summary is."))]
    for rank, (org, councils, total, lines) in enumerate(found, 1):
        obs = q.iri(f"{cube}/{rank}")
        out += [(obs, a, q.iri(QB.Observation)), (obs, q.iri(QB.dataSet), q.iri(cube)),
                (obs, q.iri(SV.organisationDimension), q.iri(org)),
                (obs, q.iri(SV.payingCouncilCount), q.integer(councils)),
                (obs, q.iri(SV.spendTotal), q.decimal(total)),
                (obs, q.iri(SV.lineCount), q.integer(lines)),
                (obs, q.iri(SV.rank), q.integer(rank))]
        if org in named:
            out.append((obs, q.iri(SV.organisationName), q.literal(named[org])))
    return out


def refresh(store: Store, base: str, councils: dict[str, dict] | None = None) -> int:
    """Rewrite the cube from the councils' summaries (or from ``councils``: see ``figures_from``);
    returns how many organisations it holds."""
    found = figures(store) if councils is None else figures_from(councils)
    named = names(store, [org for org, *_ in found])
    replace_graph(store, iris.organisation_summary_graph(base), triples(base, found, named) if found else [])
    return len(found)
