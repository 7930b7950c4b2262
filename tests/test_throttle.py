"""Per-client limits (catalogue.web.throttle): 429 with Retry-After over the rate or the
concurrency, a /sparql share that leaves a query worker for pages, clients told apart."""

from __future__ import annotations

import pytest

from catalogue.app import create_app
from catalogue.errors import TooManyRequests
from catalogue.web.throttle import Limiter, is_local, limited
from tests.conftest import BASE

ASK = {"query": "ASK { ?s ?p ?o }"}


def test_the_rate_refuses_past_the_burst_and_says_when_to_come_back():
    limiter = Limiter(rate_per_minute=6, burst=2, concurrency=10, sparql_slots=10)
    for _ in range(2):
        limiter.enter("a", False)
        limiter.leave("a", False)
    with pytest.raises(TooManyRequests) as refused:
        limiter.enter("a", False)
    assert refused.value.status == 429 and 1 <= refused.value.retry_after <= 10
    limiter.enter("b", False)  # another client is not affected


def test_concurrency_counts_running_requests_and_the_sparql_share():
    limiter = Limiter(rate_per_minute=1000, burst=100, concurrency=2, sparql_slots=1)
    limiter.enter("a", False)
    limiter.enter("a", False)
    with pytest.raises(TooManyRequests):
        limiter.enter("a", False)
    limiter.leave("a", False)
    limiter.enter("a", False)
    limiter.enter("b", True)
    with pytest.raises(TooManyRequests, match="busy"):
        limiter.enter("c", True)
    limiter.leave("b", True)
    limiter.enter("c", True)


def test_which_requests_are_limited():
    assert limited("GET", "/sparql") == (True, True)
    assert limited("GET", "/dumps/all.nq.gz") == (True, False)
    assert limited("POST", "/publish") == (True, False)
    assert limited("GET", "/publish") == (False, False)
    assert limited("GET", "/") == (False, False)


def test_over_the_rate_a_client_gets_429_with_retry_after_and_pages_still_answer(loaded_store):
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": loaded_store, "SVCAT_BASE_URI": BASE,
                      "SVCAT_CLIENT_RATE": 2, "SVCAT_CLIENT_BURST": 2, "SVCAT_PROXIES": 1})
    client = app.test_client()
    greedy = {"X-Forwarded-For": "203.0.113.7", "Accept": "application/sparql-results+json"}
    assert [client.get("/sparql", query_string=ASK, headers=greedy).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/sparql", query_string=ASK, headers=greedy)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.get_json()["status"] == 429 and "a minute" in refused.get_json()["error"]
    other = {"X-Forwarded-For": "198.51.100.2", "Accept": "application/sparql-results+json"}
    assert client.get("/sparql", query_string=ASK, headers=other).status_code == 200
    assert client.get("/", headers=greedy).status_code == 200  # pages are not limited


def test_without_trusted_proxies_the_forwarded_header_is_ignored(loaded_store):
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": loaded_store, "SVCAT_BASE_URI": BASE,
                      "SVCAT_CLIENT_RATE": 1, "SVCAT_CLIENT_BURST": 1, "SVCAT_CLIENT_LIMIT_LOCAL": True})
    client = app.test_client()
    assert client.get("/sparql", query_string=ASK, headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 200
    assert client.get("/sparql", query_string=ASK, headers={"X-Forwarded-For": "192.0.2.2"}).status_code == 429


def test_loopback_addresses_are_local_and_others_are_not():
    assert all(is_local(a) for a in ("127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"))
    assert not any(is_local(a) for a in ("10.0.0.9", "203.0.113.7", "2001:db8::1", "::ffff:10.0.0.9", "unknown", ""))


def _statuses(client, n, **environ):
    return [client.get("/sparql", query_string=ASK, environ_base=environ).status_code for _ in range(n)]


def test_with_the_default_limits_local_clients_are_never_refused_and_remote_ones_are(loaded_store):
    """The defaults (120 a minute, bursts of 30): the conformance checkers and local scripts ask
    from 127.0.0.1 or ::1 and are answered every time; a remote address gets 429 past its burst."""
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": loaded_store, "SVCAT_BASE_URI": BASE,
                      "SVCAT_CLIENT_RATE": 120, "SVCAT_CLIENT_BURST": 30})
    client = app.test_client()
    assert _statuses(client, 60) == [200] * 60  # the test client's own address, 127.0.0.1
    assert _statuses(client, 60, REMOTE_ADDR="::1") == [200] * 60
    remote = _statuses(client, 32, REMOTE_ADDR="192.0.2.44")
    assert remote[:30] == [200] * 30 and remote[30:] == [429, 429]


def test_local_clients_are_limited_when_the_setting_asks_for_it(loaded_store):
    app = create_app({"TESTING": True, "SVCAT_STORE_OBJECT": loaded_store, "SVCAT_BASE_URI": BASE,
                      "SVCAT_CLIENT_RATE": 120, "SVCAT_CLIENT_BURST": 30, "SVCAT_CLIENT_LIMIT_LOCAL": True})
    statuses = _statuses(app.test_client(), 31)
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
