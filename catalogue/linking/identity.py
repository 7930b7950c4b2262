"""Stable IRIs for canonical organisations, so that researchers can cite them.

A new organisation's IRI comes from its strongest identifier: its company number
(``GB-COH-01243967``), else its charity number (``GB-CHC-1094331``), else the council it
is (``council-E08000033``), else another org-id (``GB-MPR-...``), else its VAT number
(``vat-GB243170002``), else its normalised name (``name-royal-mail-3f2a1c``).

On every re-link an organisation keeps the IRI it had: each new cluster of records
*inherits* the IRI most of its records were linked to before, even if it has since
gained a stronger identifier. When clusters split, the larger share keeps the IRI; when
they merge, one IRI survives and the other is *retired*: it stays resolvable, with
``dcterms:isReplacedBy`` the organisation that took most of its records. So an IRI, once
published, always leads somewhere.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from catalogue import iris
from catalogue.linking.records import CHARITY_SCHEMES, COMPANY, SupplierRecord

_SAFE = re.compile(r"[^A-Za-z0-9-]+")


@dataclass
class Identities:
    iris: list[str]  # organisation IRI per cluster (same order as the clusters)
    retired: dict[str, str]  # retired IRI -> the IRI that replaces it


def _slug(text: str, limit: int = 50) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].strip("-") or "organisation"


def _most_common(values) -> str | None:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def derived_key(records: list[SupplierRecord], council_gss: str | None, name_key: str, scope: str = "") -> str:
    """The IRI key an organisation of these records would get if it were new."""
    companies = [i for r in records for i in r.company_numbers]
    if companies:
        return _most_common(companies)
    charities = [i for r in records for i in r.org_ids if i.startswith(CHARITY_SCHEMES)]
    if charities:
        return _most_common(charities)
    if council_gss:
        return f"council-{council_gss}"
    others = [i for r in records for i in r.org_ids if not i.startswith(COMPANY)]
    if others:
        return _SAFE.sub("-", _most_common(others))
    vats = [v for r in records for v in r.vat_numbers]
    if vats:
        return f"vat-{_most_common(vats)}"
    digest = hashlib.sha1(f"{name_key}\x1f{scope}".encode()).hexdigest()[:6]
    return f"name-{_slug(name_key)}-{digest}"


def assign(base: str, clusters: list[list[str]], derived: list[str], previous: dict[str, str],
           retired_before: dict[str, str], pinned: dict[int, str]) -> Identities:
    """Choose each cluster's IRI: pinned (a person's decision), else inherited, else derived.

    ``previous`` maps record IRIs to the organisation they were linked to last time;
    ``retired_before`` the IRIs already retired (kept, and their targets brought up to date).
    """
    chosen: list[str | None] = [None] * len(clusters)
    taken: set[str] = set()
    for index, iri in pinned.items():
        chosen[index] = iri
        taken.add(iri)
    # Inherit: the largest share of a previous organisation's records keeps its IRI.
    claims = []
    for index, members in enumerate(clusters):
        if chosen[index] is not None:
            continue
        for org, count in Counter(previous[m] for m in members if m in previous).items():
            # On a tie, the cluster whose own identifier names the IRI keeps it.
            claims.append((-count, org != iris.organisation(base, derived[index]), org, index))
    for _, _, org, index in sorted(claims):
        if chosen[index] is None and org not in taken and org not in retired_before:
            chosen[index] = org
            taken.add(org)
    for index, key in enumerate(derived):
        if chosen[index] is not None:
            continue
        candidate = iris.organisation(base, key)
        n = 1
        while candidate in taken:
            n += 1
            candidate = iris.organisation(base, f"{key}-{n}")
        chosen[index] = candidate
        taken.add(candidate)
    final = [c for c in chosen if c is not None]
    cluster_of = {m: final[i] for i, members in enumerate(clusters) for m in members}
    retired = _retire(previous, cluster_of, set(final), retired_before)
    return Identities(final, retired)


def _retire(previous: dict[str, str], cluster_of: dict[str, str], live: set[str],
            retired_before: dict[str, str]) -> dict[str, str]:
    """Old IRIs no cluster kept -> the IRI that took most of their records (chains resolved)."""
    shares: dict[str, Counter] = {}
    for record, org in previous.items():
        if org not in live and record in cluster_of:
            shares.setdefault(org, Counter())[cluster_of[record]] += 1
    retired = {org: min(c, key=lambda v: (-c[v], v)) for org, c in shares.items()}
    for old, target in retired_before.items():
        if old in live:
            continue  # brought back to life by a decision or an inheritance
        seen = {old}
        while target not in live and target in (retired | retired_before) and target not in seen:
            seen.add(target)
            target = retired.get(target) or retired_before[target]
        if target in live:
            retired.setdefault(old, target)
    return retired
