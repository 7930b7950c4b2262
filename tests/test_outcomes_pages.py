"""Outcome indicators over time, the council beside its peers (on the demo data under gunicorn)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import requests
from bs4 import BeautifulSoup

RECYCLING = "concept/E08000009/indicator/household-waste-sent-for-reuse-recycling-or-composting"


def get(url: str, **headers) -> requests.Response:
    response = requests.get(url, headers=headers, timeout=120)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response


def test_outcomes_lists_every_indicator_and_measure(served):
    body = get(served + "/outcomes.json?_size=max").json()
    assert body["total"] >= 15
    labels = {r["indicatorLabel"] for r in body["rows"]}
    assert {"Claimant count", "Household waste sent for reuse, recycling or composting"} <= labels
    assert all(r["councilLabel"] == "Trafford Council" for r in body["rows"])
    soup = BeautifulSoup(get(served + "/outcomes", Accept="text/html").text, "html.parser")
    assert soup.caption and f"{body['total']} rows" in soup.caption.get_text(" ", strip=True)


def test_an_indicator_page_shows_the_council_beside_its_peers(served):
    soup = BeautifulSoup(get(f"{served}/doc/{RECYCLING}", Accept="text/html").text, "html.parser")
    assert soup.h1.get_text(strip=True) == "Household waste sent for reuse, recycling or composting"
    charts = [img["src"] for img in soup.select("figure.chart img")]
    assert len(charts) == 2  # percentage and frequency
    svg = get(served + charts[0]).text
    assert ET.fromstring(svg).tag.endswith("svg")
    assert "Trafford Council" in svg and "other areas in the file" in svg
    rows = list(csv.DictReader(io.StringIO(get(f"{served}/outcomes/E08000009/"
        "household-waste-sent-for-reuse-recycling-or-composting/percentage.csv").text)))
    trafford = {r["period"]: r["value"] for r in rows if r["is_council"] == "true"}  # the one CSV writer: booleans as true/false
    assert len(trafford) == 12 and trafford["2010/11"] == "40.8"  # as the file states it
    assert len({r["gss"] for r in rows}) == 17
    # RDF clients still get the concept itself
    turtle = get(f"{served}/doc/{RECYCLING}", Accept="text/turtle").text
    assert "skos:prefLabel" in turtle or "prefLabel" in turtle
