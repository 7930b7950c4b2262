"""Charts as SVG, drawn server-side with matplotlib (Agg/SVG backend, no pyplot state).

Pages embed them as ``<img src="....svg">`` beside the table of the same numbers and
the query that made them, so they show without JavaScript and can be checked in
tests. Output is deterministic (fixed hash salt, no date), so a chart's ETag only
changes with its data. Text stays text (``svg.fonttype: none``): small and searchable.
"""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

STYLE = {
    "svg.fonttype": "none", "svg.hashsalt": "svcat", "font.family": "sans-serif", "font.size": 10,
    "text.parse_math": False,  # names are text: "$5 and $6" is not TeX (and must not crash)
    "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 11, "axes.titleweight": "bold",
}
#: Colours readable by people with the common colour-vision deficiencies (Okabe-Ito),
#: with unknown always grey so that it reads as "not known", never as a class.
CLASS_COLOURS = {
    "SME": "#0072B2", "VCSE": "#009E73", "Public body": "#CC79A7", "Large enterprise": "#E69F00",
    "Individual or sole trader": "#56B4E9", "Unknown": "#B0B0B0",
}
BAR = "#0b4f8a"
_LOCK = threading.Lock()  # matplotlib's font cache and rcParams are shared by threads


def money_axis(value, _pos=None) -> str:
    """Axis ticks as £ with k/m/bn."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if value >= limit:
            return f"{sign}£{value / limit:.3g}{suffix}"
    return f"{sign}£{value:.0f}"


def _svg(fig: Figure, title: str) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None, "Title": title})
    return out.getvalue()


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def _floats(values) -> list[float]:
    return [float(v) if isinstance(v, (Decimal, int, float)) else 0.0 for v in values]


def bars_by_month(months: list[str], totals: list, title: str) -> str:
    """Vertical bars, one per month."""
    with _LOCK, matplotlib.rc_context(STYLE):
        fig = _figure(8, 3)
        ax = fig.add_subplot()
        ax.bar(range(len(months)), _floats(totals), color=BAR)
        step = max(1, len(months) // 12)
        ax.set_xticks(range(0, len(months), step), months[::step], rotation=45 if len(months) > 6 else 0,
                      ha="right" if len(months) > 6 else "center")
        ax.yaxis.set_major_formatter(FuncFormatter(money_axis))
        ax.set_title(title, loc="left")
        return _svg(fig, title)


def horizontal_bars(labels: list[str], totals: list, title: str) -> str:
    """Horizontal bars, largest at the top (for top categories or suppliers)."""
    labels = [label if len(label) <= 40 else label[:39] + "…" for label in labels]
    with _LOCK, matplotlib.rc_context(STYLE):
        fig = _figure(8, 0.9 + 0.28 * max(1, len(labels)))
        ax = fig.add_subplot()
        ax.barh(range(len(labels)), _floats(totals), color=BAR)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(FuncFormatter(money_axis))
        ax.set_title(title, loc="left")
        return _svg(fig, title)


def stacked_shares(rows: list[tuple[str, dict[str, float]]], title: str) -> str:
    """One horizontal 100% bar per row (a council, a month) split by class, unknown in grey.

    ``rows`` are ``(label, {class label: share})``; shares are fractions of total spend.
    Classes can overlap (an organisation both SME and VCSE), so a bar can pass 100%.
    """
    classes = [c for c in CLASS_COLOURS if any(shares.get(c) for _, shares in rows)] or ["Unknown"]
    with _LOCK, matplotlib.rc_context(STYLE):
        fig = _figure(8, 1.2 + 0.35 * max(1, len(rows)))
        ax = fig.add_subplot()
        left = [0.0] * len(rows)
        for cls in classes:
            widths = [max(0.0, shares.get(cls) or 0.0) for _, shares in rows]
            ax.barh(range(len(rows)), widths, left=left, color=CLASS_COLOURS[cls], label=cls,
                    edgecolor="white", linewidth=0.5)
            left = [a + b for a, b in zip(left, widths)]
        ax.set_yticks(range(len(rows)), [label for label, _ in rows])
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, max(1.0, max(left, default=1.0)))
        ax.set_title(title, loc="left")
        fig.legend(loc="outside lower center", ncol=min(6, len(classes)), frameon=False)
        return _svg(fig, title)


def share_bands(series: dict[str, list[tuple[str, float, float]]], title: str, what: str) -> str:
    """Small multiples, one per council: a class's share by month, with the range unknown leaves.

    Each point is ``(month, known share, share if every unknown pound were in the class)``:
    the coloured bar is what the evidence shows, the grey bar on top how far unknown
    spend could take it.
    """
    names = sorted(series)
    columns = 2 if len(names) > 1 else 1
    rows = max(1, -(-len(names) // columns))
    with _LOCK, matplotlib.rc_context(STYLE):
        fig = _figure(8, 0.8 + 1.7 * rows)
        axes = fig.subplots(rows, columns, squeeze=False, sharey=True)
        for index, ax in enumerate(axes.flat):
            if index >= len(names):
                ax.set_visible(False)
                continue
            points = series[names[index]]
            xs = list(range(len(points)))
            known = [p[1] for p in points]
            could = [max(0.0, p[2] - p[1]) for p in points]
            ax.bar(xs, known, color=CLASS_COLOURS.get(what, BAR), width=0.8, label=f"known {what}")
            ax.bar(xs, could, bottom=known, color=CLASS_COLOURS["Unknown"], width=0.8, hatch="///",
                   edgecolor="white", linewidth=0, label=f"unknown: could be {what}")
            labels = [p[0] for p in points]
            step = max(1, len(labels) // 4)
            ax.set_xticks(xs[::step], labels[::step], fontsize=8)
            ax.set_xlim(-0.6, max(len(points), 3) - 0.4)
            ax.set_ylim(0, 1)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.set_title(names[index], loc="left", fontsize=9)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
        return _svg(fig, title)


def peer_lines(periods: list[str], series: dict[str, list], highlight: str | None, reference: str | None,
               title: str, unit: str = "") -> str:
    """An indicator over time: the council's own line in colour, England dashed, peers in grey.

    ``series`` maps an area label to one value (or ``None``) per period in ``periods``.
    """
    with _LOCK, matplotlib.rc_context(STYLE):
        fig = _figure(8, 3.6)
        ax = fig.add_subplot()
        xs = list(range(len(periods)))
        peers = [name for name in series if name not in (highlight, reference)]
        for index, name in enumerate(sorted(peers)):
            ax.plot(xs, _nullable(series[name]), color="#BBBBBB", linewidth=1, marker=".", markersize=3,
                    label=f"other areas in the file ({len(peers)})" if index == 0 else None)
        if reference and reference in series:
            ax.plot(xs, _nullable(series[reference]), color="#333333", linewidth=1.5, linestyle="--",
                    marker="o", markersize=3, label=reference)
        if highlight and highlight in series:
            ax.plot(xs, _nullable(series[highlight]), color="#D55E00", linewidth=2.5, marker="o", markersize=4,
                    label=highlight)
        step = max(1, len(periods) // 10)
        ax.set_xticks(xs[::step], periods[::step], rotation=45 if len(periods) > 6 else 0,
                      ha="right" if len(periods) > 6 else "center")
        if unit:
            ax.set_ylabel(unit)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"))
        ax.set_title(title, loc="left")
        fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=8)
        return _svg(fig, title)


def _nullable(values: list) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]
