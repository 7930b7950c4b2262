"""A council named as a supplier is the council that existed when it was paid.

Clustering recognises a council by name alone (``publicbodies.CouncilIndex``), so
"North Yorkshire Council" in a 2015 file and in a 2024 file are one cluster. Here each
record of a council's cluster is read on its own date (the last day its files cover,
``SupplierRecord.last_date``) through the register's successions
(``loaders.council_times``): records that meant different bodies become different
organisations, each with the GSS code of the body that existed then. Nothing else about
the clusters changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from catalogue.linking.cluster import Clustering
from catalogue.linking.records import SupplierRecord


def councils_on_their_dates(clustering: Clustering, records: dict[str, SupplierRecord],
                            on: Callable[[str, str | None], str] | None = None) -> Clustering:
    """``clustering`` with each council cluster's records resolved on their own dates."""
    if on is None:
        from loaders.council_times import succession

        on = succession().on
    clusters = list(clustering.clusters)
    councils = dict(clustering.councils)
    for index, gss in sorted(clustering.councils.items()):
        by_body: dict[str, list[str]] = defaultdict(list)
        for member in clustering.clusters[index]:
            by_body[on(gss, records[member].last_date or None)].append(member)
        bodies = sorted(by_body, key=lambda body: (-len(by_body[body]), body))
        clusters[index] = by_body[bodies[0]]
        councils[index] = bodies[0]
        for body in bodies[1:]:
            councils[len(clusters)] = body
            clusters.append(by_body[body])
    return Clustering(clusters, clustering.links, clustering.pinned, clustering.vat_peers, councils)
