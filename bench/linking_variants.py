"""Linking on generated variants of real names: a guard against rules fitted to the DEV pairs.

    python bench/linking_variants.py --store PATH [--sample 400] [--seed 19]

``PATH`` is a store holding the real files (``python bench/linking.py --store PATH``).
A sample of the registered names there (records that publish a company number) is
written again as a council never seen would write it, each with one change: case and
Ltd/Limited; no legal form; a typo; an abbreviation; a branch ("- North", "Leeds
Branch", "(Leeds)"); cut at 32 characters; one more word at the end. Each variant is
a record of a new council without identifiers; recall is the share that joins its
original. Then the negatives: a same-named establishment (school, care home...) of the
new council with no postcode, and a sister firm (the last word of the name replaced by
another name's last word): the share that joins its original is a false link.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.linking.cluster import cluster_records  # noqa: E402
from catalogue.linking.establishments import corroboration, is_establishment
from catalogue.linking.forest import COMPANY_FORMS  # noqa: E402
from catalogue.linking.names import parse  # noqa: E402
from catalogue.linking.records import SupplierRecord, read_records  # noqa: E402
from catalogue.linking.run import council_index  # noqa: E402
from catalogue.linking.similarity import WEAK  # noqa: E402
from catalogue.store import open_store  # noqa: E402

BASE = "https://data.example.gov.uk/"
UNSEEN = "E99999999"
ABBREVIATE = {"services": "svcs", "limited": "ltd", "association": "assn", "international": "intl",
              "management": "mgmt", "and": "&", "company": "co", "department": "dept"}


def typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 7 or not word.isalpha():
        return None
    i = rng.randrange(1, len(word) - 2)
    words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return " ".join(words)


def variants(name: str, rng: random.Random) -> dict[str, str | None]:
    """One changed spelling of a registered name per kind of change."""
    lowered = name.lower()
    has_ltd = " ltd" in lowered or " limited" in lowered
    no_form = " ".join(w for w in name.split() if w.lower().strip(".") not in ("ltd", "limited", "plc", "llp"))
    words = name.split()
    abbreviated = [ABBREVIATE.get(w.lower(), w) for w in words]
    return {
        "case and Ltd/Limited": (name.upper().replace(" LIMITED", " LTD") if "limited" in lowered
                                 else name.title().replace(" Ltd", " Limited")),
        "no legal form": no_form if no_form != name else None,
        "typo": typo(name, rng),
        "abbreviation": " ".join(abbreviated) if abbreviated != words else None,
        "branch": (f"{name} - North" if has_ltd else f"{name} Leeds Branch") if rng.random() < 0.5 else
                  (f"{name} (Leeds)" if has_ltd else f"{name} North Divisional Office"),
        "cut at 32 characters": name[:32] if len(name) > 36 else None,
        "one more word": None if has_ltd else f"{name} Services",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--mistakes", action="store_true", help="list the variants linked wrongly")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open_store(args.store, "read") as store:
        records = read_records(store, BASE)
    registered = sorted({r.name for r in records.values() if r.company_numbers and r.name and not parse(r.name).person})
    sample = rng.sample(registered, min(args.sample, len(registered)))
    # Establishments as a scoped name: no company form (a registered name is one company), no town it names.
    establishments = sorted({r.name for r in records.values() if r.name and is_establishment(parse(r.name).key)
                             and not r.org_ids and not parse(r.name).forms & COMPANY_FORMS
                             and not corroboration(parse(r.name).key, set(), set())})
    original = {}
    for r in records.values():
        original.setdefault(r.name, r.iri)
    added: dict[str, tuple[str, str, bool]] = {}  # iri -> (kind, original iri, should join)
    for n, name in enumerate(sample):
        for kind, text in variants(name, rng).items():
            if text:
                added[f"urn:variant:{n}:{kind}"] = (kind, original[name], True)
                records[f"urn:variant:{n}:{kind}"] = SupplierRecord(f"urn:variant:{n}:{kind}", UNSEEN, text)
    for n, name in enumerate(rng.sample(establishments, min(args.sample, len(establishments)))):
        added[f"urn:establishment:{n}"] = ("same-named establishment, no postcode", original[name], False)
        records[f"urn:establishment:{n}"] = SupplierRecord(f"urn:establishment:{n}", UNSEEN, name.upper())
    lasts = sorted({w for name in registered if len(name.split()) > 2 and (w := name.split()[-1]).isalpha()
                    and len(w) > 3 and not parse(w).forms and w.lower() not in WEAK})
    for n, name in enumerate(sample):
        words = [w for w in name.split() if w.lower().strip(".") not in ("ltd", "limited", "plc", "llp")]
        if len(words) < 2:
            continue
        other = rng.choice(lasts)
        if other.lower() in (w.lower() for w in words):
            continue
        added[f"urn:sister:{n}"] = ("sister firm (last word changed)", original[name], False)
        records[f"urn:sister:{n}"] = SupplierRecord(f"urn:sister:{n}", UNSEEN, " ".join(words[:-1] + [other]) + " Ltd")
    clustering = cluster_records(records, None, council_index().find)
    cluster_of = {m: i for i, members in enumerate(clustering.clusters) for m in members}
    joined, total = Counter(), Counter()
    for iri, (kind, source, should) in added.items():
        total[kind] += 1
        joined[kind] += cluster_of[iri] == cluster_of[source]
        if args.mistakes and (cluster_of[iri] == cluster_of[source]) != should:
            print(f"  {'missed' if should else 'false link':10} {kind:30} {records[source].name!r} | "
                  f"{records[iri].name!r} ({clustering.links[iri].method})")
    print(f"{len(sample)} registered names sampled (seed {args.seed}); variants in council {UNSEEN}\n")
    print(f"{'change':40} {'variants':>8} {'joined':>7} {'share':>6}")
    for kind in total:
        print(f"{kind:40} {total[kind]:>8} {joined[kind]:>7} {joined[kind] / total[kind]:>6.3f}")
    positives = [k for k in total if not k.startswith(("same-named", "sister"))]
    tp = sum(joined[k] for k in positives)
    fp = sum(joined[k] for k in total if k not in positives)
    fn = sum(total[k] - joined[k] for k in positives)
    print(f"\nrecall on variants {tp / (tp + fn):.3f}; false links on negatives {fp} of "
          f"{sum(total[k] for k in total if k not in positives)}; precision {tp / (tp + fp) if tp + fp else 1:.3f}")


if __name__ == "__main__":
    main()
