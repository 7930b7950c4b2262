"""``/file/...``: the source CSVs as the councils published them, byte for byte.

A dataset's DCAT distribution gives ``dcat:downloadURL`` ``{base}file/<GSS>/<kind>/<key>/
<name>`` with its size and sha256, and every line cites ``<that IRI>#row=N`` (RFC 7111).
This route looks the IRI up in the catalogue graph and sends the copy that the load kept
(``catalogue.sources``), so the citation can be followed and checked against its digest.
The bytes are served untouched, in whatever encoding the council used, and the
``Content-Type`` says which (the encoding the load found, ``sv:encoding``: a Windows-1252 file
labelled UTF-8 would show every pound sign as a replacement character); the digest is the
``ETag``.
"""

from __future__ import annotations

import base64
import codecs

from flask import Blueprint, current_app, send_file

from catalogue import iris
from catalogue.errors import NotFound
from catalogue.sources import find, sources_dir
from catalogue.store import sparql_text as q
from catalogue.vocab import DCAT, DCTERMS, SPDX, SV
from catalogue.web import base_uri, get_store

bp = Blueprint("files", __name__)


def distribution(download_url: str) -> dict | None:
    """The catalogue's facts about the source file with this download URL."""
    cat = q.iri(iris.catalogue_graph(base_uri()))
    rows = get_store().select(f"""
        SELECT ?title ?sha ?encoding WHERE {{ GRAPH {cat} {{
            ?dist {q.iri(DCAT.downloadURL)} {q.iri(download_url)} ; {q.iri(SPDX.checksum)} ?checksum .
            ?checksum {q.iri(SPDX.checksumValue)} ?sha .
            OPTIONAL {{ ?dist {q.iri(DCTERMS.title)} ?title }}
            OPTIONAL {{ ?dataset {q.iri(DCAT.distribution)} ?dist ; {q.iri(SV.encoding)} ?encoding }} }} }} LIMIT 1""").rows
    if not rows:
        return None
    return {"title": str(rows[0].get("title") or download_url.rsplit("/", 1)[-1]), "sha256": str(rows[0]["sha"]),
            "charset": charset(str(rows[0].get("encoding") or ""))}


def charset(encoding: str) -> str | None:
    """The IANA charset name for a Python codec name the loader recorded (``cp1252`` ->
    ``windows-1252``, ``utf-8-sig`` -> ``utf-8``: the BOM stays in the bytes); None when unknown."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return {"cp1252": "windows-1252", "utf-8-sig": "utf-8", "latin-1": "iso-8859-1",
            "iso8859-1": "iso-8859-1", "utf-16-le": "utf-16le", "utf-16-be": "utf-16be",
            "utf-32-le": "utf-32le", "utf-32-be": "utf-32be"}.get(name, name)


def _folder():
    config = current_app.config
    return sources_dir({"STORE": config["SVCAT_STORE"], "SOURCES_DIR": config.get("SVCAT_SOURCES_DIR", "")})


@bp.route("/file/<path:path>")
def source(path: str):
    """Send a kept source file; 404 when no loaded dataset names it or no copy is kept."""
    url = f"{base_uri()}file/{path}"
    facts = distribution(url)
    if facts is None:
        raise NotFound(f"no loaded dataset has the source file {url}")
    kept = find(_folder(), facts["sha256"])
    if kept is None:
        raise NotFound(f"{facts['title']} is catalogued (sha256 {facts['sha256']}) but no copy of it is "
                       "kept here: it was loaded without a sources folder. Load it again to keep it.")
    response = send_file(kept, mimetype="text/csv", as_attachment=False, download_name=facts["title"],
                         etag=facts["sha256"], conditional=True, max_age=3600)
    # set after send_file: werkzeug labels every text/* type utf-8 unless the header is replaced
    response.headers["Content-Type"] = (f"text/csv; charset={facts['charset']}" if facts["charset"]
                                        else "application/octet-stream")
    response.headers["Digest"] = "sha-256=" + _base64_digest(facts["sha256"])
    return response


def _base64_digest(hex_digest: str) -> str:
    """RFC 3230 ``Digest`` value: the sha256 in base64."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
