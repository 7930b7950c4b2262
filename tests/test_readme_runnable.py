"""Every shell block the README marks ``<!-- runnable -->`` runs as written, in order, from the
repository root of a fresh clone (issue 18: README examples used paths that only worked from
inside ``../shared/data/real``). The blocks use the default store; the test points
``SVCAT_STORE`` at a temporary folder so that nothing is written into the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_docs import README, ROOT, RUNNABLE

pytestmark = [pytest.mark.server, pytest.mark.slow]


def run_block(block: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


def checkout_entries() -> list[str]:
    """What is in the repository root, less tools' hidden folders (.pytest_cache and the like)
    and ``node_modules`` (npm's, which ``svcat demo`` run by a test beside this one may create)."""
    return sorted(p.name for p in ROOT.iterdir() if not p.name.startswith(".") and p.name != "node_modules")


def test_the_readme_runnable_blocks_run_in_order_from_the_repository_root(tmp_path):
    before = checkout_entries()
    env = dict(os.environ, SVCAT_STORE=str(tmp_path / "store"),
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("SVCAT_SOURCES_DIR", None)
    outputs = []
    for number, block in enumerate(RUNNABLE.findall(README), 1):
        result = run_block(block, env)
        assert result.returncode == 0, f"README runnable block {number} failed:\n{block}\n{result.stdout}\n{result.stderr}"
        outputs.append(result.stdout)
    load, query, link = outputs[:3]
    # What the tour says happens: the file is valid, loads, and its history shows the first load.
    assert "VALID" in load and "Loaded as" in load and "firstLoad" in load
    # Two councils' spend (Salford, then Calderdale), one row each, lines as the files hold them.
    rows = query.strip().splitlines()
    assert rows[0] == "council,lines,spend" and len(rows) == 3
    assert sorted(int(row.split(",")[1]) for row in rows[1:]) == [1809, 1956]
    # The full link ran (or found nothing changed since the last) and every record has a method.
    assert "full link:" in link or "the links stand" in link
    methods = link[link.index("method,records"):].strip().splitlines()[1:]
    assert methods and all(int(row.rsplit(",", 1)[1]) > 0 for row in methods)
    assert any(row.endswith("Match," + row.rsplit(",", 1)[1]) for row in methods), methods
    assert checkout_entries() == before, "the README blocks wrote into the checkout"
