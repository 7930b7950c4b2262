"""``svcat remove DATASET`` and ``svcat history DATASET``: datasets over time."""

from __future__ import annotations

import json

import click


def _dataset(ctx, name: str) -> str:
    from catalogue import iris
    from catalogue.history import resolve_dataset

    return resolve_dataset(iris.normalise_base(ctx.obj["base"]), name)


@click.command()
@click.argument("dataset")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def remove(ctx, dataset, fmt):
    """Withdraw DATASET (its IRI, or GSS/KIND/KEY such as E08000035/spend/2013-12).

    The dataset's record and graph go in one step and a withdrawal change record stays in
    the catalogue. Exit 0 removed, 1 no such dataset, 2 could not run.
    """
    from catalogue.commands.common import UsageProblem, store_for
    from catalogue.errors import CatalogueError, NotFound
    from catalogue.history import remove_dataset

    iri = _dataset(ctx, dataset)
    store = store_for(ctx, "write")
    try:
        change = remove_dataset(store, ctx.obj["base"], iri)
    except NotFound as exc:
        click.echo(exc.message, err=True)
        ctx.exit(1)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps({"removed": iri, "rows_removed": change.rows_removed}))
    else:
        click.echo(f"Removed {iri} ({change.rows_removed:,} rows); its change history stays in the catalogue.")


@click.command()
@click.argument("dataset")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def history(ctx, dataset, fmt):
    """Show DATASET's change records: each load, reload and withdrawal, with rows added and removed."""
    from catalogue.commands.common import store_for
    from catalogue.history import changes

    iri = _dataset(ctx, dataset)
    store = store_for(ctx, "read")
    try:
        found = changes(store, ctx.obj["base"], iri)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps({"dataset": iri, "changes": found}, indent=2))
    else:
        click.echo(iri)
        for c in found:
            click.echo(f"  {c['date']}  {c['type']:<10} +{c['rows_added']:,} -{c['rows_removed']:,} rows "
                       f"-> {c['rows_after']:,}  {c['sha256'] or ''}")
        if not found:
            click.echo("  no changes recorded")
    ctx.exit(0 if found else 1)
