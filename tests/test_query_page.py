"""The query page works as a plain form, and every example query answers on the sample data."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import requests
from bs4 import BeautifulSoup

from catalogue.analysis import gallery
from catalogue.vocab import PREFIXES

HTML = {"Accept": "text/html"}
POLICY_QUESTIONS = {
    "share-to-sme-and-vcse-by-council", "suppliers-paid-by-several-councils", "spend-on-one-service-area",
    "payments-without-supplier-identifier", "outcomes-next-to-spend",
}


def test_the_gallery_answers_the_policy_questions():
    names = {e.name for e in gallery.examples()}
    assert POLICY_QUESTIONS <= names
    for example in gallery.examples():
        assert example.title and example.question, example.name
        for line in example.text.splitlines():
            if line.startswith("PREFIX"):
                _, prefix, iri = line.split()
                assert PREFIXES[prefix.rstrip(":")] == iri.strip("<>"), line  # our prefix registry


@pytest.mark.parametrize("name", sorted(e.name for e in gallery.examples()))
def test_each_example_runs_and_returns_rows_on_the_sample_data(served, name):
    """On every sample file of every kind (``svcat demo``), served by gunicorn."""
    example = gallery.example(name)
    response = requests.get(served + "/sparql", params={"query": example.text}, headers={"Accept": "text/csv"},
                            timeout=120)
    assert response.status_code == 200, response.text
    assert "X-SVCAT-Truncated" not in response.headers
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows, name
    assert all(any(v for v in row.values()) for row in rows)


def _rows(client, name):
    text = gallery.example(name).text
    body = client.get("/sparql", query_string={"query": text}, headers={"Accept": "text/csv"})
    return list(csv.DictReader(io.StringIO(body.get_data(as_text=True))))


def test_example_answers_make_sense(client, linked_client):
    def rows(name):
        return _rows(client, name)

    shares = rows("share-to-sme-and-vcse-by-council")
    assert len(shares) == 10
    assert all(abs(float(r["unknownShare"]) + 0 - 1) < 1e-9 for r in shares)  # nothing linked: all unknown
    assert rows("suppliers-paid-by-several-councils") == []  # organisations are what linking finds
    several = _rows(linked_client, "suppliers-paid-by-several-councils")
    assert all(int(r["councils"]) > 1 for r in several)
    mott = [r for r in several if r["organisation"].endswith("/id/organisation/GB-COH-01243967")]
    assert mott and mott[0]["name"] and int(mott[0]["councils"]) >= 2  # Mott MacDonald
    assert [int(r["councils"]) for r in several] == sorted((int(r["councils"]) for r in several), reverse=True)
    without = {r["councilName"]: float(r["shareOfLinesWithout"])
               for r in rows("payments-without-supplier-identifier")}
    assert without["Leeds City Council"] == 1.0 and without["Wakefield Council"] < 1.0


def test_outcomes_next_to_spend_pairs_a_council_with_its_own_area(served):
    text = gallery.example("outcomes-next-to-spend").text
    body = requests.get(served + "/sparql", params={"query": text}, headers={"Accept": "text/csv"}, timeout=120)
    rows = list(csv.DictReader(io.StringIO(body.text)))
    trafford = [r for r in rows if r["councilName"] == "Trafford Council"]
    assert any(r["indicatorName"] == "Claimant count" and r["period"] == "April 2021" and r["value"] == "7600"
               for r in trafford)
    assert all(r["spendFrom"] == "2026-04" for r in trafford)  # its purchase-card file, shown beside


def test_query_page_is_a_labelled_form_that_works_without_javascript(client):
    soup = BeautifulSoup(client.get("/query", headers=HTML).data, "html.parser")
    form = soup.select_one("form#query-form")
    assert form["method"] == "get"
    assert soup.select_one("label[for=query]") and form.select_one("textarea#query")
    assert len(soup.select(".examples li a")) == len(gallery.examples())
    example = gallery.example("spend-on-one-service-area")
    soup = BeautifulSoup(client.get("/query", query_string={"query": example.text}, headers=HTML).data,
                         "html.parser")
    result = soup.select_one("#result table")
    assert "councilName" in [th.get_text() for th in result.select("thead th")]
    assert len(result.select("tbody tr")) >= 4
    links = {a.get_text(): a["href"] for a in soup.select("#result a")}
    assert client.get(links["CSV"]).mimetype == "text/csv"


def test_a_big_result_says_it_is_cut_and_offers_the_whole_download(client):
    query = "SELECT ?line WHERE { ?line <http://reference.data.gov.uk/def/payment#netAmount> [] } LIMIT 700"
    response = client.get("/query", query_string={"query": query}, headers=HTML)
    assert response.headers["X-SVCAT-Truncated"].startswith("page shows 500 of 700")
    soup = BeautifulSoup(response.data, "html.parser")
    notice = soup.select_one("#result .notice").get_text(" ", strip=True)
    assert "first 500 of 700 rows" in notice
    assert len(soup.select("#result tbody tr")) == 500
    download = soup.select_one("#result .notice a")["href"]
    assert len(client.get(download).get_data(as_text=True).splitlines()) == 701  # header + every row


def test_bad_queries_get_a_message_not_a_crash(client):
    response = client.get("/query", query_string={"query": "SELECT ?x WHERE { ?x"}, headers=HTML)
    assert response.status_code == 400
    assert "syntax" in BeautifulSoup(response.data, "html.parser").select_one("#result .error").get_text().lower()


def test_example_files_and_unknown_examples(client):
    response = client.get("/queries/spend-on-one-service-area.rq")
    assert response.mimetype == "application/sparql-query"
    assert response.get_data(as_text=True) == gallery.example("spend-on-one-service-area").text
    assert client.get("/queries/nope.rq").status_code == 404
    assert client.get("/query?example=nope", headers=HTML).status_code == 404


def test_yasgui_is_used_only_when_installed(app, tmp_path):
    from catalogue.commands.assets import vendor_files

    client = app.test_client()
    original = app.static_folder
    try:
        app.static_folder = str(tmp_path)
        bare = BeautifulSoup(client.get("/query", headers=HTML).data, "html.parser")
        assert not bare.select("script[src]") and bare.select_one("form#query-form")
        for target in vendor_files():
            (tmp_path / "vendor" / target).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "vendor" / target).write_text("/* stand-in */")
        shutil.copy(f"{original}/query.js", tmp_path / "query.js")
        upgraded = BeautifulSoup(client.get("/query", headers=HTML).data, "html.parser")
        scripts = [s["src"] for s in upgraded.select("script[src]")]
        assert scripts == ["/static/vendor/yasgui/yasgui.min.js", "/static/query.js"]
        assert upgraded.select_one("form#query-form")  # still there for when scripts fail
    finally:
        app.static_folder = original
