"""Every payee's links and identifier, read once for a summary refresh of many councils.

Why a module: ``catalogue.summaries.councils`` looks a council's payees up by chunks of
IRIs, which is right for one council in a big store; a manifest load or a full link
refreshes every council, where one scan of the store serves them all.
"""

from __future__ import annotations

from collections import defaultdict

from catalogue.store import Store
from catalogue.store import sparql_text as q
from catalogue.store.paging import each_row
from catalogue.vocab import ORG, SV

_UNKNOWN = str(SV.unknownClass)


class PayeeLinks:
    """Every payee's links and identifier, read once for a refresh of many councils.

    Why: looked up a council at a time, by chunks of 1,000 IRIs, the links cost 0.2 s a
    chunk on the DEV store; a manifest load or a full link refreshes every council, and
    three plain scans of the whole store (links, classes, identifiers) cost less than the
    chunks of all of them. The rows are those ``councils._links`` finds by chunks: one per payee
    and organisation, with the organisation's distinct classes (their order is of no
    matter: ``analysis.spend.class_rows`` splits them).
    """

    def __init__(self, store: Store):
        self.orgs: dict[str, set[str]] = defaultdict(set)
        for row in each_row(store, f"SELECT ?payee ?org WHERE {{ ?payee {q.iri(SV.canonicalOrganisation)} ?org }}",
                            order="?payee ?org"):
            self.orgs[row["payee"]].add(row["org"])
        self.classes: dict[str, set[str]] = defaultdict(set)
        for row in each_row(store, f"SELECT ?org ?class WHERE {{ ?org {q.iri(SV.socialValueClass)} ?class }}",
                            order="?org ?class"):
            self.classes[row["org"]].add(row["class"])
        self.identified = {row["payee"] for row in each_row(
            store, f"SELECT DISTINCT ?payee WHERE {{ ?payee {q.iri(ORG.identifier)} ?identifier }}", order="?payee")}

    @classmethod
    def made(cls, orgs: dict[str, set[str]], classes: dict[str, set[str]], identified: set[str]) -> PayeeLinks:
        """The same, from what a full link has just written (``linking.run``), which spares the
        three scans (0.8-1.2 s of a DEV manifest load): ``orgs`` payee -> its organisations,
        ``classes`` organisation -> its class IRIs, ``identified`` the payees with an identifier."""
        links = cls.__new__(cls)
        links.orgs, links.classes = defaultdict(set, orgs), defaultdict(set, classes)
        links.identified = set(identified)
        return links

    def known_classes(self, payees) -> dict[str, set[str]]:
        """payee -> the known classes of its organisations (``sv:unknownClass`` left out), for
        the payees that have one: what ``social_value.payee_classes`` asks the store for."""
        out: dict[str, set[str]] = {}
        for payee in set(payees):
            found = {c for org in self.orgs.get(payee, ()) for c in self.classes.get(org, ())} - {_UNKNOWN}
            if found:
                out[payee] = found
        return out

    def links(self, payees: list[str]) -> list[dict]:
        return [{"payee": payee, "org": org, "classes": " ".join(sorted(self.classes.get(org, ())))}
                for payee in payees for org in sorted(self.orgs.get(payee, ()))]
