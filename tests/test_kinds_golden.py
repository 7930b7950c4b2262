"""Each kind's loader on small real excerpts (and our own samples) -> the reviewed golden Turtle."""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from tests.golden import assert_matches_golden, loader_graph

#: (kind, excerpt, publisher): each excerpt's golden graph is the .ttl beside it.
GOLDEN = [
    ("spend", "spend/periods-instead-of-days.csv", "E08000006"),
    ("suppliers", "suppliers/salford-suppliers-excerpt.csv", "E08000006"),
    ("contracts", "contracts/salford-register-excerpt.csv", "E08000006"),
    ("grants", "grants/trafford-grants-excerpt.csv", None),
    ("outcomes", "outcomes/trafford-neet-excerpt.csv", "E08000009"),
    ("outcomes", "outcomes/trafford-claimant-count-excerpt.csv", "E08000009"),
    ("outcomes", "outcomes/trafford-prompt-payment-excerpt.csv", None),
    ("outcomes", "outcomes/trafford-counter-fraud-excerpt.csv", None),
    ("framework", "framework/trafford-framework-excerpt.csv", "E08000009"),
]


@pytest.mark.parametrize("kind,path,publisher", GOLDEN, ids=[g[1] for g in GOLDEN])
def test_excerpt_matches_golden_graph(kind, path, publisher):
    csv_path = DATA / path
    got = loader_graph(kind, csv_path, **({"publisher": publisher} if publisher else {}))
    assert_matches_golden(got, csv_path.with_suffix(".ttl"))


def test_same_input_gives_same_iris():
    first = loader_graph("contracts", DATA / "contracts/salford-register-excerpt.csv", publisher="E08000006")
    second = loader_graph("contracts", DATA / "contracts/salford-register-excerpt.csv", publisher="E08000006")
    assert set(first) == set(second)
