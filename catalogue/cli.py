"""``svcat``: the command line, and the one place that joins loaders and the store.

Exit status: 0 success; 1 a file was refused (violations, or it could not be read as
that kind); 2 usage or I/O errors (bad options, missing file, store unavailable).
"""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

import click

from catalogue import __version__
from catalogue.commands.common import KINDS, UsageProblem, print_report, progress, sources_for, store_for
from catalogue.commands.publisher import check_publisher, publisher_option, publisher_url_option
from catalogue.commands.tokens import load_guards, operator
from catalogue.errors import CatalogueError
from catalogue.heap import fewer_collections
from catalogue.store.settings import settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="svcat")
@click.option("--store", envvar="SVCAT_STORE", show_envvar=True,
              help="Store: a folder (embedded, default ./svcat-store), memory:, or a SPARQL endpoint URL.")
@click.option("--base-uri", envvar="SVCAT_BASE_URI", show_envvar=True,
              help="Public base under which resource IRIs are minted.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, base_uri: str | None) -> None:
    """Social Value Open Data Catalogue: load council CSVs as linked data and serve them."""
    fewer_collections()  # catalogue.heap: batch work's objects are freed by reference counts
    config = settings()
    ctx.ensure_object(dict)
    ctx.obj["store"] = store or config["STORE"]
    ctx.obj["base"] = base_uri or config["BASE_URI"]
    ctx.obj["config"] = config


def _check_publisher(publisher: str | None, url: str | None = None) -> None:
    check_publisher(publisher, url, UsageProblem)


def _check_licence(value: str | None) -> str | None:
    from catalogue.iris import is_absolute_iri

    if value is not None and not is_absolute_iri(value):
        raise click.BadParameter(f"{value!r} is not an absolute IRI; name the licence by its IRI (https://...)")
    return value


file_argument = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
kind_argument = click.argument("kind", type=click.Choice(KINDS))
mapping_option = click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
                              help="A CSV on the Web metadata file mapping this file's columns.")
sheet_option = click.option("--sheet", metavar="NAME|N",
                            help="The sheet of an .xlsx/.ods workbook to read, by name or 1-based number "
                                 "(default: the first sheet with a header).")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json", "turtle"]), default="table",
                             show_default=True,
                             help="How to print the report: a table, JSON, or the SHACL validation report in Turtle.")
licence_option = click.option("--licence", callback=lambda ctx, param, value: _check_licence(value),
                               help="Licence IRI for the dataset (default: SVCAT_LICENCE, OGL v3.0).")
title_option = click.option("--title", help="Dataset title (default: council, kind and file name).")
skip_option = click.option("--skip-invalid-rows", "skip_invalid", is_flag=True,
                           help="Load the valid rows and leave out (and list, in the dataset's record) the rows "
                                "with violations, instead of refusing the file.")


@cli.command()
@click.argument("arguments", nargs=-1, metavar="[KIND] [FILE]")
@click.option("--manifest", metavar="CSV|FOLDER|GLOB",
              help="Load many files in one process: a manifest CSV (columns path,kind,gss_code; paths relative "
                   "to it), a folder or a glob pattern (with --kind and --publisher). One link, one summary "
                   "refresh and one publish at the end.")
@click.option("--kind", "kind_option", type=click.Choice(KINDS), help="The kind, for --manifest FOLDER|GLOB.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="With --manifest: worker processes reading and "
              "validating files while one writes (default: one a core, at most one a file; 1: one by one).")
@publisher_option
@publisher_url_option
@mapping_option
@sheet_option
@licence_option
@title_option
@skip_option
@format_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--no-link", is_flag=True, help="Do not link the file's suppliers to organisations now.")
@load_guards
@click.pass_context
def load(ctx, arguments, manifest, kind_option, jobs, publisher, publisher_url, mapping, sheet, licence, title, skip_invalid,
         fmt, quiet, no_link, allow_shrink, scope, who):
    """Validate FILE and, if it has no violations, load it as one dataset.

    Loading the same file again replaces its dataset in one atomic step (and keeps a
    change record); a refused file changes nothing. The file's new supplier records are
    then linked to canonical organisations (an incremental link; see `svcat link`)
    unless --no-link. With KIND left out, the kind is recognised from the file (see
    `svcat inspect`). With --manifest, every file named loads as its own dataset; the
    refused ones are listed. A replacement that would empty or halve a dataset is refused
    unless --allow-shrink. Exit 0 loaded, 1 refused (any file), 2 could not run.
    """
    _check_publisher(publisher, publisher_url)
    if manifest:
        if arguments:
            raise UsageProblem("give either KIND FILE or --manifest, not both")
        if publisher_url:
            raise UsageProblem("--publisher-url is for one file; a manifest names each file's council by its GSS code")
        from catalogue.commands.manifest import load_many

        load_many(ctx, manifest, kind_option, publisher, licence, fmt, quiet, no_link, allow_shrink=allow_shrink,
                  jobs=jobs)
        return
    kind, file = _kind_and_file(arguments, kind_option)
    _load_one(ctx, kind, file, publisher, publisher_url, mapping, licence, title, skip_invalid, fmt, quiet, no_link,
              sheet, {"allow_shrink": allow_shrink, "scope": set(scope) or None, "who": who or operator()})


def _kind_and_file(arguments: tuple[str, ...], kind_option: str | None) -> tuple[str, Path]:
    """``KIND FILE`` or ``FILE`` (the kind then from --kind, else recognised from the file)."""
    if len(arguments) not in (1, 2):
        raise UsageProblem("usage: svcat load [KIND] FILE, or svcat load --manifest CSV|FOLDER|GLOB")
    file = Path(arguments[-1])
    if not file.is_file():
        raise UsageProblem(f"{file}: no such file")
    if len(arguments) == 2:
        if arguments[0] not in KINDS:
            raise UsageProblem(f"unknown kind {arguments[0]!r}: choose one of {', '.join(KINDS)}")
        return arguments[0], file
    from catalogue.commands.inspect import recognised_kind

    return kind_option or recognised_kind(file, KINDS, UsageProblem), file


def _load_one(ctx, kind, file, publisher, publisher_url, mapping, licence, title, skip_invalid, fmt, quiet, no_link,
              sheet=None, guards=None):
    from catalogue.commands.linking import summary
    from catalogue.ingest.steps import load_and_link

    store = store_for(ctx, "write")
    try:
        with progress(quiet) as bar:
            done = load_and_link(store, kind, file, base=ctx.obj["base"], link=not no_link,
                                 licence=licence or ctx.obj["config"]["LICENCE"],
                                 link_licence=ctx.obj["config"]["LICENCE"], publisher=publisher,
                                 publisher_url=publisher_url, mapping=mapping, title=title, progress=bar,
                                 skip_invalid=skip_invalid, sources=sources_for(ctx), sheet=sheet, **(guards or {}))
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    finally:
        store.close()
    outcome = done.outcome
    print_report(outcome.report, fmt, outcome.to_json())
    if not outcome.loaded:
        ctx.exit(1)
    if fmt == "table":
        click.echo(f"Loaded as {outcome.dataset} in {outcome.seconds:.1f}s"
                   + (" (replaced the previous version)." if outcome.replaced_graph else "."))
        if done.link is not None:
            click.echo(summary(done.link).splitlines()[0])


@cli.command()
@kind_argument
@file_argument
@publisher_option
@publisher_url_option
@mapping_option
@sheet_option
@licence_option
@title_option
@skip_option
@format_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
def validate(ctx, kind, file, publisher, publisher_url, mapping, sheet, licence, title, skip_invalid, fmt, quiet):
    """Check FILE without loading it: exit 0 valid, 1 invalid, 2 could not run.

    Takes the options of `svcat load` (--licence and --title are checked, not used); with
    --skip-invalid-rows, exit 0 means the valid rows would load, and the report lists the
    rows that would be left out.
    """
    from catalogue.ingest import validate_file

    _check_publisher(publisher, publisher_url)
    with progress(quiet) as bar:
        report = validate_file(kind, file, base=ctx.obj["base"], publisher=publisher, mapping=mapping, progress=bar,
                               skip_invalid=skip_invalid, sheet=sheet, publisher_url=publisher_url)
    print_report(report, fmt)
    ctx.exit(0 if report.loadable else 1)


@cli.command()
@click.argument("what", type=click.Choice(["store", "crosswalk"]), default="store", required=False)
@click.option("--graph", help="Export one named graph only.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (gzip if it ends in .gz); default standard output.")
@click.pass_context
def export(ctx, what, graph, output):
    """Write the store (or one graph) as N-Quads, or the supplier crosswalk as CSV.

    `svcat export crosswalk` writes one row per supplier as each council publishes it:
    council,supplier_name,supplier_id,organisation,method,score.
    """
    store = store_for(ctx, "read")
    try:
        if what == "crosswalk":
            from catalogue.commands.linking import export_crosswalk

            export_crosswalk(store, ctx.obj["base"], output)
        elif output is None:
            store.dump(sys.stdout.buffer, graph)
        elif output.suffix == ".gz":
            with gzip.open(output, "wb") as handle:
                store.dump(handle, graph)
        else:
            with open(output, "wb") as handle:
                store.dump(handle, graph)
    finally:
        store.close()


@cli.command()
@click.argument("sparql")
@click.option("--format", "fmt", default="csv", show_default=True,
              help="Result format: csv, tsv, json, xml, turtle, ntriples, jsonld, rdfxml, or a media type.")
@click.pass_context
def query(ctx, sparql, fmt):
    """Run a SPARQL query against the store and print the result."""
    from catalogue.commands.query_formats import query_formats

    results_type, graph_type = query_formats(fmt, UsageProblem)
    store = store_for(ctx, "read")
    try:
        _, _, body = store.query_raw(sparql, results_type=results_type, graph_type=graph_type)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    finally:
        store.close()
    sys.stdout.buffer.write(body)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="gunicorn worker processes (each with its own query workers).")
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn.")
@click.option("--debug", is_flag=True, help="Flask debug mode (reloads on code changes; implies --dev).")
@click.pass_context
def serve(ctx, host, port, workers, dev, debug):
    """Serve the catalogue with gunicorn, as in production (`--dev`: Flask's development server)."""
    config = {"SVCAT_STORE": ctx.obj["store"], "SVCAT_BASE_URI": ctx.obj["base"]}
    click.echo(f"Serving {ctx.obj['store']} on http://{host}:{port}/ (IRIs under {ctx.obj['base']})")
    if dev or debug:
        from catalogue.app import create_app

        create_app(config).run(host=host, port=port, debug=debug, threaded=True)
        return
    from catalogue.server import serve as serve_with_gunicorn

    serve_with_gunicorn(config, host=host, port=port, workers=workers)


def demo_files():
    """The real council files shipped in tests/data/real, then the samples we wrote
    (tests/data/samples), from their manifests (``catalogue.ingest.manifest`` entries)."""
    from catalogue.ingest.manifest import entries
    from catalogue.paths import sample_data_dir, written_samples_dir

    return [entry for folder in (sample_data_dir(), written_samples_dir())
            for entry in entries(folder / "manifest.csv", kinds=KINDS)]


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Only load the sample files.")
@click.pass_context
def demo(ctx, host, port, no_serve):
    """Load the real sample files shipped in the repository, then serve them.

    The files load as `svcat load --manifest` loads them: one process, one link, one
    summary refresh and one publish; a refused sample stops the demo (exit 1)."""
    from catalogue.commands.assets import ensure_for_demo

    from catalogue.commands.manifest import load_many

    click.echo(ensure_for_demo())
    load_many(ctx, None, None, None, None, "table", False, False, files=demo_files())
    if not no_serve:
        # Served by a fresh process: this one has had the store open for writing, and gunicorn
        # workers forked from it inherit RocksDB's state without its threads (they crashed on exit).
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, "-m", "catalogue", "--store", ctx.obj["store"],
                                  "--base-uri", ctx.obj["base"], "serve", "--host", host, "--port", str(port)])


from catalogue.commands.assets import assets  # noqa: E402
from catalogue.commands.backup import backup, restore  # noqa: E402

cli.add_command(backup)
cli.add_command(restore)
cli.add_command(assets)
from catalogue.commands.linking import link  # noqa: E402

cli.add_command(link)

from catalogue.commands.inspect import inspect  # noqa: E402
from catalogue.commands.datasets import history, remove  # noqa: E402
from catalogue.commands.tokens import token  # noqa: E402
from catalogue.commands.optimize import optimize  # noqa: E402

cli.add_command(inspect)
cli.add_command(remove)
cli.add_command(history)
cli.add_command(token)
cli.add_command(optimize)


def main() -> None:  # pragma: no cover - console entry point
    cli(obj={})
