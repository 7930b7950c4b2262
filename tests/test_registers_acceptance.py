"""Issue 19's acceptance line over every DEV file: "With the register samples loaded, every
DEV supplier whose company or charity number is in a DEV file gets its class from the
register, with that evidence in the crosswalk; postcodes map to councils."

Reads ../shared/data/real (every spend, supplier, contracts and grants file of the DEV
manifest), so it is slow. The register samples are tests/data/registers (their README:
the DEV-number samples give identifiers and names only, and the DEV postcode sample no
areas); postcodes are placed by the test directory of ``test_share_pages`` (by postcode
area alone, made up for the test), so "maps to councils" is checked on placements that
exist, and the DEV sample's unplaced postcodes must stay "unknown", never "no".
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest

from catalogue.linking import crosswalk
from catalogue.linking.records import csv_rows, linkset_graph, read_records
from catalogue.vocab import RDFS, SV
from tests.conftest import BASE, OGL, REAL, SHARED_REAL, manifest
from tests.test_share_pages import REGISTERS, postcode_directory

pytestmark = pytest.mark.slow
CH_DEV = REGISTERS / "BasicCompanyData-dev-sample-part1_1.csv"
CC_DEV = REGISTERS / "publicextract.charity.dev-sample.txt"
PC_DEV = REGISTERS / "ONSPD-dev-sample.csv"
#: Every DEV file: ../shared/data/real when present, else the repository copies.
DEV = SHARED_REAL if (SHARED_REAL / "manifest.csv").exists() else REAL


def _read(path, delimiter):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=delimiter,
                               skipinitialspace=True, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL))


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    from catalogue.ingest import load_file
    from catalogue.linking.run import link_all
    from catalogue.store.embedded import EmbeddedStore

    store = EmbeddedStore(None, mode="write")
    directory = tmp_path_factory.mktemp("postcodes") / "ONSPD_TEST_PLACEMENTS_UK.csv"
    placed = postcode_directory(directory)
    files = [(e["kind"], e["file"], e["gss_code"] or None) for e in manifest(DEV) if e["kind"] != "outcomes"]
    files += [("companies-house", CH_DEV, None), ("charities", CC_DEV, None), ("postcodes", PC_DEV, None),
              ("postcodes", directory, None)]
    for kind, path, publisher in files:
        outcome = load_file(store, kind, path, base=BASE, publisher=publisher, licence=OGL)
        assert outcome.loaded, (path, outcome.report.to_json())
    link_all(store, BASE, licence=OGL)
    walk = {(r[0], r[1], r[2]): dict(zip(crosswalk.COLUMNS, r)) for r in crosswalk.rows(store, BASE)}
    yield {"store": store, "walk": walk, "placed": placed}
    store.close()


def test_every_dev_supplier_with_a_number_in_a_register_sample_gets_its_class_from_the_register(dev):
    """The register's evidence is kept for every such record's organisation (with the register,
    the identifier and a date) and the crosswalk cites it, except where the register sample says
    nothing of a class (its fields are empty) and other evidence decided both SME and VCSE."""
    store = dev["store"]
    in_samples = {f"GB-COH-{r['CompanyNumber']}" for r in _read(CH_DEV, ",")} | \
                 {f"GB-CHC-{r['registered_charity_number']}" for r in _read(CC_DEV, "\t")}
    notes = defaultdict(list)
    for r in csv_rows(store, f"""SELECT ?o ?note WHERE {{ GRAPH <{linkset_graph(store, BASE)}> {{
            ?o <{SV.classEvidence}> ?e . ?e <{SV.evidenceSource}> <{SV.registerSource}> ; <{RDFS.comment}> ?note }} }}"""):
        notes[r["o"]].append(r["note"])
    checked, cited, other = set(), 0, 0
    for record in read_records(store, BASE).values():
        numbers = record.org_ids & in_samples
        if not numbers:
            continue
        row = dev["walk"][(record.council, record.name or "", record.supplier_id or "")]
        names = [f"Companies House {n}" for n in numbers] + [f"Charity Commission register {n}" for n in numbers]
        assert any(name in note for note in notes[row["organisation"]] for name in names), (record.name, row)
        said = row["size_evidence"] + " " + row["vcse_evidence"]
        if any(name in said for name in names):
            cited += 1
        else:  # the register said only "unknown" (the sample's fields are empty): other evidence, or none
            assert all(n.startswith(("size unknown", "the register entry gives no")) for n in notes[row["organisation"]])
            # a settled column names its evidence; with none it stays unknown, never guessed
            assert row["sme"] == "unknown" or row["size_evidence"], (record.name, row)
            assert row["vcse"] == "unknown" or row["vcse_evidence"], (record.name, row)
            other += 1
        checked |= numbers
    assert checked == in_samples and cited > other  # "other": the sample register says nothing of a class


def test_dev_postcodes_map_to_councils_and_local_follows(dev):
    store, placed = dev["store"], dev["placed"]
    graph = linkset_graph(store, BASE)
    postcodes, registered = defaultdict(set), set()
    for r in csv_rows(store, f"SELECT ?o ?p ?pc WHERE {{ GRAPH <{graph}> {{ ?o ?p ?pc "
                             f"VALUES ?p {{ <{SV.postcode}> <{SV.registeredPostcode}> }} }} }}"):
        (postcodes[r["o"]].add(r["pc"]) if r["p"] == str(SV.postcode) else registered.add(r["o"]))
    mapped = unplaced = 0
    for (council, _, _), row in dev["walk"].items():
        org = row["organisation"]
        if not org or org in registered or not postcodes.get(org):
            continue
        districts = {placed[p][0] for p in postcodes[org] if p in placed}
        if len(districts) == 1:
            [district] = districts
            assert row["local_authority"] == district, row
            assert row["local"] == ("yes" if district == council else "no"), row
            mapped += 1
        else:
            assert (row["local_authority"], row["local"]) == ("", "unknown"), row
            unplaced += 1
    assert mapped >= 200 and "yes" in {r["local"] for r in dev["walk"].values() if r["council"] == "E08000006"}
    # Without a directory that places them, postcodes never make a supplier "not local".
    assert all(r["local"] == "unknown" for r in dev["walk"].values() if not r["local_authority"])
