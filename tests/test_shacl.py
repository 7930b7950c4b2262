"""The compiled shapes say exactly what pySHACL says, on defective and clean real data."""

from __future__ import annotations

import pytest
from rdflib import Graph

from catalogue.shacl import ShapeError, compiled, pyshacl_results
from loaders import KINDS
from loaders.terms import to_rdflib
from tests.conftest import DATA
from tests.golden import loader_triples


def triples_of(path, kind="spend", **options):
    return loader_triples(kind, path, **options)


CASES = [
    (DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv", {}),
    (DATA / "spend" / "leeds-2010-excerpt.csv", {}),
    # periods instead of days (issue 17): an empty cell is missing-date on the alternative path
    (DATA / "spend" / "period-dates-empty-date-unreadable-period.csv", {"publisher": "E08000006"}),
    (DATA / "real" / "oxford" / "expenditure-over-500-oct-dec-2017.csv", {"publisher": "E07000178"}),
]


KIND_CASES = [
    ("contracts", DATA / "contracts" / "bad-value-negative-value-unnamed-supplier.csv"),
    ("contracts", DATA / "real" / "salford" / "contracts-register-2022-07.csv"),
    ("grants", DATA / "grants" / "bad-amount-bad-date-no-recipient.csv"),
    ("outcomes", DATA / "outcomes" / "bad-area-bad-period-bad-value.csv"),
    ("outcomes", DATA / "real" / "trafford" / "trafford_counter_fraud.csv"),  # valid: no results at all
    ("framework", DATA / "framework" / "measure-without-code.csv"),
    ("suppliers", DATA / "suppliers" / "bad-total-unreadable-postcode-company.csv"),
]


@pytest.mark.parametrize("path,options", CASES, ids=[c[0].name for c in CASES])
def test_compiled_shapes_agree_with_pyshacl(path, options):
    triples = triples_of(path, **options)
    ours = sorted(r.key() for r in compiled(KINDS["spend"].SHAPES).check_triples(triples))
    theirs = sorted(r.key() for r in pyshacl_results(to_rdflib(triples), KINDS["spend"].SHAPES))
    assert ours == theirs


@pytest.mark.parametrize("kind,path", KIND_CASES, ids=[f"{k}-{p.name}" for k, p in KIND_CASES])
def test_compiled_shapes_agree_with_pyshacl_for_every_kind(kind, path):
    triples = triples_of(path, kind, publisher="E08000009")
    shapes = KINDS[kind].SHAPES
    ours = sorted(r.key() for r in compiled(shapes).check_triples(triples))
    theirs = sorted(r.key() for r in pyshacl_results(to_rdflib(triples), shapes))
    assert ours == theirs


def test_the_defect_file_has_results_of_both_severities():
    results = compiled(KINDS["spend"].SHAPES).check_triples(triples_of(DATA / "spend" / "bad-date-bad-amount-missing-supplier.csv"))
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
