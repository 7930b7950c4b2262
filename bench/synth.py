"""Deterministic synthetic spend files in Leeds City Council's published dialect.

Leeds publishes ``Body, BodyName, ServiceLabel, ServiceDivisionLabel, ExpenditureCategory,
DetailedExpenditureType, DetailedExpenditureCode, DatePaid, TransactionNumber, NetAmount,
CapitalOrRevenue, SupplierName`` with ``dd-Mon-yy`` dates (see
``tests/data/real/leeds/2013-12.csv``). ``write_file`` writes ``lines`` payment rows in
that dialect for one council (named by its SNAC code in ``Body``, as Leeds does), from a
fixed seed, so every run benchmarks the same bytes.

Suppliers come from one pool shared by all councils: the first ``NATIONAL`` share of the
pool are national providers any council may pay (so some suppliers are paid by many
councils, as in real data), the rest are local to one council. Payments per supplier
follow a Zipf-like law, about 2% of rows are redacted payees, 3% are credits.
"""

from __future__ import annotations

import csv
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

HEADER = ["Body", "BodyName", "ServiceLabel", "ServiceDivisionLabel", "ExpenditureCategory",
          "DetailedExpenditureType", "DetailedExpenditureCode", "DatePaid", "TransactionNumber",
          "NetAmount", "CapitalOrRevenue", "SupplierName"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NATIONAL = 0.05

#: Metropolitan districts from loaders/data/councils.csv: (GSS, SNAC, name as published).
COUNCILS = [
    ("E08000035", "00DA", "Leeds City Council"),
    ("E08000036", "00DB", "Wakefield Council"),
    ("E08000033", "00CY", "Calderdale Council"),
    ("E08000032", "00CX", "Bradford Council"),
    ("E08000034", "00CZ", "Kirklees Council"),
    ("E08000016", "00CC", "Barnsley Council"),
    ("E08000019", "00CG", "Sheffield City Council"),
    ("E08000003", "00BN", "Manchester City Council"),
    ("E08000006", "00BR", "Salford City Council"),
    ("E08000009", "00BU", "Trafford Council"),
]

_FIRST = ["Northern", "Pennine", "Civic", "Acorn", "Bright", "Riverside", "Oak", "Summit", "Harbour",
          "Meadow", "Unity", "Phoenix", "Crown", "Beacon", "Granite", "Willow", "Kestrel", "Vale",
          "Atlas", "Compass", "Heritage", "Lantern", "Orchard", "Quarry", "Sterling", "Thistle"]
_SECOND = ["Care", "Construction", "Transport", "Cleaning", "Catering", "Consulting", "Print",
           "Landscapes", "Security", "Facilities", "Software", "Supplies", "Engineering",
           "Housing", "Youth Trust", "Community Projects", "Legal", "Energy", "Fostering", "Waste"]
_SUFFIX = ["Ltd", "Limited", "Ltd", "LLP", "plc", "CIC", "Trust", "& Co", "Ltd", "Services Ltd"]
_SERVICES = {
    "Adults & Health": ["Commissioning", "Provider Services", "Public Health"],
    "Children & Families": ["Learning", "Social Care", "Youth Services"],
    "City Development": ["Highways", "Libraries  Arts & Heritage", "Planning"],
    "Environment & Housing": ["Waste Management", "Parks", "Housing Management"],
    "Resources": ["Finance", "ICT", "Legal Services", "Procurement"],
}
_CATEGORIES = {
    "Supplies and Services": [("Operational Materials", 205), ("Printing", 231), ("Consultants", 260),
                              ("Computer Software", 244), ("Catering Provisions", 213)],
    "Third Party Payments": [("Services Rendered By Other Organisations", 511),
                             ("Payments to Voluntary Organisations", 520), ("Care Packages", 530)],
    "Premises": [("Repairs and Maintenance", 101), ("Cleaning", 130), ("Energy Costs", 140)],
    "Transport": [("Contract Hire", 301), ("Fuel", 310)],
}
_REDACTED = ["REDACTED PERSONAL DATA", "Redacted", "PERSONAL DATA"]


@dataclass(frozen=True)
class Council:
    gss: str
    snac: str
    name: str

    @property
    def body(self) -> str:
        return f"http://statistics.data.gov.uk/doc/local-authority/{self.snac}"


def councils(n: int) -> list[Council]:
    if not 1 <= n <= len(COUNCILS):
        raise ValueError(f"between 1 and {len(COUNCILS)} councils")
    return [Council(*c) for c in COUNCILS[:n]]


def supplier_pool(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names, seen = [], set()
    while len(names) < size:
        name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {rng.choice(_SUFFIX)}"
        if name in seen:
            name = f"{name[:-4] if name.endswith(' Ltd') else name} {len(names)}"
        seen.add(name)
        names.append(name)
    return names


def rows(council: Council, index: int, lines: int, pool: list[str], seed: int, year: int = 2023):
    """The rows of one council's file (without header)."""
    rng = random.Random(seed * 1000 + index)
    national = pool[: max(1, int(len(pool) * NATIONAL))]
    local = pool[len(national):]
    share = max(1, len(local) // len(COUNCILS))
    mine = local[index * share: (index + 1) * share] or local[:share]
    cum_n = list(itertools.accumulate(1 / (k + 1) for k in range(len(national))))
    cum_l = list(itertools.accumulate(1 / (k + 1) ** 0.8 for k in range(len(mine))))
    services = [(s, d) for s, divisions in _SERVICES.items() for d in divisions]
    categories = [(c, t, code) for c, types in _CATEGORIES.items() for t, code in types]
    for n in range(lines):
        service, division = services[rng.randrange(len(services))]
        category, expense_type, code = categories[rng.randrange(len(categories))]
        month = 1 + n * 12 // max(lines, 1)
        day = rng.randint(1, 28)
        draw = rng.random()
        if draw < 0.02:
            payee = rng.choice(_REDACTED)
        elif draw < 0.40:
            payee = rng.choices(national, cum_weights=cum_n)[0]
        else:
            payee = rng.choices(mine, cum_weights=cum_l)[0]
        pence = int(rng.paretovariate(1.3) * 50_000)
        amount = f"{pence // 100}.{pence % 100:02d}"
        if rng.random() < 0.03:
            amount = "-" + amount
        yield [council.body, council.name, service, division, category, expense_type, str(code),
               f"{day:02d}-{MONTHS[month - 1]}-{year % 100:02d}", f"{year % 100:02d}{month:02d}-{n + 1:07d}",
               amount, "C" if rng.random() < 0.05 else "R", payee]


def write_file(path: Path, council: Council, index: int, lines: int, pool: list[str], seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows(council, index, lines, pool, seed))
    tmp.replace(path)
    return path


def synthetic_files(folder: Path, lines: int, n_councils: int = 1, seed: int = 2024) -> list[tuple[Council, Path]]:
    """``lines`` rows split over ``n_councils`` files (made once, reused while they exist)."""
    pool = supplier_pool(max(2000, lines // 40), seed)
    out = []
    per = lines // n_councils
    for index, council in enumerate(councils(n_councils)):
        count = per + (lines - per * n_councils if index == 0 else 0)
        path = folder / f"synthetic-{lines}-{n_councils}-{seed}" / f"{council.gss}-{count}.csv"
        if not path.exists():
            write_file(path, council, index, count, pool, seed)
        out.append((council, path))
    return out
