"""A brand joined to a different registered company by the scored-name rule (issue 19, item 4).

Real names of the DEV files: "BRITISH GAS" publishes Centrica's company number through
its VAT-linked records, and "British Gas Services Ltd" is a registered name without a
number: the scored name (one more word at the end) used to join them, making a different
company of the group one organisation with the brand.
"""

from __future__ import annotations

from catalogue.linking.cluster import cluster_records
from catalogue.linking.records import SupplierRecord
from catalogue.linking.run import council_index


#: Other firms' names, so that word weights are those of a real list ("services" is common).
OTHERS = [SupplierRecord(f"urn:o{n}", "E08000035", f"{word} {kind} Services Ltd")
          for n, (word, kind) in enumerate((w, k) for w in ("Amber", "Birch", "Cobalt", "Delta", "Ember", "Falcon",
                                                            "Granite", "Harbour", "Indigo", "Juniper")
                                           for k in ("Cleaning", "Catering", "Building"))]


def _together(a: SupplierRecord, b: SupplierRecord) -> bool:
    records = {r.iri: r for r in (a, b, *OTHERS)}
    clustering = cluster_records(records, None, council_index().find)
    return any(a.iri in members and b.iri in members for members in clustering.clusters)


def test_a_brand_with_a_number_does_not_join_another_registered_name_by_score():
    brand = SupplierRecord("urn:a", "E08000036", "BRITISH GAS BUSINESS", org_ids={"GB-COH-03886409"})
    services = SupplierRecord("urn:b", "E08000035", "British Gas Business Services Ltd")
    assert not _together(brand, services)


def test_without_a_number_on_the_brand_the_scored_name_still_joins():
    """The same names, neither publishing a number: one firm written with one more word."""
    brand = SupplierRecord("urn:a", "E08000036", "Springwood Garden")
    firm = SupplierRecord("urn:b", "E08000035", "Springwood Garden Services Ltd")
    assert _together(brand, firm)
    numbered = SupplierRecord("urn:a", "E08000036", "Springwood Garden", org_ids={"GB-COH-09999999"})
    assert not _together(numbered, firm)
    # Both with the number: one company, whatever the names say.
    both = SupplierRecord("urn:b", "E08000035", "Springwood Garden Services Ltd", org_ids={"GB-COH-09999999"})
    assert _together(numbered, both)
