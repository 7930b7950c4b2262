"""Latency statistics shared by the HTTP benchmarks (``http_load``, ``load_test``).

One definition of a percentile for every table: the nearest-rank value (a latency that
some request really had, never an interpolation between two), so p50 and p99 from the
Python load generators mean the same thing wherever they are printed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0 < q <= 1) of ``values``; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def summary(values: Sequence[float]) -> dict[str, float]:
    """count, p50, p95, p99 and max of ``values`` (in their own unit)."""
    return {"count": len(values), "p50": percentile(values, 0.50), "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99), "max": max(values, default=math.nan)}
