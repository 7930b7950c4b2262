"""A renamed firm: the names the register gives a company number, as names of its records.

Companies House keeps a company's current name and up to ten previous names. A council
that pays "Engie Regeneration Ltd" with company number 01738371 and another that pays
"Equans Regeneration Ltd" (its name since) without a number are paying one company:
once the register is loaded (``svcat load companies-house``), the register's names of
each number a record publishes count as names of that record, so a record that gives
one of them, but no number, joins by name; the link's evidence names the register, the
number and the date of the extract.
"""

from __future__ import annotations

from catalogue.linking.records import SupplierRecord
from catalogue.linking.registers import Registers


def register_aliases(records, registers: Registers | None) -> dict[str, list[tuple[str, str]]]:
    """Record IRI -> [(a name the register gives its company number, why)]."""
    out: dict[str, list[tuple[str, str]]] = {}
    if registers is None or not registers.entries:
        return out
    for record in records:
        record: SupplierRecord
        for entry in registers.matched([record]):
            if entry.kind != "companies-house" or entry.org_id not in record.org_ids:
                continue
            names = [(entry.get("name"), "the registered name")] + [
                (previous, "a previous name") for previous in entry.facts.get("previous", [])]
            for name, what in names:
                if name and name != record.name:
                    out.setdefault(record.iri, []).append((name, f"{name!r} is {what} of {entry.where}"))
    return out
