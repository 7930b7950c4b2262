"""Pages, linked-data URIs and the error shape, through the Flask test client."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef

from tests.conftest import BASE

LEEDS = "council/E08000035"


def test_id_redirects_303_to_doc(client):
    response = client.get(f"/id/{LEEDS}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/doc/{LEEDS}")


def test_doc_negotiates_rdf_formats(client):
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]:
        response = client.get(f"/doc/{LEEDS}", headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        graph = Graph().parse(data=response.data, format=fmt)
        assert (URIRef(f"{BASE}id/{LEEDS}"), None, None) in graph


def test_doc_html_page_lists_properties_and_incoming_links(client):
    response = client.get(f"/doc/{LEEDS}", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Leeds City Council" in page
    assert "statistical-geography/E08000035" in page
    # a council's HTML is its dashboard; the generic page of other resources lists incoming links
    supplier = client.get("/doc/supplier/E08000033/mott-macdonald-ltd-bb513d9c", headers={"Accept": "text/html"})
    assert "pay:payee" in supplier.get_data(as_text=True)  # lines point at the supplier


def test_unknown_resource_is_404_in_every_format(client):
    assert client.get("/doc/council/E99999999", headers={"Accept": "text/html"}).status_code == 404
    response = client.get("/doc/council/E99999999", headers={"Accept": "text/turtle"})
    assert response.status_code == 404


def test_error_shape_is_the_same_everywhere(client):
    for response in (client.get("/doc/nothing/here", headers={"Accept": "application/json"}),
                     client.get("/sparql?query=SELEC", headers={"Accept": "application/json"}),
                     client.get("/no-such-page", headers={"Accept": "application/json"})):
        body = json.loads(response.data)
        assert set(body) == {"ok", "error", "title", "status"}
        assert body["ok"] is False and body["status"] == response.status_code


def test_home_lists_councils_and_datasets(client):
    summary = client.get("/", headers={"Accept": "application/json"}).get_json()
    assert len(summary["councils"]) == 10 and len(summary["datasets"]) == 10
    assert summary["rows"] == sum(d["rows"] for d in summary["datasets"]) > 50_000
    page = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Gateshead Council" in page and "/doc/council/E08000037" in page


def test_iris_use_the_configured_base_not_the_request_host(client):
    response = client.get(f"/doc/{LEEDS}", headers={"Accept": "text/turtle"}, base_url="http://other-host:1234")
    assert f"<{BASE}id/{LEEDS}>" in response.get_data(as_text=True)


def test_sparql_select_and_construct(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://reference.data.gov.uk/def/payment#netAmount> [] }"
    response = client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and int(response.data.decode().split()[1]) > 50_000
    q = f"CONSTRUCT {{ <{BASE}id/{LEEDS}> ?p ?o }} WHERE {{ <{BASE}id/{LEEDS}> ?p ?o }}"
    response = client.post("/sparql", data={"query": q}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.mimetype == "application/n-triples"


def test_sparql_refuses_updates_and_bad_syntax(client):
    response = client.post("/sparql", data="INSERT DATA { <a:b> <a:c> <a:d> }",
                           content_type="application/sparql-update")
    assert response.status_code == 403
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400 and "syntax" in response.get_json()["error"].lower()


def test_sparql_get_without_query(client):
    assert "<form" in client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert any("Service" in str(o) for o in graph.objects())


def test_pages_carry_security_headers_and_cors(client):
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_accept_application_json_gets_json_ld_with_a_context(client):
    """Issue 21 slips: ``Accept: application/json`` got Turtle; JSON-LD had no @context."""
    response = client.get(f"/doc/{LEEDS}", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    document = json.loads(response.data)
    assert "@context" in document and document["@context"]
    graph = Graph().parse(data=response.data, format="json-ld")
    assert (URIRef(f"{BASE}id/{LEEDS}"), None, None) in graph
