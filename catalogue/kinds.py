"""The one registry of kinds of dataset, read from the ontology.

Every kind is a ``sv:DatasetKind`` in the scheme ``sv:DatasetKinds`` with its
``skos:notation`` (the name ``svcat load KIND`` takes) and label; the collection
``sv:CouncilDatasetKinds`` says which a council publishes (and may upload on ``/publish``),
``sv:RegisterKinds`` which are official registers. The CLI, the loaders, the catalogue
records, the publish form and linking all read this, so a new kind is declared once, in
``ontology/``, beside the module that reads its files (``loaders.KINDS``; a test holds
the two together).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, URIRef

from catalogue.vocab import SKOS, SV, ontology_graph


@dataclass(frozen=True)
class Kind:
    name: str  # the skos:notation: spend, companies-house, ...
    term: URIRef  # sv:spend, sv:companiesHouse, ...
    label: str
    council: bool  # published by a council (needs a publisher; offered on /publish)
    register: bool  # an official register (its entries link records by identifier)


def _read() -> dict[str, Kind]:
    g = ontology_graph()
    council = set(g.objects(SV.CouncilDatasetKinds, SKOS.member))
    registers = set(g.objects(SV.RegisterKinds, SKOS.member))
    kinds = {}
    for term in g.subjects(RDF.type, SV.DatasetKind):
        if (term, SKOS.inScheme, SV.DatasetKinds) not in g:
            continue
        name = str(g.value(term, SKOS.notation))
        kinds[name] = Kind(name, URIRef(term), str(g.value(term, RDFS.label) or name),
                           term in council, term in registers)
    return dict(sorted(kinds.items()))


#: Every kind, by name.
KINDS: dict[str, Kind] = _read()
#: Kinds a council publishes (``svcat load KIND FILE --publisher``, ``/publish``).
COUNCIL_KINDS: tuple[str, ...] = tuple(k for k, kind in KINDS.items() if kind.council)
#: Official registers: no publishing council, and loading one re-links every record.
REGISTER_KINDS: frozenset[str] = frozenset(k for k, kind in KINDS.items() if kind.register)
#: A kind's term (``dcterms:type`` of its datasets) by name, and its name by term.
TERMS: dict[str, URIRef] = {k: kind.term for k, kind in KINDS.items()}
NAMES: dict[str, str] = {str(kind.term): k for k, kind in KINDS.items()}
