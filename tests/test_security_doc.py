"""SECURITY.md names a test for each defence: every test it names exists (issue 20 item 10)."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def named_tests(text: str) -> list[tuple[str, str]]:
    """``(file, test)`` for each `file.py::name`, and `::name` continuing the file before it."""
    out, current = [], None
    for ref in re.findall(r"`((?:[\w/]+\.py)?::\w+)`", text):
        path, _, name = ref.partition("::")
        current = path or current
        out.append((current, name))
    return out


def test_every_test_security_md_names_exists():
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = named_tests(text)
    assert len(named) >= 30
    missing = [(f, n) for f, n in named
               if not re.search(rf"^def {n}\(", (ROOT / "tests" / f).read_text(encoding="utf-8"), flags=re.M)]
    assert missing == []
