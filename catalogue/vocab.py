"""The one namespace module: everything here is read from ``ontology/*.ttl``.

The ``@prefix`` lines of the ontology files are the prefix registry, and the terms the
ontology declares (our own ``sv:`` terms and the reused ones listed in
``ontology/reused.ttl``) are the only terms code may use: each namespace below is an
rdflib ``ClosedNamespace``, so ``PAY.netAmont`` raises instead of minting a typo.

rdflib's own ``RDF``, ``RDFS``, ``OWL``, ``XSD`` and ``SH`` constants are re-exported
for the W3C core vocabularies, which the ontology does not re-declare.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDF, RDFS, OWL, XSD, Graph, URIRef
from rdflib.namespace import SH, ClosedNamespace

from catalogue.paths import ontology_dir

__all__ = [
    "RDF", "RDFS", "OWL", "XSD", "SH",
    "SV", "PAY", "ORG", "DCAT", "DCTERMS", "PROV", "SKOS", "VOID", "SD", "SPDX", "FOAF", "QB",
    "PC", "SDMX_DIMENSION", "SDMX_MEASURE",
    "PREFIXES", "ONTOLOGY", "ONTOLOGY_VERSION", "ONTOLOGY_VERSION_INFO",
    "UnknownTerm", "expand", "compact", "declared_terms", "sparql_prologue", "ontology_graph",
]

#: Namespaces whose terms are accepted without a declaration in ontology/ (W3C core).
CORE_PREFIXES = ("rdf", "rdfs", "owl", "xsd", "sh")


class UnknownTerm(KeyError):
    """A CURIE or IRI that the ontology does not declare."""


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """Parse every Turtle file in ``ontology/`` into one graph (once per process)."""
    graph = Graph()
    files = sorted(ontology_dir().glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no ontology files in {ontology_dir()}")
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _prefixes() -> dict[str, str]:
    """Prefixes exactly as the ontology files declare them (the registry)."""
    prefixes: dict[str, str] = {}
    for path in sorted(ontology_dir().glob("*.ttl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("@prefix"):
                _, name, iri, *_ = line.split()
                prefixes[name.rstrip(":")] = iri.strip("<>")
    return prefixes


PREFIXES: dict[str, str] = _prefixes()


def _declared(prefix: str) -> list[str]:
    base = PREFIXES[prefix]
    names = set()
    for subject in ontology_graph().subjects(RDFS.label, None):
        iri = str(subject)
        if iri.startswith(base) and len(iri) > len(base):
            names.add(iri[len(base):])
    return sorted(names)


class _Terms(ClosedNamespace):
    """A ``ClosedNamespace`` that keeps each term it has looked up as a plain attribute.

    Why: rdflib looks a term up on every ``SV.spendTotal`` (0.7 µs, through two method
    calls), and writing the links and summaries of the DEV files does it a million times.
    Only names that are not already attributes reach ``__getattr__``, so nothing is shadowed.
    """

    def __getattr__(self, name: str):
        value = super().__getattr__(name)
        self.__dict__[name] = value
        return value


def _closed(prefix: str) -> ClosedNamespace:
    return _Terms(PREFIXES[prefix], _declared(prefix))


SV = _closed("sv")
PAY = _closed("pay")
ORG = _closed("org")
DCAT = _closed("dcat")
DCTERMS = _closed("dcterms")
PROV = _closed("prov")
SKOS = _closed("skos")
VOID = _closed("void")
SD = _closed("sd")
SPDX = _closed("spdx")
FOAF = _closed("foaf")
QB = _closed("qb")
PC = _closed("pc")
SDMX_DIMENSION = _closed("sdmx-dimension")
SDMX_MEASURE = _closed("sdmx-measure")

ONTOLOGY = URIRef(PREFIXES["sv"].rstrip("#/"))
ONTOLOGY_VERSION = ontology_graph().value(ONTOLOGY, OWL.versionIRI)
ONTOLOGY_VERSION_INFO = str(ontology_graph().value(ONTOLOGY, OWL.versionInfo))


@lru_cache(maxsize=1)
def declared_terms() -> frozenset[URIRef]:
    """Every IRI the ontology gives a label to."""
    return frozenset(s for s in ontology_graph().subjects(RDFS.label, None) if isinstance(s, URIRef))


def is_declared(iri: str) -> bool:
    """True for declared terms and for terms of the W3C core vocabularies."""
    if URIRef(iri) in declared_terms():
        return True
    return any(iri.startswith(PREFIXES[p]) for p in CORE_PREFIXES if p in PREFIXES)


def expand(curie: str) -> URIRef:
    """``"pay:netAmount"`` -> IRI; refuses unknown prefixes and undeclared terms."""
    if curie.startswith(("http://", "https://", "urn:")):
        iri = curie
    else:
        prefix, sep, local = curie.partition(":")
        if not sep or prefix not in PREFIXES:
            raise UnknownTerm(f"unknown prefix in {curie!r}; declare it in ontology/")
        iri = PREFIXES[prefix] + local
    if not is_declared(iri):
        raise UnknownTerm(f"{curie!r} is not declared in ontology/")
    return URIRef(iri)


def compact(iri: str) -> str:
    """Shortest ``prefix:local`` form of an IRI, or the IRI itself."""
    best = None
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and (best is None or len(base) > len(PREFIXES[best])):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def sparql_prologue(*names: str) -> str:
    """``PREFIX`` lines for SPARQL, for the given prefixes or all of them."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in chosen)
