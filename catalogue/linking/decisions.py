"""Manual link decisions: a small CSV a publisher or analyst writes, kept across re-links.

Columns (a header row is required; unknown columns are ignored, so a copy of the
crosswalk with a ``decision`` column added works)::

    decision,council,supplier_name,supplier_id,other_council,other_supplier_name,other_supplier_id,organisation,note

- ``confirm``: the record and the other record are the same organisation;
- ``reject``: the record is not the same organisation as the other record, or as
  ``organisation``;
- ``assign``: the record belongs to ``organisation`` (an organisation IRI);
- ``forget``: drop the earlier decisions about the record (and the other record).

A record is named as the crosswalk names it (council GSS code, supplier name and id as
published) or by its IRI in ``supplier`` / ``other_supplier``. Decisions are stored
with the links (``sv:LinkDecision``) and applied again by every later ``svcat link``;
for one record (or pair) the latest decision wins.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from catalogue import iris
from catalogue.linking.cluster import Constraints
from catalogue.store.sparql_text import iri as q

ACTIONS = ("confirm", "reject", "assign", "forget")


class DecisionError(ValueError):
    """A decisions file that cannot be applied; ``problems`` lists (row, message)."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"row {row}: {message}" for row, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class Decision:
    action: str
    record: str  # supplier record IRI
    target: str | None  # other record IRI, or organisation IRI
    note: str = ""
    date: str = ""  # ISO time the decision was given

    @property
    def node(self) -> str:
        """Fragment of the linkset IRI naming this decision (same decision, same node)."""
        digest = hashlib.sha1(f"{self.action}\x1f{self.record}\x1f{self.target or ''}".encode()).hexdigest()[:16]
        return f"decision-{digest}"

    @property
    def subject(self) -> tuple[str, ...]:
        """What the decision is about: one record, or an unordered pair."""
        if self.target and "/id/organisation/" not in self.target:
            return tuple(sorted((self.record, self.target)))
        return (self.record,)


def read_decisions(path: str | Path, records_by_reference: dict[tuple[str, str, str], str],
                   known_records: set[str], base: str) -> list[Decision]:
    """Parse and resolve a decisions CSV; raise ``DecisionError`` naming every bad row."""
    problems: list[tuple[int, str]] = []
    out: list[Decision] = []
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "decision" not in reader.fieldnames:
            raise DecisionError([(1, "the header row needs a 'decision' column")])
        for row_number, row in enumerate(reader, start=2):
            get = lambda k: (row.get(k) or "").strip()  # noqa: E731
            action = get("decision").lower()
            if not action:
                continue
            if action not in ACTIONS:
                problems.append((row_number, f"decision must be one of {', '.join(ACTIONS)}, not {action!r}"))
                continue
            record = _record(get, "", records_by_reference, known_records)
            other = _record(get, "other_", records_by_reference, known_records)
            organisation = get("organisation")
            if not record:
                problems.append((row_number, "no such supplier record: give council, supplier_name and "
                                             "supplier_id exactly as the crosswalk has them (or supplier)"))
                continue
            if organisation and not organisation.startswith(iris.organisation(base, "")):
                problems.append((row_number, f"organisation must be an IRI under {iris.organisation(base, '')}"))
                continue
            if other is False:
                problems.append((row_number, "no such other supplier record"))
                continue
            target = other or organisation or None
            if action in ("confirm", "reject") and target is None:
                problems.append((row_number, f"{action} needs the other record or an organisation"))
                continue
            if action == "confirm" and other is None:
                action, target = "assign", organisation
            if action == "assign" and not organisation:
                problems.append((row_number, "assign needs an organisation"))
                continue
            out.append(Decision(action, record, target, get("note"), now))
    if problems:
        raise DecisionError(problems)
    return out


def _record(get, prefix: str, index, known: set[str]):
    """The record a row names (``None`` if it names none, ``False`` if it names a missing one)."""
    iri = get(prefix + "supplier")
    if iri:
        return iri if iri in known else False
    council, name, sid = get(prefix + "council"), get(prefix + "supplier_name"), get(prefix + "supplier_id")
    if not (council or name or sid):
        return None
    return index.get((council, name, sid), False)


def current(decisions: list[Decision]) -> list[Decision]:
    """The decisions in force: the latest per record or pair; ``forget`` removes earlier ones."""
    latest: dict[tuple[str, ...], Decision] = {}
    for decision in sorted(decisions, key=lambda d: d.date):
        key = decision.subject
        if decision.action == "forget":
            for k in [k for k in latest if set(k) & set(key) and (len(key) == 1 or k == key)]:
                del latest[k]
            continue
        if decision.action == "assign":
            for k in [k for k in latest if k == key]:
                del latest[k]
        latest[key] = decision
    return sorted(latest.values(), key=lambda d: (d.date, d.node))


def constraints(decisions: list[Decision], previous: dict[str, str], retired: dict[str, str]) -> Constraints:
    """Turn decisions into clustering constraints (``previous``: record -> organisation last time)."""
    result = Constraints()
    members: dict[str, list[str]] = {}
    for record, org in sorted(previous.items()):
        members.setdefault(org, []).append(record)
    for d in decisions:
        target = retired.get(d.target, d.target) if d.target else None
        is_org = bool(target and "/id/organisation/" in target)
        if d.action == "confirm":
            result.must_link.append((d.record, target, d.note or "confirmed by a person"))
        elif d.action == "reject" and not is_org:
            result.cannot_link.append((d.record, target))
        elif d.action == "reject":
            result.cannot_link += [(d.record, m) for m in members.get(target, []) if m != d.record]
        elif d.action == "assign":
            result.pinned[d.record] = target
            result.detached.add(d.record)
            anchors = [m for m in members.get(target, []) if m != d.record and m not in result.detached]
            if anchors:
                result.must_link.append((d.record, anchors[0], d.note or f"assigned to {target} by a person"))
    return result


def stored_decisions(store, graph: str) -> list[Decision]:
    """The decisions kept with the links in ``graph``."""
    from catalogue.store.paging import csv_rows
    from catalogue.vocab import DCTERMS, RDFS, SV

    rows = csv_rows(store, f"""SELECT ?action ?record ?target ?note ?date WHERE {{ GRAPH {q(graph)} {{
        ?d a {q(SV.LinkDecision)} ; {q(SV.decision)} ?action ; {q(SV.decisionRecord)} ?record ; {q(DCTERMS.date)} ?date .
        OPTIONAL {{ ?d {q(SV.decisionTarget)} ?target }} OPTIONAL {{ ?d {q(RDFS.comment)} ?note }} }} }}""")
    return [Decision(r["action"], r["record"], r.get("target") or None, r.get("note") or "", r["date"]) for r in rows]
