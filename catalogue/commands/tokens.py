"""``svcat token create|rotate|list|revoke``: the operator's publishing tokens (scoped, expiring)."""

from __future__ import annotations

import click


def load_guards(command):
    """``svcat load``'s options for guarded replacements and for ``/publish`` (hidden)."""
    for option in reversed([
        click.option("--allow-shrink", is_flag=True,
                     help="Replace the dataset even with a file that has no rows or fewer than half its rows."),
        click.option("--scope", multiple=True, hidden=True, help="(/publish) Refuse a file of another council."),
        click.option("--who", hidden=True, help="(/publish) The publishing token's name, for the change record."),
    ]):
        command = option(command)
    return command


def operator() -> str:
    """Who a command-line load is by, for the change record."""
    import getpass

    try:
        return f"svcat load ({getpass.getuser()})"
    except (KeyError, OSError):
        return "svcat load"


def _file(ctx):
    from catalogue.tokens import TokenFile, tokens_path

    config = dict(ctx.obj["config"], STORE=ctx.obj["store"])
    return TokenFile(tokens_path(config))


def _show(tokens, name: str, secret: str) -> None:
    record = next(r for r in tokens.records() if r.name == name)
    click.echo(secret)
    click.echo(f"Token for {name!r}, for {record.scope}, until {record.expires}: give it to them now, it is not "
               f"shown again (only its hash is kept in {tokens.path}). Send it as 'Authorization: Bearer <token>' "
               "(the /publish page does this for you); a token in a URL or a form field is refused.", err=True)


@click.group()
def token():
    """Publishing tokens for the upload page and API (scoped to councils, expiring, kept hashed;
    see SVCAT_TOKENS_FILE)."""


@token.command("create")
@click.argument("name")
@click.option("--publisher", "publishers", multiple=True, metavar="GSS",
              help="A council the token may publish for, by GSS code (repeatable).")
@click.option("--admin", is_flag=True, help="The token may publish for any council.")
@click.option("--expires-in", type=int, default=365, show_default=True, metavar="DAYS",
              help="Days until the token stops working.")
@click.pass_context
def create(ctx, name, publishers, admin, expires_in):
    """Make a token for NAME (a person or system that publishes) and print it once."""
    from catalogue.commands.common import UsageProblem
    from catalogue.errors import CatalogueError

    tokens = _file(ctx)
    try:
        secret = tokens.create(name, publishers, admin=admin, expires_in=expires_in)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    _show(tokens, name, secret)


@token.command("rotate")
@click.argument("name")
@click.option("--expires-in", type=int, default=None, metavar="DAYS",
              help="Days until the new token stops working (default: as long as the old one was made to last).")
@click.pass_context
def rotate(ctx, name, expires_in):
    """Give NAME a new token with the same scope; the old one stops working at once."""
    from catalogue.commands.common import UsageProblem
    from catalogue.errors import CatalogueError

    tokens = _file(ctx)
    try:
        secret = tokens.rotate(name, expires_in)
    except CatalogueError as exc:
        raise UsageProblem(exc.message) from exc
    _show(tokens, name, secret)


@token.command("list")
@click.pass_context
def list_tokens(ctx):
    """List token names, scopes, when they were made and when they expire (never the tokens)."""
    tokens = _file(ctx)
    records = tokens.records()
    for record in records:
        state = "EXPIRED" if record.expired() else "valid"
        click.echo(f"{record.name}\t{record.scope}\t{record.created}\t{record.expires or '-'}\t{state}")
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
