"""The register of UK councils (``loaders/data/councils.csv``) and how files name them.

Councils write who they are in many ways: a GSS code (``E08000036``), an old ONS SNAC
code inside a URI (``http://statistics.data.gov.uk/doc/local-authority/00DA``), an
OpenDataCommunities URI (``.../metropolitan-district-council/leeds``) or a name
(``The Borough of Calderdale``, ``Wakefield MDC``). ``Register.find`` accepts any of
these; ``Register.resolve`` is what ``--publisher`` uses and says what it could not
match.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

from catalogue import iris
from loaders.converters import header_key, slug

REGISTER = Path(__file__).resolve().parent / "data" / "councils.csv"
#: The areas above councils that tables of areas name beside them (a comparator row):
#: the UK, Great Britain, England and Wales, the four nations and England's nine regions,
#: with their ONS codes (ONS Register of Geographic Codes: entities K02, K03, K04, E92,
#: W92, S92, N92, E12).
AREAS = REGISTER.with_name("areas.csv")
_GSS = re.compile(r"^[ENSW]\d{8}$")
_GSS_IN_TEXT = re.compile(r"\b[ENSW]\d{8}\b")


class UnknownCouncil(LookupError):
    """A ``--publisher`` value that matches no council in the register."""


class Naming(NamedTuple):
    """Where a file names a council: a body column's cell or a title line above the header."""

    council: "Council"
    row: int
    column: str | None  # the body column's title; None for a title line
    value: str


@dataclass(frozen=True)
class Council:
    gss: str
    name: str
    short_name: str
    type: str
    snac: str
    odc_slug: str
    aliases: tuple[str, ...]
    status: str
    end_date: str
    #: The publisher's web page, for a body that is not a council (``--publisher-url``).
    url: str = ""

    @property
    def is_council(self) -> bool:
        """False for a body that is not a council and for a publisher not stated."""
        return self.type not in (BODY, NOT_STATED_TYPE)

    def iri(self, base: str) -> str:
        """The publisher's IRI: ``{base}id/council/{gss}``, else ``{base}id/publisher/{key}``."""
        return iris.council(base, self.gss) if self.is_council else iris.publisher(base, self.gss)


BODY, NOT_STATED_TYPE = "body", "not-stated"


def body(name: str, url: str) -> Council:
    """A publisher that is not a council (a government department, a statistics body), named
    by ``--publisher NAME --publisher-url URL``; its IRI key is its name's slug."""
    name = " ".join(name.split())
    return Council(slug(name, 60), name, name, BODY, "", "", (), "current", "", url.strip())


#: The publisher of a table that covers many areas and names no publisher (outcomes only):
#: the catalogue says so rather than crediting one council with every area's figures.
NOT_STATED = Council("not-stated", "Publisher not stated", "Publisher not stated", NOT_STATED_TYPE,
                     "", "", (), "current", "")


class Register:
    def __init__(self, councils: list[Council]):
        self.councils = councils
        self._keys: dict[str, Council] = {}
        for council in councils:
            for key in self._keys_of(council):
                self._keys.setdefault(key, council)
        # Short names ("Leeds") last, current councils first: a short name never takes a key
        # a full name or alias holds, and "Dorset" is Dorset Council, not the abolished county.
        for council in sorted(councils, key=lambda c: c.status != "current"):
            if council.short_name:
                self._keys.setdefault("name:" + header_key(council.short_name), council)
        self._mentions: re.Pattern | None = None

    @staticmethod
    def _keys_of(council: Council) -> list[str]:
        keys = [council.gss.lower()]
        if council.snac:
            keys.append(council.snac.lower())
        if council.odc_slug:
            keys.append("odc:" + council.odc_slug.lower())
        for name in (council.name, *council.aliases):
            if _GSS.match(name):
                keys.append(name.lower())
            elif name:
                keys.append("name:" + header_key(name))
        return keys

    def by_gss(self, code: str) -> Council | None:
        return self._keys.get(code.strip().lower()) if _GSS.match(code.strip()) else None

    def find(self, value: str) -> Council | None:
        """A council from a code, URI or name as written in a file, or ``None``."""
        text = value.strip()
        if not text:
            return None
        lowered = text.lower().rstrip("/")
        if lowered.startswith(("http://", "https://")):
            path = lowered.split("://", 1)[1].split("/", 1)[-1]
            if "opendatacommunities.org/id/" in lowered:
                slug = lowered.split("opendatacommunities.org/id/", 1)[1]
                if hit := self._keys.get("odc:" + slug):
                    return hit
            last = path.rsplit("/", 1)[-1]
            return self._keys.get(last) or self._keys.get("odc:" + "/".join(path.split("/")[-2:]))
        if _GSS.match(text.upper()):
            return self._keys.get(lowered)
        # "Bedford Borough" is how tables of areas write Bedford Borough Council
        return self._keys.get("name:" + header_key(text)) or self._keys.get("name:" + header_key(text + " council"))

    def mentioned(self, text: str) -> list[Council]:
        """The councils a title line names: a GSS code, or a council's full name or alias
        (``Leeds City Council - Payments over £500``), else a short name (``Leeds spend``)
        written as a word with its capitals. Distinct, in the order they appear."""
        found: list[Council] = [c for code in _GSS_IN_TEXT.findall(text) if (c := self.by_gss(code))]
        if self._mentions is None:
            self._mentions, self._short = self._patterns()
        for pattern in (self._mentions, self._short):
            if found:
                break
            for match in pattern.finditer(text):
                if council := self._keys.get("name:" + header_key(match[0])):
                    found.append(council)
        return list(dict.fromkeys(found))

    def _patterns(self) -> tuple[re.Pattern, re.Pattern]:
        names = {n for c in self.councils for n in (c.name, *c.aliases) if n and not _GSS.match(n)}
        shorts = {c.short_name for c in self.councils if c.short_name}

        def alternation(words, flags=0):
            body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)
        return alternation(names, re.IGNORECASE), alternation(shorts)

    def resolve(self, publisher: str, url: str | None = None) -> Council:
        """``--publisher`` (GSS code or name) -> Council, or a helpful ``UnknownCouncil``.

        With ``url`` (``--publisher-url``), a name that is no council's is a body of its own
        (``body``): a national body that publishes tables for every council."""
        council = self.find(publisher)
        if council:
            return council
        if url:
            if not iris.is_absolute_iri(url.strip()):
                raise UnknownCouncil(f"--publisher-url {url!r} is not an absolute URL (https://...).")
            return body(publisher, url)
        names = [c.name for c in self.councils]
        close = difflib.get_close_matches(publisher, names, n=3, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownCouncil(
            f"no council called {publisher!r} in the register ({REGISTER.name}).{hint} "
            f"Give the council's GSS code, e.g. --publisher E08000035 for Leeds; for a body that is not a "
            f"council, give its name with --publisher-url and its web address."
        )


@lru_cache(maxsize=1)
def register() -> Register:
    with open(REGISTER, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    councils = [
        Council(
            gss=row["gss_code"].strip(),
            name=row["name"].strip(),
            short_name=row.get("short_name", "").strip(),
            type=row.get("type", "").strip(),
            snac=row.get("snac_code", "").strip(),
            odc_slug=row.get("odc_slug", "").strip(),
            aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
            status=row.get("status", "current").strip() or "current",
            end_date=row.get("end_date", "").strip(),
        )
        for row in rows
    ]
    return Register(councils)


#: Canonical fields whose cells name the publishing council (a URI, code or name).
BODY_FIELDS = ("body", "body_name")


def namings(table, rows: list[tuple[int, list[str]]], preamble: list[tuple[int, list[str]]]) -> list[Naming]:
    """Every place the file names a council: the body columns of ``rows`` (the first data
    rows) and the title lines above the header (a full name, a short name or a GSS code)."""
    found: list[Naming] = []
    for number, cells in preamble:
        for cell in cells:
            if cell.strip():
                found += [Naming(c, number, None, cell.strip()) for c in register().mentioned(cell)]
    for number, cells in rows:
        values = table.values(cells)
        for name in BODY_FIELDS:
            if (value := values.get(name)) and (council := register().find(value)):
                found.append(Naming(council, number, table.title(name), value.strip()))
    return found


def unnamed_bodies(table, rows: list[tuple[int, list[str]]]) -> list[str]:
    """Body cells that name no council we know (for the error when none is found)."""
    seen = [v.strip() for _, cells in rows for name in BODY_FIELDS
            if (v := table.values(cells).get(name)) and not register().find(v)]
    return list(dict.fromkeys(seen))


@lru_cache(maxsize=1)
def _areas() -> dict[str, str]:
    with open(AREAS, encoding="utf-8", newline="") as handle:
        return {header_key(name): row["gss_code"] for row in csv.DictReader(handle)
                for name in (row["name"], *row["aliases"].split(";")) if name.strip()}


def area_named(name: str) -> str | None:
    """The ONS code of the nation, UK grouping or English region a table of areas names
    ("England", "Yorkshire and The Humber", "East of England"), or ``None``. Councils are
    ``register().find``'s; a ward or any other area has no name here."""
    return _areas().get(header_key(name))
