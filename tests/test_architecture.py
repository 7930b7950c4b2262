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
