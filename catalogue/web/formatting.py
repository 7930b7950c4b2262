"""Jinja filters: money, shares and counts as people read them; our IRIs as local links."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask import Flask

from catalogue.web import base_uri


def money(value) -> str:
    """``Decimal("-1234.5")`` -> ``"-£1,234.50"``; whole pounds above £100,000."""
    if value is None:
        return "–"
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 100_000:
        return f"{sign}£{amount.quantize(Decimal(1), ROUND_HALF_UP):,}"
    return f"{sign}£{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"


def pct(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{float(value) * 100:.{digits}f}%"


def share(value, unknown=None) -> str:
    """A share with its unknown part: ``"at least 12.4%, unknown 82.5%"``; the plain
    percentage only when nothing of the base is unknown."""
    if value is None:
        return "–"
    if unknown:
        return f"at least {pct(value)}, unknown {pct(unknown)}"
    return pct(value)


def num(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{int(value):,}"


def local_href(node) -> str | None:
    """Where a browser can follow an IRI: ours become local /doc/ paths; others stay."""
    if node is None:
        return None
    text = str(node)
    base = base_uri()
    if text.startswith(base + "id/"):
        return "/doc/" + text[len(base) + 3:]
    if text.startswith(base):
        return "/" + text[len(base):]
    if text.startswith(("http://", "https://")):
        return text
    return None


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(pct)
    app.add_template_filter(share)
    app.add_template_filter(num)
    app.add_template_filter(local_href)
