"""The consistency suite of ``test_figures_consistency`` over the whole DEV set.

The repository keeps copies of ten of the DEV spend files (``tests/data/real``); the DEV set
beside the checkout (``../shared/data/real``) has twenty-two, among them the largest and the
oddest. Issue 18 asks that every headline figure reconcile on all of them, so the same tests
run here on a store holding every DEV spend file, the contracts register and the grants file,
linked. The test functions are imported, not copied: pytest runs them again with this
module's ``linked_store``. Without ``../shared`` they run on the repository copies.
"""

from __future__ import annotations

import pytest

from catalogue.vocab import sparql_prologue
from tests.conftest import BASE, OGL, REAL, SHARED_REAL, manifest
from tests.test_figures_consistency import (  # noqa: F401 (collected again here)
    facts,
    test_every_councils_class_spend_equals_the_lines_of_organisations_in_that_class,
    test_every_councils_headline_figures_equal_its_lines,
    test_every_councils_supplier_shares_equal_its_lines_and_the_crosswalk,
    test_every_councils_supplier_table_lists_each_organisation_once_with_its_lines_total,
    test_every_datasets_row_total_equals_the_rows_it_lists_and_the_store,
    test_home_figures_equal_the_store,
    test_organisation_pages_total_what_each_council_paid_them,
    test_search_totals_equal_the_things_whose_names_match,
    test_social_value_shares_equal_the_lines,
    test_stacked_social_value_shares_equal_the_lines_and_add_up_to_100_percent,
)

pytestmark = pytest.mark.slow

DEV = SHARED_REAL if (SHARED_REAL / "manifest.csv").exists() else REAL
KINDS = ("spend", "contracts", "grants")


@pytest.fixture(scope="module")
def linked_store():
    """Every DEV spend file, the contracts register and the grants file, loaded and linked."""
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    entries = [e for e in manifest(DEV) if e["kind"] in KINDS]
    assert sum(e["kind"] == "spend" for e in entries) >= 10, DEV
    for entry in entries:
        outcome = load_file(store, entry["kind"], entry["file"], base=BASE, publisher=entry["gss_code"],
                            licence=OGL)
        assert outcome.loaded, (entry["path"], outcome.report.to_json())
    link_all(store, BASE, licence=OGL)
    yield store
    store.close()


@pytest.fixture(scope="module")
def lines_loaded() -> int:
    """Payment lines in the DEV spend files (146,060, as bench/quads_per_line.py counts them)."""
    return 146060 if DEV == SHARED_REAL else 53992


@pytest.fixture(scope="module")
def files_loaded() -> int:
    return len([e for e in manifest(DEV) if e["kind"] in KINDS])


# conftest's linked_app is session-scoped and cannot take this module's store: these two are
# its module-scoped twins.
@pytest.fixture(scope="module")
def linked_app(linked_store):
    from catalogue.app import create_app

    return create_app({"TESTING": True, "SVCAT_STORE_OBJECT": linked_store, "SVCAT_BASE_URI": BASE})


@pytest.fixture
def linked_client(linked_app):
    return linked_app.test_client()


def test_the_store_holds_every_dev_spend_file(linked_store):
    """What this module covers beyond the repository copies: every DEV spend file is a dataset."""
    rows = linked_store.select(sparql_prologue("dcterms", "sv") + f"""
        SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH <{BASE}graph/catalogue> {{
          ?d dcterms:type sv:spend ; sv:namedGraph ?g }} }}""").rows
    assert int(rows[0]["n"]) == len(manifest(DEV, "spend"))
