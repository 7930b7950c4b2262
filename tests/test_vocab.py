"""Namespaces come from ontology/; every term the mappings and shapes use is declared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from catalogue import vocab
from catalogue.paths import shapes_dir
from loaders.mapping import MAPPINGS_DIR, parse_dialect

ROOT = Path(__file__).resolve().parent.parent


def test_closed_namespaces_refuse_typos():
    assert str(vocab.PAY.netAmount) == "http://reference.data.gov.uk/def/payment#netAmount"
    with pytest.raises(AttributeError):
        vocab.PAY.netAmont  # noqa: B018


def test_every_mapping_property_is_declared():
    files = sorted(MAPPINGS_DIR.rglob("*.json"))
    assert files
    for path in files:
        dialect = parse_dialect(path)  # raises UnknownTerm on an undeclared propertyUrl
        for column in dialect.columns:
            if column.property_url:
                assert vocab.is_declared(str(vocab.expand(column.property_url)))


def test_every_shape_path_and_class_is_declared():
    for path in sorted(Path(shapes_dir()).glob("*.ttl")):
        graph = Graph().parse(path)
        for predicate in (SH.path, SH.targetClass, SH["class"], SH.datatype):
            for term in graph.objects(None, predicate):
                if isinstance(term, URIRef):
                    assert vocab.is_declared(str(term)), f"{path.name}: {term} is not declared in ontology/"


def test_our_terms_have_a_label_and_a_comment():
    graph = vocab.ontology_graph()
    ours = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(vocab.PREFIXES["sv"])}
    assert len(ours) > 20
    for term in ours:
        assert graph.value(term, RDFS.label) is not None, term
        assert graph.value(term, RDFS.comment) is not None, term


def test_no_python_module_spells_out_a_namespace():
    pattern = re.compile("|".join(re.escape(ns) for p, ns in vocab.PREFIXES.items()
                                  if p not in vocab.CORE_PREFIXES))
    offenders = []
    for path in [*ROOT.glob("catalogue/**/*.py"), *ROOT.glob("loaders/**/*.py")]:
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_prefixes_are_read_from_the_ontology_files():
    text = (ROOT / "ontology" / "svcat.ttl").read_text(encoding="utf-8")
    for prefix, namespace in vocab.PREFIXES.items():
        if f"@prefix {prefix}:" in text:
            assert f"<{namespace}>" in text
    assert RDF.type in {URIRef(vocab.PREFIXES["rdf"] + "type")}
