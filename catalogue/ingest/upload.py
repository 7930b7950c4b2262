"""A ``/publish`` upload, validated or loaded in-process through the CLI's own functions.

Why not a child process any more: ``svcat load`` and ``/publish`` ran the same steps, but the
web tier reached them by starting ``python -m catalogue load --format json`` and reading its
output, which cost an interpreter start and the ontology, shapes and registers read afresh
(about 2 s before the first row), and put two spellings of every option in two places. Now
both call ``steps.load_and_link`` (or ``load.validate_file``) with the same arguments, and
the answer is ``LoadOutcome.to_json``, the very JSON ``svcat load --format json`` prints.

What the child process gave for free is kept on purpose:

- the write lock: the store is opened for writing here, so the load waits for any other
  writer (``svcat load`` or another upload) and writes alone;
- the time limit: the child was killed at ``SVCAT_UPLOAD_TIMEOUT``. In-process, the load
  looks at its deadline between rows and once more before its dataset is switched, and
  stops there, refused whole (``load.OVERDUE``): the graph it was writing is dropped and
  the dataset's previous version is still the one served. Once switched, its link and
  summaries run to the end (they are short, and stopping them would leave the new rows
  unlinked);
- the read caps (``SVCAT_MAX_*``): taken from the web app's settings, not the environment.

This module runs on whatever thread calls it; ``catalogue.web.publish`` calls it on a
native thread so that the web worker's event loop keeps answering other requests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from catalogue.errors import CatalogueError
from catalogue.ingest.load import validate_file
from catalogue.ingest.steps import load_and_link
from catalogue.sources import sources_dir
from catalogue.store import open_store
from catalogue.store.settings import remote_options
from loaders import Limits
from loaders.councils import UnknownCouncil, register


@dataclass
class Upload:
    """What the form asked for, in the terms of ``svcat load`` / ``svcat validate``."""

    kind: str
    path: Path
    publisher: str | None = None
    sheet: str | None = None
    skip_invalid: bool = False
    validate_only: bool = False
    allow_shrink: bool = False
    scope: set[str] | None = None  # GSS codes a token may publish for; None: any (an admin token)
    who: str | None = None  # the token's name, for the change record


@dataclass
class Answer:
    """The upload's exit status as ``svcat`` would give it (0 loaded or valid, 1 refused),
    its JSON report; or, if it could not run at all, ``problem`` (and no report)."""

    code: int | None
    report: dict | None
    problem: str | None = None


def run_upload(config: dict, upload: Upload, *, deadline: float | None = None) -> Answer:
    """Validate or load ``upload`` into the store ``config`` names (keys without the
    ``SVCAT_`` prefix: ``STORE``, ``BASE_URI``, ``LICENCE``, the ``MAX_*`` caps...).

    ``deadline``: a ``time.monotonic()`` value, by default ``UPLOAD_TIMEOUT`` seconds from now."""
    if deadline is None and config.get("UPLOAD_TIMEOUT"):
        deadline = time.monotonic() + float(config["UPLOAD_TIMEOUT"])
    base, limits = str(config["BASE_URI"]), Limits.from_config(config)
    options = {"publisher": upload.publisher or None, "sheet": upload.sheet or None,
               "skip_invalid": upload.skip_invalid, "limits": limits, "deadline": deadline}
    if upload.publisher:  # an unknown council is the request's fault, not the file's (svcat: exit 2)
        try:
            register().resolve(upload.publisher, None)
        except UnknownCouncil as exc:
            return Answer(None, None, str(exc))
    try:
        if upload.validate_only:
            report = validate_file(upload.kind, upload.path, base=base, **options)
            return Answer(0 if report.loadable else 1, report.to_json())
        store = open_store(str(config["STORE"]), mode="write", remote=remote_options(config))
        try:
            done = load_and_link(store, upload.kind, upload.path, base=base, licence=str(config["LICENCE"]),
                                 link_licence=str(config["LICENCE"]), sources=sources_dir(config),
                                 allow_shrink=upload.allow_shrink, scope=upload.scope, who=upload.who, **options)
        finally:
            store.close()
    except CatalogueError as exc:
        return Answer(None, None, exc.message)
    return Answer(0 if done.outcome.loaded else 1, done.outcome.to_json())
