"""Each council's summary (``catalogue.summaries.councils``) always agrees with the payment lines.

The council dashboard and the organisation page read these few observations instead of
the per-dataset cubes, so here every figure is recomputed from the raw
payment-line triples and the links, independently of the module, after each
step that changes them: loads of real files, a real ``link_all``, a reload of a changed
file, a removal, and an incremental link after a new load. Money is compared exactly
(``Decimal``); the two ratios of the concentration panel to 12 significant digits.
The dashboard's tables are also checked against the old queries over the cubes.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from catalogue import iris
from catalogue.summaries import councils as council_summary
from catalogue.analysis import run, spend
from catalogue.analysis import council as summary
from catalogue.analysis.spend import financial_year
from catalogue.vocab import DCTERMS, SV, sparql_prologue
from tests.conftest import BASE, OGL, REAL

FILES = (("calderdale/2022-08.csv", "E08000033"), ("salford/2022-06.csv", "E08000006"))
NEW = ("harrogate/2015-04.csv", "E07000165")
P = sparql_prologue("pay", "sv", "qb", "rdfs", "dcterms")
LINES = P + f"""SELECT ?council ?month ?payee ?type ?area ?org
    (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes) (SUM(?amount) AS ?spend) (COUNT(?line) AS ?lines)
  WHERE {{ GRAPH <{iris.catalogue_graph(BASE)}> {{ ?dataset sv:namedGraph ?g ; dcterms:publisher ?council }}
    GRAPH ?g {{ ?line pay:netAmount ?amount ; pay:date ?date .
      OPTIONAL {{ ?line pay:payee ?p }}
      OPTIONAL {{ ?line pay:expenditureCategory ?t FILTER(isIRI(?t) && ?t != pay:capital && ?t != pay:revenue) }}
      OPTIONAL {{ ?line sv:serviceArea ?s }} }}
    BIND(SUBSTR(STR(?date), 1, 7) AS ?month) BIND(COALESCE(?p, sv:notStated) AS ?payee)
    BIND(COALESCE(?t, sv:notStated) AS ?type) BIND(COALESCE(?s, sv:notStated) AS ?area)
    OPTIONAL {{ ?payee sv:canonicalOrganisation ?org OPTIONAL {{ ?org sv:socialValueClass ?class }} }} }}
  GROUP BY ?council ?month ?payee ?type ?area ?org"""


def from_lines(store) -> dict:
    """Every council's figures, summed here from the lines (not from any cube)."""
    out: dict = defaultdict(lambda: {k: defaultdict(lambda: [Decimal(0), 0]) for k in
                                     ("months", "types", "areas", "payees", "organisations", "classes",
                                      "identification")})
    info: dict = {}
    for row in store.select(LINES).rows:
        council, payee = str(row["council"]), str(row["payee"])
        amount, lines = Decimal(str(row["spend"])), int(str(row["lines"]))
        org = str(row["org"]) if row.get("org") else None
        info[(council, payee)] = (org, set(str(row.get("classes") or "").split()) - {str(SV.unknownClass)})
        c = out[council]
        for table, key in (("months", str(row["month"])), ("types", str(row["type"])), ("areas", str(row["area"])),
                           ("payees", payee)) + ((("organisations", (org, financial_year(str(row["month"])))),)
                                                  if org else ()):
            c[table][key][0] += amount
            c[table][key][1] += lines
    identified = {str(r["payee"]) for r in store.select(
        "SELECT DISTINCT ?payee WHERE { ?payee <http://www.w3.org/ns/org#identifier> ?id }").rows}
    for council, c in out.items():
        for flag in (True, False):
            c["identification"].setdefault(flag, [Decimal(0), 0])  # both written, zero or not
        for payee, (amount, lines) in c["payees"].items():
            c["identification"][payee in identified][0] += amount
            c["identification"][payee in identified][1] += lines
        recipients: dict[str, Decimal] = defaultdict(Decimal)
        for payee, (amount, _) in c["payees"].items():
            org, classes = info[(council, payee)]
            withheld = payee == str(SV.notStated) or "/id/redaction/" in payee
            status = "linked" if classes or org else "not linked"
            for key in ([(k, "linked") for k in classes] if classes else
                        [(str(SV.unknownClass), "withheld or not stated" if withheld else status)]):
                c["classes"][key][0] += amount
            if not withheld:
                recipients[org or payee] += amount
        positive = sorted((v for v in recipients.values() if v > 0), reverse=True)
        whole = sum(positive, Decimal(0))
        c["concentration"] = (len(positive), float(sum(positive[:10], Decimal(0)) / whole) if whole else None,
                              float(sum((v / whole * 100) ** 2 for v in positive)) if whole else None)
    return out


def from_summary(store, council: str) -> dict:
    gss = council.rsplit("/", 1)[-1]
    rows = store.select(f"""SELECT ?cube ?obs ?p ?o WHERE {{ GRAPH <{iris.council_summary_graph(BASE, gss)}> {{
        ?obs a <http://purl.org/linked-data/cube#Observation> ; <http://purl.org/linked-data/cube#dataSet> ?cube ;
             ?p ?o }} }}""").rows
    obs: dict = defaultdict(dict)
    for row in rows:
        obs[(str(row["cube"]).rsplit("/", 1)[-1], str(row["obs"]))][str(row["p"])] = row["o"]
    out: dict = defaultdict(dict)
    for (cube, iri), o in obs.items():
        assert str(o[str(SV.council)]) == council
        cell = [Decimal(str(o[str(SV.spendTotal)])) if str(SV.spendTotal) in o else None,
                int(o[str(SV.lineCount)]) if str(SV.lineCount) in o else 0]
        key = {"by-month": lambda: str(o.get(str(SV.month))), "by-expense-type": lambda: str(o.get(str(SV.expenseType))),
               "by-service-area": lambda: str(o.get(str(SV.serviceAreaDimension))),
               "by-payee": lambda: str(o.get(str(SV.payeeRecord))),
               "by-recipient": lambda: iri,  # several payees each: checked by test_figures_consistency
               "by-class": lambda: (str(o.get(str(SV.classDimension))), str(o.get(str(SV.classStatus)))),
               "by-organisation": lambda: (str(o.get(str(SV.organisationDimension))), str(o.get(str(SV.financialYear)))),
               "by-identification": lambda: o[str(SV.identified)].toPython(),
               "concentration": lambda: "all"}[cube]()
        if cube == "by-payee":
            assert iri.endswith(f"/by-payee/{int(o[str(SV.rank)])}")
            out["ranks"][key] = int(o[str(SV.rank)])
        if cube == "concentration":
            share, hhi = o.get(str(SV.topShare)), o.get(str(SV.herfindahlIndex))
            out[cube] = (int(o[str(SV.recipientCount)]), share and float(share), hhi and float(hhi))
            continue
        out[cube][key] = cell
    return out


def agree(store) -> dict:
    """Compare every council's summary with the lines; return the lines' figures."""
    structures = {str(r["s"]) for r in store.select(f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{
        ?cube <http://purl.org/linked-data/cube#structure> ?s }}
        FILTER(STRSTARTS(STR(?g), "{iris.council_summary_graph(BASE, '')}")) }}""").rows}
    # structures of their own: a query summing every per-dataset or social-value cube never counts these
    assert structures and not structures & {str(SV.spendByMonth), str(SV.spendByClass), str(SV.spendByPayee),
                                            str(SV.spendByCategory)}
    lines = from_lines(store)
    kept = {g for g in store.graphs() if g.startswith(iris.council_summary_graph(BASE, ""))}
    assert kept == {iris.council_summary_graph(BASE, c.rsplit("/", 1)[-1]) for c in lines}
    for council, want in lines.items():
        got = from_summary(store, council)
        for cube, table in (("by-month", "months"), ("by-expense-type", "types"), ("by-service-area", "areas"),
                            ("by-payee", "payees"), ("by-organisation", "organisations"),
                            ("by-identification", "identification")):
            assert got[cube] == {k: v for k, v in want[table].items()}, (council, cube)
        assert {k: v[0] for k, v in got["by-class"].items()} == {k: v[0] for k, v in want["classes"].items()}
        ranked = sorted(want["payees"].items(), key=lambda kv: (-kv[1][0], kv[0]))
        assert got["ranks"] == {payee: n for n, (payee, _) in enumerate(ranked, 1)}
        recipients, share, hhi = want["concentration"]
        assert got["concentration"][0] == recipients
        assert got["concentration"][1] == pytest.approx(share, rel=1e-12)
        assert got["concentration"][2] == pytest.approx(hhi, rel=1e-12)
    agree_across_councils(store, lines)
    return lines


def agree_across_councils(store, lines: dict) -> None:
    """The cube across councils (``organisation_summary``) sums the same lines per organisation
    paid by two or more councils."""
    want: dict = defaultdict(lambda: [set(), Decimal(0), 0])
    for council, c in lines.items():
        for (org, _), (amount, count) in c["organisations"].items():
            want[org][0].add(council)
            want[org][1] += amount
            want[org][2] += count
    cube = iris.organisation_summary(BASE)
    rows = store.select(P + f"""SELECT ?obs ?org ?councils ?total ?lines ?rank WHERE {{
        GRAPH <{iris.organisation_summary_graph(BASE)}> {{ ?obs qb:dataSet <{cube}> ;
          sv:organisationDimension ?org ; sv:payingCouncilCount ?councils ; sv:spendTotal ?total ; sv:lineCount ?lines ;
          sv:rank ?rank }} }}""").rows
    got = {str(r["org"]): (int(r["councils"]), Decimal(str(r["total"])), int(r["lines"])) for r in rows}
    assert len(got) == len(rows)  # one observation per organisation
    assert got == {org: (len(cs), total, count) for org, (cs, total, count) in want.items() if len(cs) > 1}
    ranked = sorted(got.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    assert {str(r["org"]): (int(r["rank"]), str(r["obs"])) for r in rows} == \
        {org: (n, f"{cube}/{n}") for n, (org, _) in enumerate(ranked, 1)}
    # Each observation carries its organisation's name, as the linkset states it.
    named = store.select(P + f"""SELECT ?org ?name ?label WHERE {{
        GRAPH <{iris.organisation_summary_graph(BASE)}> {{ ?obs sv:organisationDimension ?org .
          OPTIONAL {{ ?obs sv:organisationName ?name }} }}
        OPTIONAL {{ ?org rdfs:label ?label }} }}""").rows
    assert all(r.get("label") is not None for r in named)
    assert {str(r["org"]): str(r.get("name")) for r in named} == {str(r["org"]): str(r["label"]) for r in named}


def agree_with_the_old_queries(store, council: str) -> None:
    """The dashboard's tables read from the summary equal what the cube queries gave."""
    payees = run(store, spend.payees(council)).rows
    top = run(store, summary.payees(BASE, council, 10)).rows
    assert [(r["payee"], r["total"]) for r in top] == \
        sorted(((r["payee"], r["total"]) for r in payees), key=lambda pt: (-pt[1], pt[0]))[:10]
    assert {(r["payee"], r.get("label"), r.get("organisation"), r.get("classes")) for r in top} <= \
        {(r["payee"], r.get("label"), r.get("organisation"), r.get("classes")) for r in payees}
    assert sorted(run(store, summary.classes(BASE, council)).rows, key=lambda r: (r["class"], r["status"])) == \
        sorted(spend.class_rows(payees), key=lambda r: (r["class"], r["status"]))
    assert run(store, summary.months(BASE, council)).rows == run(store, spend.months(council)).rows
    for dimension in ("expenseType", "serviceAreaDimension"):
        def key(r):
            return r["category"]
        assert sorted(run(store, summary.categories(BASE, council, dimension)).rows, key=key) == \
            sorted(run(store, spend.categories(council, dimension)).rows, key=key)


@pytest.fixture(scope="module")
def store():
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    for path, gss in FILES:
        assert load_file(store, "spend", REAL / path, base=BASE, publisher=gss, licence=OGL).loaded
    return store


def test_after_loads_every_council_agrees_with_its_lines(store):
    lines = agree(store)
    assert set(lines) == {iris.council(BASE, gss) for _, gss in FILES}
    for council in lines:
        agree_with_the_old_queries(store, council)


def test_after_a_real_link_organisations_and_classes_agree(store):
    from catalogue.linking.run import link_all

    link_all(store, BASE, licence=OGL)
    lines = agree(store)
    assert any(c["organisations"] for c in lines.values()), "nothing was linked: nothing was checked"
    assert any(k[1] == "linked" and k[0] != str(SV.unknownClass) for c in lines.values() for k in c["classes"])
    for council in lines:
        agree_with_the_old_queries(store, council)


#: The policy question as it was asked of the per-dataset cubes before the cube across councils.
SEVERAL_FROM_CUBES = sparql_prologue("sv", "qb", "dcterms") + """
SELECT ?organisation (COUNT(DISTINCT ?council) AS ?councils) (SUM(?spend) AS ?total) (SUM(?n) AS ?lines) WHERE {
  ?dataset dcterms:publisher ?council ; sv:namedGraph ?graph .
  ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee .
  GRAPH ?graph { ?obs qb:dataSet ?cube ; sv:payeeRecord ?payee ; sv:spendTotal ?spend ; sv:lineCount ?n }
  ?payee sv:canonicalOrganisation ?organisation }
GROUP BY ?organisation HAVING (COUNT(DISTINCT ?council) > 1)"""


def test_the_gallery_question_of_shared_suppliers_agrees_with_the_cubes(store):
    from catalogue.analysis import gallery

    def key(row):
        return (str(row["organisation"]), int(row["councils"]), Decimal(str(row["total"])), int(row["lines"]))

    rows = store.select(gallery.example("suppliers-paid-by-several-councils").text).rows
    assert rows, "no organisation is paid by two of the councils: nothing was checked"
    assert sorted(map(key, rows)) == sorted(map(key, store.select(SEVERAL_FROM_CUBES).rows))
    assert [key(r)[1:3] for r in rows] == sorted((key(r)[1:3] for r in rows), key=lambda ct: (-ct[0], -ct[1]))
    labels = {str(r["organisation"]): str(r["name"]) for r in store.select(sparql_prologue("rdfs") + """
        SELECT ?organisation (SAMPLE(?label) AS ?name) WHERE { ?organisation rdfs:label ?label } GROUP BY ?organisation""").rows}
    assert [str(r["name"]) for r in rows] == [labels[str(r["organisation"])] for r in rows]


#: The policy question as it was asked of the per-dataset cubes before each council's
#: summary of spend by identification.
WITHOUT_FROM_CUBES = sparql_prologue("sv", "qb", "dcterms", "org") + """
SELECT ?council (SUM(?count) AS ?lines) (SUM(IF(?identified, 0, ?count)) AS ?linesWithout)
       (SUM(?amount) AS ?spend) (SUM(IF(?identified, 0, ?amount)) AS ?spendWithout) WHERE {
  ?dataset dcterms:publisher ?council ; sv:namedGraph ?graph .
  ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee .
  GRAPH ?graph { ?obs qb:dataSet ?cube ; sv:payeeRecord ?payee ; sv:spendTotal ?amount ; sv:lineCount ?count }
  BIND(EXISTS { ?payee org:identifier ?identifier } AS ?identified) }
GROUP BY ?council"""


def test_the_gallery_question_of_untraceable_payments_agrees_with_the_cubes(store):
    from catalogue.analysis import gallery

    def key(row):
        return tuple(str(row[k]) for k in ("council", "lines", "linesWithout", "spend", "spendWithout"))

    rows = store.select(gallery.example("payments-without-supplier-identifier").text).rows
    assert {key(r) for r in rows} == {key(r) for r in store.select(WITHOUT_FROM_CUBES).rows}
    assert any(r["linesWithout"].toPython() for r in rows) and any(
        r["linesWithout"].toPython() < r["lines"].toPython() for r in rows)


def test_the_organisation_page_reads_the_same_totals_as_the_cubes(store):
    from catalogue.linking import profile

    lines = from_lines(store)
    orgs = sorted({org for c in lines.values() for org, _ in c["organisations"]})
    graph = profile.linkset_graph(store, BASE)
    for org in orgs[:: max(1, len(orgs) // 25)]:
        expected = sorted((c, y, t, n) for c, v in lines.items() for (o, y), (t, n) in v["organisations"].items()
                          if o == org)
        got = profile._by_year(store, BASE, graph, org)
        assert sorted((r["council"], r["year"], Decimal(r["total"]), int(r["lines"])) for r in got) == expected


def test_after_a_reload_of_a_changed_file_it_still_agrees(store, tmp_path):
    from catalogue.ingest import load_file

    source = (REAL / FILES[0][0]).read_bytes().splitlines(keepends=True)
    changed = tmp_path / "2022-08.csv"
    changed.write_bytes(b"".join(source[: len(source) // 2]))
    council = iris.council(BASE, FILES[0][1])
    before = from_summary(store, council)["by-month"]
    assert load_file(store, "spend", changed, base=BASE, publisher=FILES[0][1], licence=OGL,
                     allow_shrink=True).loaded
    agree(store)
    assert from_summary(store, council)["by-month"] != before


def test_a_new_load_and_its_incremental_link_agree(store):
    from catalogue.ingest import load_file
    from catalogue.linking.incremental import link_new

    assert load_file(store, "spend", REAL / NEW[0], base=BASE, publisher=NEW[1], licence=OGL).loaded
    agree(store)
    link_new(store, BASE, licence=OGL)
    lines = agree(store)
    assert lines[iris.council(BASE, NEW[1])]["organisations"]


def test_after_a_removal_the_council_goes_with_its_last_dataset(store):
    from catalogue.history import remove_dataset

    council = iris.council(BASE, FILES[1][1])
    dataset = str(store.select(f"""SELECT ?d WHERE {{ ?d <{SV.namedGraph}> ?g ;
        <{DCTERMS.publisher}> <{council}> }}""").rows[0]["d"])
    remove_dataset(store, BASE, dataset)
    lines = agree(store)
    assert council not in lines
    before = {c: from_summary(store, c) for c in lines}
    assert council_summary.refresh(store, BASE) == len(lines)  # a full refresh finds the same
    assert {c: from_summary(store, c) for c in lines} == before
