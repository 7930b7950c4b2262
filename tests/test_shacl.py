"""The compiled shapes say exactly what pySHACL says, on defective and clean real data."""

from __future__ import annotations

import pytest
from rdflib import Graph

from catalogue.shacl import ShapeError, compiled, pyshacl_results
from loaders import RowEvent, open_source
from loaders.terms import to_rdflib
from tests.conftest import BASE, DATA


def triples_of(path, **options):
    source = open_source("spend", path, base=BASE, **options)
    triples = list(source.preamble(source.context()))
    seen = set()
    for event in source.events():
        if isinstance(event, RowEvent):
            triples += event.triples
            for key, description in event.related:
                if key not in seen:
                    seen.add(key)
                    triples += description
    return triples


CASES = [
    (DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv", {}),
    (DATA / "spend" / "leeds-2010-excerpt.csv", {}),
    (DATA / "real" / "oxford" / "expenditure-over-500-oct-dec-2017.csv", {"publisher": "E07000178"}),
]


@pytest.mark.parametrize("path,options", CASES, ids=[c[0].name for c in CASES])
def test_compiled_shapes_agree_with_pyshacl(path, options):
    triples = triples_of(path, **options)
    ours = sorted(r.key() for r in compiled("spend.ttl").check_triples(triples))
    theirs = sorted(r.key() for r in pyshacl_results(to_rdflib(triples), "spend.ttl"))
    assert ours == theirs


def test_the_defect_file_has_results_of_both_severities():
    results = compiled("spend.ttl").check_triples(triples_of(DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv"))
    assert {(r.kind, r.severity) for r in results} == {
        ("bad-date", "violation"), ("bad-amount", "violation"), ("missing-supplier", "warning")}


def test_unsupported_shape_features_are_refused_not_ignored(tmp_path):
    from catalogue.shacl import CompiledShapes

    graph = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minLength 3 ] .""", format="turtle")
    with pytest.raises(ShapeError):
        CompiledShapes(graph)
