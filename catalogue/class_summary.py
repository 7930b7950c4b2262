"""Spend by social-value class, summed when data or links change, so shares read a few numbers.

The social-value comparison asks, for every council and month, how much went to SMEs,
VCSE organisations, public bodies, large enterprises, individuals, and how much is
unknown. Answering that from the per-dataset by-payee cubes means joining every payee
observation to its canonical organisation and classes: at a million lines that join
ran for over a minute on the on-disk store. So the answer is kept, in its own graph
(``iris.class_summary_graph``), as two small RDF Data Cubes per spend dataset:

- ``sv:spendByClass``: council x month x class (``sv:classDimension``), where the classes
  are the known ones (an organisation with two counts in each) and ``sv:unknownClass``
  (spend whose payee has no known class: not linked, no evidence, withheld, not stated);
- ``sv:spendByMonth``: council x month, the dataset's total.

Known spend is total minus unknown. The observations of a dataset are rewritten whenever
what they depend on changes: when the dataset is loaded (``ingest``), when links change
(a full link refreshes every dataset; an incremental one the datasets of every
organisation that took a new record, since one new record can give an organisation paid
by many councils its first class) and when it is removed (``history``).
Each refresh is one SPARQL Update, so a reader of a published snapshot sees the old sums
or the new, never a mix.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from catalogue import iris
from catalogue.store import Store
from catalogue.store import sparql_text as q
from catalogue.vocab import DCTERMS, QB, RDF, RDFS, SV, XSD, sparql_prologue

BY_CLASS, BY_MONTH = "by-class", "by-month"
UNKNOWN = str(SV.unknownClass)


def spend_datasets(store: Store, base: str) -> list[tuple[str, str, str]]:
    """(dataset, graph, council) of every current spend dataset with a by-payee cube."""
    cat = q.iri(iris.catalogue_graph(base))
    rows = store.select(sparql_prologue("sv", "qb", "dcterms") + f"""
        SELECT ?dataset ?graph ?council WHERE {{
          GRAPH {cat} {{ ?dataset sv:namedGraph ?graph ; dcterms:publisher ?council }}
          GRAPH ?graph {{ ?cube sv:summaryOf ?dataset ; qb:structure sv:spendByPayee }}
        }}""").rows
    return sorted((str(r["dataset"]), str(r["graph"]), str(r["council"])) for r in rows)


def dataset_sums(store: Store, dataset: str, graph: str) -> dict[str, dict]:
    """month -> {"total", "lines", classes: {class: [spend, lines]}} for one dataset.

    Three queries, each aggregated in the engine down to months: the month totals; spend
    by month and known class (a payee counts in each class its canonical organisation
    has); and spend by month to payees with any known class. Unknown is total minus that.
    One query that grouped every payee observation with its set of classes ran 20-25 times
    longer at a million lines (a ``GROUP_CONCAT`` per observation); these join the
    observations once to the few payees that have a known class.
    """
    cube = q.iri(dataset + "/summary/by-payee")
    observed = (f"GRAPH {q.iri(graph)} {{ ?obs qb:dataSet {cube} ; sv:month ?month ; "
                f"sv:payeeRecord ?payee ; sv:spendTotal ?spend ; sv:lineCount ?lines }}")
    classed = (f"SELECT DISTINCT ?payee ?class WHERE {{ GRAPH {q.iri(graph)} {{ ?payee a sv:Supplier }} "
               f"?payee sv:canonicalOrganisation ?org . ?org sv:socialValueClass ?class "
               f"FILTER(?class != sv:unknownClass) }}")
    known = classed.replace("DISTINCT ?payee ?class", "DISTINCT ?payee")
    sums = "(SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount)"
    p = sparql_prologue("sv", "qb")
    totals = store.select(f"{p}SELECT ?month {sums} WHERE {{ {observed} }} GROUP BY ?month").rows
    by_class = store.select(
        f"{p}SELECT ?month ?class {sums} WHERE {{ {{ {classed} }} {observed} }} GROUP BY ?month ?class").rows
    known_any = store.select(f"{p}SELECT ?month {sums} WHERE {{ {{ {known} }} {observed} }} GROUP BY ?month").rows
    out: dict[str, dict] = {}
    for row in totals:
        out[str(row["month"])] = {"total": Decimal(str(row["total"])), "lines": int(str(row["lineCount"])),
                                  "classes": defaultdict(lambda: [Decimal(0), 0])}
    for row in by_class:
        out[str(row["month"])]["classes"][str(row["class"])] = [Decimal(str(row["total"])),
                                                                int(str(row["lineCount"]))]
    known_sums = {str(r["month"]): (Decimal(str(r["total"])), int(str(r["lineCount"]))) for r in known_any}
    for month, entry in out.items():
        spend, lines = known_sums.get(month, (Decimal(0), 0))
        if entry["lines"] > lines:  # some observation's payee has no known class
            entry["classes"][UNKNOWN] = [entry["total"] - spend, entry["lines"] - lines]
    return out


def observations(base: str, dataset: str, council: str, sums: dict[str, dict]) -> list[tuple[str, str, str]]:
    """The two cubes' observations of one dataset, as SPARQL terms (s, p, o)."""
    cube_class, cube_month = q.iri(iris.class_summary(base, BY_CLASS)), q.iri(iris.class_summary(base, BY_MONTH))
    a, summary_of, council_term = q.iri(str(RDF.type)), q.iri(str(SV.summaryOf)), q.iri(council)
    out = []
    for month, entry in sorted(sums.items()):
        cells = [(BY_MONTH, cube_month, None, entry["total"], entry["lines"])]
        cells += [(BY_CLASS, cube_class, cls, spend, lines) for cls, (spend, lines) in sorted(entry["classes"].items())]
        for name, cube, cls, spend, lines in cells:
            tail = f"{month}" if cls is None else f"{month}-{cls.rsplit('#', 1)[-1]}"
            obs = q.iri(f"{dataset}/summary/{name}/{tail}")
            out += [(obs, a, q.iri(str(QB.Observation))), (obs, q.iri(str(QB.dataSet)), cube),
                    (obs, summary_of, q.iri(dataset)), (obs, q.iri(str(SV.council)), council_term),
                    (obs, q.iri(str(SV.month)), q.literal(month, str(XSD.gYearMonth))),
                    (obs, q.iri(str(SV.spendTotal)), q.literal(_decimal(spend), str(XSD.decimal))),
                    (obs, q.iri(str(SV.lineCount)), q.literal(str(lines), str(XSD.integer)))]
            if cls is not None:
                out.append((obs, q.iri(str(SV.classDimension)), q.iri(cls)))
    return out


def cube_descriptions(base: str) -> list[tuple[str, str, str]]:
    out = []
    for name, structure, label in ((BY_CLASS, SV.spendByClass, "Spend by council, month and social-value class"),
                                   (BY_MONTH, SV.spendByMonth, "Spend by council and month")):
        cube = q.iri(iris.class_summary(base, name))
        out += [(cube, q.iri(str(RDF.type)), q.iri(str(QB.DataSet))),
                (cube, q.iri(str(QB.structure)), q.iri(str(structure))),
                (cube, q.iri(str(RDFS.label)), q.literal(label)),
                (cube, q.iri(str(DCTERMS.description)), q.literal(
                    "Summed from each spend dataset's by-payee cube and the supplier links; "
                    "rewritten when a dataset is loaded or removed and when links change."))]
    return out


def forget(dataset: str, base: str) -> str:
    """An update that removes one dataset's observations (joined to a removal's update)."""
    graph = q.iri(iris.class_summary_graph(base))
    return (f"DELETE {{ GRAPH {graph} {{ ?obs ?p ?o }} }} WHERE {{ GRAPH {graph} {{ "
            f"?obs {q.iri(str(SV.summaryOf))} {q.iri(dataset)} ; ?p ?o }} }}")


def refresh(store: Store, base: str, datasets: list[str] | None = None) -> int:
    """Rewrite the observations of ``datasets`` (all spend datasets when ``None``).

    Returns the number of observations written. Removed datasets' observations go too
    when everything is refreshed.
    """
    if datasets is not None and not datasets:
        return 0
    every = spend_datasets(store, base)
    chosen = every if datasets is None else [d for d in every if d[0] in set(datasets)]
    graph = q.iri(iris.class_summary_graph(base))
    triples = list(cube_descriptions(base))
    for dataset, dataset_graph, council in chosen:
        triples += observations(base, dataset, council, dataset_sums(store, dataset, dataset_graph))
    clear = f"DROP SILENT GRAPH {graph}" if datasets is None else ";\n".join(forget(d, base) for d in datasets)
    body = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    store.update(f"{clear};\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}")
    observation = q.iri(str(QB.Observation))
    return sum(1 for _, _, o in triples if o == observation)


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text if text not in ("-0", "") else "0"
