"""``svcat link`` and the linking steps other commands run (after a load, in the demo)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from catalogue.errors import CatalogueError


def _say(quiet: bool):
    if quiet:
        return lambda message: None
    return lambda message: click.echo(f"  {message}", err=True)


def summary(outcome) -> str:
    """A few lines a person can read."""
    methods = ", ".join(f"{m} {n:,}" for m, n in outcome.methods.most_common())
    classes = ", ".join(f"{c} {n:,}" for c, n in outcome.classes.most_common())
    lines = [f"{outcome.mode} link: {outcome.records:,} supplier records -> {outcome.organisations:,} organisations "
             f"({outcome.new_organisations:,} new, {outcome.multi_council:,} paid by more than one council) "
             f"in {outcome.seconds:.1f}s"]
    if methods:
        lines.append(f"  links by method: {methods}")
    if classes:
        lines.append(f"  organisations by class: {classes}")
    if outcome.decisions or outcome.retired:
        lines.append(f"  manual decisions applied: {outcome.decisions:,}; retired organisation IRIs: {outcome.retired:,}")
    return "\n".join(lines)


@click.command()
@click.option("--decisions", "decisions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of manual decisions (confirm, reject, assign, forget) to add before linking.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="How to print the summary (csv: with --ambiguous only).")
@click.option("--ambiguous", is_flag=True,
              help="Link nothing: list the register matches the last link left for a person (records whose name "
                   "leads to register entries it would not choose between), one row per record and candidate.")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
@click.option("--force", is_flag=True, help="Re-link even if nothing changed since the last full link.")
@click.pass_context
def link(ctx, decisions_file, fmt, quiet, force, ambiguous):
    """Link every council's supplier records to canonical organisations (a full re-link).

    Organisation IRIs stay as they were; manual decisions given before are applied
    again. `svcat load` links the records of each new file on its own (incrementally).
    When no dataset, decision or linking code changed since the last full link, the
    links stand and nothing is written (--force re-links anyway).
    """
    from catalogue.commands.common import UsageProblem, store_for
    from catalogue.linking.decisions import DecisionError
    from catalogue.linking.inputs import input_digest, stored_digest
    from catalogue.linking.run import link_all

    if ambiguous:
        return _ambiguous(ctx, fmt)
    if fmt == "csv":
        raise UsageProblem("--format csv lists ambiguous matches: give --ambiguous, or --format table|json")
    store = store_for(ctx, "write")
    if not (force or decisions_file):
        digest = input_digest(store, ctx.obj["base"])
        if stored_digest(store, ctx.obj["base"]) == digest:
            store.close()
            message = "Nothing changed since the last full link (same datasets, decisions and linking code): " \
                      "the links stand. svcat link --force re-links anyway."
            click.echo(json.dumps({"mode": "unchanged", "input_digest": digest}) if fmt == "json" else message)
            return
    try:
        outcome = link_all(store, ctx.obj["base"], licence=ctx.obj["config"]["LICENCE"],
                           decisions_file=decisions_file, say=_say(quiet or fmt == "json"), force=force)
    except DecisionError as exc:
        for row, message in exc.problems:
            click.echo(f"{decisions_file}: row {row}: {message}", err=True)
        click.echo("Nothing was changed: fix the decisions file and run svcat link again.", err=True)
        ctx.exit(1)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    finally:
        store.close()
    click.echo(json.dumps(outcome.to_json(), indent=2) if fmt == "json" else summary(outcome))


def _ambiguous(ctx, fmt: str) -> None:
    """``svcat link --ambiguous``: the rows of ``/organisations/ambiguous``, as a table, CSV or JSON."""
    from catalogue.commands.common import store_for
    from catalogue.linking import ambiguous

    store = store_for(ctx, "read")
    try:
        found = ambiguous.rows(store, ctx.obj["base"])
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps(found, indent=2))
    elif fmt == "csv":
        click.echo(ambiguous.as_csv(found), nl=False)
    else:
        click.echo(ambiguous.as_table(found))


def link_after_load(store, base: str, licence: str, quiet: bool, pending=None, full: bool = False,
                    exact: bool = False, datasets=()) -> str:
    """The link after loads (``ingest.steps.link_after``), as a one-line summary."""
    from catalogue.ingest.steps import link_after

    return summary(link_after(store, base, licence=licence, full=full, say=_say(quiet), pending=pending,
                              exact=exact, datasets=datasets)).splitlines()[0]


def export_crosswalk(store, base: str, output: Path | None) -> None:
    """Write the crosswalk CSV to ``output`` (or standard output)."""
    from catalogue.linking.crosswalk import as_csv, rows

    chunks = as_csv(rows(store, base))
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    with open(output, "w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
