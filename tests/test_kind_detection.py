"""Issue 17, item 4: the kind of a file is named from its structure (``svcat inspect``,
``svcat load FILE``), with the evidence and a confidence, for every DEV file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from loaders import KINDS
from loaders.inspect import inspect_file
from tests.conftest import BASE, DATA, REAL, manifest, real_files

FAST = manifest(REAL) + manifest(DATA / "samples")
SLOW = [e for kind in sorted(KINDS) for e in real_files(kind)]


def check(entry: dict) -> None:
    found = inspect_file(entry["file"], list(KINDS))
    assert found["kind"] == entry["kind"], found["candidates"]
    assert found["close_kind"] is None and found["confidence"] >= 0.25, found["evidence"]
    assert found["evidence"]


@pytest.mark.parametrize("entry", FAST, ids=[e["path"] for e in FAST])
def test_inspect_names_the_kind_of_each_repository_file(entry):
    check(entry)


@pytest.mark.slow
@pytest.mark.parametrize("entry", SLOW, ids=[e["path"] for e in SLOW])
def test_inspect_names_the_kind_of_every_dev_file(entry):
    check(entry)


@pytest.mark.parametrize("kind", ["framework", "suppliers", "outcomes", "grants", "contracts", "spend"])
def test_inspect_names_the_kind_of_each_test_excerpt(kind):
    for path in sorted((DATA / kind).glob("*.csv")):
        assert inspect_file(path, list(KINDS))["kind"] == kind, path.name


def test_inspect_prints_evidence_and_confidence():
    result = CliRunner().invoke(cli, ["inspect", str(REAL / "salford/2022-06.csv")])
    assert result.exit_code == 0, result.output
    assert "kind spend" in result.output and "confidence 100%" in result.output
    assert "rows per supplier" in result.output


def test_load_without_a_kind_uses_the_kind_the_structure_shows(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")
    spend = runner.invoke(cli, ["--store", store, "--base-uri", BASE, "load", str(DATA / "spend/leeds-2010-excerpt.csv"),
                                "--publisher", "E08000035", "--no-link", "-q"])
    assert spend.exit_code == 0, spend.output
    assert "as spend (confidence" in spend.output and "/spend/" in spend.output
    suppliers = runner.invoke(cli, ["--store", store, "--base-uri", BASE, "load",
                                    str(DATA / "suppliers/salford-suppliers-excerpt.csv"),
                                    "--publisher", "E08000006", "--no-link", "-q"])
    assert suppliers.exit_code == 0, suppliers.output
    assert "as suppliers (confidence" in suppliers.output
    none = runner.invoke(cli, ["--store", store, "load", str(DATA / "dialects/no-amount-column.csv")])
    assert none.exit_code == 2 and "cannot tell what kind of file this is" in none.output


def test_a_councils_own_grants_register_is_told_from_spend(tmp_path):
    """Trafford's 360Giving file cut to what a council's own register keeps: recipient,
    'Grant Amount', 'Date Awarded' and a purpose, no 360Giving identifiers. An amount and a
    date on each row fit spend too; the award titles and dates say grants."""
    import csv

    source = REAL / "trafford" / "trafford_council_voluntary_sector_grants.csv"
    with open(source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    target = tmp_path / "council-grants-register-without-identifiers.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Organisation Name", "Grant Amount", "Date Awarded", "Purpose"])
        out.writerows([r["Recipient Org:Name"], r["Amount Awarded"], r["Award Date"], r["Description"]] for r in rows)
    result = inspect_file(target, list(KINDS))
    assert result["kind"] == "grants", result["evidence"]
    assert any("speaks of awards" in e for e in result["evidence"])
