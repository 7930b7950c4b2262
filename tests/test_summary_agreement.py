"""The spend summary cubes always agree with the payment lines they summarise.

Pages and policy questions read the cubes (``catalogue/summaries/cells.py``), never the raw
lines, so the cubes must say exactly what the lines say. On both backends (the ``store``
fixture: embedded on disk and a real Virtuoso), after loads of real spend files, a reload
of a changed file, a removal and a full link, every figure is recomputed from the raw
payment-line triples with SPARQL and compared exactly (``Decimal``) with the
cube observations:

- council x month x payee record (``sv:spendByPayee``), per dataset;
- council x month x expense type x service area (``sv:spendByCategory``), per dataset;
- canonical organisation x social-value class, through the links (after linking).

Both sides are read through the catalogue's records (``sv:namedGraph``), as pages read them.
"""

from __future__ import annotations

import csv
import os
from decimal import Decimal

from catalogue import iris
from catalogue.history import remove_dataset
from catalogue.ingest import load_file
from catalogue.linking.run import link_all
from catalogue.vocab import sparql_prologue
from tests.conftest import BASE, OGL, real_files

FILES = 4  # the smallest real spend files: quick on Virtuoso too
CAT = f"<{iris.catalogue_graph(BASE)}>"
LINKSET = f"<{iris.linkset(BASE)}>"
P = sparql_prologue("pay", "sv", "qb", "dcterms")
CURRENT = f"GRAPH {CAT} {{ ?dataset sv:namedGraph ?g ; dcterms:publisher ?council }}"
LINE = """?line pay:netAmount ?amount ; pay:date ?date ."""
LINES_BY_PAYEE = P + f"""SELECT ?dataset ?council ?month ?payee (SUM(?amount) AS ?spend) (COUNT(?line) AS ?lines)
WHERE {{ {CURRENT} GRAPH ?g {{ {LINE} OPTIONAL {{ ?line pay:payee ?p }} }}
  BIND(SUBSTR(STR(?date), 1, 7) AS ?month) BIND(COALESCE(?p, sv:notStated) AS ?payee) }}
GROUP BY ?dataset ?council ?month ?payee"""
CUBE_BY_PAYEE = P + f"""SELECT ?dataset ?council ?month ?payee ?spend ?lines WHERE {{ {CURRENT} GRAPH ?g {{
  ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee .
  ?obs qb:dataSet ?cube ; sv:council ?council ; sv:month ?m ; sv:payeeRecord ?payee ;
       sv:spendTotal ?spend ; sv:lineCount ?lines }} BIND(STR(?m) AS ?month) }}"""
LINES_BY_CATEGORY = P + f"""SELECT ?dataset ?council ?month ?type ?area (SUM(?amount) AS ?spend)
  (COUNT(?line) AS ?lines)
WHERE {{ {CURRENT} GRAPH ?g {{ {LINE}
    OPTIONAL {{ ?line pay:expenditureCategory ?t FILTER(isIRI(?t) && ?t != pay:capital && ?t != pay:revenue) }}
    OPTIONAL {{ ?line sv:serviceArea ?s }} }}
  BIND(SUBSTR(STR(?date), 1, 7) AS ?month) BIND(COALESCE(?t, sv:notStated) AS ?type)
  BIND(COALESCE(?s, sv:notStated) AS ?area) }}
GROUP BY ?dataset ?council ?month ?type ?area"""
CUBE_BY_CATEGORY = P + f"""SELECT ?dataset ?council ?month ?type ?area ?spend ?lines WHERE {{ {CURRENT} GRAPH ?g {{
  ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByCategory .
  ?obs qb:dataSet ?cube ; sv:council ?council ; sv:month ?m ; sv:expenseType ?type ;
       sv:serviceAreaDimension ?area ; sv:spendTotal ?spend ; sv:lineCount ?lines }} BIND(STR(?m) AS ?month) }}"""
LINKED = f"""GRAPH {CAT} {{ {LINKSET} sv:namedGraph ?links }}
  GRAPH ?links {{ ?payee sv:canonicalOrganisation ?org OPTIONAL {{ ?org sv:socialValueClass ?c }} }}
  BIND(COALESCE(?c, sv:notStated) AS ?class)"""
LINES_BY_CLASS = P + f"""SELECT ?org ?class (SUM(?amount) AS ?spend) (COUNT(?line) AS ?lines) WHERE {{
  {CURRENT} GRAPH ?g {{ ?line pay:netAmount ?amount ; pay:payee ?payee }}
  {LINKED} }} GROUP BY ?org ?class"""
CUBE_BY_CLASS = P + f"""SELECT ?org ?class (SUM(?t) AS ?spend) (SUM(?n) AS ?lines) WHERE {{
  {CURRENT} GRAPH ?g {{ ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee .
    ?obs qb:dataSet ?cube ; sv:payeeRecord ?payee ; sv:spendTotal ?t ; sv:lineCount ?n }}
  {LINKED} }} GROUP BY ?org ?class"""


def figures(store, sparql: str, keys: tuple[str, ...]) -> dict[tuple, tuple[Decimal, int]]:
    result = store.select(sparql)
    assert not result.truncated, "more rows than the store returns: use fewer files"
    out = {}
    for row in result.rows:
        key = tuple(str(row[k]) for k in keys)
        assert key not in out, f"two observations for {key}"
        out[key] = (Decimal(str(row["spend"])), int(row["lines"]))
    return out


def assert_cubes_agree_with_lines(store, *, linked: bool = False) -> int:
    """Compare every cube cell with the lines; return how many lines the cubes count."""
    by_payee = figures(store, CUBE_BY_PAYEE, ("dataset", "council", "month", "payee"))
    assert by_payee == figures(store, LINES_BY_PAYEE, ("dataset", "council", "month", "payee"))
    keys = ("dataset", "council", "month", "type", "area")
    by_category = figures(store, CUBE_BY_CATEGORY, keys)
    assert by_category == figures(store, LINES_BY_CATEGORY, keys)
    lines = sum(n for _, n in by_payee.values())
    assert lines == sum(n for _, n in by_category.values())
    assert sum(s for s, _ in by_payee.values()) == sum(s for s, _ in by_category.values())
    if linked:
        by_class = figures(store, CUBE_BY_CLASS, ("org", "class"))
        assert by_class and by_class == figures(store, LINES_BY_CLASS, ("org", "class"))
    return lines


def changed_copy(entry: dict, folder) -> dict:
    """The same file (same name, so the same dataset) with every fifth row gone and one row twice."""
    with open(entry["file"], encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    kept = [r for n, r in enumerate(rows) if n % 5 != 4] + [rows[1]]
    path = folder / os.path.basename(entry["file"])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *kept])
    return dict(entry, file=path, rows=len(kept))


def load(store, entry) -> str:
    outcome = load_file(store, "spend", entry["file"], base=BASE, publisher=entry["gss_code"], licence=OGL)
    assert outcome.loaded, outcome.report.to_json()
    return outcome.dataset


def test_summaries_agree_with_the_lines_through_loads_reloads_removals_and_links(store, tmp_path):
    entries = sorted(real_files("spend"), key=lambda e: os.path.getsize(e["file"]))[:FILES]
    datasets = [load(store, entry) for entry in entries]
    loaded = assert_cubes_agree_with_lines(store)
    assert loaded > 0

    changed = changed_copy(entries[0], tmp_path)
    assert load(store, changed) == datasets[0]
    after_reload = assert_cubes_agree_with_lines(store)
    assert after_reload != loaded  # the reload really changed the lines the cubes count

    remove_dataset(store, BASE, datasets[1])
    after_removal = assert_cubes_agree_with_lines(store)
    assert after_removal < after_reload

    link_all(store, BASE, licence=OGL)
    assert assert_cubes_agree_with_lines(store, linked=True) == after_removal
