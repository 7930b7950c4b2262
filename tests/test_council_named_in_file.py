"""Issue 17, item 7: the council a file names (a body column, or a title line above the
header: full name, short name or GSS code) is its publisher when --publisher is left out,
and a --publisher that disagrees with it is loaded with a warning naming both.

Files: the real Leeds December 2013 file (Body, BodyName columns) and Salford June 2022
file (Authority Name column) in tests/data/real, OGL v3.0; variants made here add a title
line above the header or drop the body columns."""

from __future__ import annotations

import csv

import pytest

from catalogue.ingest import validate_file
from loaders import UnknownCouncil, open_source
from loaders.councils import register
from tests.conftest import BASE, REAL

LEEDS = REAL / "leeds" / "2013-12.csv"
SALFORD = REAL / "salford" / "2022-06.csv"


def variant(folder, source, title: str | None, drop: tuple[str, ...] = (), rows: int = 40):
    """The first ``rows`` payments of ``source``, without the ``drop`` columns, under ``title``."""
    with open(source, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))[: rows + 1]
    keep = [i for i, h in enumerate(records[0]) if h not in drop]
    path = folder / f"{source.stem}-variant.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if title:
            writer.writerow([title] + [""] * (len(keep) - 1))
        writer.writerows([[r[i] for i in keep] for r in records])
    return path


def test_register_knows_short_names_and_prefers_current_councils():
    assert register().find("Leeds").gss == "E08000035"
    assert register().find("Dorset").name == "Dorset Council"  # not the abolished county council
    assert [c.gss for c in register().mentioned("Reading Borough Council: spend over £500")] == ["E06000038"]
    assert register().mentioned("Expenditure reading list") == []


def test_body_columns_name_the_publisher_without_the_option():
    assert open_source("spend", LEEDS, base=BASE).council.gss == "E08000035"
    assert open_source("spend", SALFORD, base=BASE).council.gss == "E08000006"


@pytest.mark.parametrize("title,gss", [
    ("Leeds City Council - payments over £500, December 2013", "E08000035"),
    ("Leeds: spending over £500", "E08000035"),
    ("Payments over £500 published by E08000035", "E08000035"),
])
def test_title_line_names_the_publisher(tmp_path, title, gss):
    path = variant(tmp_path, LEEDS, title, drop=("Body", "BodyName"))
    assert open_source("spend", path, base=BASE).council.gss == gss


def test_file_naming_no_council_still_asks_for_the_publisher(tmp_path):
    path = variant(tmp_path, LEEDS, "Payments over £500", drop=("Body", "BodyName"))
    with pytest.raises(UnknownCouncil, match="--publisher"):
        open_source("spend", path, base=BASE)


def test_publisher_that_disagrees_with_the_file_is_warned(tmp_path):
    report = validate_file("spend", SALFORD, base=BASE, publisher="E08000035")
    warnings = [i for i in report.issues if i.kind == "publisher-disagrees"]
    assert len(warnings) == 1, report.to_json()
    warning = warnings[0]
    assert (warning.severity, warning.row, warning.column, warning.value) == (
        "warning", 2, "Authority Name", "Salford City Council")
    assert "Leeds City Council" in warning.message and "--publisher E08000006" in warning.fix
    titled = variant(tmp_path, LEEDS, "Salford City Council spend", drop=("Body", "BodyName"))
    report = validate_file("spend", titled, base=BASE, publisher="Leeds")
    assert [(i.row, i.column) for i in report.issues if i.kind == "publisher-disagrees"] == [(1, None)]


def test_publisher_that_agrees_gives_no_warning():
    report = validate_file("spend", LEEDS, base=BASE, publisher="Leeds")
    assert not [i for i in report.issues if i.kind == "publisher-disagrees"]
