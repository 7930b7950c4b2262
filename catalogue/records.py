"""The DCAT/PROV record of a loaded dataset, kept in the catalogue graph.

A record says what the dataset is (title, publisher, licence, kind, period), where it
came from (source file name, size, sha256), how it was made (load activity, times,
dialect, encoding, ontology version), what it holds (rows read, loaded and skipped,
triples) and what was wrong with it (warnings, skipped rows with reasons). Records
are built here as rdflib graphs; ``catalogue.ingest`` writes them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from catalogue import iris, kinds
from catalogue.vocab import (
    DCAT, DCTERMS, ONTOLOGY_VERSION, PAY, PROV, RDF, RDFS, SH, SPDX, SV, VOID, XSD,
)

CSV_MEDIA_TYPE = URIRef("https://www.iana.org/assignments/media-types/text/csv")
KIND_CLASSES = {"spend": (PAY.PaymentDataset,)}
SEVERITY = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}


@dataclass
class RecordInput:
    """Everything a record states, gathered by the ingest pipeline."""

    base: str
    dataset: str
    kind: str
    title: str
    council_iri: str
    council_name: str
    licence: str
    graph: str
    source_iri: str
    filename: str
    size: int
    sha256: str
    encoding: str
    dialect: str
    rows_read: int
    rows_loaded: int
    rows_skipped: int
    warnings: int
    violations: int
    triples: int
    started: datetime
    ended: datetime
    issued: datetime | None
    first_date: str | None
    last_date: str | None
    skipped: list  # LoadIssue (info)
    issues: list  # LoadIssue (warnings, and violations of skipped rows)
    series: str | None = None  # the council's dcat:DatasetSeries of this kind
    invalid_rows: list = field(default_factory=list)  # LoadIssue: rows left out by --skip-invalid-rows
    columns: dict = field(default_factory=dict)  # field -> column title as the header row gives it


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def timestamp(value: datetime) -> Literal:
    """An xsd:dateTime literal in UTC (``...Z``)."""
    return Literal(value.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


_dt = timestamp


def _date_literal(lexical: str) -> Literal:
    return Literal(lexical, datatype=XSD.gYearMonth if len(lexical) == 7 else XSD.date)


def record_graph(r: RecordInput) -> Graph:
    g = Graph()
    ds = URIRef(r.dataset)
    cat = URIRef(iris.catalogue(r.base))
    source = URIRef(f"{r.dataset}#source")
    checksum = URIRef(f"{r.dataset}#sha256")
    load = URIRef(f"{r.dataset}#load")
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCAT.dataset, ds))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    for cls in KIND_CLASSES.get(r.kind, ()):
        g.add((ds, RDF.type, cls))
    g.add((ds, DCTERMS.title, Literal(r.title, lang="en")))
    g.add((ds, RDFS.label, Literal(r.title, lang="en")))
    g.add((ds, DCTERMS.publisher, URIRef(r.council_iri)))
    g.add((ds, DCTERMS.license, URIRef(r.licence)))
    if r.kind in kinds.TERMS:
        g.add((ds, DCTERMS.type, kinds.TERMS[r.kind]))
    g.add((ds, DCTERMS.issued, _dt(r.issued or r.ended)))
    g.add((ds, DCTERMS.modified, _dt(r.ended)))
    g.add((ds, SV.namedGraph, URIRef(r.graph)))
    g.add((ds, SV.sourceRowCount, Literal(r.rows_read)))
    g.add((ds, SV.loadedRowCount, Literal(r.rows_loaded)))
    g.add((ds, SV.skippedRowCount, Literal(r.rows_skipped)))
    g.add((ds, SV.warningCount, Literal(r.warnings)))
    g.add((ds, SV.violationCount, Literal(r.violations)))
    g.add((ds, VOID.triples, Literal(r.triples)))
    g.add((ds, SV.dialect, Literal(r.dialect)))
    g.add((ds, SV.encoding, Literal(r.encoding)))
    if r.first_date and r.last_date:
        period = URIRef(f"{r.dataset}#period")
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, _date_literal(r.first_date)))
        g.add((period, DCAT.endDate, _date_literal(r.last_date)))

    for name, title in sorted(r.columns.items()):  # so evidence can name the column as published
        column = URIRef(f"{r.dataset}#column-{quote(name, safe='')}")
        g.add((ds, SV.sourceColumn, column))
        g.add((column, RDF.type, SV.SourceColumn))
        g.add((column, SV.columnField, Literal(name)))
        g.add((column, SV.column, Literal(title)))

    g.add((ds, DCAT.distribution, source))
    g.add((source, RDF.type, DCAT.Distribution))
    g.add((source, DCTERMS.title, Literal(r.filename)))
    g.add((source, DCAT.downloadURL, URIRef(r.source_iri)))
    g.add((source, DCAT.mediaType, CSV_MEDIA_TYPE))
    g.add((source, DCAT.byteSize, Literal(r.size, datatype=XSD.nonNegativeInteger)))
    g.add((source, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(r.sha256, datatype=XSD.hexBinary)))

    g.add((ds, PROV.wasGeneratedBy, load))
    g.add((load, RDF.type, PROV.Activity))
    g.add((load, PROV.startedAtTime, _dt(r.started)))
    g.add((load, PROV.endedAtTime, _dt(r.ended)))
    g.add((load, PROV.used, source))
    if ONTOLOGY_VERSION is not None:
        g.add((load, PROV.used, ONTOLOGY_VERSION))
    g.add((load, PROV.wasAssociatedWith, URIRef(iris.software(r.base))))

    if r.series:
        g.add((ds, DCAT.inSeries, URIRef(r.series)))
    g.add((ds, SV.invalidRowCount, Literal(len(r.invalid_rows))))
    for issue in [*r.skipped, *r.invalid_rows]:
        node = URIRef(f"{r.dataset}#skipped-{issue.row}")
        g.add((ds, SV.skippedRow, node))
        g.add((node, RDF.type, SV.SkippedRow))
        g.add((node, SV.rowNumber, Literal(issue.row)))
        g.add((node, SV.reason, Literal(issue.message)))
    for n, issue in enumerate(r.issues, start=1):
        node = URIRef(f"{r.dataset}#issue-{n}")
        g.add((ds, SV.issue, node))
        g.add((node, RDF.type, SV.ValidationIssue))
        g.add((node, SV.problem, Literal(issue.kind)))
        g.add((node, SV.severity, SEVERITY[issue.severity]))
        g.add((node, RDFS.comment, Literal(issue.message)))
        if issue.fix:
            g.add((node, SV.fix, Literal(issue.fix)))
        if issue.row is not None:
            g.add((node, SV.rowNumber, Literal(issue.row)))
        if issue.column:
            g.add((node, SV.column, Literal(issue.column)))
        if issue.value is not None:
            g.add((node, SV.value, Literal(issue.value)))
    return g
