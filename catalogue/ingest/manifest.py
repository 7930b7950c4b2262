"""Many files, one load: ``svcat load --manifest`` (and ``svcat demo``).

A council loading a year of monthly files, or a researcher loading every council, pays
the fixed costs of a load (opening the store, the link, the summaries, the publish) once
instead of once a file. Each file is still its own dataset and atomic on its own (see
``catalogue.ingest.load_file``): a refused file is listed and changes nothing, the others
load. The summary work of every file goes into one ``Pending``, which the one link at the
end settles in one refresh and one publish.

What to load is a manifest CSV (columns ``path,kind,gss_code``; other columns ignored;
paths relative to the manifest, as in ``../shared/data/real/manifest.csv``), a folder (its
CSV and spreadsheet files, recursively) or a glob pattern, the last two with a kind and a
publisher given once for all.
"""

from __future__ import annotations

import csv
import glob
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from catalogue.store.settings import settings
from catalogue.errors import BadRequest
from catalogue.ingest.load import LoadOutcome, load_file
from catalogue.store import Store
from catalogue.summaries import Pending
from loaders import Limits

#: Columns a manifest must have (``gss_code`` may be empty when a file names its council).
MANIFEST_COLUMNS = ("path", "kind")
#: Files a folder or glob contributes.
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".ods")


class ManifestError(BadRequest):
    """A manifest that cannot be read: names the file, row and column, and what to do."""


@dataclass(frozen=True)
class Entry:
    """One file to load: where it is, its kind, its publisher (GSS code or name, or None)."""

    file: Path
    kind: str | None
    publisher: str | None
    label: str  # as the manifest wrote it (for reports)
    row: int | None = None  # the manifest row, for errors


def entries(source: str | Path, *, kinds: Iterable[str], kind: str | None = None,
            publisher: str | None = None) -> list[Entry]:
    """The files a manifest CSV, a folder or a glob names, checked before anything loads."""
    kinds = set(kinds)
    text = str(source)
    path = Path(source)
    if path.is_file():
        found = _from_manifest(path, kinds, kind, publisher)
    elif path.is_dir():
        found = [_entry(f, kind, publisher, str(f.relative_to(path))) for f in sorted(path.rglob("*"))
                 if f.is_file() and f.suffix.lower() in SUFFIXES and f.name != "manifest.csv"]
    elif glob.has_magic(text):
        found = [_entry(Path(f), kind, publisher, f) for f in sorted(glob.glob(text, recursive=True))
                 if Path(f).is_file()]
    else:
        raise ManifestError(f"{text}: no such manifest file, folder or glob pattern")
    if not found:
        raise ManifestError(f"{text}: names no file to load")
    for entry in found:
        if entry.kind is None:
            where = f" (manifest row {entry.row})" if entry.row else ""
            raise ManifestError(f"{entry.label}{where}: no kind; give a kind column in the manifest or --kind")
        if entry.kind not in kinds:
            raise ManifestError(f"{entry.label}: unknown kind {entry.kind!r}; choose one of {', '.join(sorted(kinds))}")
    return found


def _entry(file: Path, kind: str | None, publisher: str | None, label: str, row: int | None = None) -> Entry:
    return Entry(file, kind, publisher, label, row)


def _from_manifest(path: Path, kinds: set[str], kind: str | None, publisher: str | None) -> list[Entry]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            missing = [c for c in MANIFEST_COLUMNS if c not in header and not (c == "kind" and kind)]
            if missing:
                raise ManifestError(f"{path.name}: row 1 (the header) has no column {', '.join(missing)}; a manifest "
                                    f"has columns path,kind,gss_code (seen: {', '.join(header) or 'nothing'})")
            rows = [(number, {k.strip().lower(): (v or "").strip() for k, v in row.items() if k})
                    for number, row in enumerate(reader, start=2)]
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path.name}: not UTF-8 text ({exc}); save the manifest as UTF-8") from exc
    out = []
    for number, row in rows:
        if not any(row.values()):
            continue
        if not row.get("path"):
            raise ManifestError(f"{path.name}: row {number}, column path is empty; give the file's path")
        file = (path.parent / row["path"]).resolve()
        if not file.is_file():
            raise ManifestError(f"{path.name}: row {number}, column path: {row['path']!r} is not a file "
                                f"(paths are relative to the manifest's folder, {path.parent})")
        out.append(_entry(file, row.get("kind") or kind, row.get("gss_code") or publisher, row["path"], number))
    return out


def load_all(store: Store, files: list[Entry], *, base: str, licence: str, pending: Pending,
             sources: Path | None = None, progress: Callable | None = None,
             done: Callable[[Entry, LoadOutcome], None] | None = None, allow_shrink: bool = False,
             who: str | None = None, jobs: int | None = None) -> list[tuple[Entry, LoadOutcome]]:
    """Load every file as its own dataset, owing the summaries to ``pending`` (settled by
    the caller's one link); ``progress(entry)`` gives a row progress bar for a file (for
    ``entry=None``: one bar for the rows of all files), ``done`` hears of each outcome as
    it comes, in the files' order.

    ``jobs`` worker processes read and validate the files while this process writes
    (``catalogue.ingest.spool``); by default one a core, at most one a file. With one job the
    files load one after another in this process, streamed straight into the store."""
    from catalogue.ingest.spool import default_jobs, load_parallel

    jobs = default_jobs(len(files)) if not jobs else min(jobs, len(files))
    if jobs > 1:
        return load_parallel(store, files, jobs=jobs, base=base, licence=licence, pending=pending,
                             limits=Limits.from_config(settings()), sources=sources,
                             progress=(lambda: progress(None)) if progress else None, done=done,
                             allow_shrink=allow_shrink, who=who)
    outcomes = []
    for entry in files:
        bar = progress(entry) if progress else None
        try:
            outcome = load_file(store, entry.kind, entry.file, base=base, publisher=entry.publisher,
                                licence=licence, progress=bar, sources=sources, pending=pending,
                                allow_shrink=allow_shrink, who=who)
        finally:
            if bar is not None:
                bar.close()
        outcomes.append((entry, outcome))
        if done:
            done(entry, outcome)
    return outcomes
