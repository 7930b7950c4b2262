"""``svcat load --manifest`` and ``svcat demo``: many files in one process (``catalogue.ingest.manifest``),
printed a line a file as they land, then one link, one summary refresh and one publish."""

from __future__ import annotations

import json
import sys

import click
from tqdm import tqdm

from catalogue.errors import CatalogueError


def load_many(ctx, manifest, kind, publisher, licence, fmt, quiet, no_link, files=None, *,
              allow_shrink: bool = False, jobs: int | None = None) -> None:
    """``svcat load --manifest``: every file its own dataset, then one link, refresh and publish."""
    from catalogue.commands.common import KINDS, UsageProblem, print_report, progress, sources_for, store_for
    from catalogue.commands.tokens import operator
    from catalogue.commands.linking import link_after_load
    from catalogue.ingest.manifest import ManifestError, entries, load_all
    from catalogue.kinds import REGISTER_KINDS
    from catalogue.linking.run import unchanged
    from catalogue.summaries import Pending
    from catalogue.summaries import refresh as refresh_summaries

    if files is None:
        try:
            files = entries(manifest, kinds=KINDS, kind=kind, publisher=publisher)
        except ManifestError as exc:
            raise UsageProblem(exc.message) from exc
    licence = licence or ctx.obj["config"]["LICENCE"]
    store = store_for(ctx, "write")
    pending, outcomes, linked = Pending(), [], None
    exact = not no_link and unchanged(store, ctx.obj["base"])  # the links are a full link's before the loads
    bar = tqdm(total=len(files), unit=" files", file=sys.stderr, disable=quiet or not sys.stderr.isatty(),
               dynamic_ncols=True, position=1, leave=False)

    def done(entry, outcome) -> None:
        bar.update(1)
        if fmt == "table":
            report = outcome.report
            status = "loaded" if outcome.loaded else "REFUSED"
            tqdm.write(f"{status:8} {entry.label:<58} {report.rows_loaded:>7,} rows {report.warnings:>5,} warnings "
                       f"{outcome.seconds:5.1f}s", file=sys.stdout)

    try:
        outcomes = load_all(store, files, base=ctx.obj["base"], licence=licence, pending=pending,
                            sources=sources_for(ctx), progress=lambda entry: progress(quiet), done=done,
                            allow_shrink=allow_shrink, who=operator(), jobs=jobs)
        if any(o.loaded for _, o in outcomes) and not no_link:
            registers = any(o.loaded and e.kind in REGISTER_KINDS for e, o in outcomes)
            exact = exact and not any(o.loaded and o.replaced_graph for _, o in outcomes)
            linked = link_after_load(store, ctx.obj["base"], licence, quiet=True, pending=pending, full=registers,
                                     exact=exact, datasets=[o.dataset for _, o in outcomes if o.loaded])
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    finally:
        bar.close()
        try:
            if any(o.loaded for _, o in outcomes):
                refresh_summaries(store, ctx.obj["base"], pending)  # one refresh, one publish, even if the link failed
        finally:
            store.close()
    refused = [(e, o) for e, o in outcomes if not o.loaded]
    if fmt == "json":
        click.echo(json.dumps([{**o.report.to_json(), "file": e.label, "loaded": o.loaded, "dataset": o.dataset}
                               for e, o in outcomes], indent=2, ensure_ascii=False))
    else:
        for entry, outcome in refused:
            click.echo(f"\nREFUSED {entry.label}:")
            print_report(outcome.report, fmt)
        click.echo(f"{len(outcomes) - len(refused)} of {len(outcomes)} files loaded"
                   + (f"; refused: {', '.join(e.label for e, _ in refused)}" if refused else "") + ".")
        if linked:
            click.echo(linked)
    if refused:
        ctx.exit(1)
