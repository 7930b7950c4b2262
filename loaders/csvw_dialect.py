"""The ``dialect`` of a CSV on the Web metadata file, as the reader applies it.

W3C "Metadata Vocabulary for Tabular Data" (section 5.9, dialect descriptions) names
how a CSV file is written: ``encoding``, ``delimiter``, ``quoteChar``, ``doubleQuote``,
``header``/``headerRowCount``, ``skipRows``, ``skipColumns``, ``skipBlankRows``,
``skipInitialSpace``, ``trim``, ``commentPrefix`` and ``lineTerminators``. A publisher's
``--mapping`` may state any of them; each stated property is honoured exactly, and a
property (or value) the reader cannot honour is refused with an error naming it, so a
file is never read differently from what its metadata says. Properties left out are
found from the file as without a mapping (encoding sniffed, header row searched for),
which is why this module keeps "not stated" (``None``) apart from the spec's defaults.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Line endings Python's csv reader splits on by itself (it accepts all three).
STANDARD_TERMINATORS = frozenset({"\r\n", "\n", "\r"})

#: Keys of a dialect description that carry no reading instruction.
_IGNORED = {"@id", "@type", "@context", "dc:description", "rdfs:comment", "notes"}


class CsvwError(ValueError):
    """A CSVW property the loader cannot honour (or an invalid value), named."""


@dataclass(frozen=True)
class CsvDialect:
    """What a mapping's ``dialect`` says; ``None`` where it says nothing."""

    encoding: str | None = None
    delimiter: str | None = None  # not stated: found from the file (``loaders.delimiter``)
    quotechar: str | None = '"'
    doublequote: bool = True
    skip_initial_space: bool = False
    #: Header rows after the skipped rows: ``None`` (not stated: search for the header),
    #: 0 (no header: columns are the mapping's, in order) or a count.
    header_rows: int | None = None
    skip_rows: int = 0
    skip_columns: int = 0
    comment_prefix: str | None = None
    skip_blank_rows: bool = False
    #: The titles of a header-less file's columns, in the file's order (from the mapping).
    column_titles: tuple[str, ...] = ()

    @property
    def csv_options(self) -> dict:
        """Keyword arguments for ``csv.reader``."""
        if self.quotechar is None:
            import csv
            return {"delimiter": self.delimiter or ",", "quoting": csv.QUOTE_NONE,
                    "skipinitialspace": self.skip_initial_space}
        return {"delimiter": self.delimiter or ",", "quotechar": self.quotechar, "doublequote": self.doublequote,
                "escapechar": None if self.doublequote else "\\", "skipinitialspace": self.skip_initial_space}

    @property
    def fixes_header(self) -> bool:
        """True when the metadata says where the header is (so it is not searched for)."""
        return self.header_rows is not None or self.skip_rows > 0


def parse(doc: dict, source: str) -> CsvDialect | None:
    """The ``dialect`` of a metadata document (``None`` when it has none).

    ``source`` names the mapping file in error messages."""
    if "tables" in doc and "tableSchema" not in doc:
        raise CsvwError(f"{source}: 'tables' (a table group) is not supported: give the metadata of the one "
                        "table this file is, with its own tableSchema")
    if doc.get("tableDirection", "auto") not in ("auto", "ltr"):
        raise CsvwError(f"{source}: tableDirection {doc['tableDirection']!r} is not supported (only ltr)")
    raw = doc.get("dialect")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CsvwError(f"{source}: dialect must be an object of dialect properties, not {raw!r} "
                        "(a dialect given by URL is not fetched)")
    values: dict = {}
    for key, value in raw.items():
        if key in _IGNORED:
            continue
        reader = _PROPERTIES.get(key)
        if reader is None:
            raise CsvwError(f"{source}: dialect property {key!r} is not one the loader knows "
                            f"({', '.join(sorted(_PROPERTIES))}); remove it or correct its spelling")
        reader(values, value, f"{source}: dialect.{key}")
    header = values.pop("header", None)
    count = values.pop("headerRowCount", None)
    if header is False:
        if count not in (None, 0):
            raise CsvwError(f"{source}: dialect.header is false but dialect.headerRowCount is {count}")
        values["header_rows"] = 0
    elif count is not None:
        values["header_rows"] = count
    elif header is True:
        values["header_rows"] = 1
    return CsvDialect(**values)


def _bool(name: str):
    def read(values: dict, value, label: str) -> None:
        if not isinstance(value, bool):
            raise CsvwError(f"{label} must be true or false, not {value!r}")
        values[name] = value
    return read


def _count(name: str):
    def read(values: dict, value, label: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CsvwError(f"{label} must be a whole number of 0 or more, not {value!r}")
        values[name] = value
    return read


def _char(name: str, *, nullable: bool = False):
    def read(values: dict, value, label: str) -> None:
        if value is None and nullable:
            values[name] = None
            return
        if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
            raise CsvwError(f"{label}: the loader reads one-character values only, not {value!r}")
        values[name] = value
    return read


def _encoding(values: dict, value, label: str) -> None:
    if not isinstance(value, str):
        raise CsvwError(f"{label} must be an encoding name such as 'utf-8' or 'windows-1252', not {value!r}")
    try:
        codecs.lookup(value)
        values["encoding"] = value
    except LookupError:
        raise CsvwError(f"{label}: {value!r} is not an encoding the loader knows (e.g. utf-8, windows-1252, "
                        "utf-16)") from None


def _trim(values: dict, value, label: str) -> None:
    if value in (True, "true"):
        return  # what the loader always does
    raise CsvwError(f"{label} is {value!r}: the loader always removes spaces at both ends of a cell "
                    "(trim true); remove the property or set it to true")


def _comment(values: dict, value, label: str) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value:
        raise CsvwError(f"{label} must be a non-empty string such as '#', not {value!r}")
    values["comment_prefix"] = value


def _terminators(values: dict, value, label: str) -> None:
    given = [value] if isinstance(value, str) else value
    if not isinstance(given, list) or not given or not all(isinstance(t, str) for t in given):
        raise CsvwError(f"{label} must be a string or a list of strings, not {value!r}")
    other = [t for t in given if t not in STANDARD_TERMINATORS]
    if other:
        raise CsvwError(f"{label}: the loader reads lines ended by CRLF, LF or CR only, not "
                        f"{', '.join(repr(t) for t in other)}")


def _header(values: dict, value, label: str) -> None:
    _bool("header")(values, value, label)


_PROPERTIES = {
    "encoding": _encoding,
    "delimiter": _char("delimiter"),
    "quoteChar": _char("quotechar", nullable=True),
    "doubleQuote": _bool("doublequote"),
    "skipInitialSpace": _bool("skip_initial_space"),
    "header": _header,
    "headerRowCount": _count("headerRowCount"),
    "skipRows": _count("skip_rows"),
    "skipColumns": _count("skip_columns"),
    "skipBlankRows": _bool("skip_blank_rows"),
    "commentPrefix": _comment,
    "lineTerminators": _terminators,
    "trim": _trim,
}
