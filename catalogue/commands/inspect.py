"""``svcat inspect FILE``: what the loaders would make of a file, without loading it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", help="Read the file as this kind (default: the kind that reads it best).")
@click.option("--publisher", metavar="COUNCIL", help="The publishing council, if the file does not say.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="A CSV on the Web metadata file mapping this file's columns.")
@click.option("--sheet", metavar="NAME|N", help="The sheet of an .xlsx/.ods workbook to read (default: the first "
                                                  "sheet with a header).")
@click.option("--rows", default=5, show_default=True, type=int, help="How many data rows to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def inspect(ctx, file, kind, publisher, mapping, sheet, rows, fmt):
    """Show the kind, dialect, encoding, header row, column -> field and first rows of FILE.

    Nothing is loaded. Exit 0 when some kind can read the file, 1 when none can.
    """
    from loaders import KINDS, FileRefused
    from loaders.inspect import inspect_file
    from loaders.mapping import DialectError

    if kind and kind not in KINDS:
        raise click.BadParameter(f"choose one of {', '.join(sorted(KINDS))}", param_hint="--kind")
    try:
        result = inspect_file(file, list(KINDS), kind=kind, publisher=publisher, mapping=mapping, rows=rows,
                              sheet=sheet)
    except (DialectError, FileRefused) as exc:  # a --mapping that cannot be read, a file refused unread
        raise click.UsageError(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(as_text(result))
    ctx.exit(0 if result["kind"] else 1)


def _misfit(candidate: dict) -> str:
    """Why a kind that reads the columns was still not chosen: its structure does not fit."""
    return (f"reads {candidate['fields']} fields, but the rows do not fit it (score {candidate['score']:g}: "
            + "; ".join(candidate["evidence"]) + ")")


def as_text(r: dict) -> str:
    separated = f", cells separated by {r['delimiter']}s" if r.get("delimiter") not in (None, "comma") else ""
    lines = [f"{r['file']}: {r['size']:,} bytes, {r['encoding']}, {r['newline']} line endings{separated}"]
    if not r["kind"]:
        lines.append("  No kind of file we know can read it:")
        lines += [f"    {c['kind']}: {c['problem'] or _misfit(c)}" for c in r["candidates"]]
        return "\n".join(lines)
    before = f" ({len(r['preamble_rows'])} rows before it)" if r["preamble_rows"] else ""
    lines.append(f"  kind {r['kind']} · dialect {r['dialect']['id']} ({r['dialect']['title']})"
                 f" · header on row {r['header_row']}{before}")
    if r.get("evidence"):
        lines.append(f"  confidence {r['confidence']:.0%}: " + "; ".join(r["evidence"]))
    if r.get("close_kind"):
        lines.append(f"  warning: the file could also be {r['close_kind']}; say which with --kind "
                     f"(inspect) or `svcat load KIND FILE`")
    council = r["council"]
    lines.append(f"  council {council['gss']} {council['name']}" if council else f"  council: {r['council_problem']}")
    others = [c for c in r["candidates"] if c["kind"] != r["kind"]]
    if others:
        lines.append("  other kinds: " + "; ".join(
            f"{c['kind']} reads {c['fields']} fields" if c["readable"] else f"{c['kind']} lacks {', '.join(c['missing'])}"
            for c in others))
    lines += ["", f"  {'column':>6}  {'header':<36} {'field':<22} property"]
    for c in r["columns"]:
        lines.append(f"  {c['column']:>6}  {c['header'][:36]:<36} {c['field'] or '-':<22} {c['property'] or ''}")
        if c.get("why"):
            # In full, wrapped: a note (day numbers, dates month first) comes after the evidence.
            lines += [f"  {'':>6}  {part}" for part in textwrap.wrap(f"^ by {c['how']}: {c['why']}", 100,
                                                                     subsequent_indent="  ")]
    if r["sample"]:
        lines += ["", "  first rows:"]
        for s in r["sample"]:
            cells = "  ".join(f"{k}={v.strip()!r}" for k, v in s["values"].items())
            lines.append(f"    row {s['row']}: {cells}")
    if r["notes"]:
        lines += ["", "  notes:"] + [f"    {n['message']}" for n in r["notes"]]
    return "\n".join(lines)


def recognised_kind(file: Path, kinds: list[str], problem: type[Exception]) -> str:
    """The kind a file's structure shows (``svcat inspect``'s choice, ``loaders.kinds``),
    said on stderr with its evidence, and a warning when another kind is close; exit 2
    if none reads it."""
    from loaders.inspect import detect_kind

    found = detect_kind(file, kinds)
    if not found["kind"]:
        raise problem(f"{file}: cannot tell what kind of file this is; name the kind "
                      f"(svcat load KIND FILE, one of {', '.join(kinds)}); `svcat inspect {file}` says why")
    click.echo(f"Reading {file.name} as {found['kind']} (confidence {found['confidence']:.0%}: "
               f"{'; '.join(found['evidence'])})", err=True)
    if found["close"]:
        click.echo(f"Warning: it could also be {found['close']}; if so, say svcat load {found['close']} FILE",
                   err=True)
    return found["kind"]
