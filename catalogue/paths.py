"""Where the files that code reads at run time live: ontology, shapes, demo data, front end.

In the repository they sit where the product card fixes them (``ontology/`` and
``shapes/`` at the root, the real sample files in ``tests/data/real``, ``package.json``
at the root). ``catalogue/bundle/`` holds a symbolic link to each, so the package reads
them through ``importlib.resources`` alike from a checkout and from the installed wheel
(the wheel build copies what the links point at). ``SVCAT_ONTOLOGY_DIR`` and
``SVCAT_SHAPES_DIR`` still override; everything is read when asked for, never at import time.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: The checkout's root (in an installed wheel: the site-packages folder, where nothing of
#: ours is read from).
ROOT = Path(__file__).resolve().parent.parent


def bundle() -> Path:
    """The package's run-time files (``catalogue/bundle``), as a real folder."""
    return Path(str(files("catalogue") / "bundle"))


def ontology_dir() -> Path:
    return Path(os.environ.get("SVCAT_ONTOLOGY_DIR") or bundle() / "ontology")


def shapes_dir() -> Path:
    return Path(os.environ.get("SVCAT_SHAPES_DIR") or bundle() / "shapes")


def sample_data_dir() -> Path:
    """Real council files shipped with the package for ``svcat demo`` (tests/data/real)."""
    return bundle() / "demo"


def written_samples_dir() -> Path:
    """Small sample files this project wrote (a supplier list, a social-value framework),
    for kinds of which no real council file is shipped; loaded by ``svcat demo`` too."""
    return bundle() / "samples"


def frontend_dir() -> Path:
    """``package.json`` (and its lock file) naming the query page's npm packages."""
    return bundle() / "frontend"


def store_folder(store: str) -> Path | None:
    """The embedded store's folder, or ``None`` for ``memory:`` and remote stores."""
    if store == "memory:" or store.startswith(("http://", "https://")):
        return None
    return Path(store[len("oxigraph:"):] if store.startswith("oxigraph:") else store)


def beside_store(config: dict, setting: str, name: str, fallback: str) -> Path:
    """A setting's file, else ``name`` in the store folder, else ``fallback`` in the working directory."""
    if config.get(setting):
        return Path(config[setting])
    folder = store_folder(str(config["STORE"]))
    return folder / name if folder is not None else Path(fallback)
