"""``svcat link`` with nothing changed since the last full link stops at once (issue 22):
the digest of its inputs (``catalogue.linking.inputs``) is kept in the linkset's record."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from catalogue.cli import cli
from tests.conftest import DATA, REAL
from tests.test_summaries_once import publishes  # noqa: F401 (fixture)


def test_relinking_with_nothing_changed_writes_nothing_and_a_new_file_relinks(tmp_path, publishes):
    store = str(tmp_path / "store")

    def run(*args):
        return CliRunner().invoke(cli, ["--store", store, *args], catch_exceptions=False)

    assert run("load", "spend", str(REAL / "salford" / "2022-06.csv"), "--publisher", "E08000006", "-q",
               "--no-link").exit_code == 0
    first = run("link", "-q")
    assert first.exit_code == 0 and first.output.startswith("full link:")
    publishes.clear()
    again = run("link", "-q", "--format", "json")
    assert again.exit_code == 0 and json.loads(again.output)["mode"] == "unchanged"
    assert publishes == []  # nothing written, nothing published
    forced = run("link", "-q", "--force")
    assert forced.exit_code == 0 and forced.output.startswith("full link:")

    excerpt = tmp_path / "leeds.csv"
    shutil.copy(DATA / "spend" / "leeds-2010-excerpt.csv", excerpt)
    assert run("load", "spend", str(excerpt), "-q", "--no-link").exit_code == 0  # a new dataset: inputs changed
    after_load = run("link", "-q")
    assert after_load.output.startswith("full link:"), after_load.output
    assert run("link", "-q").output.startswith("Nothing changed")
    assert run("remove", "E08000035/spend/leeds").exit_code == 0  # a withdrawn dataset changes the inputs too
    assert run("link", "-q").output.startswith("full link:")
    assert run("load", "spend", str(excerpt), "-q").exit_code == 0  # the load's own (incremental) link...
    assert run("link", "-q").output.startswith("full link:")  # ...leaves the full link to run once more
