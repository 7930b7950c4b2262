"""Caps on what a file may cost before it is refused, checked while it streams.

A file that is too big, has a line or a cell longer than any council would write, too
many columns or too many rows is refused as soon as the reader meets the excess: never
after reading the whole thing into memory. The defaults are far above any real council
file (the largest DEV file has about 40,000 rows, 30 columns, lines under 2,000
characters) and far below what would hurt a 2-core server. The operator changes them
with the ``SVCAT_MAX_*`` settings (``catalogue/store/settings.py``); ``svcat load`` and the
``/publish`` upload (which runs ``svcat load``) both read them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


class FileRefused(ValueError):
    """A file the loader will not read: a cap exceeded, an archive, a binary.

    The message names the file, where the reader stopped, what it found, the cap and
    what to do; ``reason`` is a short slug for reports and tests."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """The caps, one per way a file can be too much. 0 turns a cap off."""

    #: Largest file, in bytes (the upload's own cap, SVCAT_MAX_UPLOAD_BYTES, is checked first).
    max_file_bytes: int = 200_000_000
    #: Longest physical line, in bytes (a CSV line; quoted multi-line cells count per line).
    max_line_bytes: int = 1_000_000
    #: Longest single cell, in characters.
    max_cell_chars: int = 100_000
    #: Most cells in one record.
    max_columns: int = 1_000
    #: Most records (rows, the header and preamble included).
    max_rows: int = 5_000_000

    #: ``catalogue.store.settings`` setting name of each cap.
    SETTING = {"max_file_bytes": "MAX_FILE_BYTES", "max_line_bytes": "MAX_LINE_BYTES",
               "max_cell_chars": "MAX_CELL_CHARS", "max_columns": "MAX_COLUMNS", "max_rows": "MAX_ROWS"}

    @classmethod
    def from_config(cls, config: dict | None) -> Limits:
        """The caps from a settings dict (keys without the ``SVCAT_`` prefix)."""
        if not config:
            return cls()
        values = {}
        for f in fields(cls):
            key = cls.SETTING[f.name]
            if config.get(key) not in (None, ""):
                values[f.name] = int(config[key])
        return cls(**values)

    def for_register(self) -> Limits:
        """The caps an official register is read under: at least ``REGISTER_FLOOR``.

        The council caps would refuse every register as published (the Companies House
        file is 2.5 GB and 5.6 million rows, each of its 7 parts about 360 MB; the ONS
        Postcode Directory about 1.4 GB): a register is a known publisher's bulk file,
        loaded by an operator, so only its own size bounds it. Line, cell and column caps
        stay as they are; a cap turned off (0) stays off."""
        return replace(self, **{name: getattr(self, name) and max(getattr(self, name), floor)
                                for name, floor in REGISTER_FLOOR.items()})

    def setting(self, name: str) -> str:
        """``SVCAT_MAX_ROWS`` for ``max_rows``: what an operator changes."""
        return "SVCAT_" + self.SETTING[name]


DEFAULT = Limits()
#: Smallest file and row caps of a register kind (``Limits.for_register``): about three
#: times the largest register as published today.
REGISTER_FLOOR = {"max_file_bytes": 8_000_000_000, "max_rows": 16_000_000}


def refuse(filename: str, what: str, cap_name: str, limits: Limits, *, reason: str, where: str = "") -> FileRefused:
    """A ``FileRefused`` saying which cap, its value and how to raise it."""
    cap = getattr(limits, cap_name)
    at = f" ({where})" if where else ""
    return FileRefused(
        f"{filename}: refused{at}: {what}; the limit is {cap:,} ({limits.setting(cap_name)}). "
        "Check that this is the file you meant (a council CSV has short lines and a few dozen columns); "
        f"an operator can raise {limits.setting(cap_name)} if it really is.", reason=reason)
