"""What the official registers say of one organisation: its registry facts, each with its source.

Why here: an organisation's page and its ``.json`` show the same facts from this one
function. The entries are found the way linking finds them
(``catalogue.linking.registers``): by the company and charity numbers the councils'
records publish, a charitable company's entries both ways, in the live register
datasets only, the newest extract winning. Each fact set names its register dataset
(linked on the page) and the date of what it says (the extract's date, else the load's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogue import iris
from catalogue.linking.registers import NAMES, read_registers
from catalogue.store import Store
from catalogue.store.paging import csv_rows
from catalogue.store.sparql_text import iri as q
from catalogue.vocab import DCTERMS

#: (key, label) of each fact, in the order pages show them (entry fact name in ``registers.PROPERTIES``).
FACTS = (("name", "Registered name"), ("status", "Status"), ("category", "Company category or charity type"),
         ("sic", "SIC codes"), ("postcode", "Registered postcode"), ("accounts", "Accounts category"),
         ("accounts_date", "Accounts made up to"), ("incorporated", "Incorporated"),
         ("dissolved", "Dissolved"), ("registered", "Registered as a charity"), ("removed", "Removed"),
         ("income", "Latest income (£)"), ("period_end", "Income for the year to"),
         ("company", "Registered company"), ("previous", "Previous names"))


@dataclass
class _Identifiers:
    """The shape ``read_registers`` reads of a supplier record: identifiers and postcodes."""

    org_ids: set[str]
    postcodes: set[str] = field(default_factory=set)


def registry_facts(store: Store, base: str, identifiers: list[str]) -> list[dict]:
    """One dict per register entry the identifiers lead to: ``register``, ``identifier``,
    ``entry``, ``dataset``, ``dataset_title``, ``date``, ``facts`` (``[(key, label, value)]``,
    lists joined), ``local_authority`` and ``county`` (GSS, when the postcode directory
    places the registered postcode)."""
    wanted = _Identifiers({i for i in identifiers if i.startswith(("GB-COH-", "GB-CHC-"))})
    if not wanted.org_ids:
        return []
    registers = read_registers(store, base, [wanted])
    entries = registers.matched([wanted])
    titles = _titles(store, base, {e.dataset for e in entries})
    out = []
    for entry in entries:
        facts = []
        for key, label in FACTS:
            value = entry.get(key)
            if isinstance(value, list):
                value = "; ".join(sorted(value))
            if value:
                facts.append((key, label, value))
        place = registers.areas.get(entry.get("postcode"), {})
        out.append({"register": NAMES.get(entry.kind, entry.kind), "identifier": entry.org_id, "entry": entry.iri,
                    "dataset": entry.dataset, "dataset_title": titles.get(entry.dataset) or entry.dataset,
                    "date": entry.date, "facts": facts,
                    "local_authority": place.get("local_authority", ""), "county": place.get("county", "")})
    return out


def _titles(store: Store, base: str, datasets: set[str]) -> dict[str, str]:
    if not datasets:
        return {}
    rows = csv_rows(store, f"""SELECT ?ds ?title WHERE {{ GRAPH {q(iris.catalogue_graph(base))} {{
        VALUES ?ds {{ {' '.join(q(d) for d in sorted(datasets))} }} ?ds {q(DCTERMS.title)} ?title }} }}""")
    return {r["ds"]: r["title"] for r in rows}


def as_json(found: list[dict]) -> list[dict]:
    """The facts as plain JSON objects (``{key: value}``), for the organisation's ``.json``."""
    return [{**{k: v for k, v in f.items() if k != "facts"}, "facts": {key: value for key, _, value in f["facts"]}}
            for f in found]
