"""Each council's dashboard figures and each organisation's spend, summed when data or links change.

Why: a council's dashboard and an organisation's page used to sum the per-dataset
by-payee cubes at request time. At a million lines that is tens of thousands of
observations per council, and the first reader after every load waited 1.4-2.3 s
(the per-version cache only helps the second). So the figures those pages show are
kept, a council at a time, in the council's own graph (``iris.council_summary_graph``),
as small RDF Data Cubes (``iris.council_summary``, structures in ``ontology/svcat.ttl``):

- ``by-month`` (``sv:councilSpendByMonth``) and ``by-expense-type`` / ``by-service-area``:
  the council's totals over all its current spend datasets (structures of their own, so
  that a query summing every ``sv:spendByMonth`` observation never counts them twice);
- ``by-payee`` (``sv:councilSpendByPayee``): one observation per payee as published,
  ranked by spend, the one of rank N at ``{cube}/N`` so the top rows are N lookups;
- ``by-class`` (``sv:councilSpendByClass``): spend by social-value class and
  ``sv:classStatus`` (why unknown spend is unknown);
- ``concentration`` (``sv:spendConcentration``): recipients, top-10 share and HHI;
- ``by-organisation`` (``sv:spendByOrganisation``): what the council paid each
  canonical organisation per financial year, which organisation pages read;
- ``by-identification`` (``sv:councilSpendByIdentification``): spend and lines to payees
  with and without a valid organisation identifier (``sv:identified``), which the policy
  question of payments nobody outside the council can trace reads.

The figures are computed with the very functions the pages used on the cubes
(``analysis.spend.class_rows`` and ``concentration``). They are rewritten wherever the
social-value summary is (``catalogue.summaries.social_value``): a spend load (its council), a
removal (its council), a full link (every council) and an incremental link (the
councils of the datasets it touched). A council's graph is dropped and written again
(``store.replace_graphs``: one bulk load for all the councils on the embedded store, or a remote server's updates of
at most ``WRITE_CHUNK`` triples), before the step publishes: a reader of the embedded
store's published snapshots sees the old figures or the new, never a mix. A refresh of
many councils reads the payees' links once for all (``summaries.payee_links``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from catalogue import iris
from catalogue.analysis import spend
from catalogue.analysis.spend import financial_year
from catalogue.heap import give_back
from catalogue.store import Store, is_embedded, replace_graphs
from catalogue.store import sparql_text as q
from catalogue.store.paging import all_rows, each_row
from catalogue.summaries import organisations, social_value
from catalogue.summaries.payee_links import PayeeLinks
from catalogue.summaries.cells import month_datatype
from catalogue.vocab import DCTERMS, ORG, QB, RDF, RDFS, SV, XSD, sparql_prologue

TOP = 10  # recipients the top share counts (the dashboards show ten rows)
#: Triples per SPARQL Update: Virtuoso compiles an update to at most 10,000 lines of SQL (about 6 a triple).
WRITE_CHUNK = 400
#: Payees past which a council's figures are worth handing back to the system before the next
#: council's (``heap.give_back``): a trim costs 1-90 ms a council, and the ten DEV councils
#: (at most 6,281 payees each) paid 0.3 s for memory that the next council reuses anyway.
TRIM_PAYEES = 50_000

#: name -> (structure, label) of each cube kept per council.
CUBES = {
    "by-month": (SV.councilSpendByMonth, "Spend by month"),
    "by-expense-type": (SV.councilSpendByExpenseType, "Spend by expense type"),
    "by-service-area": (SV.councilSpendByServiceArea, "Spend by service area"),
    "by-payee": (SV.councilSpendByPayee, "Spend by payee, ranked"),
    "by-recipient": (SV.councilSpendByRecipient, "Spend by recipient (one row per canonical organisation, else per "
                                             "payee as published), ranked"),
    "by-class": (SV.councilSpendByClass, "Spend by social-value class"),
    "concentration": (SV.spendConcentration, "Concentration of spend"),
    "by-organisation": (SV.spendByOrganisation, "Spend by canonical organisation and financial year"),
    "by-identification": (SV.councilSpendByIdentification, "Spend by whether the payee has a valid identifier"),
}


def gss_of(council: str) -> str:
    return council.rsplit("/", 1)[-1]


def spend_councils(store: Store, base: str, datasets: Iterable[str] | None = None) -> set[str]:
    """Councils that publish a current spend dataset (of ``datasets``, when given)."""
    cat = q.iri(iris.catalogue_graph(base))
    values = ""
    if datasets is not None:
        chosen = sorted(set(datasets))
        if not chosen:
            return set()
        values = "VALUES ?dataset { " + " ".join(q.iri(d) for d in chosen) + " }"
    rows = store.select(sparql_prologue("sv", "qb", "dcterms") + f"""
        SELECT DISTINCT ?council WHERE {{ {values}
          GRAPH {cat} {{ ?dataset sv:namedGraph ?graph ; dcterms:publisher ?council }}
          GRAPH ?graph {{ ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee }} }}""").rows
    return {str(r["council"]) for r in rows}


def _current(base: str, council: str, structure: str, pattern: str) -> str:
    return f"""GRAPH {q.iri(iris.catalogue_graph(base))} {{
            ?dataset {q.iri(DCTERMS.publisher)} {q.iri(council)} ; {q.iri(SV.namedGraph)} ?graph }}
          GRAPH ?graph {{ ?cube {q.iri(SV.summaryOf)} ?dataset ; {q.iri(QB.structure)} {q.iri(structure)} .
            ?obs {q.iri(QB.dataSet)} ?cube ; {pattern} }}"""


def _pass(base: str, council: str, prop, var: str) -> str:
    """One property of the council's current observations, read in one pass (joined on ``?obs``).

    On the on-disk store, joining such passes is 2-3 times faster than looking up each
    observation's properties one by one (as ``analysis.spend`` does for the same reason).
    """
    return f"""{{ SELECT ?obs ?{var} WHERE {{ GRAPH {q.iri(iris.catalogue_graph(base))} {{
            ?dataset {q.iri(DCTERMS.publisher)} {q.iri(council)} ; {q.iri(SV.namedGraph)} ?graph }}
          GRAPH ?graph {{ ?obs {q.iri(prop)} ?{var} }} }} }}"""


def _links(store: Store, payees: list[str], chunk: int = 1000, shared: PayeeLinks | None = None) -> list[dict]:
    """Each payee's canonical organisation and its classes, looked up by IRI, a chunk at a time
    (or in ``shared``: the links ``refresh`` read once for many councils)."""
    if shared is not None:
        return shared.links(payees)
    out: list[dict] = []
    for start in range(0, len(payees), chunk):
        values = " ".join(q.iri(p) for p in payees[start:start + chunk])
        out += all_rows(store, f"""SELECT ?payee ?org (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
            WHERE {{ VALUES ?payee {{ {values} }} ?payee {q.iri(SV.canonicalOrganisation)} ?org .
              OPTIONAL {{ ?org {q.iri(SV.socialValueClass)} ?class }} }} GROUP BY ?payee ?org""", order="?payee ?org")
    return out


def _identified(store: Store, payees: list[str], chunk: int = 1000, shared: PayeeLinks | None = None) -> set[str]:
    """The payees that carry a valid organisation identifier (``org:identifier``), by IRI."""
    if shared is not None:
        return shared.identified & set(payees)
    out: set[str] = set()
    for start in range(0, len(payees), chunk):
        values = " ".join(q.iri(p) for p in payees[start:start + chunk])
        out |= {r["payee"] for r in all_rows(store, f"""SELECT DISTINCT ?payee WHERE {{ VALUES ?payee {{ {values} }}
            ?payee {q.iri(ORG.identifier)} ?identifier }}""", order="?payee")}
    return out


def figures(store: Store, base: str, council: str, shared: PayeeLinks | None = None,
            held: list[tuple[list, list]] | None = None) -> dict:
    """Everything the council's cubes hold, summed from its current datasets' cubes and the links
    (those in ``shared``, when ``refresh`` read them once for many councils).

    The payee x month rows (one per payee and month: hundreds of thousands for a
    5,000,000-line file) are summed as they are read, into totals per payee and per
    payee and financial year, never held as a list. ``held``: every current dataset's
    (payee cells, category cells) when a manifest load has just summed them all, which
    spares reading the cubes back (about 2 of a DEV manifest load's 3 s of figures).
    """
    payee_rows, category_rows = _held_rows(held) if held is not None else _cube_rows(store, base, council)
    payees, payee_years = defaultdict(lambda: [Decimal(0), 0]), defaultdict(lambda: [Decimal(0), 0])
    # The cells themselves, not grouped by the engine: they are summed here per payee and
    # per payee and year anyway, and a GROUP BY would hold every payee x month group in
    # the engine at once.
    for month, payee, amount, lines in payee_rows:
        for table, key in ((payees, payee), (payee_years, (payee, financial_year(month)))):
            table[key][0] += amount
            table[key][1] += lines
    links = _links(store, sorted(payees), shared=shared)
    identified = _identified(store, sorted(payees), shared=shared)
    org_of: dict[str, tuple[str, str]] = {}
    for row in sorted(links, key=lambda r: (r["payee"], r["org"])):
        org_of.setdefault(row["payee"], (row["org"], row.get("classes") or ""))
    months, types, areas = (defaultdict(lambda: [Decimal(0), 0]) for _ in range(3))
    for month, kind, area, amount, lines in category_rows:
        for table, key in ((months, month), (types, kind), (areas, area)):
            table[key][0] += amount
            table[key][1] += lines
    identification = {True: [Decimal(0), 0], False: [Decimal(0), 0]}
    for payee, (amount, lines) in payees.items():
        identification[payee in identified][0] += amount
        identification[payee in identified][1] += lines
    organisations = defaultdict(lambda: [Decimal(0), 0])
    for (payee, year), (amount, lines) in payee_years.items():
        if payee in org_of:
            cell = organisations[(org_of[payee][0], year)]
            cell[0] += amount
            cell[1] += lines
    payee_rows = [{"payee": p, "organisation": org_of.get(p, (None, ""))[0],
                   "classes": org_of.get(p, (None, ""))[1], "total": t} for p, (t, _) in payees.items()]
    return {"months": dict(months), "types": dict(types), "areas": dict(areas),
            "payees": sorted(payees.items(), key=lambda kv: (-kv[1][0], kv[0])),
            "recipients": recipients(payees, org_of),
            "classes": spend.class_rows(payee_rows), "concentration": spend.concentration(payee_rows, TOP),
            "organisations": dict(organisations), "identification": identification}


def _cube_rows(store: Store, base: str, council: str) -> tuple[Iterator, list]:
    """(month, payee, spend, lines) read from the council's current by-payee cubes as they
    come, and (month, type, area, spend, lines) summed from its by-category cubes."""
    if is_embedded(store):  # where joined one-property passes pay
        cells = f"""{_pass(base, council, SV.payeeRecord, "payee")} {_pass(base, council, SV.month, "month")}
          {_pass(base, council, SV.spendTotal, "spend")} {_pass(base, council, SV.lineCount, "lines")}"""
    else:  # Virtuoso estimates the four joined passes at minutes and refuses them (MaxQueryCostEstimationTime)
        cells = _current(base, council, SV.spendByPayee,
                         f"{q.iri(SV.payeeRecord)} ?payee ; {q.iri(SV.month)} ?month ; "
                         f"{q.iri(SV.spendTotal)} ?spend ; {q.iri(SV.lineCount)} ?lines")
    payee_rows = ((row["month"], row["payee"], Decimal(row["spend"]), int(row["lines"])) for row in each_row(
        store, f"""SELECT ?payee ?month ?spend ?lines WHERE {{
          {cells}
        }}""", order="?obs"))
    measures = f"{q.iri(SV.spendTotal)} ?spend ; {q.iri(SV.lineCount)} ?lines"
    by_category = all_rows(store, f"""SELECT ?month ?type ?area (SUM(?spend) AS ?total) (SUM(?lines) AS ?n) WHERE {{
          {_current(base, council, SV.spendByCategory, f"{q.iri(SV.month)} ?month ; {q.iri(SV.expenseType)} ?type ; "
                                                       f"{q.iri(SV.serviceAreaDimension)} ?area ; {measures}")}
        }} GROUP BY ?month ?type ?area""", order="?month ?type ?area")
    return payee_rows, [(r["month"], r["type"], r["area"], Decimal(r["total"]), int(r["n"])) for r in by_category]


def _held_rows(held: list[tuple[list, list]]) -> tuple[Iterator, Iterator]:
    """The same rows from the cells a manifest load holds for each of the council's datasets."""
    return ((cell for payees, _ in held for cell in payees),
            (cell for _, categories in held for cell in categories))


def recipients(payees: dict, org_of: dict) -> list[tuple[str, str | None, list[str], list]]:
    """(key, organisation, payees, [spend, lines]) ranked by spend: one per canonical
    organisation (its records paid by this council, under whatever names), else one per
    payee as published. The council page's supplier table lists these: an organisation
    appears once however many names the council paid it under."""
    groups: dict[str, list] = {}
    for payee, (amount, lines) in sorted(payees.items()):
        organisation = org_of.get(payee, (None, ""))[0]
        group = groups.setdefault(organisation or payee, [organisation, [], [Decimal(0), 0]])
        group[1].append(payee)
        group[2][0] += amount
        group[2][1] += lines
    # ties in spend: by the group's first payee IRI, as the whole table is ordered
    ranked = sorted(groups.items(), key=lambda kv: (-kv[1][2][0], min(kv[1][1])))
    return [(key, organisation, sorted(members), cell) for key, (organisation, members, cell) in ranked]


def triples(base: str, council: str, found: dict) -> Iterator[tuple[str, str, str]]:
    """The council's cubes and observations, as SPARQL terms (s, p, o), made as they are read."""
    gss = gss_of(council)
    a, council_term = q.iri(RDF.type), q.iri(council)

    def cube(name: str) -> tuple[str, list]:
        iri = iris.council_summary(base, gss, name)
        structure, label = CUBES[name]
        return iri, [(q.iri(iri), a, q.iri(QB.DataSet)), (q.iri(iri), q.iri(QB.structure), q.iri(structure)),
                     (q.iri(iri), q.iri(RDFS.label), q.literal(label)),
                     (q.iri(iri), q.iri(DCTERMS.description), q.literal(
                         "Summed from the council's current spend datasets' cubes and the supplier links; "
                         "rewritten when one of its datasets is loaded or removed and when links change."))]

    observation, in_cube, in_council = q.iri(QB.Observation), q.iri(QB.dataSet), q.iri(SV.council)

    def observe(iri: str, cube_iri: str, *pairs) -> list:
        obs = q.iri(iri)
        return [(obs, a, observation), (obs, in_cube, q.iri(cube_iri)),
                (obs, in_council, council_term)] + [(obs, _predicate(p), o) for p, o in pairs if o is not None]

    def money(amount: Decimal, lines: int | None = None):
        pairs = [(SV.spendTotal, q.decimal(amount))]
        return pairs + ([(SV.lineCount, q.integer(lines))] if lines is not None else [])

    month_cube, described = cube("by-month")
    yield from described
    for month, (amount, lines) in sorted(found["months"].items()):
        yield from observe(f"{month_cube}/{month}", month_cube, (SV.month, q.literal(month, month_datatype(month))),
                           *money(amount, lines))
    for name, key, dimension in (("by-expense-type", "types", SV.expenseType),
                                 ("by-service-area", "areas", SV.serviceAreaDimension)):
        iri, described = cube(name)
        yield from described
        for n, (category, (amount, lines)) in enumerate(sorted(found[key].items()), 1):
            yield from observe(f"{iri}/{n}", iri, (dimension, q.iri(category)), *money(amount, lines))
    payee_cube, described = cube("by-payee")
    yield from described
    for rank, (payee, (amount, lines)) in enumerate(found["payees"], 1):
        yield from observe(f"{payee_cube}/{rank}", payee_cube, (SV.payeeRecord, q.iri(payee)),
                           (SV.rank, q.integer(rank)), *money(amount, lines))
    recipient_cube, described = cube("by-recipient")
    yield from described
    for rank, (key, organisation, members, (amount, lines)) in enumerate(found.get("recipients", ()), 1):
        pairs = [(SV.rank, q.integer(rank))] + [(SV.payeeRecord, q.iri(p)) for p in members]
        if organisation:
            pairs.append((SV.organisationDimension, q.iri(organisation)))
        yield from observe(f"{recipient_cube}/{rank}", recipient_cube, *pairs, *money(amount, lines))
    class_cube, described = cube("by-class")
    yield from described
    for n, row in enumerate(found["classes"], 1):
        yield from observe(f"{class_cube}/{n}", class_cube, (SV.classDimension, q.iri(row["class"])),
                           (SV.classStatus, q.literal(row["status"])), *money(row["total"]))
    figures_ = found["concentration"]
    concentration, described = cube("concentration")
    yield from described
    yield from observe(f"{concentration}/all", concentration, (SV.recipientCount, q.integer(figures_["recipients"])),
                       (SV.topCount, q.integer(figures_["top"])), (SV.topShare, _double(figures_["top_share"])),
                       (SV.herfindahlIndex, _double(figures_["hhi"])))
    org_cube, described = cube("by-organisation")
    yield from described
    for n, ((org, year), (amount, lines)) in enumerate(sorted(found["organisations"].items()), 1):
        yield from observe(f"{org_cube}/{n}", org_cube, (SV.organisationDimension, q.iri(org)),
                           (SV.financialYear, q.literal(year)), *money(amount, lines))
    identification_cube, described = cube("by-identification")
    yield from described
    for flag, (amount, lines) in sorted(found["identification"].items()):
        yield from observe(f"{identification_cube}/{'with' if flag else 'without'}", identification_cube,
                           (SV.identified, q.literal("true" if flag else "false", str(XSD.boolean))),
                           *money(amount, lines))


class Plan:
    """Which councils a refresh rewrites (``wanted``) of those with spend data (``live``).

    Councils with spend data but no summary yet (a store loaded before this module)
    are summarised too, and summaries of councils without spend data are dropped.
    """

    def __init__(self, store: Store, base: str, councils: Iterable[str] | None = None):
        self.live = spend_councils(store, base)
        prefix = iris.council_summary_graph(base, "")
        kept = {g[len(prefix):] for g in store.graphs() if g.startswith(prefix)}
        self.wanted = set(self.live) if councils is None else set(councils)
        self.wanted |= {c for c in self.live if gss_of(c) not in kept}
        self.wanted |= {iris.council(base, gss) for gss in kept if iris.council(base, gss) not in self.live}

    @property
    def many(self) -> bool:
        """Half the councils or more: one scan of every payee's links (``PayeeLinks``) is cheaper
        than looking each council's payees up."""
        written = len(self.wanted & self.live)
        return written > 1 and 2 * written >= len(self.live)


def refresh(store: Store, base: str, councils: Iterable[str] | None = None, *, plan: Plan | None = None,
            links: PayeeLinks | None = None, held: dict[str, tuple[list, list]] | None = None) -> int:
    """Rewrite the summaries of ``councils`` (IRIs; every council when ``None``), or of ``plan``.

    Returns the number of councils written. The cube across councils
    (``catalogue.summaries.organisations``) is rewritten after them. ``links``: every
    payee's links, when the caller has read them already for the social-value summary.
    ``held``: dataset -> (payee cells, category cells) a manifest load holds
    (``Pending.held``); a council whose every current dataset is there is summed from them.
    """
    plan = plan or Plan(store, base, councils)
    live, wanted = plan.live, plan.wanted
    if links is None and plan.many:
        links = PayeeLinks(store)
    shared = {"shared": links} if links is not None else {}
    current: dict[str, list[str]] = defaultdict(list)
    if held:
        for dataset, _, council in social_value.spend_datasets(store, base):
            current[council].append(dataset)
    paid: dict[str, dict] = {}  # council -> what it paid each organisation a year, for the cube across councils
    council_of = {iris.council_summary_graph(base, gss_of(council)): council for council in sorted(wanted)}

    def written(graph: str) -> Iterator[tuple[str, str, str]]:
        council = council_of[graph]
        if council not in live:
            return
        mine = current.get(council)
        cells = [held[d] for d in mine] if held and mine and all(d in held for d in mine) else None
        found = figures(store, base, council, held=cells, **shared)
        paid[council] = found["organisations"]
        big = len(found["payees"]) > TRIM_PAYEES
        yield from triples(base, council, found)
        del found
        if big:  # one council's answer and figures, before the next council's (catalogue.heap)
            give_back(collect=False)

    replace_graphs(store, list(council_of), written, WRITE_CHUNK)
    # every council rewritten: the cube across councils adds up what was just summed, else it reads the cubes
    organisations.refresh(store, base, paid if live <= wanted else None)
    return len(wanted & live)


@lru_cache(maxsize=None)
def _predicate(term) -> str:
    return q.iri(term)


def _double(value: float | None) -> str | None:
    return None if value is None else q.literal(repr(float(value)), str(XSD.double))
