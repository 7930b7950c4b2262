"""``--publisher`` and ``--publisher-url``: who published a file, checked before anything is read.

A council is named by its GSS code or name; a body that is not a council (a government
department publishing a table for every area) by its name and web page; an outcome table
for many areas may name none ("publisher not stated", see docs/periods-and-outcomes.md).
"""

from __future__ import annotations

import click

publisher_option = click.option("--publisher", metavar="COUNCIL",
                                help="The publishing council (GSS code or name) when the file does not say; "
                                     "for a body that is not a council, its name with --publisher-url. An outcome "
                                     "table for many areas loads without it (publisher not stated); the registers "
                                     "(companies-house, charities, postcodes, ocds) never take it.")
publisher_url_option = click.option("--publisher-url", metavar="URL",
                                    help="The web page of a --publisher that is not a council "
                                         "(e.g. a government department).")


def check_publisher(publisher: str | None, url: str | None, problem: type[click.ClickException]) -> None:
    """An unknown --publisher is a usage error (``problem``, exit 2), not a fault of the file."""
    from loaders.councils import UnknownCouncil, register

    if url and not publisher:
        raise problem("--publisher-url names the web page of the body given by --publisher: give both.")
    if publisher:
        try:
            register().resolve(publisher, url)
        except UnknownCouncil as exc:
            raise problem(str(exc)) from exc
