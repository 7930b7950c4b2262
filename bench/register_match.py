"""Matching supplier names to a full-size register: link time and peak RSS, matching on and off.

    python bench/register_match.py                          # 500,000 companies, 170,000 charities
    python bench/register_match.py --companies 5000000      # the full Companies House size
    python bench/register_match.py --store PATH --keep      # reuse a store this made before

A council record without a company or charity number is matched to register entries
by its name (``catalogue/linking/register_match.py``). This asks whether that scales to
the real registers: Companies House has about 5.6 million companies, the Charity
Commission extract about 170,000 registered charities (400,000 rows with removed ones).

1. The DEV-like council files (``tests/data/real``, every kind) are loaded into a fresh
   on-disk store (``svcat load --manifest ... --no-link``).
2. A register of ``--companies`` rows in Companies House's published BasicCompanyData
   format (``bench/registers.py``'s generator: ``SYNTHETIC COMPANY <n> LIMITED``) and one of
   ``--charities`` rows in the Charity Commission's ``publicextract.charity`` format
   (``SYNTHETIC CHARITY <n>``) are written, with the names of the DEV files' suppliers
   planted among them as the registers spell names: capitals with LIMITED, "THE ..."
   first, some twice (two entries of one name, left for a person). Every row is
   fabricated: no real company or charity is described (numbers 98..., 3....... ).
3. Both are loaded (``svcat load companies-house|charities FILE --no-link``: rows/s, peak RSS).
4. A full link (``link_all(force=True)``: records, registers, clustering, classes,
   summaries) runs in a child process twice: with register name matching off
   (``register_match.candidates`` returns nothing) and on; each child reports its wall
   and CPU time, its own peak RSS, the seconds spent finding candidates by name and how
   many records matched or were left ambiguous.

Everything lands in ``bench/out/register-match/`` (gitignored); figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import OUT, ROOT, machine_note, python, run_child, table  # noqa: E402
from registers import HEADER, synthetic_basic_company_data  # noqa: E402

BASE = "https://data.example.gov.uk/"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
DEV = ROOT / "tests" / "data" / "real" / "manifest.csv"
CHARITY_SAMPLE = ROOT / "tests" / "data" / "registers" / "publicextract.charity.dev-sample.txt"
CHARITY_WORDS = ("trust", "charity", "society", "association", "foundation", "church", "centre", "club", "group")


def svcat(store: Path, *args: str) -> list[str]:
    return python("-m", "catalogue", "--store", str(store), "--base-uri", BASE, *args)


def dev_names(store: Path) -> list[str]:
    """The names of the DEV files' supplier records that give no company or charity number."""
    from catalogue.linking.records import read_records
    from catalogue.store import open_store

    with open_store(str(store), "read") as opened:
        records = read_records(opened, BASE)
    return sorted({r.name for r in records.values() if r.name and not r.org_ids})


def planted(names: list[str], seed: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, postcode) rows for the company register and for the charity register."""
    from catalogue.linking.names import parse

    rng = random.Random(seed)
    companies, charities = [], []
    for n, name in enumerate(names):
        parsed = parse(name)
        if parsed.person or not parsed.key:
            continue
        postcode = f"ZZ{rng.randint(1, 99)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
                   f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        words = parsed.key.upper()
        if set(parsed.key.split()) & set(CHARITY_WORDS) and n % 2 == 0:
            charities.append((f"THE {words}" if n % 4 == 0 else words, postcode))
        elif n % 3 == 0:
            companies.append((f"{words} LIMITED", postcode))
            if n % 17 == 0:  # a second company of the same name elsewhere
                companies.append((f"{words} LIMITED", postcode.replace("ZZ", "ZY")))
    return companies, charities


def company_register(path: Path, rows: int, plant: list[tuple[str, str]]) -> Path:
    synthetic_basic_company_data(path, max(rows - len(plant), 0))
    width = len(HEADER.split(","))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for n, (name, postcode) in enumerate(plant):
            cells = [""] * width
            cells[0], cells[1], cells[9] = name, f"{98000000 + n:08d}", postcode
            cells[10], cells[11], cells[19] = "Private Limited Company", "Active", "MICRO ENTITY"
            writer.writerow(cells)
    return path


def charity_register(path: Path, rows: int, plant: list[tuple[str, str]]) -> Path:
    """The ``publicextract.charity.txt`` form: tab-separated, unquoted, CRLF."""
    header = CHARITY_SAMPLE.read_text(encoding="utf-8").splitlines()[0].split("\t")
    col = {name: i for i, name in enumerate(header)}
    filler = [(f"SYNTHETIC CHARITY {n}", f"ZX{n % 99 + 1} {n % 9 + 1}AB") for n in range(max(rows - len(plant), 0))]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(header) + "\r\n")
        for n, (name, postcode) in enumerate(filler + plant):
            cells = [""] * len(header)
            cells[col["date_of_extract"]] = "2025-12-01"
            cells[col["registered_charity_number"]] = str(3000000 + n)
            cells[col["linked_charity_number"]] = "0"
            cells[col["charity_name"]] = name
            cells[col["charity_registration_status"]] = "Registered"
            cells[col["latest_income"]] = str(1000 * (n % 5000))
            cells[col["charity_contact_postcode"]] = postcode
            cells[col["charity_is_cio"]] = "true" if n % 5 == 0 else "false"
            handle.write("\t".join(cells) + "\r\n")
    return path


def child_link(store: str, matching: str) -> None:
    """In the child: one full link, matching on or off; prints its figures as JSON."""
    from catalogue.linking import register_match, registers
    from catalogue.linking.run import link_all
    from catalogue.store import open_store

    spent = [0.0]
    found_by_name = register_match.candidates

    def candidates(*args, **kwargs):
        started = time.perf_counter()
        try:
            return found_by_name(*args, **kwargs) if matching == "on" else {}
        finally:
            spent[0] += time.perf_counter() - started

    register_match.candidates = candidates
    counts = {}
    read = registers.read_registers

    def read_and_count(*args, **kwargs):
        out = read(*args, **kwargs)
        counts.update(matched=len(out.by_name), ambiguous=len(out.ambiguous))
        return out

    registers.read_registers = read_and_count
    import catalogue.linking.run as run
    run.read_registers = read_and_count
    started = time.perf_counter()
    with open_store(store, "write") as opened:
        link_all(opened, BASE, licence=OGL, force=True)
    print(json.dumps({"seconds": time.perf_counter() - started, "candidates_seconds": spent[0], **counts}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=500_000, help="rows of the Companies House file")
    parser.add_argument("--charities", type=int, default=170_000, help="rows of the charity register")
    parser.add_argument("--store", help="store folder (default bench/out/register-match/store-N)")
    parser.add_argument("--keep", action="store_true", help="reuse the store if it holds the registers already")
    parser.add_argument("--repeat", type=int, default=1, help="links per setting")
    parser.add_argument("--child-link", nargs=2, metavar=("STORE", "ON_OFF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_link:
        child_link(*args.child_link)
        return
    out = OUT / "register-match"
    out.mkdir(parents=True, exist_ok=True)
    store = Path(args.store or out / f"store-{args.companies}-{args.charities}")
    loads = []
    if not (args.keep and (store / "registers-loaded").exists()):
        shutil.rmtree(store, ignore_errors=True)
        run = run_child(svcat(store, "load", "--manifest", str(DEV), "--no-link", "-q", "-j", "1"))
        if run.returncode != 0:
            sys.exit(f"DEV load failed: {run.stdout[-2000:]} {run.stderr[-2000:]}")
        loads.append(["DEV council files (tests/data/real)", "", f"{run.seconds:,.1f}", "", f"{run.max_rss / 2**20:,.0f}"])
        companies, charities = planted(dev_names(store), seed=19)
        print(f"planted {len(companies):,} company and {len(charities):,} charity names of DEV suppliers", flush=True)
        files = [("companies-house", company_register(
                    out / f"BasicCompanyData-2025-12-01-synthetic-{args.companies}.csv", args.companies, companies),
                  args.companies),
                 ("charities", charity_register(out / f"publicextract.charity.synthetic-{args.charities}.txt",
                                                args.charities, charities), args.charities)]
        for kind, path, rows in files:
            run = run_child(svcat(store, "load", kind, str(path), "--no-link", "-q", "--format", "json"))
            if run.returncode != 0:
                sys.exit(f"{kind} load failed ({run.returncode}): {run.stderr[-2000:]}")
            loads.append([f"svcat load {kind}", f"{rows:,}", f"{run.seconds:,.1f}", f"{rows / run.seconds:,.0f}",
                          f"{run.max_rss / 2**20:,.0f}"])
            path.unlink()
        (store / "registers-loaded").write_text(f"{args.companies} {args.charities}\n")
    links = []
    for matching in ["off", "on"] * args.repeat:
        run = run_child(python(__file__, "--child-link", str(store), matching))
        if run.returncode != 0:
            sys.exit(f"link failed ({run.returncode}): {run.stderr[-3000:]}")
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        links.append([f"full link, name matching {matching}", f"{run.seconds:,.1f}", f"{run.cpu:,.1f}",
                      f"{figures['candidates_seconds']:,.1f}", f"{figures.get('matched', 0):,}",
                      f"{figures.get('ambiguous', 0):,}", f"{run.max_rss / 2**20:,.0f}"])
    print(f"\nRegisters of {args.companies:,} companies and {args.charities:,} charities "
          f"beside the DEV council files ({machine_note()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    if loads:
        print(table(loads, ["load", "rows", "wall s", "rows/s", "peak RSS MiB"]))
    print(table(links, ["link", "wall s", "CPU s", "by-name lookup s", "matched", "ambiguous", "peak RSS MiB"]))
    if not args.keep:
        print(f"(store left in {store}; --keep reuses it)")


if __name__ == "__main__":
    main()
