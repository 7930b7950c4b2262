"""Idle and slow clients against a running server: does ``GET /`` still answer?

Opens ``--idle`` TCP connections that send nothing and ``--slow`` connections that send
a request's headers one byte at a time (a "slowloris"), keeps them open, then times
``GET /`` from a fresh client a few times. Used by ``tests/test_slow_clients.py`` (the
helpers) and by hand for the figures in docs/serving.md:

    python bench/slow_clients.py http://127.0.0.1:8000 --idle 16 --slow 8
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from urllib.parse import urlsplit

import requests


class Crowd:
    """Idle and slow connections held open until ``close()``."""

    def __init__(self, url: str, idle: int, slow: int, byte_every: float = 1.0):
        parts = urlsplit(url)
        self.address = (parts.hostname, parts.port or 80)
        self.host = parts.netloc
        self.byte_every = byte_every
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        for _ in range(idle):
            self.sockets.append(socket.create_connection(self.address, timeout=5))
        self.threads = [threading.Thread(target=self._trickle, daemon=True) for _ in range(slow)]
        for thread in self.threads:
            thread.start()

    def _trickle(self) -> None:
        """Send a request one byte a ``byte_every`` seconds, never finishing its headers."""
        try:
            sock = socket.create_connection(self.address, timeout=5)
        except OSError:
            return
        self.sockets.append(sock)
        head = f"GET / HTTP/1.1\r\nHost: {self.host}\r\n" + "X-Slow: " + "a" * 100000
        for byte in head.encode():
            if self.stop.wait(self.byte_every):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:  # the server (or proxy) gave up on us: that is allowed
                return

    def close(self) -> None:
        self.stop.set()
        for sock in list(self.sockets):
            sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def time_home(url: str, tries: int = 5, timeout: float = 30) -> list[float]:
    """Seconds each of ``tries`` fresh ``GET /`` took (each must answer 200)."""
    took = []
    for _ in range(tries):
        began = time.monotonic()
        response = requests.get(url + "/", timeout=timeout, headers={"Connection": "close"})
        response.raise_for_status()
        took.append(time.monotonic() - began)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--idle", type=int, default=16)
    parser.add_argument("--slow", type=int, default=8)
    parser.add_argument("--hold", type=float, default=8.0, help="seconds to wait before timing")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    with Crowd(args.url, args.idle, args.slow):
        time.sleep(args.hold)
        took = time_home(args.url, args.tries)
    print(f"{args.idle} idle + {args.slow} slow connections: GET / took "
          + ", ".join(f"{t:.2f}" for t in took) + f" s (max {max(took):.2f} s)")


if __name__ == "__main__":
    main()
