"""A query worker: a child process that runs read-only queries on the embedded store.

pyoxigraph cannot stop a query from Python, and a thread cannot be killed, so the web
tier runs every query in one of these processes (``catalogue.store.pool``) and kills
the process when the query outlives its time limit: the CPU is freed at once and the
pool starts a fresh worker. Each worker opens the store's current snapshot read-only
and follows new snapshots as loads publish them.

Safety nets beyond the parent's kill:

- every query arms a real-time timer (``setitimer``) with no handler installed, so if
  the parent itself dies mid-query the kernel still ends the worker shortly after the
  time limit;
- with federation off, the worker moves into its own user and network namespaces
  before it opens anything (Linux, where unprivileged namespaces are allowed): it has
  no network at all, so no query can reach another host even if it slipped past the
  endpoint's SERVICE check. ``sandboxed`` in its greeting says whether that worked;
- when its parent goes away its stdin closes and it exits.

Messages are length-prefixed pickles on stdin/stdout (the parent is the only peer).
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import struct
import sys
import threading

HEADER = struct.Struct("!Q")
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
STACK_BYTES = 512 << 20


def isolate_network() -> bool:
    """Enter new user and network namespaces (no interfaces up); False if not allowed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


def read_exact(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(fd: int):
    header = read_exact(fd, HEADER.size)
    if header is None:
        return None
    body = read_exact(fd, HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


def send(fd: int, message) -> None:
    """Write one message; waits while the pipe is full.

    Under gevent (the web tier's worker class) the parent's end of the pipe is
    non-blocking, so a message larger than the pipe's buffer (a long query text) meets a
    full pipe: wait for room instead of failing.
    """
    import select

    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(body)) + body)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            select.select([], [fd], [], 1.0)


def handle(store, request: dict):
    """Run one request against ``store`` (an ``EmbeddedStore``); return the reply."""
    from catalogue.errors import CatalogueError
    from catalogue.store.policy import check_federation

    if request["op"] == "ping":
        return ("ok", os.getpid())
    try:
        if "federation" in request:  # the endpoint checked already; a second look costs little
            check_federation(request["sparql"], request["federation"], (request.get("dataset") or {}).get("base_iri"))
        answer = store.answer(request["sparql"], request.get("dataset") or {"union": True},
                              limit=request.get("limit"), results_type=request.get("results_type"),
                              graph_type=request.get("graph_type"))
        return ("ok", answer)
    except CatalogueError as exc:
        return ("error", type(exc).__name__, exc.message)
    except Exception as exc:  # a bug of ours: the parent logs it and answers 500
        return ("error", "CatalogueError", f"{type(exc).__name__}: {exc}")


def main(argv: list[str]) -> int:
    path, sandbox = argv[0], "--sandbox" in argv
    out_fd = os.dup(1)
    os.dup2(2, 1)  # stray prints go to the log, never into the reply stream
    sandboxed = isolate_network() if sandbox else False  # before any thread exists
    # Oxigraph's parser and evaluator recurse: a deeply nested query overflows an 8 MB
    # stack and kills the process. Serve from a thread with a large stack (only the
    # pages a query touches are used), so that only absurd queries crash a worker.
    threading.stack_size(STACK_BYTES)
    status: list[int] = []
    thread = threading.Thread(target=lambda: status.append(serve(path, out_fd, sandboxed)), name="queries")
    thread.start()
    thread.join()
    return status[0] if status else 1


def serve(path: str, out_fd: int, sandboxed: bool) -> int:
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(path, mode="read")
    send(out_fd, ("ready", {"pid": os.getpid(), "sandboxed": sandboxed}))
    while True:
        request = receive(0)
        if request is None:
            return 0
        hard_limit = request.get("hard_limit")
        if hard_limit:
            signal.setitimer(signal.ITIMER_REAL, hard_limit)
        try:
            reply = handle(store, request)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            send(out_fd, reply)
        except BrokenPipeError:  # the parent went away: nobody to answer
            return 0


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C on the server is the parent's to handle
    sys.exit(main(sys.argv[1:]))
