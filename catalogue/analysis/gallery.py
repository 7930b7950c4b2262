"""The example queries in ``catalogue/queries/*.rq``: the policy questions, ready to run.

Each file is a standalone SPARQL query (its own ``PREFIX`` lines, so it runs as is on
any client) that starts with ``# key: value`` comment lines: ``title``, ``question`` and
``notes``. The query page lists them; tests run each one on the sample data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_HEADER = re.compile(r"^#\s*(title|question|notes):\s*(.*)$")


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    question: str
    notes: str
    text: str


def parse(name: str, text: str) -> Example:
    fields = {"title": name.replace("-", " ").capitalize(), "question": "", "notes": ""}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
        elif line.strip() and not line.startswith("#"):
            break
    return Example(name, fields["title"], fields["question"], fields["notes"], text)


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """Every example, in file-name order."""
    return tuple(parse(path.stem, path.read_text(encoding="utf-8")) for path in sorted(QUERIES.glob("*.rq")))


def example(name: str) -> Example | None:
    return next((e for e in examples() if e.name == name), None)
