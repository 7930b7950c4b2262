"""The mapping JSON is the one statement of which column feeds which property and datatype
(issue 21): change a ``propertyUrl`` or a ``datatype`` in a copy of a mapping and the
loader's graph changes exactly so. And terms are written in one place (``loaders.terms``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from catalogue.vocab import DCTERMS, PAY, XSD
from loaders import mapping
from tests.golden import loader_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "spend"


@pytest.fixture
def edited_mappings(tmp_path, monkeypatch):
    """A copy of the shipped mappings the test may edit, read in place of the shipped ones."""
    copy = tmp_path / "mappings"
    shutil.copytree(mapping.MAPPINGS_DIR, copy)
    monkeypatch.setattr(mapping, "MAPPINGS_DIR", copy)
    mapping.dialects.cache_clear()
    yield copy
    mapping.dialects.cache_clear()


def _edit_column(path: Path, name: str, **changes) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    column = next(c for c in doc["tableSchema"]["columns"] if c["name"] == name)
    column.update(changes)
    path.write_text(json.dumps(doc), encoding="utf-8")
    mapping.dialects.cache_clear()


def test_a_changed_property_url_and_datatype_change_the_graph_accordingly(edited_mappings):
    excerpt = DATA / "leeds-2010-excerpt.csv"
    golden = Graph().parse(DATA / "leeds-2010-excerpt.ttl")
    before = loader_graph("spend", excerpt)
    assert len(before) == len(golden)

    _edit_column(edited_mappings / "spend" / "transparency-code.json", "expense_code",
                 propertyUrl="dcterms:description")
    _edit_column(edited_mappings / "spend" / "transparency-code.json", "net_amount", datatype="double")
    after = loader_graph("spend", excerpt)

    want = Graph()
    for s, p, o in golden:
        if p == PAY.expenditureCode:
            p = DCTERMS.description
        if p == PAY.netAmount:
            o = Literal(str(o), datatype=XSD.double)
        want.add((s, p, o))
    codes = set(golden.objects(None, PAY.expenditureCode))
    assert codes and set(after.objects(None, DCTERMS.description)) == codes
    assert not list(after.triples((None, PAY.expenditureCode, None)))
    assert {o.datatype for o in after.objects(None, PAY.netAmount)} == {XSD.double}
    assert set(after) == set(want)


def test_an_undeclared_property_url_is_refused_when_the_mapping_is_read(edited_mappings):
    _edit_column(edited_mappings / "spend" / "transparency-code.json", "narrative", propertyUrl="pay:narative")
    with pytest.raises(Exception, match="narative"):
        mapping.dialects("spend")


#: N-Triples terms spelt by hand: an f-string opening an IRI or a quoted literal.
_HAND_WRITTEN_TERM = re.compile(r"""f(["'])<\{|f'"\{|\^\^<\{""")
#: Modules allowed to spell terms: the one term writer, and SPARQL query text (not N-Triples).
_TERM_WRITERS = {"loaders/terms.py", "catalogue/store/sparql_text.py"}


def test_one_term_writer():
    offenders = []
    for path in [*ROOT.glob("catalogue/**/*.py"), *ROOT.glob("loaders/**/*.py")]:
        where = str(path.relative_to(ROOT))
        if where in _TERM_WRITERS:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _HAND_WRITTEN_TERM.search(line) and "ETag" not in line:
                offenders.append(f"{where}:{number}: {line.strip()}")
    assert offenders == [], "build terms with loaders.terms.iri/literal:\n" + "\n".join(offenders)


def test_column_terms_come_from_the_mapping():
    generic = next(d for d in mapping.dialects("spend") if d.id == "spend-transparency-code")
    terms = mapping.column_terms(generic)
    assert terms["net_amount"] == (f"<{PAY.netAmount}>", str(XSD.decimal))
    assert terms["narrative"] == (f"<{PAY.narrative}>", None)
    assert "seq" not in terms  # a column with no propertyUrl feeds nothing
    assert URIRef(terms["purchase_card"].datatype) == XSD.boolean


def test_every_mapping_gives_a_supplier_field_the_suppliers_mapping_predicate():
    """A supplier record is written alike whichever kind names it (``loaders.organisations``
    reads its predicates from the suppliers mapping), so every mapping must agree."""
    from loaders.organisations import FIELDS

    want = mapping.kind_terms("suppliers")
    for kind in ("spend", "suppliers", "contracts", "grants"):
        for dialect in mapping.dialects(kind):
            for field, got in mapping.column_terms(dialect).items():
                if field in FIELDS and field != "supplier_name":
                    assert got == want[field], f"{dialect.source.name}: {field} feeds {got}, not {want[field]}"
