"""A load and the link after it refresh the summaries once and publish once (``catalogue.summaries``).

The figures must still agree with the lines in what readers see: after the load and
link together, and after a load whose link failed (the load is published anyway).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from catalogue import iris
from catalogue.summaries import councils as council_summary
from catalogue.store import open_store
from catalogue.store.embedded import EmbeddedStore
from catalogue.summaries import Pending
from tests.conftest import BASE, OGL, REAL
from tests.test_council_summary import FILES, NEW, agree


@pytest.fixture
def summed(monkeypatch) -> list[str]:
    """The councils ``council_summary.figures`` sums, in order (the real function runs)."""
    calls: list[str] = []
    real = council_summary.figures

    def counting(store, base, council, **options):
        calls.append(council)
        return real(store, base, council, **options)

    monkeypatch.setattr(council_summary, "figures", counting)
    return calls


@pytest.fixture
def publishes(monkeypatch) -> list[int]:
    """One entry per publish of an embedded store (the real publish runs)."""
    calls: list[int] = []
    real = EmbeddedStore.publish

    def counting(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(EmbeddedStore, "publish", counting)
    return calls


def test_a_load_hands_its_summaries_to_the_link_which_sums_each_council_once(summed):
    from catalogue.ingest import load_file
    from catalogue.linking.incremental import link_new
    from catalogue.linking.run import link_all

    store = EmbeddedStore(None, mode="write")
    path, gss = FILES[0]
    assert load_file(store, "spend", REAL / path, base=BASE, publisher=gss, licence=OGL).loaded
    link_all(store, BASE, licence=OGL)
    summed.clear()
    pending = Pending()
    assert load_file(store, "spend", REAL / NEW[0], base=BASE, publisher=NEW[1], licence=OGL, pending=pending).loaded
    new_council = iris.council(BASE, NEW[1])
    assert not pending.settled and new_council in pending.councils and not summed
    assert iris.council_summary_graph(BASE, NEW[1]) not in store.graphs()  # owed, not yet written
    link_new(store, BASE, licence=OGL, pending=pending)
    assert pending.settled
    assert summed.count(new_council) == 1
    lines = agree(store)
    assert lines[new_council]["organisations"]  # summed after the link: its payees have organisations


def cli(store, *args):
    from catalogue.cli import cli as command

    return CliRunner().invoke(command, ["--store", str(store), "--base-uri", BASE, *args])


def test_svcat_load_with_its_link_publishes_once_and_readers_see_agreeing_summaries(tmp_path, publishes, summed):
    store = tmp_path / "store"
    open_store(str(store), "write").close()  # a new store publishes its empty first snapshot on opening
    for path, gss in (FILES[0], NEW):
        before = len(publishes)
        result = cli(store, "load", "spend", str(REAL / path), "--publisher", gss, "--quiet")
        assert result.exit_code == 0, result.output
        assert len(publishes) - before == 1
    assert summed.count(iris.council(BASE, NEW[1])) == 1  # the second load: an incremental link
    with open_store(str(store), "read") as reader:
        lines = agree(reader)
    assert set(lines) == {iris.council(BASE, FILES[0][1]), iris.council(BASE, NEW[1])}
    assert all(lines[c]["organisations"] for c in lines)


def test_a_load_whose_link_fails_is_still_published_with_agreeing_summaries(tmp_path, monkeypatch):
    from catalogue.linking import incremental

    store = tmp_path / "store"
    assert cli(store, "load", "spend", str(REAL / FILES[0][0]), "--publisher", FILES[0][1], "--quiet").exit_code == 0

    def broken(*args, **kwargs):
        raise RuntimeError("the clustering broke")

    monkeypatch.setattr(incremental, "cluster_records", broken)
    result = cli(store, "load", "spend", str(REAL / NEW[0]), "--publisher", NEW[1], "--quiet")
    assert isinstance(result.exception, RuntimeError)
    with open_store(str(store), "read") as reader:
        lines = agree(reader)
    assert iris.council(BASE, NEW[1]) in lines  # the new lines are served, their council summed
