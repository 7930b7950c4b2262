"""Public-body name variants (issue 19, item 4): HMRC / HM Revenue & Customs / Her Majesty's
Revenue and Customs, DWP, NHS England, the Secretary of State for ..., by general rules
(initials of the significant words, &/and, HM/Her/His Majesty's) read from one data file,
tested on variants generated from names the DEV files give."""

from __future__ import annotations

import pytest

from catalogue.linking.cluster import cluster_records
from catalogue.linking.names import parse
from catalogue.linking.public_variants import read_alike, spelled
from catalogue.linking.records import SupplierRecord
from catalogue.linking.run import council_index

#: Public bodies as the DEV council files name them (tests/data/real and ../shared/data/real).
DEV_NAMES = ("HM REVENUE & CUSTOMS", "MINISTRY OF HOUSING COMMUNITIES & LOCAL GOVERNMENT",
             "Department For Work & Pensions", "DEPARTMENT FOR TRANSPORT", "HM PASSPORT OFFICE",
             "Her Majesty's Courts Service", "NHS England", "Secretary Of State for Education")


def variants(name: str) -> dict[str, str]:
    """How another council might write the body's name: its initials, & for and (or back),
    Her Majesty's for HM (or back), SoS for Secretary of State."""
    words = read_alike(parse(name).key)
    out = {"initials": spelled(words).upper()}
    swapped = name.replace("&", "and") if "&" in name else name.replace(" and ", " & ").replace(" And ", " & ")
    if swapped != name:
        out["and"] = swapped
    lower = name.lower()
    if lower.startswith("hm "):
        out["majesty"] = "Her Majesty's " + name[3:]
    elif lower.startswith("her majesty's "):
        out["majesty"] = "HM " + name[len("her majesty's "):]
    if "secretary of state" in lower:
        out["sos"] = "SoS" + name[len("secretary of state"):]
    return out


def _together(a: str, b: str, others: tuple[str, ...] = ()) -> bool:
    records = {f"urn:{n}": SupplierRecord(f"urn:{n}", f"E0800003{n}", name) for n, name in enumerate((a, b, *others))}
    clustering = cluster_records(records, None, council_index().find)
    return any("urn:0" in members and "urn:1" in members for members in clustering.clusters)


@pytest.mark.parametrize("name", DEV_NAMES)
def test_every_generated_variant_of_a_dev_public_body_joins_it(name):
    made = variants(name)
    assert made, name
    for how, variant in made.items():
        if how == "initials" and len(variant) < 2:
            continue
        assert _together(name, variant), (how, variant)


def test_the_forms_in_the_brief():
    assert _together("HMRC", "HM Revenue & Customs")
    assert _together("Her Majesty's Revenue and Customs", "HM Revenue & Customs")
    assert _together("DWP", "Department for Work and Pensions")
    assert _together("NHS England", "National Health Service England")
    assert _together("SoS for Education", "Secretary of State for Education")


def test_initials_join_only_a_public_body_and_only_one():
    assert not _together("ABC", "Alpha Beta Care")  # not a public body's name
    assert not _together("NHS Leeds", "National Health Service Liverpool")  # the other words must match
    # Two departments spelling one set of initials: neither is chosen.
    assert not _together("DT", "Department for Transport", ("Department for Trade",))
    assert not _together("HMRC", "HM Prison Courts")
