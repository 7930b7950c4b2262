"""The README documents every setting and command, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

from catalogue.cli import cli
from catalogue.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"SVCAT_{setting.name}" in README, setting.name


def test_every_command_is_shown():
    for name in cli.commands:
        assert f"svcat {name}" in README, name


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    commands = re.findall(r"```sh\n(python3 -m venv .*)\n```", README)
    assert len(commands) >= 2
    demo, tests = commands[0], commands[1]
    assert demo.endswith("svcat demo") and "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
