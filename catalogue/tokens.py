"""Publishing tokens: made and revoked by the operator (``svcat token``), kept only as hashes.

A token is 32 random bytes (``secrets.token_urlsafe``), shown once when it is created. The
tokens file keeps each token's name, creation time and the sha256 of the token, never the
token; checking a presented token hashes it and compares it with every stored hash in
constant time (``hmac.compare_digest``). The file is re-read on every check, so a
revocation takes effect at once in every web worker. Tokens are never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from catalogue.errors import BadRequest
from catalogue.paths import beside_store

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


#: The tokens file's name in an embedded store's folder.
FILE_NAME = "tokens.json"


def tokens_path(config: dict) -> Path:
    return beside_store(config, "TOKENS_FILE", FILE_NAME, "svcat-tokens.json")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class TokenRecord:
    name: str
    sha256: str
    created: str


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

    def create(self, name: str) -> str:
        """A new token for ``name`` (shown once: only its hash is kept)."""
        if not _NAME.match(name):
            raise BadRequest(f"token names are letters, digits and _.@- (up to 64), not {name!r}")
        records = self.records()
        if any(r.name == name for r in records):
            raise BadRequest(f"a token called {name!r} exists; revoke it first, or choose another name")
        token = secrets.token_urlsafe(32)
        created = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self._write([*records, TokenRecord(name, digest(token), created)])
        return token

    def revoke(self, name: str) -> bool:
        records = self.records()
        kept = [r for r in records if r.name != name]
        if len(kept) == len(records):
            return False
        self._write(kept)
        return True

    def verify(self, token: str | None) -> str | None:
        """The name of the token's holder, or ``None`` (every stored hash compared)."""
        if not token:
            return None
        presented = digest(token)
        holder = None
        for record in self.records():
            if hmac.compare_digest(presented, record.sha256):
                holder = record.name
        return holder
