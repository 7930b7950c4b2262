"""What every ``svcat`` command shares: the kinds, the usage error, the store, the report.

Its own module so that the commands (``catalogue.commands.*``) and the group that
gathers them (``catalogue.cli``) both import it and never each other.
"""

from __future__ import annotations

import json
import sys

import click

from catalogue.errors import CatalogueError
from catalogue.kinds import KINDS as REGISTRY

#: The kinds ``svcat load`` takes: the registry read from the ontology (``catalogue.kinds``).
KINDS = list(REGISTRY)


class UsageProblem(click.ClickException):
    """An error that is the caller's or the environment's, not the file's: exit 2."""

    exit_code = 2


def store_for(ctx: click.Context, mode: str):
    """The store the command line names (``--store``), opened for reading or writing."""
    from catalogue.store.settings import remote_options
    from catalogue.store import open_store

    try:
        return open_store(ctx.obj["store"], mode=mode, remote=remote_options(ctx.obj["config"]))
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc


def sources_for(ctx: click.Context):
    """The folder that keeps loaded source files, for the store in use (``catalogue.sources``)."""
    from catalogue.sources import sources_dir

    return sources_dir(dict(ctx.obj["config"], STORE=ctx.obj["store"]))


def print_report(report, fmt: str, extra: dict | None = None) -> None:
    """A load report as a table, JSON or the SHACL report in Turtle (the same records)."""
    from catalogue.reports import as_table

    if fmt == "json":
        click.echo(json.dumps({**report.to_json(), **(extra or {})}, indent=2, ensure_ascii=False))
    elif fmt == "turtle":
        from catalogue.reports import as_shacl_report

        click.echo(as_shacl_report(report).serialize(format="turtle"))
    else:
        click.echo(as_table(report))


def progress(quiet: bool):
    """A progress bar on stderr over rows; silent when quiet or not a terminal."""
    from tqdm import tqdm

    return tqdm(unit=" rows", unit_scale=True, file=sys.stderr, disable=quiet or not sys.stderr.isatty(),
                dynamic_ncols=True, leave=False)
