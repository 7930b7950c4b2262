"""Dumps built once per data version, kept on disk, served as files (ETag, Range).

Why: a dump used to be written from the store on every request, with no time limit, so
four clients downloading ``/dumps/all.nq.gz`` kept four threads and the store busy for
as long as they liked. Now the first request for a dump of a given version writes it
(gzip, to a temporary name, then renamed into place) into ``SVCAT_DUMPS_DIR``; every
later request is ``send_file`` of that file, with ``ETag`` and ``Last-Modified`` (304 on
revalidation) and byte ranges (206), so a broken download resumes where it stopped.

What a version is:

- a dataset's dump: its graph. Every load writes a fresh graph under a new name and
  swaps the catalogue record to it, so a graph's content never changes; the next load
  names a new graph, its dump is a new file, and the old file is removed when the new
  one is written (files are ``<dataset>/<hash of the graph>.<format>.gz``).
- a dataset's CSV (``.csv.gz``): its rows table, every row, through the one formula-safe
  CSV writer (``catalogue.csv_safe``); keyed by the graph too.
- ``all.nq.gz``: the data version pages are cached under (``conditional.data_version``:
  the embedded store's published snapshot, a remote store's newest catalogue record).

Building an RDF dump runs off the event loop (gevent's thread pool when the worker is a
gevent one), so other clients keep being served while a big dump is written; a CSV dump
is built from queries, which cooperate with the event loop already. Two requests for the
same missing dump in one process wait for one build.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

from flask import current_app, send_file

from catalogue.paths import beside_store

#: What each dump format is: file extension, media type (the file is gzip of it).
FORMATS = {"nq": "application/n-quads", "ttl": "text/turtle", "csv": "text/csv"}
_BUILDING = threading.Lock()


def dumps_dir() -> Path:
    """``SVCAT_DUMPS_DIR``, else ``dumps/`` in the store folder, else ``svcat-dumps``; a
    temporary folder for a store handed to the app as an object (tests, ``memory:``)."""
    config = current_app.config
    if config.get("SVCAT_STORE_OBJECT") is not None or str(config.get("SVCAT_STORE")) == "memory:":
        folder = current_app.extensions.get("svcat.dumps_tmp")
        if folder is None:
            folder = current_app.extensions["svcat.dumps_tmp"] = Path(tempfile.mkdtemp(prefix="svcat-dumps-"))
        return folder
    settings = {k[len("SVCAT_"):]: v for k, v in config.items() if k.startswith("SVCAT_")}
    return beside_store(settings, "DUMPS_DIR", "dumps", "svcat-dumps")


def dump_file(name: str, version: str, fmt: str, write: Callable[[IO[bytes]], None], *,
              off_loop: bool = True) -> Path:
    """The dump ``name`` of ``version`` in format ``fmt`` (``FORMATS``), built if missing.

    ``write`` writes N-Quads (for ``nq`` and ``ttl``) or the format itself (``csv``);
    ``off_loop=False`` builds where the request runs (``write`` cooperates with the loop)."""
    folder = dumps_dir() / name
    digest = hashlib.sha1(version.encode("utf-8")).hexdigest()[:20]
    path = folder / f"{digest}.{fmt}.gz"
    if path.exists():
        return path
    locks = current_app.extensions.setdefault("svcat.dump_locks", {})
    with _BUILDING:
        lock = locks.setdefault(str(path), threading.Lock())
    with lock:
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            build = (lambda: _build(path, fmt, write))
            run_off_loop(build) if off_loop else build()
            current_app.extensions["svcat.dumps_built"] = current_app.extensions.get("svcat.dumps_built", 0) + 1
            _prune(path)
    with _BUILDING:
        locks.pop(str(path), None)
    return path


def send_dump(path: Path, download_name: str, fmt: str):
    """The file as a download: gzip of ``fmt``, with validators and range support."""
    stat = path.stat()
    response = send_file(path, mimetype="application/gzip", as_attachment=True, download_name=download_name,
                         conditional=True, etag=f"{path.name.split('.', 1)[0]}-{fmt}-{stat.st_size}",
                         last_modified=stat.st_mtime, max_age=0)
    response.headers["X-SVCAT-Content-Type"] = FORMATS[fmt]  # what is inside the gzip
    response.headers.setdefault("Accept-Ranges", "bytes")
    return response


def _build(path: Path, fmt: str, write: Callable[[IO[bytes]], None]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
            if fmt == "ttl":
                _turtle(write, out)
            else:
                write(out)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _turtle(write: Callable[[IO[bytes]], None], out: IO[bytes]) -> None:
    """N-Quads from ``write`` as Turtle (one graph: the graph names are dropped)."""
    import pyoxigraph as ox

    from catalogue.vocab import PREFIXES

    with tempfile.TemporaryFile() as quads:
        write(quads)
        quads.seek(0)
        triples = (q.triple for q in ox.parse(quads, format=ox.RdfFormat.N_QUADS))
        ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))


def _prune(keep: Path) -> None:
    """Remove the same dump's older versions in the same format (the new one is in place)."""
    suffix = keep.name.split(".", 1)[-1]
    for old in keep.parent.glob(f"*.{suffix}"):
        if old != keep:
            old.unlink(missing_ok=True)


def run_off_loop(work: Callable[[], None]) -> None:
    """Run ``work`` where it cannot stop the event loop: a gevent worker's thread pool (a
    real thread), or here when the server is threaded already."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        monkey = None
    if monkey is not None and monkey.is_module_patched("threading"):
        import gevent

        gevent.get_hub().threadpool.apply(work)
    else:
        work()
