"""Publishing tokens: made, rotated and revoked by the operator (``svcat token``), kept only as hashes.

A token is 32 random bytes (``secrets.token_urlsafe``), shown once when it is created or
rotated. The tokens file keeps each token's name, the sha256 of the token (never the token),
when it was made, when it expires (``--expires-in`` days, 365 by default) and its scope: the
councils (GSS codes) it may publish for, or ``admin`` for any council. A token made for
Leeds cannot replace Salford's data (issue 20): ``/publish`` checks the scope before it reads
the upload, and the load itself refuses a file whose council is out of scope.

Checking a presented token hashes it and compares it with every stored hash in constant
time (``hmac.compare_digest``). The file is re-read on every check, so a revocation or a
rotation takes effect at once in every web worker. Tokens are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from catalogue.errors import BadRequest
from catalogue.paths import beside_store

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
#: A GSS code: the scope of a token names councils by code, never by name.
GSS = re.compile(r"^[EWSNK]\d{8}$")
DEFAULT_DAYS = 365


#: The tokens file's name in an embedded store's folder.
FILE_NAME = "tokens.json"


def tokens_path(config: dict) -> Path:
    return beside_store(config, "TOKENS_FILE", FILE_NAME, "svcat-tokens.json")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass
class TokenRecord:
    name: str
    sha256: str
    created: str
    #: When the token stops working; ``None`` only for tokens made before expiry existed,
    #: which are treated as expired (rotate them).
    expires: str | None = None
    publishers: list[str] = field(default_factory=list)
    admin: bool = False

    def expired(self, when: datetime | None = None) -> bool:
        return self.expires is None or _parse(self.expires) <= (when or datetime.now(timezone.utc))

    @property
    def scope(self) -> str:
        return "any council (admin)" if self.admin else (", ".join(self.publishers) or "no council")


class TokenFile:
    def __init__(self, path: Path):
        self.path = Path(path)

    def records(self) -> list[TokenRecord]:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return [TokenRecord(**t) for t in doc.get("tokens", [])]

    def _write(self, records: list[TokenRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"tokens": [asdict(r) for r in records]}, handle, indent=2)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def create(self, name: str, publishers: list[str] | tuple[str, ...] = (), *, admin: bool = False,
               expires_in: int = DEFAULT_DAYS) -> str:
        """A new token for ``name``, for the councils ``publishers`` (GSS codes) or, with
        ``admin``, any council; it expires after ``expires_in`` days. Shown once: only its
        hash is kept."""
        if not _NAME.match(name):
            raise BadRequest(f"token names are letters, digits and _.@- (up to 64), not {name!r}")
        publishers = sorted({p.strip().upper() for p in publishers})
        wrong = [p for p in publishers if not GSS.match(p)]
        if wrong:
            raise BadRequest(f"--publisher takes a council's GSS code (e.g. E08000035 for Leeds), not {wrong[0]!r}")
        if not publishers and not admin:
            raise BadRequest("say which councils the token may publish for (--publisher GSS, repeatable), "
                             "or --admin for any council")
        if publishers and admin:
            raise BadRequest("an --admin token publishes for any council: give --admin or --publisher, not both")
        if not 1 <= expires_in <= 3650:
            raise BadRequest(f"--expires-in is a number of days from 1 to 3650, not {expires_in}")
        records = self.records()
        if any(r.name == name for r in records):
            raise BadRequest(f"a token called {name!r} exists; rotate or revoke it, or choose another name")
        token = secrets.token_urlsafe(32)
        made = datetime.now(timezone.utc)
        self._write([*records, TokenRecord(name, digest(token), _stamp(made), _stamp(made + timedelta(days=expires_in)),
                                           publishers, admin)])
        return token

    def rotate(self, name: str, expires_in: int | None = None) -> str:
        """A new secret for ``name``, same scope; the old one stops working at once. The new
        one lasts as long as the old one was made to last (or ``expires_in`` days)."""
        records = self.records()
        for i, record in enumerate(records):
            if record.name == name:
                break
        else:
            raise BadRequest(f"no token called {name!r} (see svcat token list)")
        if expires_in is None:
            lasted = (_parse(record.expires) - _parse(record.created)).days if record.expires else DEFAULT_DAYS
            expires_in = max(1, lasted)
        token = secrets.token_urlsafe(32)
        made = datetime.now(timezone.utc)
        records[i] = TokenRecord(name, digest(token), _stamp(made), _stamp(made + timedelta(days=expires_in)),
                                 record.publishers, record.admin)
        self._write(records)
        return token

    def revoke(self, name: str) -> bool:
        records = self.records()
        kept = [r for r in records if r.name != name]
        if len(kept) == len(records):
            return False
        self._write(kept)
        return True

    def find(self, token: str | None) -> TokenRecord | None:
        """The record of a presented token, expired or not (every stored hash compared)."""
        if not token:
            return None
        presented = digest(token)
        found = None
        for record in self.records():
            if hmac.compare_digest(presented, record.sha256):
                found = record
        return found
