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

from catalogue.vocab import DCTERMS, PAY, SV, XSD
from loaders import mapping
from loaders.terms import to_rdflib
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


# ------------------------------------------------ every kind's column-fed terms are the mapping's

#: One sample of every kind (and of each mapping the samples bind to), as ``tests/golden.py`` loads them.
SAMPLES = [
    ("spend", "spend/leeds-2010-excerpt.csv", None),
    ("spend", "spend/periods-instead-of-days.csv", "E08000006"),
    ("suppliers", "suppliers/salford-suppliers-excerpt.csv", "E08000006"),
    ("contracts", "contracts/salford-register-excerpt.csv", "E08000006"),
    ("grants", "grants/trafford-grants-excerpt.csv", None),
    ("outcomes", "outcomes/trafford-neet-excerpt.csv", "E08000009"),
    ("outcomes", "outcomes/trafford-prompt-payment-excerpt.csv", None),
    ("outcomes", "outcomes/trafford-counter-fraud-excerpt.csv", None),
    ("framework", "framework/trafford-framework-excerpt.csv", "E08000009"),
    ("companies-house", "registers/synthetic/BasicCompanyData-2099-01-01-synthetic.csv", None),
    ("charities", "registers/synthetic/publicextract.charity.synthetic.txt", None),
    ("postcodes", "registers/synthetic/ONSPD_SYNTHETIC_2099_UK.csv", None),
    ("ocds", "registers/synthetic/ocds-release-package-synthetic.json", None),
]
#: A predicate no mapping has: every field's ``propertyUrl`` is replaced by ``<MARK + field>``.
MARK = "urn:x-svcat-test:mapping-column:"
#: Fields read only when another is empty: (kind, field) -> the field preferred to it.
FALLBACKS = {("outcomes", "period_end"): "period", ("spend", "period"): "date"}


@pytest.fixture
def marked_terms(monkeypatch):
    """Every mapping column's predicate replaced by a mark naming its field, as loaders read them."""
    from loaders import common

    def marked(dialect):
        return {name: mapping.ColumnTerm(f"<{MARK}{name}>", column.datatype)
                for name, column in mapping.column_terms(dialect).items()}

    monkeypatch.setattr(common, "column_terms", marked)


def _run(kind: str, path: str, publisher: str | None):
    from loaders import RowEvent, open_source
    from tests.conftest import BASE

    source = open_source(kind, ROOT / "tests" / "data" / path, base=BASE,
                         **({"publisher": publisher} if publisher else {}))
    preamble = list(source.preamble(source.context()))
    rows = [event for event in source.events() if isinstance(event, RowEvent)]
    return source.table.dialect, preamble, rows


@pytest.mark.parametrize("kind,path,publisher", SAMPLES, ids=[s[1].split("/")[-1] for s in SAMPLES])
def test_every_column_fed_term_is_the_mappings(marked_terms, kind, path, publisher):
    """With each mapping column's predicate replaced by a mark, (1) every column with a
    ``propertyUrl`` whose cells are filled is written under its mark, and (2) no cell's
    text reaches a row's triples under any other predicate: a loader that wrote a
    column-fed term of its own, not the mapping's, fails here."""
    from loaders import converters as cv
    from loaders.organisations import FIELDS

    dialect, preamble, rows = _run(kind, path, publisher)
    real, suppliers = mapping.column_terms(dialect), mapping.kind_terms("suppliers")
    written = {p for s, p, o in preamble} | {p for row in rows for s, p, o in row.triples} | \
              {p for row in rows for _, description in row.related for s, p, o in description}
    expected, stray = set(), []
    for row in rows:
        filled = {name for name, cell in row.values.items() if cell.strip()}
        if kind == "ocds":  # a release's fields are not cells: the sample fills every one
            filled, row = set(real), row._replace(values=dict(_leaves(json.loads(row.values["release"]))))
        expected |= {name for name in filled & set(real)
                     if (kind, name) not in FALLBACKS or FALLBACKS[kind, name] not in filled}
        cells = {cv.text(cell) for cell in row.values.values() if len(cv.text(cell)) > 1}
        stray += [(row.row, str(p), str(o)) for s, p, o in to_rdflib(row.triples)
                  if isinstance(o, Literal) and str(o) in cells and not str(p).startswith(MARK)]
    # A supplier field with the suppliers mapping's own term is written on the supplier
    # record by loaders.organisations from that mapping (the test above checks they agree).
    expected -= {name for name in FIELDS if name in real and real[name] == suppliers.get(name)}
    assert expected, f"{path}: the sample fills no mapped column"
    assert sorted(name for name in expected if f"<{MARK}{name}>" not in written) == [], \
        f"{path}: columns the mapping maps whose cells the loader wrote under another term"
    assert stray == [], f"{path}: cells written under a term their mapping column does not state"


def _leaves(node, path=""):
    """``(path, text)`` of every string or number in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}/{key}")
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from _leaves(value, f"{path}/{number}")
    elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
        yield path, str(node)


#: (kind, sample, mapping file, field): one column per kind the spend test above does not cover.
EDITS = [
    ("postcodes", "registers/synthetic/ONSPD_SYNTHETIC_2099_UK.csv", "postcodes/onspd.json", "region"),
    ("ocds", "registers/synthetic/ocds-release-package-synthetic.json", "ocds/ocds-package.json", "tender/title"),
    ("companies-house", "registers/synthetic/BasicCompanyData-2099-01-01-synthetic.csv",
     "companies-house/basic-company-data.json", "company_name"),
    ("charities", "registers/synthetic/publicextract.charity.synthetic.txt",
     "charities/publicextract-charity.json", "registration_date"),
    ("framework", "framework/trafford-framework-excerpt.csv", "framework/framework.json", "outcome"),
    ("suppliers", "suppliers/salford-suppliers-excerpt.csv", "suppliers/supplier-list.json", "total_amount"),
]


@pytest.mark.parametrize("kind,path,mapping_file,field", EDITS, ids=[e[0] for e in EDITS])
def test_editing_a_mapping_moves_exactly_that_columns_triples(edited_mappings, kind, path, mapping_file, field):
    """Change one column's ``propertyUrl`` in a copy of the shipped mapping: the triples
    it fed move to the new predicate, and nothing else changes."""
    publisher = {"framework": "E08000009", "suppliers": "E08000006"}.get(kind)
    options = {"publisher": publisher} if publisher else {}
    before = set(loader_graph(kind, ROOT / "tests" / "data" / path, **options))
    _edit_column(edited_mappings / mapping_file, field, propertyUrl="dcterms:description")
    after = set(loader_graph(kind, ROOT / "tests" / "data" / path, **options))
    gone, new = before - after, after - before
    assert gone, f"{kind}: editing {field}'s propertyUrl changed nothing"
    assert new == {(s, DCTERMS.description, o) for s, p, o in gone}


def test_a_registers_dates_are_typed_as_its_mapping_says(edited_mappings):
    """Registers take datatypes from the mapping too: a date column made text keeps the cell as published."""
    sample = ROOT / "tests" / "data" / "registers" / "synthetic" / "BasicCompanyData-2099-01-01-synthetic.csv"
    before = list(loader_graph("companies-house", sample).objects(None, SV.incorporationDate))
    assert XSD.date in {o.datatype for o in before} <= {XSD.date, None}  # an unreadable date stays text
    _edit_column(edited_mappings / "companies-house" / "basic-company-data.json", "incorporation_date",
                 datatype="string")
    after = list(loader_graph("companies-house", sample).objects(None, SV.incorporationDate))
    assert len(after) == len(before) and {o.datatype for o in after} == {None}
