"""Every headline figure on every kind of page, recomputed from the store by independent SPARQL.

Pages read summaries and shared helpers; these tests read the raw lines, records and
observations with their own queries (no ``catalogue.analysis`` query is used) and sum
in Python, over the whole DEV set in tests/data/real: every spend file, the contracts
register and the grants file (linked, ``linked_client``), and the outcome files. A figure
that drifts from the data it summarises fails here, whichever page shows it. Where each
figure comes from is in docs/querying.md ("Where each figure comes from").
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal

import pytest

from catalogue.vocab import SV, sparql_prologue
from tests.conftest import BASE, OGL, REAL, manifest

CATALOGUE = f"<{BASE}graph/catalogue>"
PROLOGUE = sparql_prologue("pay", "sv", "dcterms", "dcat", "rdfs", "skos", "org", "prov")
UNKNOWN = str(SV.unknownClass)
NOT_STATED = None  # a line with no payee
EPSILON = 1e-9


def select(store, body: str) -> list[dict]:
    return store.select(PROLOGUE + body).rows


def councils_with_spend(store) -> dict[str, str]:
    """Council IRI -> GSS code, for every council with a spend dataset."""
    rows = select(store, f"""SELECT DISTINCT ?council ?gss WHERE {{ GRAPH {CATALOGUE} {{
        ?d dcterms:publisher ?council ; dcterms:type sv:spend }} ?council org:identifier ?gss }}""")
    return {str(r["council"]): str(r["gss"]) for r in rows}


def lines_by_payee(store, council: str) -> dict:
    """Payee IRI (``None`` for no payee) -> [net total, line count], from the council's lines."""
    rows = select(store, f"""
        SELECT ?payee (SUM(?amount) AS ?total) (COUNT(?line) AS ?n) WHERE {{
          GRAPH {CATALOGUE} {{ ?d dcterms:publisher <{council}> ; dcterms:type sv:spend ; sv:namedGraph ?g }}
          GRAPH ?g {{ ?line pay:netAmount ?amount . OPTIONAL {{ ?line pay:payee ?payee }} }}
        }} GROUP BY ?payee""")
    return {(str(r["payee"]) if r.get("payee") else NOT_STATED): [Decimal(str(r["total"])), int(r["n"])]
            for r in rows}


@pytest.fixture(scope="module")
def facts(linked_store):
    """What the store says, read once: each council's lines by payee, each payee's
    organisation and classes, and which payees are redactions."""
    store = linked_store
    councils = councils_with_spend(store)
    payees = {c: lines_by_payee(store, c) for c in councils}
    organisation: dict[str, str] = {}
    classes: dict[str, set] = defaultdict(set)
    for r in select(store, """SELECT DISTINCT ?payee ?org ?class WHERE {
            ?payee sv:canonicalOrganisation ?org . OPTIONAL { ?org sv:socialValueClass ?class } }"""):
        organisation[str(r["payee"])] = str(r["org"])
        if r.get("class") and str(r["class"]) != UNKNOWN:
            classes[str(r["payee"])].add(str(r["class"]))
    redactions = {str(r["p"]) for r in select(store, "SELECT DISTINCT ?p WHERE { ?p a pay:Redaction }")}
    return {"councils": councils, "payees": payees, "organisation": organisation, "classes": classes,
            "redactions": redactions}


def close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < EPSILON


# ---------------------------------------------------------------- home

@pytest.fixture(scope="module")
def lines_loaded() -> int:
    """Payment lines in the repository's spend files (the demo's home page says 53,992)."""
    return 53992


def test_home_figures_equal_the_store(linked_client, linked_store, lines_loaded):
    home = linked_client.get("/", headers={"Accept": "application/json"}).get_json()
    lines = select(linked_store, f"""SELECT (COUNT(?line) AS ?n) WHERE {{
        GRAPH {CATALOGUE} {{ ?d sv:namedGraph ?g }} GRAPH ?g {{ ?line pay:netAmount [] }} }}""")
    datasets = select(linked_store, f"""SELECT (COUNT(DISTINCT ?d) AS ?n) (COUNT(DISTINCT ?c) AS ?councils)
        WHERE {{ GRAPH {CATALOGUE} {{ ?d a dcat:Dataset ; dcterms:publisher ?c ; sv:loadedRowCount ?rows }} }}""")
    assert home["payment_lines"] == int(lines[0]["n"]) == lines_loaded
    assert len(home["datasets"]) == int(datasets[0]["n"])
    assert len(home["councils"]) == int(datasets[0]["councils"])
    html = linked_client.get("/").get_data(as_text=True)
    assert f"{home['payment_lines']:,} payment lines" in html


# ---------------------------------------------------------------- council pages

def test_every_councils_headline_figures_equal_its_lines(linked_client, facts):
    assert len(facts["councils"]) == 10
    for council, gss in facts["councils"].items():
        payees = facts["payees"][council]
        total = sum((t for t, _ in payees.values()), Decimal(0))
        lines = sum(n for _, n in payees.values())
        unknown = sum((t for p, (t, _) in payees.items() if p not in facts["classes"]), Decimal(0))
        withheld = sum((t for p, (t, _) in payees.items() if p is NOT_STATED or p in facts["redactions"]),
                       Decimal(0))
        figures = {r["figure"]: r["value"]
                   for r in linked_client.get(f"/council/{gss}/figures.json").get_json()["rows"]}
        assert Decimal(figures["spend"]) == total, gss
        assert figures["lines"] == lines, gss
        assert close(figures["unknown_share"], unknown / total), gss
        assert close(figures["known_share"], 1 - unknown / total), gss
        assert Decimal(figures["withheld_spend"]) == withheld, gss
        html = linked_client.get(f"/doc/council/{gss}").get_data(as_text=True)
        assert f"<dd>{lines:,}</dd>" in html, gss


def test_every_councils_supplier_table_lists_each_organisation_once_with_its_lines_total(linked_client, facts):
    """One row per canonical organisation (its payees under any name added up), else per
    payee; the CSV, the whole JSON (``_size=max``) and the ranked pages agree with the lines."""
    for council, gss in facts["councils"].items():
        want: dict = defaultdict(Decimal)
        for payee, (amount, _) in facts["payees"][council].items():
            want[facts["organisation"].get(payee) or payee] += amount
        text = linked_client.get(f"/council/{gss}/suppliers.csv").get_data(as_text=True)
        rows = list(csv.DictReader(io.StringIO(text)))
        keys = [r["organisation"] or r["payee"] or NOT_STATED for r in rows]
        assert len(keys) == len(set(keys)), f"{gss}: an organisation listed twice"
        assert set(keys) == set(want), gss
        for row, key in zip(rows, keys):
            assert Decimal(row["spend"]) == want[key], (gss, row["supplier"])
            assert row["type"], (gss, row["supplier"])
        whole = linked_client.get(f"/council/{gss}/suppliers.json?_size=max").get_json()
        assert len(whole["rows"]) == len(rows), gss
        # The paged JSON (by rank, from the council's summary) agrees with the CSV.
        first = linked_client.get(f"/council/{gss}/suppliers.json?_size=10").get_json()
        assert first["total"] == len(rows), gss
        for row in first["rows"]:
            key = row["organisation"] or row["payee"] or NOT_STATED
            assert Decimal(str(row["spend"])) == want[key], (gss, row["supplier"])


def test_every_councils_class_spend_equals_the_lines_of_organisations_in_that_class(linked_client, facts):
    for council, gss in facts["councils"].items():
        payees = facts["payees"][council]
        by_class: dict[str, Decimal] = defaultdict(Decimal)
        for payee, (amount, _) in payees.items():
            for cls in facts["classes"].get(payee, ()):
                by_class[cls] += amount
        rows = linked_client.get(f"/council/{gss}/classes.json").get_json()["rows"]
        for row in rows:
            if row["known"]:
                assert Decimal(row["spend"]) == by_class.get(row["class"], Decimal(0)), (gss, row["label"])
                assert row["unknown_share"] is not None, (gss, row["label"])


# ---------------------------------------------------------------- social value

def test_social_value_shares_equal_the_lines(linked_client, facts):
    rows = {r["council"]: r for r in linked_client.get("/social-value/shares.json?_size=max").get_json()["rows"]}
    assert set(rows) == set(facts["councils"])
    for council, payees in facts["payees"].items():
        total = sum((t for t, _ in payees.values()), Decimal(0))
        row = rows[council]
        assert Decimal(row["total"]) == total
        unknown = sum((t for p, (t, _) in payees.items() if p not in facts["classes"]), Decimal(0))
        assert close(row["unknownClass_share"], unknown / total), council
        for cls in {c for cs in facts["classes"].values() for c in cs}:
            spent = sum((t for p, (t, _) in payees.items() if cls in facts["classes"].get(p, ())), Decimal(0))
            slug = cls.rsplit("#", 1)[-1]
            assert close(row[slug + "_share"], spent / total), (council, slug)


# ---------------------------------------------------------------- who the money reaches (issue 19)

def expected_shares(client, store, council: str, gss: str, payees: dict) -> dict:
    """(measure, basis) -> {yes, no, unknown}, recomputed without ``analysis.supplier_shares``:
    ``payees`` from the council's lines (``lines_by_payee``), each payee's organisation and
    place by SPARQL, each organisation's yes/no/unknown as the crosswalk CSV states it."""
    crosswalk = list(csv.DictReader(io.StringIO(client.get("/organisations/crosswalk.csv").get_data(as_text=True))))
    said = {r["organisation"]: r for r in crosswalk if r["council"] == gss and r["organisation"]}
    organisation = {str(r["p"]): str(r["o"]) for r in select(store, f"""SELECT DISTINCT ?p ?o WHERE {{
        GRAPH {CATALOGUE} {{ ?d dcterms:publisher <{council}> ; sv:namedGraph ?g }}
        GRAPH ?g {{ ?line pay:payee ?p }} ?p sv:canonicalOrganisation ?o }}""")}
    place = {str(r["o"]): (str(r["la"]).rsplit("/", 1)[-1], str(r.get("c") or "").rsplit("/", 1)[-1])
             for r in select(store, "SELECT ?o ?la ?c WHERE { ?o sv:localAuthorityArea ?la OPTIONAL { ?o sv:countyArea ?c } }")}
    counties = {str(r["c"]).rsplit("/", 1)[-1] for r in select(store, f"""SELECT DISTINCT ?c WHERE {{
        GRAPH {CATALOGUE} {{ ?d dcterms:type sv:postcodeDirectory ; sv:namedGraph ?g }}
        GRAPH ?g {{ ?u sv:localAuthorityArea ?la ; sv:countyArea ?c FILTER(STRENDS(STR(?la), "/{gss}")) }} }}""")}
    recipients: dict = defaultdict(lambda: [Decimal(0), False])
    for payee, (amount, _) in payees.items():
        withheld = payee is NOT_STATED or "/id/redaction/" in payee
        key = ("withheld", payee) if withheld else organisation.get(payee, payee)
        recipients[key][0] += amount
        recipients[key][1] = withheld
    out: dict = defaultdict(lambda: {"yes": Decimal(0), "no": Decimal(0), "unknown": Decimal(0)})
    for key, (amount, withheld) in recipients.items():
        if amount <= 0:
            continue
        row = said.get(key, {}) if not withheld else {}
        la, county = place.get(key, ("", "")) if not withheld else ("", "")
        answers = {m: row.get(m) or "unknown" for m in ("sme", "vcse", "public_body", "local")}
        answers["county"] = "unknown" if not la else "yes" if (la == gss or {la, county} & counties) else "no"
        for measure, answer in answers.items():
            out[(measure, "value")][answer] += amount
            if not withheld:
                out[(measure, "count")][answer] += 1
    return {"rows": out, "counties": counties}


def assert_shares_agree(client, store, council: str, gss: str, payees: dict) -> list[dict]:
    """The council's shares.json equals ``expected_shares``; parts add to 100%, none above."""
    expected = expected_shares(client, store, council, gss, payees)
    rows = client.get(f"/council/{gss}/shares.json?_size=max").get_json()["rows"]
    measures = {"sme", "vcse", "public_body", "local"} | ({"county"} if expected["counties"] else set())
    assert {(r["measure"], r["basis"]) for r in rows} == {(m, b) for m in measures for b in ("value", "count")}, gss
    for row in rows:
        want = expected["rows"][(row["measure"], row["basis"])]
        for part in ("yes", "no", "unknown"):
            assert Decimal(str(row[part])) == want[part], (gss, row["measure"], row["basis"], part)
        assert Decimal(str(row["total"])) == sum(want.values()), (gss, row["measure"])
        if row["total"]:
            parts = [row["yes_share"], row["no_share"], row["unknown_share"]]
            assert all(0 <= p <= 1 for p in parts) and abs(sum(parts) - 1) < EPSILON, (gss, row)
    return rows


def test_every_councils_supplier_shares_equal_its_lines_and_the_crosswalk(linked_client, linked_store, facts):
    for council, gss in facts["councils"].items():
        rows = assert_shares_agree(linked_client, linked_store, council, gss, facts["payees"][council])
        html = linked_client.get(f"/doc/council/{gss}").get_data(as_text=True)
        with linked_client.application.test_request_context():
            from catalogue.web.formatting import share

            for row in rows:
                assert share(row["yes_share"], row["unknown_share"]) in html, (gss, row["measure"])


#: The order a payee with several classes is stacked under, spelled out here on purpose
#: (not read from catalogue.class_summary) so the test checks the stated rule.
STACK_ORDER = ("publicBody", "vcse", "sme", "largeEnterprise", "individual")


def test_stacked_social_value_shares_equal_the_lines_and_add_up_to_100_percent(linked_client, facts):
    """One class per payee, over the stated base (the parts that are not net credits): each
    share equals the independent sum and a council's shares add up to exactly 100%."""
    rows = {r["council"]: r for r in linked_client.get("/social-value/stacked-shares.json?_size=max").get_json()["rows"]}
    assert set(rows) == set(facts["councils"])
    for council, payees in facts["payees"].items():
        parts: dict[str, Decimal] = defaultdict(Decimal)
        for payee, (amount, _) in payees.items():
            held = {c.rsplit("#", 1)[-1] for c in facts["classes"].get(payee, ())}
            parts[next((c for c in STACK_ORDER if c in held), "unknownClass")] += amount
        base = sum((v for v in parts.values() if v > 0), Decimal(0))
        row = rows[council]
        assert Decimal(str(row["base"])) == base, council
        for slug in (*STACK_ORDER, "unknownClass"):
            want = parts.get(slug, Decimal(0))
            assert close(row[slug + "_share"], want / base if want > 0 else 0), (council, slug)
            assert 0 <= row[slug + "_share"] <= 1, (council, slug)
        assert close(sum(row[s + "_share"] for s in (*STACK_ORDER, "unknownClass")), 1), council


# ---------------------------------------------------------------- organisation pages

def test_organisation_pages_total_what_each_council_paid_them(linked_app, linked_client, linked_store, facts):
    from catalogue.linking import profile
    from catalogue.web.formatting import money

    listed = linked_client.get("/organisations.json?_size=8").get_json()["rows"]
    assert listed and listed[0]["councils"] > 1
    for entry in listed:
        org = entry["organisation"]
        expected: dict[str, list] = defaultdict(lambda: [Decimal(0), 0])
        for council, payees in facts["payees"].items():
            for payee, (amount, n) in payees.items():
                if payee is not NOT_STATED and facts["organisation"].get(payee) == org:
                    expected[council][0] += amount
                    expected[council][1] += n
        with linked_app.test_request_context():
            shown = profile.profile(linked_store, BASE, org)
        got = {c["council"]: [c["total"], c["lines"]] for c in shown.councils if c["lines"]}
        assert got == {c: v for c, v in expected.items()}, entry["label"]
        html = linked_client.get(org[len(BASE) - 1:].replace("/id/", "/doc/", 1)).get_data(as_text=True)
        with linked_app.test_request_context():
            for total, _ in expected.values():
                assert money(total) in html, entry["label"]


# ---------------------------------------------------------------- dataset pages

@pytest.fixture(scope="module")
def files_loaded() -> int:
    """How many files ``linked_store`` loaded: the spend files, the contracts register, the grants."""
    return len([e for e in manifest(REAL) if e["kind"] in ("spend", "contracts", "grants")])


def test_every_datasets_row_total_equals_the_rows_it_lists_and_the_store(linked_client, linked_store, files_loaded):
    datasets = select(linked_store, f"""SELECT ?d ?rows ?g WHERE {{ GRAPH {CATALOGUE} {{
        ?d a dcat:Dataset ; sv:loadedRowCount ?rows ; sv:namedGraph ?g }} }}""")
    assert len(datasets) == files_loaded
    for r in datasets:
        path = str(r["d"])[len(BASE) + 2:]  # /dataset/<GSS>/<kind>/<key>
        rows_in_graph = select(linked_store, f"""SELECT (COUNT(DISTINCT ?row) AS ?n) WHERE {{
            GRAPH <{r['g']}> {{ {{ ?thing prov:wasDerivedFrom ?row FILTER(CONTAINS(STR(?row), "#row=")) }}
              UNION {{ ?row pay:netAmount [] }} }} }}""")  # a payment line is its row
        assert int(rows_in_graph[0]["n"]) == int(r["rows"]), path
        body = linked_client.get(f"{path}/rows.json?_size=20").get_json()
        assert body["total"] == int(r["rows"]), path
        text = linked_client.get(f"{path}/rows.csv").get_data(as_text=True)
        numbers = {row["row"] for row in csv.DictReader(io.StringIO(text))}
        assert len(numbers) == int(r["rows"]), path


# ---------------------------------------------------------------- search

@pytest.mark.parametrize("text", ["leeds", "capita", "barnardo", "e08000036", "council"])
def test_search_totals_equal_the_things_whose_names_match(linked_client, linked_store, text):
    rows = select(linked_store, f"""SELECT (COUNT(DISTINCT ?thing) AS ?n) WHERE {{
        {{ ?thing rdfs:label|skos:prefLabel|dcterms:title ?name }} UNION {{ ?thing org:identifier ?name }}
        FILTER(CONTAINS(LCASE(STR(?name)), "{text}"))
        ?thing a ?type FILTER(?type IN (org:Organization, org:FormalOrganization, sv:Supplier, dcat:Dataset)) }}""")
    expected = int(rows[0]["n"])
    body = linked_client.get(f"/search?q={text}&_format=json").get_json()
    assert body["total"] == min(expected, 1000), text
    assert not any(r["kind"] == "council" and "/id/council/" not in r["thing"] for r in body["rows"])


# ---------------------------------------------------------------- outcomes

@pytest.fixture(scope="module")
def outcomes_client():
    from catalogue.app import create_app
    from catalogue.ingest import load_file
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    for entry in manifest(REAL, "outcomes"):
        outcome = load_file(store, "outcomes", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)
        assert outcome.loaded, outcome.report.to_json()
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": store, "SVCAT_BASE_URI": BASE})
    yield app.test_client(), store
    store.close()


def test_outcome_indicators_count_their_observations(outcomes_client):
    client, store = outcomes_client
    counted = defaultdict(int)
    for r in select(store, f"""SELECT ?indicator ?measure (COUNT(DISTINCT ?obs) AS ?n) WHERE {{
            GRAPH {CATALOGUE} {{ ?d dcterms:type sv:outcomes ; sv:namedGraph ?g }}
            GRAPH ?g {{ ?obs sv:indicator ?indicator ; sv:measure ?measure }} }} GROUP BY ?indicator ?measure"""):
        counted[(str(r["indicator"]), str(r["measure"]))] = int(r["n"])
    rows = client.get("/outcomes?_format=json&_size=max").get_json()["rows"]
    assert rows and {(r["indicator"], r["measure"]): r["observations"] for r in rows} == dict(counted)
    for r in rows[:5]:
        gss, key = r["indicator"][len(BASE):].split("/")[2::2]
        measure = r["measure"].rsplit("/", 1)[-1]
        values = client.get(f"/outcomes/{gss}/{key}/{measure}.json?_size=max").get_json()
        assert values["total"] == r["observations"], r["indicatorLabel"]
