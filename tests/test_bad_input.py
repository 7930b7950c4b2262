"""Bad input is a clear usage error or a report, never a traceback from deep inside."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from catalogue.cli import cli
from catalogue.errors import BadRequest
from catalogue.ingest import load_file
from tests.conftest import BASE, DATA

GOOD = DATA / "spend" / "leeds-2010-excerpt.csv"


@pytest.mark.parametrize("licence", ["x", "", "not a licence", "http://a b/", "<http://x/>", "OGL"])
def test_a_licence_that_is_not_an_iri_is_refused_before_anything_is_written(memory_store, licence):
    with pytest.raises(BadRequest, match="absolute IRI"):
        load_file(memory_store, "spend", GOOD, base=BASE, licence=licence)
    assert memory_store.graphs() == []


def test_the_cli_says_so_with_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "load", "spend", str(GOOD),
                                      "--licence", "x"])
    assert result.exit_code == 2 and "absolute IRI" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bad_licence_setting_is_a_usage_error_too(tmp_path, monkeypatch):
    monkeypatch.setenv("SVCAT_LICENCE", "Open Government Licence")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "load", "spend", str(GOOD)])
    assert result.exit_code == 2 and "absolute IRI" in result.output
