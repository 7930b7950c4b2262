"""Dialect mappings: CSV on the Web metadata files that say which column is which field.

Each file in ``loaders/mappings/<kind>/`` describes one council dialect in CSVW terms
(``tableSchema.columns[]`` with ``name``, ``titles``, ``propertyUrl``, ``datatype``,
``null``). ``titles`` lists header synonyms in order of preference; headers are
compared ignoring case, spaces and punctuation. ``sv:match`` lists headers that must
all be present for a council-specific dialect to be chosen over the generic one.
Binding a dialect to a real header row gives a ``TableMap``: field -> column index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from catalogue.vocab import XSD, expand
from loaders.converters import header_key, title_keys
from loaders.terms import iri

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"

#: Fields without which a file of that kind cannot be read at all (one tuple = any of).
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    # An amount, and something that identifies the payment (issue 17: refuse only then).
    "spend": (("net_amount",), ("date", "period", "transaction", "supplier_name", "supplier_id")),
    "suppliers": (("supplier_name", "supplier_id"),),
    "contracts": (("title", "contract_reference"), ("supplier_name", "supplier_id")),
    "grants": (("amount",), ("supplier_name", "org_identifier")),
    "outcomes": (("value",), ("period",), ("indicator",)),
    "framework": (("measure_code",), ("measure",)),
}


class DialectError(ValueError):
    """A header row that no mapping can read; says what is missing and what was seen."""

    def __init__(self, message: str, *, missing: list[str], seen: list[str]):
        super().__init__(message)
        self.missing = missing
        self.seen = seen


@dataclass(frozen=True)
class ColumnMap:
    name: str
    titles: tuple[str, ...]
    property_url: str | None
    datatype: str
    description: str = ""
    #: Further ``sv:`` keys of the column (e.g. a performance table's ``sv:indicator``).
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    #: A mapping's ``datatype.format`` as a parser (``loaders.formats``): raw cell ->
    #: the text the converters read, or ``None`` when the cell does not match.
    format: object = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class Dialect:
    id: str
    title: str
    kind: str
    priority: int
    match: tuple[str, ...]
    nulls: frozenset[str]
    columns: tuple[ColumnMap, ...]
    source: Path
    #: Fields without which this dialect cannot read a file (default: the kind's).
    required: tuple[tuple[str, ...], ...] | None = None
    #: A mapping's CSVW ``dialect`` (``loaders.csvw_dialect.CsvDialect``), if it states one.
    csv: object = field(default=None, compare=False, hash=False)
    #: ``"numbers"``: every free column of numbers is a measure (``loaders.measures``);
    #: ``"periods"``: every free column titled by a period holds values (``loaders.period_columns``).
    measures: str | None = None
    #: Header keys of the columns a mapping marks ``suppressOutput`` (CSVW: the column makes no
    #: output): never read, not even by the kind's own synonyms or by recognition.
    suppressed: frozenset[str] = frozenset()

    def column(self, name: str) -> ColumnMap | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass
class TableMap:
    """A dialect bound to one file's header row."""

    dialect: Dialect
    header: list[str]
    header_row: int
    fields: dict[str, int] = field(default_factory=dict)
    #: How each field got its column (``loaders.recognise.Decision``), when content was looked at.
    decisions: list = field(default_factory=list)
    #: The row above ``header_row`` whose titles were joined to it (a header over two rows), if any.
    joined_row: int | None = None
    #: The two rows of titles as published, when they were joined: either, repeated part way
    #: down (files joined together), is the header again, not a payment.
    title_rows: tuple[list[str], ...] = ()

    def title(self, name: str) -> str | None:
        """The column title as published for a canonical field (``(column N)`` when it has none)."""
        index = self.fields.get(name)
        if index is None:
            return None
        return self.header[index] if self.header[index].strip() else f"(column {index + 1})"

    def values(self, cells: list[str]) -> dict[str, str]:
        """Field -> raw cell text for one record (nulls and missing cells left out)."""
        out = {}
        nulls = self.dialect.nulls
        width = len(cells)
        for name, index in self.fields.items():
            if index < width:
                raw = cells[index].strip()
                if raw and raw.lower() not in nulls:
                    out[name] = cells[index]
        return out


def parse_dialect(path: Path) -> Dialect:
    """Read and check one mapping file; every ``propertyUrl`` must be a declared term."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    schema = doc.get("tableSchema") or {}
    columns = []
    for col in schema.get("columns", []):
        titles = col.get("titles") or []
        titles = (titles,) if isinstance(titles, str) else tuple(titles)
        prop = col.get("propertyUrl")
        if prop:
            expand(prop)  # raises UnknownTerm for a typo or an undeclared term
        datatype = col.get("datatype", "string")
        if isinstance(datatype, dict):
            datatype = datatype.get("base", "string")
        extra = {k: v for k, v in col.items() if k.startswith("sv:")}
        columns.append(ColumnMap(col["name"], titles, prop, datatype, col.get("dc:description", ""), extra))
    nulls = doc.get("null", schema.get("null", [""]))
    nulls = [nulls] if isinstance(nulls, str) else nulls
    return Dialect(
        id=doc.get("@id") or path.stem,
        title=doc.get("dc:title", path.stem),
        kind=doc["sv:kind"],
        priority=int(doc.get("sv:priority", 0)),
        match=tuple(header_key(t) for t in doc.get("sv:match", [])),
        nulls=frozenset(n.strip().lower() for n in nulls),
        columns=tuple(columns),
        source=path,
        required=tuple(tuple(g) for g in doc["sv:required"]) if "sv:required" in doc else None,
        measures=doc.get("sv:measureColumns"),
    )


class ColumnTerm(NamedTuple):
    """What a column's cells become: the predicate (an ``<iri>`` term) and the literal's
    datatype IRI (``None`` for a plain string or an IRI-valued property)."""

    predicate: str
    datatype: str | None


def column_terms(dialect: Dialect) -> dict[str, ColumnTerm]:
    """Field -> its ``ColumnTerm``, read from the mapping's ``propertyUrl`` (a CURIE expanded
    with the ontology's prefixes) and ``datatype``: the loaders emit what the mapping says,
    so the JSON is the one statement of which column feeds which property."""
    return {c.name: ColumnTerm(iri(str(expand(c.property_url))),
                               None if c.datatype in ("string", "anyURI") else str(XSD[c.datatype]))
            for c in dialect.columns if c.property_url}


@lru_cache(maxsize=256)
def fields_by_property(dialect: Dialect) -> dict[str, tuple[str, ...]]:
    """Property IRI -> the fields whose column feeds it, in the mapping's order: where a
    SHACL result on that path came from (``SourceFile.column_for``)."""
    found: dict[str, tuple[str, ...]] = {}
    for c in dialect.columns:
        if c.property_url:
            path = str(expand(c.property_url))
            found[path] = found.get(path, ()) + (c.name,)
    return found


def kind_terms(kind: str) -> dict[str, ColumnTerm]:
    """``column_terms`` of the kind's generic dialect: every field the kind knows."""
    return column_terms(_generic(kind))


@lru_cache(maxsize=None)
def dialects(kind: str) -> tuple[Dialect, ...]:
    """Every shipped dialect of a kind, most specific first."""
    found = [parse_dialect(p) for p in sorted((MAPPINGS_DIR / kind).glob("*.json"))]
    return tuple(sorted(found, key=lambda d: (-d.priority, d.id)))


def bind(dialect: Dialect, header: list[str], header_row: int = 1) -> TableMap:
    """Give each field the first header (by the dialect's order of titles) that matches."""
    keys = [header_key(h) for h in header]
    table = TableMap(dialect, header, header_row)
    used: set[int] = {i for i, k in enumerate(keys) if k in dialect.suppressed}
    for column in dialect.columns:
        for title in column.titles:
            wanted = header_key(title)
            index = next((i for i, k in enumerate(keys) if k == wanted and i not in used), None)
            if index is not None:
                table.fields[column.name] = index
                used.add(index)
                break
    return table


def missing_fields(kind: str, table: TableMap) -> list[str]:
    """Required fields of the dialect (or else of the kind) that the table cannot supply."""
    required = table.dialect.required if table.dialect.required is not None else REQUIRED_FIELDS.get(kind, ())
    return [
        " or ".join(group)
        for group in required
        if not any(name in table.fields for name in group)
    ]


def recognised(kind: str, dialect: Dialect, header: list[str], header_row: int,
               sample: list[list[str]] | None) -> TableMap:
    """Bind by exact titles, or (for kinds recognised by content, given sample rows) by
    title words and content together (``loaders.recognise``)."""
    from loaders.date_columns import read_dates
    from loaders.recognise import RECOGNISED_KINDS, recognise

    if sample is None or kind not in RECOGNISED_KINDS:
        return bind(dialect, header, header_row)
    fields, decisions = recognise(dialect, header, sample)
    dialect, decisions = read_dates(dialect, header, sample, fields, decisions)
    if dialect.measures:  # a performance table's columns of numbers, or a wide table's periods
        from loaders import measures, period_columns

        discover = period_columns.discover if dialect.measures == "periods" else measures.discover
        table = TableMap(discover(dialect, header, sample, fields), header, header_row, fields, decisions)
        measures.bind_measures(table)
        return table
    return TableMap(dialect, header, header_row, fields, decisions)


def choose(kind: str, header: list[str], header_row: int = 1, dialect: Dialect | None = None,
           sample: list[list[str]] | None = None) -> TableMap:
    """The best dialect for a header row, or a ``DialectError`` saying what is missing.

    With ``sample`` (the data rows under the header) columns are also recognised by
    their title words and content, and a refusal describes what each column holds."""
    keys = {k for h in header for k in title_keys(h)}  # a bilingual title matches by either half
    candidates = [dialect] if dialect else [d for d in dialects(kind) if set(d.match) <= keys]
    from loaders.recognise import reads_too_little

    best: TableMap | None = None
    short: TableMap | None = None  # the first that reads the file but not its dates or credits
    for candidate in candidates:
        table = recognised(kind, candidate, header, header_row, sample)
        if missing := missing_fields(kind, table):
            # the refusal speaks of the dialect that came closest (first of equals)
            best = best if best and len(missing_fields(kind, best)) <= len(missing) else table
            continue
        if reads_too_little(kind, table):
            short = short or table
            continue
        return table
    if short is not None:
        return short
    fallback = best or (bind(candidates[0], header, header_row) if candidates else None)
    missing = missing_fields(kind, fallback) if fallback else ["a mapping for this kind"]
    seen = [h for h in header if h.strip()]
    examples = _examples(fallback.dialect, missing) if fallback else ""
    looked = ""
    from loaders.recognise import RECOGNISED_KINDS, describe_columns

    if sample is not None and fallback and kind in RECOGNISED_KINDS:
        looked = " What each column looked like: " + "; ".join(describe_columns(fallback.dialect, header, sample)) + "."
    raise DialectError(
        f"cannot read this file as {kind}: no column for {', '.join(missing)}{examples}. "
        f"Headers seen: {', '.join(repr(h) for h in seen)}.{looked} Rename the column, or pass a "
        f"CSVW mapping file with --mapping that names it.",
        missing=missing,
        seen=seen,
    )


def _examples(dialect: Dialect, missing: list[str]) -> str:
    """`` (a column titled e.g. 'Net Amount', 'Amount')`` for the fields a header lacks."""
    titles = []
    for group in missing:
        for name in group.split(" or "):
            if column := dialect.column(name):
                titles += [repr(t) for t in column.titles[:3]]
    return f" (a column titled e.g. {', '.join(titles)})" if titles else ""


def _generic(kind: str) -> Dialect | None:
    """The kind's generic dialect (lowest priority): every field it knows, with all synonyms
    (not one whose columns are found in the file, such as ``outcomes-table``)."""
    found = [d for d in dialects(kind) if not d.measures]
    return found[-1] if found else None


def user_dialect(kind: str, path: Path) -> Dialect:
    """A publisher's ``--mapping`` file, read as a CSV on the Web metadata document.

    Only ``tableSchema.columns[]`` with ``titles`` and ``propertyUrl`` (and, where a
    property feeds two fields, ``datatype`` or ``name``) are needed: a column's field is
    its ``name`` when that is one of the kind's fields, else the field of the kind's own
    mapping with the same ``propertyUrl``. The kind's own synonyms still apply to the
    columns the file does not mention, so a mapping need only name the unusual ones.
    The metadata's ``dialect`` (how the CSV is written) and each column's
    ``datatype.format`` (how its dates and numbers are written) are honoured as CSVW
    defines them; a property the loader cannot honour is refused, named (see
    ``loaders.csvw_dialect`` and ``loaders.formats``).
    """
    from loaders import csvw_dialect, formats

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DialectError(f"{path.name}: not a readable CSVW metadata file ({exc})", missing=[], seen=[]) from exc
    if not isinstance(doc, dict):
        raise DialectError(f"{path.name}: a CSVW metadata file is a JSON object", missing=[], seen=[])
    if doc.get("sv:kind", kind) != kind:
        raise DialectError(f"{path.name} is a mapping for {doc['sv:kind']}, not {kind}", missing=[], seen=[])
    generic = _generic(kind)
    known = {c.name: c for c in generic.columns} if generic else {}
    columns, positional, suppressed = [], [], set()
    try:
        csv_dialect = csvw_dialect.parse(doc, path.name)
        for number, col in enumerate((doc.get("tableSchema") or {}).get("columns", []), start=1):
            titles = col.get("titles") or []
            if isinstance(titles, dict):  # natural-language titles: {"en": [...]}
                titles = [t for v in titles.values() for t in ([v] if isinstance(v, str) else v)]
            titles = (titles,) if isinstance(titles, str) else tuple(titles)
            label = f"{path.name}: tableSchema.columns[{number}]"
            _refuse_unread(col, label)
            if col.get("virtual"):
                continue
            prop = col.get("propertyUrl")
            datatype = col.get("datatype", "string")
            parse = formats.parser(datatype, f"{label}.datatype")
            datatype = datatype.get("base", "string") if isinstance(datatype, dict) else datatype
            if prop is None and col.get("name") not in known and (col.get("suppressOutput") or not titles):
                positional.append(titles[0] if titles else col.get("name", f"column {number}"))
                suppressed.update(header_key(t) for t in titles if col.get("suppressOutput"))
                continue  # a column the file has but the load does not read
            name = col.get("name") if col.get("name") in known else _field_for(kind, known, prop, datatype, titles,
                                                                                path)
            base = known[name]
            columns.append(ColumnMap(name, titles or base.titles, base.property_url, base.datatype,
                                     col.get("dc:description", ""), dict(base.extra), parse))
            positional.append((titles or base.titles or (name,))[0])
    except csvw_dialect.CsvwError as exc:
        raise DialectError(str(exc), missing=[], seen=[]) from None
    if csv_dialect is not None and csv_dialect.header_rows == 0:
        csv_dialect = replace(csv_dialect, column_titles=tuple(positional))
    mapped = {c.name for c in columns}
    columns += [c for c in (generic.columns if generic else ()) if c.name not in mapped]
    nulls = doc.get("null", sorted(generic.nulls) if generic else [""])
    nulls = [nulls] if isinstance(nulls, str) else nulls
    return Dialect(
        id=doc.get("@id") or f"mapping:{path.name}", title=doc.get("dc:title", path.stem), kind=kind,
        priority=100, match=(), nulls=frozenset(n.strip().lower() for n in nulls), columns=tuple(columns),
        source=path, required=generic.required if generic else None, csv=csv_dialect,
        suppressed=frozenset(suppressed),
    )


#: Column properties that change how a cell is read, which the loader does not do.
_UNREAD_COLUMN_PROPERTIES = ("separator", "default", "ordered", "valueUrl", "aboutUrl")


def _refuse_unread(col: dict, label: str) -> None:
    """A column property that would make the cell read differently: refused, named."""
    from loaders.csvw_dialect import CsvwError

    for key in _UNREAD_COLUMN_PROPERTIES:
        if col.get(key) not in (None, False, ""):
            raise CsvwError(f"{label}.{key} is not supported by the loader (the cell would be read differently "
                            f"from what the metadata says); remove {key!r} from the mapping")
    if col.get("textDirection", "ltr") not in ("ltr", "auto", "inherit"):
        raise CsvwError(f"{label}.textDirection {col['textDirection']!r} is not supported (only ltr)")


def _field_for(kind: str, known: dict, prop: str | None, datatype: str, titles: tuple, path: Path) -> str:
    """The field a user's column feeds, from its propertyUrl (and datatype)."""
    label = f"{path.name}: the column titled {', '.join(repr(t) for t in titles) or '(no titles)'}"
    if not prop:
        raise DialectError(f"{label} has neither a propertyUrl nor a name that is a {kind} field "
                           f"({', '.join(sorted(known))})", missing=[], seen=[])
    wanted = str(expand(prop))
    candidates = [c for c in known.values() if c.property_url and str(expand(c.property_url)) == wanted]
    if len(candidates) > 1:
        candidates = [c for c in candidates if c.datatype == datatype] or candidates
    if len(candidates) == 1:
        return candidates[0].name
    if not candidates:
        raise DialectError(f"{label}: {prop} is not a property {kind} files are read into", missing=[], seen=[])
    raise DialectError(f"{label}: {prop} feeds several fields ({', '.join(c.name for c in candidates)}); "
                       f"say which with \"name\"", missing=[], seen=[])
