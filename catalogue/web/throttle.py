"""Per-client limits on the expensive endpoints, and stopping the work of clients that left.

Why: four clients running heavy queries, or downloading dumps, used to take every query
worker and thread, and a simple page waited 47 s. Each web process now keeps, in memory:

- a **rate** per client on ``/sparql``, ``POST /publish`` and ``/dumps/...``: a token bucket
  of ``SVCAT_CLIENT_BURST`` requests refilled at ``SVCAT_CLIENT_RATE`` a minute;
- a **concurrency** limit per client on the same endpoints: at most
  ``SVCAT_CLIENT_CONCURRENCY`` of its requests run at once;
- a **share** of the query workers for ``/sparql``: at most ``SVCAT_QUERY_WORKERS - 1``
  ``/sparql`` requests run at once (at least one), so a query worker is always left
  for the pages, whose queries are small and bounded.

Over a limit, the answer is 429 with ``Retry-After`` (seconds) before any work is done.
The limits are per web process (gunicorn worker): a client spread over ``N`` workers may
get ``N`` times as much; nothing is shared between processes or hosts (docs/serving.md).
A client is its address; behind ``SVCAT_PROXIES`` trusted reverse proxies (nginx), it is
the address the nearest proxy saw (``X-Forwarded-For``, as Werkzeug's ``ProxyFix`` reads it).
A client on this machine (a loopback address: 127.0.0.0/8, ``::1``) is not limited unless
``SVCAT_CLIENT_LIMIT_LOCAL`` is set: the greedy clients the limits are for come over the
network, while the W3C conformance checkers, a notebook or a script on the server itself ask
fifty questions in a second and would get 429 from a server run with the defaults.

Each request also tells the query pool how to see that its client went away
(``catalogue.store.pool.CLIENT_GONE``): the client's socket (gunicorn's
``gunicorn.socket``) has been closed when it is readable and a peek reads nothing.
"""

from __future__ import annotations

import ipaddress
import math
import select
import socket
import threading
import time

from flask import Flask, current_app, g, request

from catalogue.errors import TooManyRequests
from catalogue.store.pool import CLIENT_GONE

#: The environ key under which ``sparql_fast`` hands a request it failed to the app, whose
#: ``/sparql`` view raises it for the one error handler to answer.
FAST_PATH_ERROR = "svcat.sparql_error"

#: Client entries kept at most; the idlest are forgotten past it.
MAX_CLIENTS = 10_000


class Limiter:
    """Token buckets and running counts for one web process."""

    def __init__(self, rate_per_minute: float, burst: int, concurrency: int, sparql_slots: int):
        self.rate = rate_per_minute / 60.0
        self.burst, self.concurrency, self.sparql_slots = max(1, burst), max(1, concurrency), max(1, sparql_slots)
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self._running: dict[str, int] = {}
        self._sparql = 0

    def enter(self, client: str, sparql: bool) -> None:
        """Count a request in, or raise ``TooManyRequests`` (nothing counted)."""
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - when) * self.rate)
            if tokens < 1.0:
                wait = math.ceil((1.0 - tokens) / self.rate) if self.rate > 0 else 60
                raise TooManyRequests(f"too many requests from {client}: at most {self.rate * 60:g} a minute "
                                      f"(bursts of {self.burst}); try again in {wait} s", retry_after=wait)
            if self._running.get(client, 0) >= self.concurrency:
                raise TooManyRequests(f"{client} already has {self.concurrency} requests running; wait for one "
                                      "to finish", retry_after=1)
            if sparql and self._sparql >= self.sparql_slots:
                raise TooManyRequests("the SPARQL endpoint is busy with other clients' queries; try again in a "
                                      "moment", retry_after=1)
            if len(self._buckets) >= MAX_CLIENTS and client not in self._buckets:
                self._forget(now)
            self._buckets[client] = (tokens - 1.0, now)
            self._running[client] = self._running.get(client, 0) + 1
            self._sparql += sparql

    def leave(self, client: str, sparql: bool) -> None:
        with self._lock:
            left = self._running.get(client, 0) - 1
            if left > 0:
                self._running[client] = left
            else:
                self._running.pop(client, None)
            self._sparql -= sparql

    def _forget(self, now: float) -> None:
        """Drop the buckets that have refilled (their clients would start full anyway)."""
        full = [c for c, (t, w) in self._buckets.items()
                if c not in self._running and t + (now - w) * self.rate >= self.burst]
        for client in full or list(self._buckets)[: len(self._buckets) // 2]:
            self._buckets.pop(client, None)


def limited(method: str, path: str) -> tuple[bool, bool]:
    """(limited at all, a /sparql request) for a request."""
    if path == "/sparql":
        return True, True
    if path.startswith("/dumps/") or (path == "/publish" and method == "POST"):
        return True, False
    return False, False


def client_of(environ: dict, proxies: int) -> str:
    """The client's address: the socket's peer, or behind ``proxies`` trusted proxies the
    ``X-Forwarded-For`` entry the outermost trusted proxy added (the n-th from the right)."""
    if proxies:
        forwarded = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return environ.get("REMOTE_ADDR") or "unknown"


def is_local(client: str) -> bool:
    """A loopback address (IPv4, IPv6, or IPv4 mapped into IPv6)."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def limited_client(config, environ: dict) -> str | None:
    """The client to count a limited request against, or None when the limits do not apply to it
    (turned off by ``SVCAT_CLIENT_RATE=0``, or a local client without ``SVCAT_CLIENT_LIMIT_LOCAL``)."""
    if not config.get("SVCAT_CLIENT_RATE", 0):
        return None
    client = client_of(environ, int(config.get("SVCAT_PROXIES") or 0))
    if is_local(client) and not config.get("SVCAT_CLIENT_LIMIT_LOCAL", False):
        return None
    return client


def _limiter() -> Limiter:
    return limiter_of(current_app)


def limiter_of(app: Flask) -> Limiter:
    """This process's ``Limiter`` for ``app``, made on first use."""
    found = app.extensions.get("svcat.limiter")
    if found is None:
        c = app.config
        found = app.extensions["svcat.limiter"] = Limiter(
            float(c["SVCAT_CLIENT_RATE"]), int(c["SVCAT_CLIENT_BURST"]), int(c["SVCAT_CLIENT_CONCURRENCY"]),
            int(c["SVCAT_QUERY_WORKERS"]) - 1)
    return found


def client_gone_check(sock: socket.socket):
    def gone() -> bool:
        try:
            if not select.select([sock], [], [], 0)[0]:
                return False
            return sock.recv(1, socket.MSG_PEEK) == b""
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return True

    return gone


def before() -> None:
    sock = request.environ.get("gunicorn.socket")
    g.svcat_gone_token = CLIENT_GONE.set(client_gone_check(sock) if sock is not None else None)
    limit, sparql = limited(request.method, request.path)
    if FAST_PATH_ERROR in request.environ:  # counted in and out by the fast path already
        return
    client = limited_client(current_app.config, request.environ) if limit else None
    if client is not None:
        _limiter().enter(client, sparql)
        g.svcat_limited = (client, sparql)


def teardown(_exc=None) -> None:
    held = g.pop("svcat_limited", None)
    if held is not None:
        _limiter().leave(*held)
    token = g.pop("svcat_gone_token", None)
    if token is not None:
        try:
            CLIENT_GONE.reset(token)
        except ValueError:  # set in another context (a streamed response): nothing to undo
            CLIENT_GONE.set(None)


def init_app(app: Flask) -> None:
    app.before_request(before)
    app.teardown_request(teardown)
