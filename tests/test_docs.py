"""The README is the front door and docs/ the manual: every setting and command is documented,
every link resolves, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalogue.cli import cli
from catalogue.store.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOC_PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "bench" / "README.md"]
#: The README and every page it leads to, in that order (examples are looked up here).
DOCUMENTATION = "\n".join([README] + [page.read_text(encoding="utf-8") for page in DOC_PAGES])
#: The README's shell blocks that a test runs as written (tests/test_readme_runnable.py).
RUNNABLE = re.compile(r"<!-- runnable -->\n```bash\n(.*?)```", re.S)
#: Markdown links to files in the repository (not to web pages or anchors on the same page).
LOCAL_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"SVCAT_{setting.name}" in DOCUMENTATION, setting.name


def test_every_command_is_shown_in_the_readme():
    for name in cli.commands:
        assert f"svcat {name}" in README, name


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    commands = re.findall(r"```sh\n(python3 -m venv .*)\n```", README)
    assert len(commands) >= 2
    demo, tests = commands[0], commands[1]
    assert demo.endswith("svcat demo") and "pytest" in tests
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert run[-1] == tests
    assert 'python -m pytest -m "not slow"' in README


def test_readme_is_a_front_door_of_at_most_300_lines():
    assert len(README.splitlines()) <= 300


def test_readme_links_into_every_docs_page():
    linked = {target.split("#")[0] for target in LOCAL_LINK.findall(README)}
    for page in DOC_PAGES:
        assert page.relative_to(ROOT).as_posix() in linked, f"README does not link {page.name}"


@pytest.mark.parametrize("page", [ROOT / "README.md"] + DOC_PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_to_a_file_resolves(page):
    text = page.read_text(encoding="utf-8")
    for target in LOCAL_LINK.findall(text):
        path = target.split("#")[0]
        if path:
            assert (page.parent / path).exists(), f"{page.relative_to(ROOT)} links {target}, which does not exist"


def test_every_link_to_a_section_names_a_heading_of_that_page():
    """``docs/x.md#some-heading`` resolves on GitHub only if x.md has that heading."""
    for page in [ROOT / "README.md"] + DOC_PAGES:
        for target in LOCAL_LINK.findall(page.read_text(encoding="utf-8")):
            path, _, anchor = target.partition("#")
            if anchor and path.endswith(".md"):
                linked = (page.parent / path).read_text(encoding="utf-8")
                anchors = {heading_anchor(h) for h in re.findall(r"^#+ (.*)$", linked, re.M)}
                assert anchor in anchors, f"{page.relative_to(ROOT)} links {target}: no such heading"


def heading_anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_tour_has_runnable_blocks_that_use_only_repository_paths():
    blocks = RUNNABLE.findall(README)
    assert len(blocks) >= 3
    for block in blocks:
        assert "../shared" not in block
        for path in re.findall(r"\btests/data/\S+", block):
            assert (ROOT / path).exists(), path
