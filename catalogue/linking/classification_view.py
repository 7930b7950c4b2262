"""What an organisation page says of its class: the settled classes, the evidence and the conflicts.

Read from the links graph (``svcat link`` wrote each piece of evidence with its source,
precedence level, confidence, whether it is used and, when not, the conflict that set it
aside) and, for evidence a council's file gave, the first source row of the supplier
record it came from (``<file>#row=N``, RFC 7111; a payment line is row N of its file): file, row and
column, or register and identifier. A few lookups by IRI, so the page never scans lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogue.linking.precedence import READ_FROM, TIER_NAMES, said_by
from catalogue.linking.records import csv_rows
from catalogue.store import Store
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCAT, PAY, PROV, RDFS, SV

#: Most records per piece of evidence whose source row is looked up.
ROWS_PER_EVIDENCE = 3
CLASS_LABELS = {"sme": "SME", "largeEnterprise": "large enterprise", "vcse": "VCSE", "publicBody": "public body",
                "individual": "individual", "unknownClass": "unknown"}


@dataclass
class Piece:
    cls: str
    source: str
    level: int | None
    confidence: str
    accepted: bool
    note: str
    conflict: str = ""
    column: str = ""
    derived: list[str] = field(default_factory=list)  # datasets and records it came from
    rows: list[str] = field(default_factory=list)  # source rows (<file>#row=N) it was read from

    @property
    def level_name(self) -> str:
        return TIER_NAMES.get(self.level, "other") if self.level else "–"

    @property
    def label(self) -> str:
        return CLASS_LABELS.get(self.cls, self.cls)

    @property
    def where(self) -> str:
        """The columns as the councils' files head them ('column "Charity Number" of
        2018-Q4.csv'), as ``svcat link`` wrote them at the end of the note."""
        return self.note.rsplit(READ_FROM, 1)[1] if READ_FROM in self.note else ""


@dataclass
class Classification:
    classes: list[str]  # settled, as labels
    evidence: list[Piece]

    @property
    def conflicts(self) -> list[Piece]:
        return [p for p in self.evidence if not p.accepted and p.conflict]

    @property
    def settled(self) -> dict[str, str]:
        """What settled size and VCSE, word for word as the crosswalk's ``size_evidence`` and
        ``vcse_evidence`` say it (``precedence.said_by``)."""
        keys = {CLASS_LABELS.get(k, k): k for k in CLASS_LABELS}
        classes = {keys.get(c, c) for c in self.classes}
        return {"size": said_by("size", classes, self.evidence),
                "vcse": said_by("vcse", classes, self.evidence)}

    def to_json(self) -> dict:
        return {"classes": self.classes, "settled": self.settled, "evidence": [
            {"class": p.cls, "source": p.source, "precedence": p.level, "confidence": p.confidence,
             "accepted": p.accepted, "note": p.note, "conflict": p.conflict or None, "column": p.column or None,
             "where": p.where or None,
             "rows": p.rows} for p in self.evidence]}


def classification(store: Store, graph: str | None, org: str) -> Classification | None:
    """The organisation's settled classes and every piece of evidence, used or not."""
    if graph is None:
        return None
    g, o = q(graph), q(org)
    classes = [r["c"].rsplit("#", 1)[-1] for r in csv_rows(
        store, f"SELECT ?c WHERE {{ GRAPH {g} {{ {o} {q(SV.socialValueClass)} ?c }} }} ORDER BY ?c")]
    rows = csv_rows(store, f"""SELECT ?e ?cls ?source ?level ?confidence ?accepted ?note ?conflict ?column WHERE {{
        GRAPH {g} {{ {o} {q(SV.classEvidence)} ?e . ?e {q(SV.evidenceFor)} ?cls ; {q(SV.evidenceSource)} ?source ;
          {q(SV.accepted)} ?accepted ; {q(RDFS.comment)} ?note .
          OPTIONAL {{ ?e {q(SV.precedence)} ?level }} OPTIONAL {{ ?e {q(SV.confidence)} ?confidence }}
          OPTIONAL {{ ?e {q(SV.conflict)} ?conflict }} OPTIONAL {{ ?e {q(SV.evidenceColumn)} ?column }} }} }}
        ORDER BY ?e""")
    derived: dict[str, list[str]] = {}
    for r in csv_rows(store, f"""SELECT ?e ?from WHERE {{ GRAPH {g} {{ {o} {q(SV.classEvidence)} ?e .
            ?e {q(PROV.wasDerivedFrom)} ?from }} }} ORDER BY ?e ?from"""):
        derived.setdefault(r["e"], []).append(r["from"])
    pieces = []
    for r in rows:
        piece = Piece(r["cls"].rsplit("#", 1)[-1], _source_name(r["source"]),
                      int(r["level"]) if r.get("level") else None, r.get("confidence") or "",
                      r["accepted"] in ("true", "1"), r["note"], r.get("conflict") or "", r.get("column") or "",
                      derived.get(r["e"], []))
        if piece.column:
            piece.rows = _first_rows(store, [d for d in piece.derived if "/id/supplier/" in d][:ROWS_PER_EVIDENCE])
        pieces.append(piece)
    pieces.sort(key=lambda p: (not p.accepted, p.level or 9, p.cls, p.note))
    return Classification([CLASS_LABELS.get(c, c) for c in classes], pieces)


def _source_name(iri: str) -> str:
    local = iri.rsplit("#", 1)[-1]
    return local[:-len("Source")] if local.endswith("Source") else local


def _first_rows(store: Store, records: list[str]) -> list[str]:
    """The first source row that names each record (a payment line, a list row, a contract)."""
    out = []
    for record in records:
        # A payment line states no source row: line N is row N of its dataset's file.
        found = csv_rows(store, f"""SELECT ?row WHERE {{ {{ GRAPH ?g {{ ?x ?p {q(record)} .
            ?x {q(PROV.wasDerivedFrom)} ?row FILTER(CONTAINS(STR(?row), "#row=")) }} }} UNION {{
            GRAPH ?g {{ ?x {q(PAY.payee)} {q(record)} }} ?d {q(SV.namedGraph)} ?g ;
              {q(DCAT.distribution)}/{q(DCAT.downloadURL)} ?file .
            BIND(IRI(CONCAT(STR(?file), "#row=", STRAFTER(STR(?x), "/line/"))) AS ?row) }} }} LIMIT 1""")
        out += [r["row"] for r in found]
    return out
