"""Where the Turtle files that code reads live (ontology/, shapes/).

They sit at the repository root beside the packages, as the product card fixes. An
installed copy elsewhere can point at them with ``SVCAT_ONTOLOGY_DIR`` and
``SVCAT_SHAPES_DIR``; these are read when asked for, never at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ontology_dir() -> Path:
    return Path(os.environ.get("SVCAT_ONTOLOGY_DIR") or ROOT / "ontology")


def shapes_dir() -> Path:
    return Path(os.environ.get("SVCAT_SHAPES_DIR") or ROOT / "shapes")


def sample_data_dir() -> Path:
    """Real council files shipped with the repository for ``svcat demo``."""
    return ROOT / "tests" / "data" / "real"


def written_samples_dir() -> Path:
    """Small sample files this project wrote (a supplier list, a social-value framework),
    for kinds of which no real council file is shipped; loaded by ``svcat demo`` too."""
    return ROOT / "tests" / "data" / "samples"


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
