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
or the new, never a mix. A load already holds its dataset's spend by month and payee (the
by-payee cube it has just written, ``catalogue.summaries.cells``), so it asks the store only for
the classes of the payees that have one (``sums_from_cells``): at a million lines the
query over the cube took a minute or more of the load, the classes a couple of seconds.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from catalogue import iris
from catalogue.store import Store
from catalogue.store import sparql_text as q
from catalogue.summaries.cells import month_datatype
from catalogue.vocab import DCTERMS, QB, RDF, RDFS, SV, XSD, sparql_prologue

BY_CLASS, BY_MONTH, BY_PRIMARY = "by-class", "by-month", "by-primary-class"
UNKNOWN = str(SV.unknownClass)
#: The one class a payee's spend is stacked under when its organisation has several (an SME
#: that is also VCSE is stacked as VCSE), so stacked shares are a partition of the total and
#: never add up to more than 100%. Exclusive classes never meet (``linking.precedence``).
PRIMARY_ORDER = tuple(str(SV[c]) for c in ("publicBody", "vcse", "sme", "largeEnterprise", "individual"))


def primary(classes) -> str:
    """The class a payee with these known classes is stacked under (unknown when none)."""
    return next((c for c in PRIMARY_ORDER if c in classes), UNKNOWN)


def _entry() -> dict:
    return {"total": Decimal(0), "lines": 0, "classes": defaultdict(lambda: [Decimal(0), 0]),
            "primary": defaultdict(lambda: [Decimal(0), 0])}


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

    One query, aggregated in the engine down to (month, set of known classes): a payee
    observation's classes are those of its record's canonical organisation.
    """
    rows = store.select(sparql_prologue("sv", "qb") + f"""
        SELECT ?month ?classes (SUM(?spend) AS ?total) (SUM(?lines) AS ?lineCount) WHERE {{
          {{ SELECT ?obs ?month ?spend ?lines (GROUP_CONCAT(DISTINCT STR(?class); separator=" ") AS ?classes)
             WHERE {{
               GRAPH {q.iri(graph)} {{
                 ?obs qb:dataSet {q.iri(dataset + "/summary/by-payee")} ; sv:month ?month ;
                      sv:payeeRecord ?payee ; sv:spendTotal ?spend ; sv:lineCount ?lines }}
               OPTIONAL {{ ?payee sv:canonicalOrganisation ?org . ?org sv:socialValueClass ?class
                           FILTER(?class != sv:unknownClass) }}
             }} GROUP BY ?obs ?month ?spend ?lines }}
        }} GROUP BY ?month ?classes""").rows
    out: dict[str, dict] = defaultdict(_entry)
    for row in rows:
        month, spend, lines = str(row["month"]), Decimal(str(row["total"])), int(str(row["lineCount"]))
        entry = out[month]
        entry["total"] += spend
        entry["lines"] += lines
        known = sorted(set(str(row.get("classes") or "").split()))
        for cls in known or [UNKNOWN]:
            entry["classes"][cls][0] += spend
            entry["classes"][cls][1] += lines
        entry["primary"][primary(known)][0] += spend
        entry["primary"][primary(known)][1] += lines
    return out


def payee_classes(store: Store, graph: str) -> dict[str, set[str]] | None:
    """payee IRI -> its known classes, for the supplier records of one dataset graph
    (``None`` if a server cut the answer at its row cap: then sum from the cube instead)."""
    answer = store.select(sparql_prologue("sv") + f"""
        SELECT ?payee ?class WHERE {{
          GRAPH {q.iri(graph)} {{ ?payee a sv:Supplier }}
          ?payee sv:canonicalOrganisation ?org . ?org sv:socialValueClass ?class
          FILTER(?class != sv:unknownClass) }}""")
    if answer.truncated:
        return None
    out: dict[str, set[str]] = defaultdict(set)
    for row in answer.rows:
        out[str(row["payee"])].add(str(row["class"]))
    return out


def sums_from_cells(cells, classes: dict[str, set[str]]) -> dict[str, dict]:
    """``dataset_sums`` from (month, payee IRI, spend, lines) cells a load already holds."""
    out: dict[str, dict] = defaultdict(_entry)
    for month, payee, spend, lines in cells:
        entry = out[month]
        entry["total"] += spend
        entry["lines"] += lines
        for cls in sorted(classes.get(payee, ())) or [UNKNOWN]:
            entry["classes"][cls][0] += spend
            entry["classes"][cls][1] += lines
        entry["primary"][primary(classes.get(payee, ()))][0] += spend
        entry["primary"][primary(classes.get(payee, ()))][1] += lines
    return out


def observations(base: str, dataset: str, council: str, sums: dict[str, dict]) -> list[tuple[str, str, str]]:
    """The two cubes' observations of one dataset, as SPARQL terms (s, p, o)."""
    cube_class, cube_month = q.iri(iris.class_summary(base, BY_CLASS)), q.iri(iris.class_summary(base, BY_MONTH))
    cube_primary = q.iri(iris.class_summary(base, BY_PRIMARY))
    a, summary_of, council_term = q.iri(str(RDF.type)), q.iri(str(SV.summaryOf)), q.iri(council)
    out = []
    for month, entry in sorted(sums.items()):
        cells = [(BY_MONTH, cube_month, None, entry["total"], entry["lines"])]
        cells += [(BY_CLASS, cube_class, cls, spend, lines) for cls, (spend, lines) in sorted(entry["classes"].items())]
        cells += [(BY_PRIMARY, cube_primary, cls, spend, lines)
                  for cls, (spend, lines) in sorted(entry.get("primary", {}).items())]
        for name, cube, cls, spend, lines in cells:
            tail = f"{month}" if cls is None else f"{month}-{cls.rsplit('#', 1)[-1]}"
            obs = q.iri(f"{dataset}/summary/{name}/{tail}")
            out += [(obs, a, q.iri(str(QB.Observation))), (obs, q.iri(str(QB.dataSet)), cube),
                    (obs, summary_of, q.iri(dataset)), (obs, q.iri(str(SV.council)), council_term),
                    (obs, q.iri(str(SV.month)), q.literal(month, month_datatype(month))),
                    (obs, q.iri(str(SV.spendTotal)), q.decimal(spend)),
                    (obs, q.iri(str(SV.lineCount)), q.integer(lines))]
            if cls is not None:
                out.append((obs, q.iri(str(SV.classDimension)), q.iri(cls)))
    return out


def cube_descriptions(base: str) -> list[tuple[str, str, str]]:
    out = []
    for name, structure, label in ((BY_CLASS, SV.spendByClass, "Spend by council, month and social-value class"),
                                   (BY_PRIMARY, SV.spendByPrimaryClass, "Spend by council, month and one social-value "
                                                                 "class per payee (stacked shares: a partition)"),
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


def refresh(store: Store, base: str, datasets: list[str] | None = None, cells: dict | None = None,
            links=None) -> int:
    """Rewrite the observations of ``datasets`` (all spend datasets when ``None``).

    ``cells`` maps a dataset to its (month, payee IRI, spend, lines) cells when the caller
    has them (a load), which spares summing its cube in the store. ``links``: every payee's
    links (``payee_links.PayeeLinks``) when the caller has read them for many datasets,
    which spares a query a dataset for its payees' classes. Returns the number of
    observations written. Removed datasets' observations go too when everything is
    refreshed.
    """
    if datasets is not None and not datasets:
        return 0
    every = spend_datasets(store, base)
    chosen = every if datasets is None else [d for d in every if d[0] in set(datasets)]
    graph = q.iri(iris.class_summary_graph(base))
    triples = list(cube_descriptions(base))
    # Every linked payee's classes, once: a load's cells may be a stream, read only once, by the sums.
    every_class = links.known_classes(links.orgs) if links is not None else None
    for dataset, dataset_graph, council in chosen:
        known = (cells or {}).get(dataset)
        classes = None if known is None else (
            every_class if every_class is not None else payee_classes(store, dataset_graph))
        sums = sums_from_cells(known, classes) if classes is not None else \
            dataset_sums(store, dataset, dataset_graph)
        triples += observations(base, dataset, council, sums)
    clear = f"DROP SILENT GRAPH {graph}" if datasets is None else ";\n".join(forget(d, base) for d in datasets)
    body = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    store.update(f"{clear};\nINSERT DATA {{ GRAPH {graph} {{\n{body}}} }}")
    observation = q.iri(str(QB.Observation))
    return sum(1 for _, _, o in triples if o == observation)
