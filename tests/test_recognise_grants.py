"""A council's own grants register, as councils write one rather than in 360Giving's
column names: "Organisation", "Amount (£)", "Date of Award", "Project", "Fund".

Trafford's 360Giving file is cut to the columns such a register keeps and retitled with
each title set below; every variant must give the very triples that the same columns give
under their 360Giving titles, without --mapping. Before grants were recognised by title
words and content, the first set was refused whole ("no column for supplier_name or
org_identifier"). A spend file must not read as a grants register: its "Supplier Name",
"Net Amount" and "Transaction Number" are a payment's.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders.inspect import candidates
from tests.conftest import REAL, manifest
from tests.golden import row_triples
from tests.variants import csv_text

GRANTS = REAL / "trafford" / "trafford_council_voluntary_sector_grants.csv"
TRAFFORD = "E08000009"
KEPT = ["Identifier", "Title", "Description", "Amount Awarded", "Award Date", "Recipient Org:Name",
        "Recipient Org:Charity Number", "Recipient Org:Postal Code", "Grant Programme:Title"]

TITLE_SETS = {
    "organisation-amount": ["Grant Reference", "Project", "Purpose of Grant", "Amount (£)", "Date of Award",
                            "Organisation", "Registered Charity No", "Postcode", "Fund"],
    "recipient-value": ["Grant ID", "Project Name", "Summary", "Grant Value", "Date Awarded", "Recipient",
                        "Charity Number", "Post Code", "Grant Scheme"],
    "applicant-awarded": ["Grant Ref", "Title of Project", "Project Aims", "Total Awarded", "Decision Date",
                          "Applicant Name", "Charity No", "Postcode", "Programme"],
    "welsh": ["Dynodwr", "Teitl y Prosiect", "Disgrifiad", "Swm a Ddyfarnwyd", "Dyddiad Dyfarnu", "Enw'r Sefydliad",
              "Rhif Elusen", "Cod Post", "Rhaglen Grant"],
}


def cut(titles: list[str]) -> list[list[str]]:
    with open(GRANTS, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    at = [rows[0].index(k) for k in KEPT]
    return [titles] + [[r[i] if i < len(r) else "" for i in at] for r in rows[1:]]


def triples(folder: Path, rows: list[list[str]]) -> set:
    folder.mkdir()
    path = folder / GRANTS.name
    path.write_text(csv_text(rows), encoding="utf-8", newline="")
    return row_triples("grants", path, publisher=TRAFFORD)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> set:
    return triples(tmp_path_factory.mktemp("grants") / "original", cut(KEPT))


@pytest.mark.parametrize("name", sorted(TITLE_SETS))
def test_a_councils_grants_register_gives_the_triples_of_its_360giving_columns(name, original, tmp_path):
    got = triples(tmp_path / name, cut(TITLE_SETS[name]))
    assert len(original) > 1000
    assert got == original, f"{len(original - got)} triples lost, {len(got - original)} added"


@pytest.mark.parametrize("entry", manifest(REAL, "spend"), ids=lambda e: e["path"])
def test_a_spend_file_does_not_read_as_a_grants_register(entry):
    (grants,) = candidates(entry["file"], ["grants"])
    assert not grants["readable"], grants
