"""Stream a store dump to the client as gzip while the store writes it.

``Store.dump`` writes N-Quads into a file object. A worker thread gives it a gzip
writer whose compressed blocks go through a small queue to the response generator, so
a dump of millions of quads never sits in memory. If the client goes away, the
generator is closed and the worker stops at its next write.
"""

from __future__ import annotations

import gzip
import io
import queue
import threading
from collections.abc import Callable, Iterator
from typing import IO

QUEUE_BLOCKS = 32
BLOCK_TIMEOUT = 60.0  # seconds a worker waits for a slow client before giving up


class ClientGone(Exception):
    """The response was closed before the dump finished."""


class _QueueWriter(io.RawIOBase):
    def __init__(self, blocks: queue.Queue, closed: threading.Event):
        self.blocks = blocks
        self.gone = closed

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.gone.is_set():
            raise ClientGone()
        chunk = bytes(data)
        if chunk:
            try:
                self.blocks.put(chunk, timeout=BLOCK_TIMEOUT)
            except queue.Full as exc:
                raise ClientGone() from exc
        return len(chunk)


def gzip_stream(write: Callable[[IO[bytes]], None], level: int = 6) -> Iterator[bytes]:
    """Yield gzip blocks of whatever ``write(fileobj)`` writes."""
    blocks: queue.Queue = queue.Queue(maxsize=QUEUE_BLOCKS)
    gone = threading.Event()
    done = object()

    def work() -> None:
        try:
            raw = io.BufferedWriter(_QueueWriter(blocks, gone), buffer_size=1 << 16)
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=level, mtime=0) as zipped:
                write(zipped)
            raw.flush()
        except ClientGone:
            return
        except BaseException as exc:  # handed to the response generator
            _put(blocks, exc, gone)
            return
        _put(blocks, done, gone)

    threading.Thread(target=work, daemon=True, name="svcat-dump").start()
    try:
        while True:
            item = blocks.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        gone.set()


def _put(blocks: queue.Queue, item, gone: threading.Event) -> None:
    while not gone.is_set():
        try:
            blocks.put(item, timeout=1.0)
            return
        except queue.Full:
            continue
