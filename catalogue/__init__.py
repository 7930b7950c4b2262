"""Social Value Open Data Catalogue: the service (store access, web app, CLI)."""

__version__ = "0.1.0"
