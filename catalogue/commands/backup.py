"""``svcat backup DEST`` and ``svcat restore SRC``: the whole store, checked both ways."""

from __future__ import annotations

from pathlib import Path

import click

from catalogue.errors import CatalogueError


class UsageProblem(click.ClickException):
    exit_code = 2


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def backup(ctx, dest):
    """Copy the whole store (as readers see it now) into the new folder DEST.

    DEST gets store.nq.gz, the uploaded sources and MANIFEST.json (quads per graph,
    sha256 of the dump and a digest of its content), which restore checks.
    """
    from catalogue.backup import backup as run_backup

    try:
        manifest = run_backup(ctx.obj["store"], dest)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    click.echo(f"Backed up {manifest.quads:,} quads in {len(manifest.graphs)} graphs to {dest} "
               f"(digest {manifest.digest[:16]}).")


@click.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a store that already holds data.")
@click.pass_context
def restore(ctx, src, replace):
    """Restore the backup in SRC into the store, and check it against the backup's manifest.

    The store must be empty unless --replace is given; an embedded store is then rebuilt
    beside the old one and swapped in at once (the old folder is kept, for you to delete).
    Exit status 1 if the backup is damaged or the restored store does not match it.
    """
    from catalogue.backup import BackupMismatch
    from catalogue.backup import restore as run_restore

    try:
        manifest, old = run_restore(src, ctx.obj["store"], replace=replace)
    except BackupMismatch as exc:
        raise click.ClickException(exc.message) from exc
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    click.echo(f"Restored {manifest.quads:,} quads in {len(manifest.graphs)} graphs; counts and digest "
               f"match the backup ({manifest.digest[:16]}).")
    if old is not None:
        click.echo(f"The replaced store was kept in {old}; delete it once no server reads it.")
