"""``svcat assets``: install the query page's front-end packages (YASGUI) from npm.

``package.json`` at the repository root declares them and, under ``svcat.vendor``, which
built files to copy into ``catalogue/static/vendor/`` (git-ignored, like
``node_modules/``). Nothing front-end is committed. ``svcat demo`` calls this when npm is
on the PATH; without it the query page is a plain HTML form, which works the same.

npm runs in the checkout's root; an installed wheel carries ``package.json`` in
``catalogue/bundle/frontend`` and runs npm in a copy of it under the user's cache folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import click

from catalogue.paths import ROOT, frontend_dir

STATIC_VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"


def npm_root() -> Path:
    """Where npm runs: the checkout's root, else a cache folder holding the bundled manifests."""
    if (ROOT / "package.json").is_file() and (ROOT / "catalogue" / "bundle").is_dir():
        return ROOT
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "svcat" / "frontend"
    cache.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        source = frontend_dir() / name
        if source.is_file() and (not (cache / name).is_file() or (cache / name).read_bytes() != source.read_bytes()):
            shutil.copyfile(source, cache / name)
    return cache


class AssetsUnavailable(Exception):
    """npm is missing or failed; the caller decides whether that matters."""


def vendor_files(root: Path | None = None) -> dict[str, Path]:
    """``{path under static/vendor: built file under node_modules}`` from package.json."""
    root = root or npm_root()
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    return {target: root / source for target, source in manifest["svcat"]["vendor"].items()}


def installed(root: Path | None = None) -> bool:
    return all((STATIC_VENDOR / target).is_file() for target in vendor_files(root))


def install(root: Path | None = None, *, force: bool = False) -> list[Path]:
    """Run npm (``ci`` when a lock file exists) and copy the built files into static/vendor."""
    root = root or npm_root()
    if not (root / "package.json").is_file():
        raise AssetsUnavailable(f"no package.json in {root} (an installed copy has no front-end sources)")
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsUnavailable("npm is not installed")
    files = vendor_files(root)
    with _one_at_a_time(root):
        if force or not all(source.is_file() for source in files.values()):
            command = [npm, "ci" if (root / "package-lock.json").is_file() else "install",
                       "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"]
            result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
            if result.returncode != 0:
                raise AssetsUnavailable(f"{' '.join(command[:2])} failed: {result.stderr.strip()[-500:]}")
        copied = []
        for target, source in files.items():
            if not source.is_file():
                raise AssetsUnavailable(f"npm did not produce {source.relative_to(root)}")
            destination = STATIC_VENDOR / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
            copied.append(destination)
    return copied


@contextmanager
def _one_at_a_time(root: Path):
    """Hold a lock while npm runs in ``root``: ``npm ci`` first deletes ``node_modules``, so
    two ``svcat demo`` started together (or two test workers) would pull it from under each
    other. The lock lives in the temporary folder, keyed by the folder npm runs in."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"svcat-assets-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@click.command()
@click.option("--force", is_flag=True, help="Run npm even if the packages are already there.")
def assets(force: bool) -> None:
    """Install the query page's YASGUI editor from npm into catalogue/static/vendor."""
    try:
        copied = install(force=force)
    except AssetsUnavailable as exc:
        raise click.ClickException(f"{exc}; the query page still works as a plain form") from exc
    for path in copied:
        click.echo(f"installed {path}")


def ensure_for_demo() -> str:
    """Install YASGUI for ``svcat demo`` if npm is present; say what happened either way."""
    if installed():
        return "YASGUI is installed: the query page uses it."
    try:
        install()
    except AssetsUnavailable as exc:
        return f"YASGUI not installed ({exc}): the query page is a plain form."
    return "Installed YASGUI from npm for the query page."
