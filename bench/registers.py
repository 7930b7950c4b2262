"""Register load benchmark: ``svcat load companies-house`` on a large BasicCompanyData-shaped file.

    python bench/registers.py                     # 1,000,000 rows
    python bench/registers.py --rows 100000 1000000

The file is SYNTHETIC (every company is named ``SYNTHETIC COMPANY <n> LIMITED`` and
numbered from 90000000 up; nothing in it is a real company) but has the published
header, leading spaces and all, every field quoted, and the mix of categories, accounts
categories, SIC codes, postcodes and previous names the real file has. Each load is a
real ``svcat load`` child process (with ``--no-link``: linking is measured in
``bench/linking.py``) into a fresh on-disk store; its wall time gives rows/s and its
own rusage the peak RSS. The full Companies House file has about 5.6 million rows, in
7 parts of about 850,000: the figures say how long the whole file takes, and whether
memory stays flat as rows grow. Everything lands in ``bench/out/`` (gitignored).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import OUT, machine_note, python, run_child, table  # noqa: E402

HEADER = ("CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,"
          "RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,"
          "CountryOfOrigin,DissolutionDate,IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,"
          "Accounts.NextDueDate,Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
          "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,Mortgages.NumMortPartSatisfied,"
          "Mortgages.NumMortSatisfied,SICCode.SicText_1,SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,"
          "LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,URI,"
          + ",".join(f"PreviousName_{n}.CONDATE, PreviousName_{n}.CompanyName" for n in range(1, 11))
          + ",ConfStmtNextDueDate, ConfStmtLastMadeUpDate")
CATEGORIES = ["Private Limited Company"] * 16 + ["PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
              "Community Interest Company", "Limited Liability Partnership", "Public Limited Company"]
ACCOUNTS = ["MICRO ENTITY"] * 6 + ["TOTAL EXEMPTION FULL"] * 4 + ["DORMANT"] * 3 + [
    "NO ACCOUNTS FILED", "SMALL", "UNAUDITED ABRIDGED", "FULL", "GROUP", "MEDIUM", "ACCOUNTS TYPE NOT AVAILABLE"]
STATUS = ["Active"] * 9 + ["Active - Proposal to Strike off"]
SIC = ["70229 - Management consultancy activities other than financial management",
       "62020 - Information technology consultancy activities", "41100 - Development of building projects",
       "68209 - Other letting and operating of own or leased real estate", "96090 - Other service activities n.e.c."]


def synthetic_basic_company_data(path: Path, rows: int) -> Path:
    """A BasicCompanyData-shaped CSV of ``rows`` synthetic companies (see the module docstring)."""
    width = len(HEADER.split(","))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER + "\r\n")
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for n in range(rows):
            number = f"{90000000 + n:08d}"
            cells = [""] * width
            cells[0], cells[1] = f"SYNTHETIC COMPANY {n} LIMITED", number
            cells[4], cells[6] = f"{n % 200 + 1} SYNTHETIC STREET", "SYNTHETIC TOWN"
            cells[8] = "UNITED KINGDOM"
            cells[9] = f"ZZ{n % 99 + 1} {n % 9 + 1}{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"
            cells[10], cells[11], cells[12] = CATEGORIES[n % len(CATEGORIES)], STATUS[n % len(STATUS)], "United Kingdom"
            cells[14] = f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/{1990 + n % 35}"
            cells[15], cells[16] = "31", "03"
            cells[17], cells[18] = "31/12/2026", "31/03/2025"
            cells[19] = ACCOUNTS[n % len(ACCOUNTS)]
            cells[26] = SIC[n % len(SIC)]
            if n % 4 == 0:
                cells[27] = SIC[(n + 1) % len(SIC)]
            cells[32] = f"http://business.data.gov.uk/id/company/{number}"
            if n % 10 == 0:
                cells[33], cells[34] = "01/06/2015", f"SYNTHETIC OLD NAME {n} LIMITED"
            writer.writerow(cells)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    out = OUT / "registers"
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        path = synthetic_basic_company_data(out / f"BasicCompanyData-synthetic-{rows}.csv", rows)
        store = out / f"store-{rows}"
        shutil.rmtree(store, ignore_errors=True)
        run = run_child(python("-m", "catalogue", "--store", str(store), "load", "companies-house", str(path),
                               "--no-link", "-q", "--format", "json"))
        if run.returncode != 0:
            sys.exit(f"load failed ({run.returncode}): {run.stderr[-2000:]}")
        results.append([f"{rows:,}", f"{path.stat().st_size / 1e6:,.0f} MB", f"{run.seconds:,.1f}",
                        f"{rows / run.seconds:,.0f}", f"{run.cpu:,.1f}", f"{rows / run.cpu:,.0f}",
                        f"{run.max_rss / 2**20:,.0f} MiB"])
        path.unlink()
        shutil.rmtree(store, ignore_errors=True)
    print(f"svcat load companies-house, synthetic BasicCompanyData ({machine_note()})")
    # CPU seconds too: on a shared machine the wall time mostly measures the other processes.
    print(table(results, ["rows", "file", "wall s", "rows/s (wall)", "CPU s", "rows/CPU s", "peak RSS"]))


if __name__ == "__main__":
    main()
