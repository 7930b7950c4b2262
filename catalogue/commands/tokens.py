"""``svcat token create|list|revoke``: the operator's publishing tokens."""

from __future__ import annotations

import click


def _file(ctx):
    from catalogue.tokens import TokenFile, tokens_path

    config = dict(ctx.obj["config"], STORE=ctx.obj["store"])
    return TokenFile(tokens_path(config))


@click.group()
def token():
    """Publishing tokens for the upload page and API (kept hashed; see SVCAT_TOKENS_FILE)."""


@token.command("create")
@click.argument("name")
@click.pass_context
def create(ctx, name):
    """Make a token for NAME (a person or system that publishes) and print it once."""
    from catalogue.cli import UsageProblem
    from catalogue.errors import CatalogueError

    tokens = _file(ctx)
    try:
        secret = tokens.create(name)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    click.echo(secret)
    click.echo(f"Token for {name!r}: give it to them now, it is not shown again (only its hash is kept in "
               f"{tokens.path}). Send it as 'Authorization: Bearer <token>' or type it on /publish.", err=True)


@token.command("list")
@click.pass_context
def list_tokens(ctx):
    """List token names and when they were made (never the tokens)."""
    tokens = _file(ctx)
    records = tokens.records()
    for record in records:
        click.echo(f"{record.name}\t{record.created}")
    if not records:
        click.echo(f"no tokens in {tokens.path}", err=True)


@token.command("revoke")
@click.argument("name")
@click.pass_context
def revoke(ctx, name):
    """Revoke NAME's token: it stops working at once."""
    if not _file(ctx).revoke(name):
        click.echo(f"no token called {name!r}", err=True)
        ctx.exit(1)
    click.echo(f"revoked {name!r}")
