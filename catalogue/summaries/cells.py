"""Spend summaries: RDF Data Cube observations that add up a dataset's lines as it loads.

Aggregating raw payment lines on a page is slow on the on-disk store (seconds at 100k
lines, tens of seconds at 1M), so every spend load also writes two small cubes into the
dataset's own named graph, computed in Python while the rows stream past:

- ``{dataset}/summary/by-payee`` (structure ``sv:spendByPayee``): council x month x payee
  record, for questions about suppliers, organisations and social-value classes (the
  payee's ``sv:canonicalOrganisation`` and its ``sv:socialValueClass`` join on);
- ``{dataset}/summary/by-category`` (``sv:spendByCategory``): council x month x expense
  type x service area, for what the money was spent on and by which service.

A line dated by a period longer than a month (a quarter, a financial year: see
``loaders.periods``) is counted in a cell of its own whose ``sv:month`` is the period's
first and last month (``"2021-04/2021-06"``, a plain literal; ``month_datatype``): never
spread over its months, never put in one of them. Such cells sort next to the month the
period starts, and the pages label them as periods.

Each observation carries ``sv:spendTotal`` (exact decimal sum of ``pay:netAmount``) and
``sv:lineCount``. Because they live in the dataset's graph they are replaced and
removed in the same atomic step as the lines, so they always agree with them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from catalogue.vocab import DCTERMS, QB, RDF, RDFS, SV, XSD
from loaders.converters import short_hash
from loaders.terms import Triple, iri, literal

A = iri(str(RDF.type))
NOT_STATED = iri(str(SV.notStated))
BY_PAYEE = "by-payee"
BY_CATEGORY = "by-category"


class SpendSummary:
    """Running totals for one dataset; ``triples`` writes them out as two cubes."""

    def __init__(self) -> None:
        self.by_payee: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal(0), 0])
        self.by_category: dict[tuple[str, str, str], list] = defaultdict(lambda: [Decimal(0), 0])

    def add(self, facts: dict | None) -> None:
        """Count one loaded line (its ``facts`` from the loader)."""
        if not facts or not facts.get("amount") or not facts.get("month"):
            return  # an unreadable line is a violation: the file is refused or the row skipped
        amount = Decimal(facts["amount"])
        month = facts["month"]
        cell = self.by_payee[(month, facts.get("payee") or NOT_STATED)]
        cell[0] += amount
        cell[1] += 1
        cell = self.by_category[(month, facts.get("expense_type") or NOT_STATED,
                                 facts.get("service_area") or NOT_STATED)]
        cell[0] += amount
        cell[1] += 1

    def __len__(self) -> int:
        return len(self.by_payee) + len(self.by_category)

    def payee_cells(self) -> Iterator[tuple[str, str, Decimal, int]]:
        """The by-payee cube's cells as (month, payee IRI, spend, lines), for the
        social-value sums (``catalogue.class_summary.sums_from_cells``)."""
        for (month, payee), (total, lines) in self.by_payee.items():
            yield month, payee[1:-1], total, lines

    def category_cells(self) -> Iterator[tuple[str, str, str, Decimal, int]]:
        """The by-category cube's cells as (month, expense type IRI, service area IRI, spend,
        lines), for the council's summary (``catalogue.summaries.councils.figures``)."""
        for (month, kind, area), (total, lines) in self.by_category.items():
            yield month, kind[1:-1], area[1:-1], total, lines

    def triples(self, dataset: str, council: str, council_name: str = "") -> Iterator[list[Triple]]:
        """Both cubes as N-Triples terms (``dataset`` and ``council`` are plain IRIs), one
        list per observation: a big file has hundreds of thousands of observations, which
        are written out as they are made rather than held all at once."""
        council_term = iri(council)
        for name, structure, title, cells, dims in (
            (BY_PAYEE, SV.spendByPayee, "spend by month and payee", self.by_payee,
             (SV.month, SV.payeeRecord)),
            (BY_CATEGORY, SV.spendByCategory, "spend by month, expense type and service area",
             self.by_category, (SV.month, SV.expenseType, SV.serviceAreaDimension)),
        ):
            cube = iri(f"{dataset}/summary/{name}")
            yield [
                (cube, A, iri(str(QB.DataSet))),
                (cube, iri(str(QB.structure)), iri(str(structure))),
                (cube, iri(str(SV.summaryOf)), iri(dataset)),
                (cube, iri(str(RDFS.label)), literal(f"{council_name or 'Council'} {title}".strip())),
                (cube, iri(str(DCTERMS.publisher)), council_term),
            ]
            for key in sorted(cells):
                total, lines = cells[key]
                obs = iri(f"{dataset}/summary/{name}/{key[0]}-{short_hash(*key, length=12)}")
                out = [
                    (obs, A, iri(str(QB.Observation))),
                    (obs, iri(str(QB.dataSet)), cube),
                    (obs, iri(str(SV.council)), council_term),
                    (obs, iri(str(dims[0])), literal(key[0], month_datatype(key[0]))),
                    (obs, iri(str(SV.spendTotal)), literal(_decimal_text(total), str(XSD.decimal))),
                    (obs, iri(str(SV.lineCount)), literal(str(lines), str(XSD.integer))),
                ]
                out += [(obs, iri(str(dim)), value) for dim, value in zip(dims[1:], key[1:])]
                yield out


def month_datatype(key: str) -> str | None:
    """The datatype of a summary's ``sv:month``: xsd:gYearMonth for a month (``2021-04``),
    none for a longer period's ``first/last`` months (``2021-04/2021-06``)."""
    return str(XSD.gYearMonth) if len(key) == 7 else None


def _decimal_text(value: Decimal) -> str:
    """A canonical xsd:decimal lexical form (no exponent)."""
    text = format(value, "f")
    return text if text not in ("-0", "") else "0"
