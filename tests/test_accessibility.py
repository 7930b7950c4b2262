"""Every page: one h1, headings in order, captioned tables with scoped headers, labelled fields, alt text."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

PAGES = [
    "/", "/councils", "/doc/council/E08000035", "/council/E08000035/suppliers", "/social-value",
    "/social-value/shares-by-month", "/catalogue", "/doc/dataset/E07000178/spend/expenditure-over-500-oct-dec-2017",
    "/dataset/E08000035/spend/2013-12/rows", "/query", "/query?example=spend-on-one-service-area&query=ASK%7B%7D",
    "/queries", "/search?q=leeds", "/doc/supplier/E08000033/mott-macdonald-ltd-bb513d9c", "/outcomes",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_structure_is_accessible(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.html.get("lang") == "en"
    assert soup.select_one("a.skip[href='#main']") and soup.select_one("main#main")
    assert len(soup.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels  # no level skipped
    for table in soup.find_all("table"):
        assert table.caption and table.caption.get_text(strip=True), path
        assert all(th.get("scope") == "col" for th in table.select("thead th"))
    for field in soup.select("input, select, textarea"):
        if field.get("type") in ("hidden", "submit"):
            continue
        labelled = field.get("aria-label") or soup.select_one(f"label[for='{field.get('id')}']")
        assert field.get("id") and labelled, f"{path}: unlabelled {field}"
    assert all(img.get("alt") for img in soup.find_all("img")), path
    # nothing needs a script: the only ones allowed are YASGUI's upgrade and its JSON config
    for script in soup.find_all("script"):
        assert script.get("type") == "application/json" or "yasgui" in (script.get("src") or "") \
            or script.get("src") == "/static/query.js", script


def test_error_pages_are_pages_too(client):
    response = client.get("/doc/council/E99999999", headers={"Accept": "text/html"})
    soup = BeautifulSoup(response.data, "html.parser")
    assert response.status_code == 404 and len(soup.find_all("h1")) == 1
