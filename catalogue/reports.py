"""Render a load report for people: a terminal table from the same records as the JSON.

The JSON shape is ``LoadReport.to_json`` (loaders/report.py); this module only lays the
same issues out as text, grouped by problem with counts, then the first rows in full.
"""

from __future__ import annotations

import shutil
import textwrap

from rdflib import Graph

from loaders.report import LoadReport

MAX_ROWS = 25


def _cut(text: str | None, width: int) -> str:
    text = "" if text is None else str(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def as_table(report: LoadReport, max_rows: int = MAX_ROWS) -> str:
    width = shutil.get_terminal_size((120, 20)).columns
    lines = []
    verdict = ("VALID" if report.valid else
               f"VALID ROWS ONLY ({len(report.invalid_rows):,} invalid rows left out)" if report.loadable else "REFUSED")
    if report.fatal:
        lines.append(f"{report.file}: {verdict}")
        lines.append(textwrap.fill(report.fatal, width=min(width, 100), subsequent_indent="  "))
        return "\n".join(lines)
    rows = report.row_counts()
    lines.append(
        f"{report.file}: {verdict} — {report.rows_read:,} rows read as {report.kind}: "
        f"{rows['loaded']:,} loaded, {report.rows_skipped:,} skipped, {rows['refused']:,} refused; "
        f"{report.violations:,} violations, {report.warnings:,} warnings"
        + (f", {report.triples:,} triples" if report.triples else ""))
    lines.append(f"  council {report.council or '?'} · dialect {report.dialect} · encoding {report.encoding}"
                 f" · header on row {report.header_row}")
    summary = report.summary()
    if summary:
        lines.append("")
        lines.append(f"  {'severity':<10} {'problem':<28} {'count':>7}  message")
        for entry in summary:
            lines.append(f"  {entry['severity']:<10} {_cut(entry['kind'], 28):<28} {entry['count']:>7,}  "
                         f"{_cut(entry['message'], max(20, width - 52))}")
    problems = [i for i in report.issues][:max_rows]
    if problems:
        lines.append("")
        lines.append(f"  {'row':>7}  {'column':<24} {'value':<22} {'severity':<9} problem")
        for issue in problems:
            lines.append(f"  {issue.row if issue.row is not None else '-':>7}  {_cut(issue.column or '-', 24):<24} "
                         f"{_cut(repr(issue.value) if issue.value is not None else '-', 22):<22} "
                         f"{issue.severity:<9} {issue.message}")
        fixes = {i.kind: i.fix for i in problems if i.fix}
        if fixes:
            lines.append("")
            lines.append("  How to fix:")
            for kind, fix in fixes.items():
                lines.append(textwrap.fill(f"{kind}: {fix}", width=min(width, 110),
                                           initial_indent="    ", subsequent_indent="      "))
        hidden = report.violations + report.warnings - len(problems)
        if hidden > 0:
            lines.append(f"  … and {hidden:,} more; use --format json for the full list.")
    if report.notes:
        lines.append("")
        lines.append("  Notes on the file:")
        for note in report.notes[:10]:
            lines.append(textwrap.fill(note.message, width=min(width, 110), initial_indent="    ",
                                       subsequent_indent="      "))
    skipped = [*report.invalid_rows, *report.skipped][:10]
    if skipped:
        rows = ", ".join(f"{i.row} ({i.message})" for i in skipped)
        more = f" and {report.rows_skipped - len(skipped):,} more" if report.rows_skipped > len(skipped) else ""
        lines.append("")
        lines.append(textwrap.fill(f"Skipped rows: {rows}{more}.", width=min(width, 110),
                                   initial_indent="  ", subsequent_indent="    "))
    return "\n".join(lines)


def as_shacl_report(report: LoadReport) -> Graph:
    """The SHACL validation report: an ``sh:ValidationReport`` whose ``sh:result``s are the
    SHACL results of the file (as pySHACL would give them), each also carrying the CSV row
    (``sv:rowNumber``), the column as published (``sv:column``), the raw cell (``sv:value``),
    the fix (``sv:fix``) and the problem's slug (``sv:problem``). Problems SHACL did not
    find (a ragged row, a file that could not be read) are ``sv:ValidationIssue``s beside it.
    """
    from rdflib import BNode, Literal, URIRef
    from rdflib.util import from_n3

    from catalogue.records import SEVERITY
    from catalogue.vocab import PREFIXES, RDF, RDFS, SH, SV

    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    node = BNode()
    g.add((node, RDF.type, SH.ValidationReport))
    g.add((node, SH.conforms, Literal(report.valid)))
    g.add((node, RDFS.label, Literal(f"Validation of {report.file} as {report.kind}")))
    if report.fatal:
        g.add((node, RDFS.comment, Literal(report.fatal)))
    if len(report.issues) < report.violations + report.warnings:
        g.add((node, RDFS.comment, Literal(
            f"{report.violations + report.warnings - len(report.issues)} more results were counted but not kept.")))
    for issue in report.issues:
        shacl = bool(issue.component and issue.focus and issue.shape)
        result = BNode()
        g.add((result, RDF.type, SH.ValidationResult if shacl else SV.ValidationIssue))
        if shacl:
            g.add((node, SH.result, result))
            g.add((result, SH.focusNode, URIRef(issue.focus)))
            g.add((result, SH.resultPath, URIRef(issue.path)))
            g.add((result, SH.resultSeverity, SEVERITY[issue.severity]))
            g.add((result, SH.sourceConstraintComponent, SH[issue.component]))
            g.add((result, SH.sourceShape, URIRef(issue.shape)))
            g.add((result, SH.resultMessage, Literal(issue.message)))
            if issue.term:
                g.add((result, SH.value, from_n3(issue.term)))
        else:
            g.add((result, SV.severity, SEVERITY[issue.severity]))
            g.add((result, RDFS.comment, Literal(issue.message)))
        g.add((result, SV.problem, Literal(issue.kind)))
        if issue.row is not None:
            g.add((result, SV.rowNumber, Literal(issue.row)))
        if issue.column:
            g.add((result, SV.column, Literal(issue.column)))
        if issue.value is not None:
            g.add((result, SV.value, Literal(issue.value)))
        if issue.fix:
            g.add((result, SV.fix, Literal(issue.fix)))
    return g
