"""``python -m catalogue`` runs the ``svcat`` command."""

from catalogue.cli import cli

cli()
