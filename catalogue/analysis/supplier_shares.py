"""Who a council's money reaches: SME, VCSE, public-body and local shares, by value and by count.

Why one function (``council_shares``) for every figure: the council page's charts, its
``/council/<gss>/shares`` table (``.json``, ``.csv``) and the consistency tests read the
same rows, so a figure cannot differ between them.

Each measure has three parts that add up to the whole: ``yes`` (evidence says so), ``no``
(evidence says not) and ``unknown`` (no evidence either way). A page says "SME at least
12.4%, unknown 82.5%": the true share lies between ``yes`` and ``yes + unknown``.

- **Recipients**: the council's payees (its ``by-payee`` summary), each counted as its
  canonical organisation when linked, else as the supplier record it published. Whether
  a recipient is an SME, a VCSE or a public body is the crosswalk's answer, which the
  caller passes in (``Place``; the web layer reads it with
  ``catalogue.linking.crosswalk_classes``: registers first, then council flags and names),
  as this layer lies below linking.
- **By value**: the sum of each recipient's net total, over recipients paid more than
  they repaid (a recipient whose credits cancel its payments is left out, as in the
  concentration table), so no part is negative and the parts add up to 100%. Payees the
  council withheld or did not name count here, as unknown.
- **By count**: recipients paid (net total above zero); withheld and unnamed payees are
  left out (one redaction hides many payees).
- **Local**: the organisation's postcode (registered, else the council file's own) lies,
  by the ONS postcode directory, in the paying council's area (its district, or for a
  county council its county). **In its county**: in the county the postcode directory
  puts the council's district in (shown only when the directory gives the council a
  county; it gives no combined authority; a county council's "local" is already its
  county). Unknown when no postcode is placed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from catalogue import iris
from catalogue.analysis import Query, iri_ref, run, to_decimal
from catalogue.analysis import council as summary
from catalogue.analysis import spend
from catalogue.store import Store

#: (key, label) of each measure, in the order pages show them.
MEASURES = (("sme", "SME"), ("vcse", "VCSE"), ("public_body", "Public body"),
            ("local", "Local (in the council's area)"), ("county", "In the council's county"))
LABELS = dict(MEASURES)
BASES = (("value", "by value"), ("count", "by count"))
YES, NO, UNKNOWN = "yes", "no", "unknown"


@dataclass(frozen=True)
class Place:
    """What the crosswalk says of one organisation for the paying council: ``answers``
    (``sme``, ``vcse``, ``public_body``, ``local``: yes/no/unknown) and the GSS codes of
    the local authority and county its postcode lies in (empty when not placed)."""

    answers: Mapping[str, str] = field(default_factory=dict)
    local_authority: str = ""
    county: str = ""


_NOTHING = Place()


def _gss(council: str) -> str:
    return council.rsplit("/", 1)[-1]


def payees(base: str, council: str) -> Query:
    """Every payee in the council's ranked summary with its total and organisation."""
    cube = iri_ref(iris.council_summary(base, _gss(council), "by-payee"))
    return Query("payee-organisations", "Spend by payee, with its canonical organisation", f"""
        SELECT ?payee ?total ?organisation WHERE {{
          GRAPH {iri_ref(iris.council_summary_graph(base, _gss(council)))} {{
            ?obs qb:dataSet {cube} ; sv:payeeRecord ?payee ; sv:spendTotal ?total }}
          OPTIONAL {{ ?payee sv:canonicalOrganisation ?organisation }}
        }}""")


def council_counties(base: str, council: str) -> Query:
    """The counties the loaded postcode directories put the council's district in."""
    return Query("council-counties", "The county of the council's district, by the postcode directory", f"""
        SELECT DISTINCT ?county WHERE {{
          GRAPH {iri_ref(iris.catalogue_graph(base))} {{ ?d dcterms:type sv:postcodeDirectory ; sv:namedGraph ?g }}
          GRAPH ?g {{ ?unit sv:localAuthorityArea {iri_ref(iris.geography(_gss(council)))} ;
                           sv:countyArea ?county }}
        }}
        ORDER BY ?county
        LIMIT 5""")


@dataclass
class Shares:
    """The rows of every measure and basis, and what they were read with."""

    rows: list[dict] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)  # GSS codes of the council's county, if any
    recipients: int = 0
    value: Decimal = Decimal(0)

    def row(self, measure: str, basis: str) -> dict | None:
        return next((r for r in self.rows if r["measure"] == measure and r["basis"] == basis), None)

    def measures(self) -> list[dict]:
        """``{key, label, value, count}`` per measure shown (the county only when the council has one)."""
        return [{"key": key, "label": label, "value": self.row(key, "value"), "count": self.row(key, "count")}
                for key, label in MEASURES if self.row(key, "value")]


def answers(place: Place, gss: str, counties: set[str]) -> dict[str, str]:
    """yes/no/unknown of each measure for one organisation paid by council ``gss``."""
    out = {key: place.answers.get(key) or UNKNOWN for key in ("sme", "vcse", "public_body", "local")}
    if not place.local_authority:
        out["county"] = UNKNOWN
    else:
        inside = out["local"] == YES or bool(counties & {place.local_authority, place.county})
        out["county"] = YES if inside else NO
    return out


def recipients(payee_rows: list[dict]) -> list[tuple[str | None, Decimal, bool]]:
    """(organisation or None, net total, withheld) per recipient paid more than it repaid."""
    totals: dict[tuple, list] = {}
    for row in payee_rows:
        payee, org = row["payee"], row.get("organisation")
        withheld = spend.is_withheld(payee)
        key = ("withheld", payee) if withheld else (("org", org) if org else ("payee", payee))
        entry = totals.setdefault(key, [None if withheld else org, Decimal(0), withheld])
        entry[1] += to_decimal(row.get("total"))
    return [(org, total, withheld) for org, total, withheld in totals.values() if total > 0]


def shares(payee_rows: list[dict], places: Mapping[str, Place], gss: str, counties: set[str]) -> list[dict]:
    """One row per measure and basis: yes, no, unknown (pounds or recipients) and their shares."""
    measures = [m for m, _ in MEASURES if m != "county" or counties]
    sums = {(m, b): {YES: Decimal(0), NO: Decimal(0), UNKNOWN: Decimal(0)} for m in measures for b, _ in BASES}
    for org, total, withheld in recipients(payee_rows):
        said = answers(places.get(org, _NOTHING) if org else _NOTHING, gss, counties)
        for measure in measures:
            sums[(measure, "value")][said[measure]] += total
            if not withheld:
                sums[(measure, "count")][said[measure]] += 1
    rows = []
    for (measure, basis), parts in sums.items():
        whole = sum(parts.values(), Decimal(0))
        row = {"measure": measure, "label": LABELS[measure], "basis": basis,
               "yes": parts[YES], "no": parts[NO], "unknown": parts[UNKNOWN], "total": whole}
        if basis == "count":
            row.update({k: int(row[k]) for k in (YES, NO, UNKNOWN, "total")})
        for part in (YES, NO, UNKNOWN):
            row[f"{part}_share"] = float(parts[part] / whole) if whole else None
        rows.append(row)
    return rows


def council_shares(store: Store, base: str, council: str,
                   places: Callable[[str], Mapping[str, Place]]) -> Shares:
    """Every share on the council's page; ``places(gss)`` gives each organisation's ``Place``
    for that council (the crosswalk's answers, read by the caller)."""
    gss = _gss(council)
    found = run(store, summary.available(base, council))
    query = payees(base, council) if found.rows else spend.payees(council)
    payee_rows = run(store, query).rows
    county_query = council_counties(base, council)
    counties = {c.removeprefix(iris.geography("")) for c in (r["county"] for r in run(store, county_query).rows)}
    out = Shares(shares(payee_rows, places(gss), gss, counties), [query, county_query], sorted(counties))
    picked = recipients(payee_rows)
    out.recipients = sum(1 for _, _, withheld in picked if not withheld)
    out.value = sum((total for _, total, _ in picked), Decimal(0))
    return out
