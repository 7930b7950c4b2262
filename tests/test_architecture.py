"""Layers stay apart (import-linter contracts in pyproject.toml) and modules stay small."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_modules_stay_small():
    big = [(str(p.relative_to(ROOT)), n) for p in [*ROOT.glob("catalogue/**/*.py"), *ROOT.glob("loaders/**/*.py")]
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]
    assert big == []


def test_one_registry_of_kinds():
    """The ontology says which kinds exist (catalogue.kinds); loaders has a reader for each,
    the CLI offers each, /publish offers the council kinds, and the records type each."""
    from catalogue import kinds
    from catalogue.commands.common import KINDS as CLI_KINDS
    from catalogue.web.publish import KINDS as UPLOAD_KINDS
    from loaders import KINDS as READERS

    assert set(READERS) == set(kinds.KINDS) == set(CLI_KINDS)
    assert set(UPLOAD_KINDS) == {"spend", "suppliers", "contracts", "grants", "outcomes", "framework"}
    assert kinds.REGISTER_KINDS == {"companies-house", "charities", "postcodes"}
    assert not (kinds.REGISTER_KINDS & set(kinds.COUNCIL_KINDS))
    assert "ocds" not in kinds.COUNCIL_KINDS and "ocds" not in kinds.REGISTER_KINDS
