"""SHACL validation: the shapes in ``shapes/`` compiled into fast per-node checks.

pySHACL validates a whole graph at a few thousand triples per second; a million-line
file needs more. The shapes we write use a small part of SHACL Core (``sh:targetClass``
node shapes with property shapes on a predicate path, and ``sh:minCount``,
``sh:maxCount``, ``sh:datatype``, ``sh:or`` of datatypes, ``sh:nodeKind``, ``sh:in``,
``sh:pattern``, ``sh:minInclusive``), so ``compile_shapes`` turns them into checks that run on each node's
triples as the loader streams them. Anything outside that subset is refused when the
shapes are compiled, never silently ignored. ``pyshacl_results`` runs the real pySHACL
on a graph and returns the same ``ShapeResult`` rows, which the tests use to prove that
both agree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from catalogue.paths import shapes_dir
from catalogue.store.sparql_text import lexical
from catalogue.vocab import RDF, RDFS, SH, ontology_graph
from loaders.terms import iri

Term = str  # an N-Triples term, as the loaders produce them

SUPPORTED = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["or"], SH.nodeKind, SH["in"],
             SH.pattern, SH.minInclusive, SH.severity, SH.message, SH.description, SH.name, RDF.type, RDFS.label,
             RDFS.comment, SH.order, SH.group}


class ShapeError(ValueError):
    """A shapes file that uses SHACL features the compiled validator does not implement."""


@dataclass(frozen=True)
class ShapeResult:
    focus: str  # IRI of the focus node (not bracketed)
    path: str  # IRI of the path
    value: str | None  # lexical form of the offending value, if any
    severity: str  # "violation" | "warning" | "info"
    component: str  # local name of the constraint component, e.g. "MinCountConstraintComponent"
    shape: str  # IRI of the property shape
    kind: str  # the shape's local name: the problem's slug
    message: str
    fix: str
    term: str | None = None  # the offending value as an N-Triples term (for the SHACL report)

    def key(self) -> tuple:
        return (self.focus, self.path, self.component, self.severity, self.value)


@dataclass(frozen=True)
class PropertyCheck:
    shape: str
    kind: str
    path: str  # bracketed, to compare with N-Triples predicates (the first of an alternative path)
    min_count: int | None
    max_count: int | None
    datatypes: frozenset[str] | None  # full datatype IRIs
    component_for_datatype: str
    node_kind: str | None  # "IRI" | "Literal" | "BlankNode"
    allowed: frozenset[str] | None  # N-Triples terms
    pattern: re.Pattern | None
    min_inclusive: Decimal | None
    severity: str
    message: str
    fix: str
    #: Every predicate of an ``sh:alternativePath`` (bracketed); ``(path,)`` for a predicate path.
    paths: tuple[str, ...] = ()

    def values(self, by_path: dict) -> list:
        """The node's values on this check's path (on any of an alternative path's predicates)."""
        if len(self.paths) <= 1:
            return by_path.get(self.path, ())
        return [v for p in self.paths for v in by_path.get(p, ())]


def _severity(term) -> str:
    return {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}.get(term, "violation")


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _nt(term) -> str:
    return term.n3()


def _compile_property(graph: Graph, shape) -> PropertyCheck:
    used = set(graph.predicates(shape, None))
    unsupported = used - SUPPORTED
    if unsupported:
        raise ShapeError(f"shape {shape} uses {sorted(map(str, unsupported))}, which the compiled validator does not support")
    path = graph.value(shape, SH.path)
    paths = (path,)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        paths = tuple(Collection(graph, alternatives))
        path = paths[0]
    if not all(isinstance(p, URIRef) for p in paths):
        raise ShapeError(f"shape {shape}: only predicate paths (or alternatives of predicates) are supported")
    datatypes = None
    component = "DatatypeConstraintComponent"
    if (dt := graph.value(shape, SH.datatype)) is not None:
        datatypes = frozenset({str(dt)})
    if (alternatives := graph.value(shape, SH["or"])) is not None:
        members = list(Collection(graph, alternatives))
        found = [graph.value(m, SH.datatype) for m in members]
        if any(f is None for f in found) or any(set(graph.predicates(m, None)) - {SH.datatype} for m in members):
            raise ShapeError(f"shape {shape}: sh:or is supported only as a list of sh:datatype alternatives")
        datatypes = frozenset(str(f) for f in found)
        component = "OrConstraintComponent"
    allowed = None
    if (values := graph.value(shape, SH["in"])) is not None:
        allowed = frozenset(_nt(v) for v in Collection(graph, values))
    node_kind = graph.value(shape, SH.nodeKind)
    pattern = graph.value(shape, SH.pattern)
    minimum = graph.value(shape, SH.minInclusive)
    min_count = graph.value(shape, SH.minCount)
    max_count = graph.value(shape, SH.maxCount)
    return PropertyCheck(
        shape=str(shape), kind=_local(str(shape)), path=iri(str(path)),
        min_count=int(min_count) if min_count is not None else None,
        max_count=int(max_count) if max_count is not None else None,
        datatypes=datatypes, component_for_datatype=component,
        node_kind=_local(str(node_kind)) if node_kind is not None else None,
        allowed=allowed, pattern=re.compile(str(pattern)) if pattern is not None else None,
        min_inclusive=Decimal(str(minimum)) if minimum is not None else None,
        severity=_severity(graph.value(shape, SH.severity)),
        message=str(graph.value(shape, SH.message) or ""),
        fix=str(graph.value(shape, SH.description) or ""),
        paths=tuple(_nt(p) for p in paths),  # N-Triples terms, as ``path``
    )


class CompiledShapes:
    """Checks for each target class, applied to one node's triples at a time."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.by_class: dict[str, list[PropertyCheck]] = defaultdict(list)
        for shape in graph.subjects(RDF.type, SH.NodeShape):
            targets = list(graph.objects(shape, SH.targetClass))
            if not targets:
                raise ShapeError(f"node shape {shape} has no sh:targetClass")
            checks = [_compile_property(graph, p) for p in graph.objects(shape, SH.property)]
            for target in targets:
                self.by_class[iri(str(target))].extend(checks)
        self.quick = {check: _quick(check) for checks in self.by_class.values() for check in checks}
        # Per class, each check with its path and quick test already looked up: the row
        # loop then hashes no ``PropertyCheck`` (a dataclass hash of all its fields).
        self.plans: dict[str, tuple] = {
            cls: tuple((check, check.path if len(check.paths) == 1 else None, self.quick[check]) for check in checks)
            for cls, checks in self.by_class.items()}
        #: Predicate -> the targeted class its ``rdfs:domain`` implies: a node is checked as
        #: that class without stating its type (``pay:payment`` makes a pay:ExpenditureLine).
        self.implied = {p: c for p, c in implied_classes().items() if c in self.plans}

    def check_triples(self, triples) -> list[ShapeResult]:
        """Group triples by subject and check every typed node among them.

        Runs once per CSV row, so the common case (one typed node, every check passing)
        allocates little beyond one dict per typed node, and each check first tries its
        quick test (``_quick``). A graph is a set: repeated triples count once.
        """
        plans, implied = self.plans, self.implied
        types: dict[Term, set[Term]] = {}
        for s, p, o in triples:
            if p == _RDF_TYPE:
                if o in plans:
                    types.setdefault(s, set()).add(o)
            elif (cls := implied.get(p)) is not None:
                types.setdefault(s, set()).add(cls)
        if not types:
            return []
        nodes: dict[Term, dict[Term, list[Term]]] = {s: {} for s in types}
        for s, p, o in dict.fromkeys(triples):
            if (by_path := nodes.get(s)) is not None:
                if (values := by_path.get(p)) is None:
                    by_path[p] = [o]
                else:
                    values.append(o)
        results: list[ShapeResult] = []
        for subject, by_path in nodes.items():
            for cls in types[subject]:
                for check, path, quick in plans.get(cls, ()):
                    values = by_path.get(path, ()) if path is not None else check.values(by_path)
                    if not quick(values) and not _passes(check, values):
                        results.extend(_run(check, subject, values))
        return results

    def path_of(self, shape: str) -> str:
        """The path (its first predicate, for an alternative path) results of ``shape`` name."""
        return next(c.path[1:-1] for checks in self.by_class.values() for c in checks if c.shape == shape)

    @property
    def classes(self) -> set[str]:
        return set(self.by_class)


_RDF_TYPE = iri(str(RDF.type))


@lru_cache(maxsize=1)
def implied_classes() -> dict[Term, Term]:
    """Predicate -> class, for every property the ontology gives one ``rdfs:domain`` class."""
    return {iri(str(p)): iri(str(c)) for p, c in ontology_graph().subject_objects(RDFS.domain)
            if isinstance(c, URIRef)}


def with_implied_types(data: Graph) -> Graph:
    """``data`` plus the types the ontology's domains imply (what the compiled checks assume)."""
    out = data + Graph()
    out += [(s, RDF.type, URIRef(c[1:-1])) for p, c in implied_classes().items() for s in data.subjects(URIRef(p[1:-1]))]
    return out


def _quick(check: PropertyCheck):
    """A test that says True only when ``_passes`` would, cheaply, for the common checks
    (counts, typed literals, IRIs); False means "ask ``_passes``", never "fails"."""
    low, high = check.min_count, check.max_count
    per_value = check.allowed is not None or check.pattern is not None or check.min_inclusive is not None
    suffixes = tuple('"^^<' + d + '>' for d in check.datatypes) if check.datatypes else None  # N-Triples
    iri_only = check.node_kind == "IRI"
    if per_value or (check.node_kind is not None and not iri_only):
        return lambda values: False

    def quick(values) -> bool:
        n = len(values)
        if (low is not None and n < low) or (high is not None and n > high):
            return False
        for value in values:
            if suffixes is not None and not (value[0] == '"' and value.endswith(suffixes)):
                return False
            if iri_only and value[0] != "<":
                return False
        return True
    return quick


def _passes(check: PropertyCheck, values) -> bool:
    """The quick answer for the common case: every constraint of the check holds."""
    n = len(values)
    if check.min_count is not None and n < check.min_count:
        return False
    if check.max_count is not None and n > check.max_count:
        return False
    for value in values:
        if check.datatypes is not None and datatype_of(value) not in check.datatypes:
            return False
        if check.node_kind is not None and not _has_kind(value, check.node_kind):
            return False
        if check.allowed is not None and value not in check.allowed:
            return False
        if check.pattern is not None and not check.pattern.search(lexical(value)):
            return False
        if check.min_inclusive is not None and not _at_least(value, check.min_inclusive):
            return False
    return True


def _run(check: PropertyCheck, subject: Term, values: list[Term]) -> list[ShapeResult]:
    out = []
    focus = subject[1:-1]

    def result(component: str, value: Term | None) -> ShapeResult:
        return ShapeResult(focus, check.path[1:-1], lexical(value) if value else None, check.severity,
                           component, check.shape, check.kind, check.message, check.fix, value)

    if check.min_count is not None and len(values) < check.min_count:
        out.append(result("MinCountConstraintComponent", None))
    if check.max_count is not None and len(values) > check.max_count:
        out.append(result("MaxCountConstraintComponent", None))
    for value in values:
        if check.datatypes is not None and datatype_of(value) not in check.datatypes:
            out.append(result(check.component_for_datatype, value))
        if check.node_kind is not None and not _has_kind(value, check.node_kind):
            out.append(result("NodeKindConstraintComponent", value))
        if check.allowed is not None and value not in check.allowed:
            out.append(result("InConstraintComponent", value))
        if check.pattern is not None and not check.pattern.search(lexical(value)):
            out.append(result("PatternConstraintComponent", value))
        if check.min_inclusive is not None and not _at_least(value, check.min_inclusive):
            out.append(result("MinInclusiveConstraintComponent", value))
    return out


_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("decimal", "integer", "double", "float")}


def _at_least(term: Term, minimum: Decimal) -> bool:
    """SHACL minInclusive: a value that is not a number cannot compare, so it fails."""
    if datatype_of(term) not in _NUMERIC:
        return False
    try:
        return Decimal(lexical(term)) >= minimum
    except InvalidOperation:
        return False


_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def datatype_of(term: Term) -> str | None:
    if not term.startswith('"'):
        return None
    end = term.rfind('"')
    rest = term[end + 1:]
    if rest.startswith("^^<"):
        return rest[3:-1]
    return _LANGSTRING if rest.startswith("@") else _STRING


def _has_kind(term: Term, kind: str) -> bool:
    if kind == "IRI":
        return term.startswith("<")
    if kind == "Literal":
        return term.startswith('"')
    if kind == "BlankNode":
        return term.startswith("_:")
    if kind == "IRIOrLiteral":
        return not term.startswith("_:")
    return True


Names = str | tuple[str, ...]


@lru_cache(maxsize=None)
def shapes_graph(names: Names) -> Graph:
    """The shapes of one file of ``shapes/``, or of several (a kind and the shared ones)."""
    graph = Graph()
    for name in (names,) if isinstance(names, str) else names:
        graph.parse(Path(shapes_dir()) / name, format="turtle")
    return graph


@lru_cache(maxsize=None)
def compiled(names: Names) -> CompiledShapes:
    """The compiled checks of ``shapes/<name>`` (or several files; cached per process)."""
    return CompiledShapes(shapes_graph(names))


def pyshacl_results(data: Graph, name: Names) -> list[ShapeResult]:
    """Run pySHACL itself on a graph and return its results as ``ShapeResult`` rows."""
    from pyshacl import validate  # imported here: slow to import, needed only for cross-checks

    shapes = shapes_graph(name)
    data = with_implied_types(data)
    _, report, _ = validate(data, shacl_graph=shapes, ont_graph=ontology_graph(), inference="none",
                            allow_warnings=True, advanced=False)
    rows = report.query(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?value ?severity ?component ?shape WHERE {
          ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultPath ?path ;
             sh:resultSeverity ?severity ; sh:sourceConstraintComponent ?component ;
             sh:sourceShape ?shape . OPTIONAL { ?r sh:value ?value } }""")
    out = []
    for focus, path, value, severity, component, shape in rows:
        if isinstance(shape, BNode):
            raise ShapeError("give every property shape an IRI so results can be named")
        if isinstance(path, BNode):  # an sh:alternativePath: named by its first predicate, as compiled
            path = compiled(name).path_of(str(shape))
        text = None
        if isinstance(value, Literal):
            text = str(value)
        elif value is not None:
            text = str(value)
        out.append(ShapeResult(
            str(focus), str(path), text, _severity(severity), _local(str(component)), str(shape),
            _local(str(shape)), str(shapes.value(shape, SH.message) or ""),
            str(shapes.value(shape, SH.description) or "")))
    return out
