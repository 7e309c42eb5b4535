"""Deduplicating one file: the errors found on a public list of sites (address forms, blocking, u from a
file full of duplicates, a place both records name) for every entity type, and `match-csv FILE` alone."""

from __future__ import annotations

import csv
import json
import random
import threading
from pathlib import Path

import numpy as np
import pytest

from app.cli import main
from app.core.config import get_settings
from app.matching.batch import Columns, score_many
from app.matching.blocking import CandidateIndex
from app.matching.comparisons import compare_address, compare_name
from app.matching.csv_tool import candidate_links, clusters, links_within, same_file
from app.matching.linkage import (
    FIELDS,
    LinkageModel,
    level_frequencies,
    level_matrix,
    load_model,
    model_in_use,
    random_pairs,
    save_model,
    shipped_model,
    starting_model,
    train,
)
from app.matching.records import MatchRecord, prepare
from app.matching.scorer import held_back
from app.matching.training import candidate_pairs

HIGH = get_settings().match_high_threshold
ENTITIES = ("builder", "community", "property")


def _site(entity: str, name: str, address: str, record_id: object, **values: object) -> MatchRecord:
    key = "address1" if entity == "property" else "address"
    title = "title" if entity == "property" else "name"
    return prepare(entity, {title: name, key: address, **values}, record_id)


@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("4214 S ST LAWRENCE", "4214 S. St. Lawrence Ave"),  # a saint's street, not a street "S" in "Lawrence"
        ("4214 S. Saint Lawrence", "4214 S St Lawrence"),
        ("124 E 113 ST", "124 E 113th Street"),  # a numbered street with or without its ordinal
        ("5 W 22 St", "5 West 22nd St"),
        # Numbered roads: farm and ranch roads, US and state highways, interstates, county roads, routes.
        ("14 FM 1960 Rd W", "14 Farm-to-Market Road 1960 W"),
        ("9 RM 620", "9 Ranch to Market Rd 620"),
        ("13010 FM 620 N", "13010 RM 620 N"),  # Texas's farm and ranch roads are one numbering: one road
        ("500 SH 6", "500 State Highway 6"),
        ("123 US-290", "123 U.S. Hwy 290"),
        ("10 IH 10 W", "10 I-10 W"),
        ("1321 N Interstate Hwy 35", "1321 N I-35"),
        ("1500 S I-35E", "1500 S INTERSTATE 35E"),  # a lettered interstate
        ("1500 S IH 35E", "1500 S I-35E"),
        ("9050 I 635", "9050 I-635 Frontage Rd"),  # a licence list's interstate, written with a space
        ("11988 N I-35", "11988 N IH 35 SVC RD"),  # a tax register's service road
        ("100 E Business Interstate 20", "100 E BUS IH 20"),  # a business route
        ("12000 US HWY 290 BUS", "12000 US-290 Business"),  # ... written after the road's number
        ("12000 US 290 Business", "12000 Business US 290"),
        ("3120 US 90 Alt", "3120 US HIGHWAY 90A"),  # an alternate route, by its word or its letter
        ("3120 Alt US 90", "3120 Hwy 90 Alternate"),
        ("7623 FM 1902", "7623 F M 1902"),  # a farm road's letters written apart
        ("7765 COUNTY ROAD 2710", "7765 C R 2710"),  # ... a county road's
        ("13201 RR 620", "13201 R R 620"),  # ... a ranch road's
        ("490 FM 1626 #450", "490 FM 1626 # 450"),  # a number sign apart from its unit
        ("4695 COUNTY ROAD 131", "4695 CR131"),  # ... or run into its number, as a county's permit types it
        ("5545 FM 969", "5545 FM969"),
        ("1200 RR 1869", "1200 Ranch Road 1869"),  # a ranch road, not a rural route's box
        (
            "2517 TX-29 #130, Liberty Hill, TX 78642",
            "2517 SH 29 Ste 130, Liberty Hill, TX 78642",
        ),  # a map's road, a suite
        ("2100 N I 35E", "2100 N Interstate 35E"),
        # A highway's frontage, service or access road is the highway as addresses give it.
        ("1321 N I-35 Frontage Rd", "1321 N IH 35"),
        ("1321 I-35 North Access Rd", "1321 Interstate 35 N"),
        ("1321 I-35 NB Service Road", "1321 I-35 N"),
        ("500 US-290 Frontage Rd", "500 Hwy 290"),
        ("55 CR 123", "55 County Road 123"),
        ("8625 CR 540a", "8625 COUNTY ROAD 540A"),  # a lettered county road
        ("6000 RM 2222", "6000 Ranch Road 2222"),  # a ranch road's "RM" after a house number, no room
        ("12350 RM 1431", "12350 RANCH TO MARKET RD 1431"),  # ... spelt out, its number no unit
        ("11251 RM 1431", "11251 r m 1431"),  # ... its letters apart
        ("6337 N LOOP 1604 E", "6337 North Loop 1604 East"),  # a numbered loop in capitals, no unit 1604E
        ("2211 King&#8217;s Crossing Dr", "2211 Kings Crossing Dr"),  # a scraped page's character reference
        ("3 State Route 9", "3 SR 9"),
        ("1201 W SR 434", "1201 W State Road 434"),  # Florida's state roads
        ("1201 W SR 434", "1201 W Hwy 434"),  # one numbering, however a listing names it
        ("4500 N State Road 37", "4500 N IN-37"),  # a map writes the state's code before its number
        ("500 E St Rd 436", "500 E State Rd 436"),
        ("3 Rt. 9", "3 Route 9"),
        ("9 RR 620", "9 Ranch Road 620"),  # Texas writes its ranch roads RR and RM alike
        ("13201 Ranch Road 620 #114", "13201 RANCH ROAD 620 STE 114"),  # a suite after the road's number
        ("1200 FM 1869 Bldg C", "1200 Farm to Market Road 1869, Building C"),  # a building after the road's number
        ("3077 FM 2920 BLDG 2", "3077 Farm-to-Market Road 2920 Bldg 2"),  # not "FM 2" and unit 2920
        ("100 SH 249 BLDG 4", "100 State Highway 249, Building 4"),
        ("2100 RM 620 Bldg 2 Ste 100", "2100 RM 620, Bldg 2, Suite 100"),
        ("1500 Bay Area Blvd Unit 203 Building A", "1500 Bay Area Blvd Bldg A Unit 203"),  # a building's word spelt
        ("105 Kestrel Way", "105 KESTREL WAY TMP SVC"),  # a utility's construction service after the street
        ("109 Sable Creek Dr", "109 SABLE CREEK DR (TEMP POLE)"),
        ("109 Sable Creek Dr", "109 SABLE CREEK DR IRR"),  # a water meter's for the lawn, no unit
        ("8122 Starfish Bay Ln", "8122 STARFISH BAY LN - MTR LEFT SIDE"),  # where the crew set the meter
        ("8122 Starfish Bay Ln", "8122 Starfish Bay Ln (meter at rear)"),
        ("2101 Bluebonnet Blvd #C", "2101 Bluebonnet Blvd-C"),  # a townhome's letter hyphened to the type
        ("2185 Bluebonnet Blvd Unit C", "2185 Bluebonnet BlvdC"),  # ... or glued to it, a homeowner's typing
        ("15971 RM 620 #104, Austin, TX 78723", "15971 Ranch Road 620 Ste. 104"),  # a map's suite before the town
        ("996 US Rte 23", "996 US-23"),  # a US route
        ("696 W WT Harris Bvld", "696 W WT Harris Blvd"),  # a type's abbreviation with two letters swapped
        ("17426 Katy wFy", "17426 Katy Freeway"),
        ("189 Primrose Lp", "189 Primrose Loop"),  # a loop as Texas abbreviates it
        ("189 Primrose Lp", "189 Primrose"),  # ... and with no type
        ("1344 PR 3679", "1344 Private Road 3679"),  # a private road's number, not a unit
        ("1344 PVT RD 3679", "1344 Priv Rd 3679"),
        ("12345 ST HWY 71 W", "12345 State Hwy 71 W"),  # a state highway, not Saint Hwy
        ("4670 ST RT 37 E", "4670 State Route 37 E"),  # an Ohio board's "ST RT", not Saint Route
        ("4670 ST RTE 37 E", "4670 SR 37 E"),
        ("333 Universal Terrace Parkway", "333 Universal Terrace Pkwy"),  # a type word in the name before the type
        ("W123N456 Cty Rd K", "W123N456 County Road K"),  # a county road known by a letter
        ("12345 Katy Fwy", "12345 Katy Freeway"),
        ("One Riverway, Suite 1700", "1 Riverway Ste 1700"),  # a house number spelt out
    ],
)
def test_one_street_address_written_two_ways_is_the_same(entity: str, left: str, right: str) -> None:
    a, b = _site(entity, "Fuller", left, 1), _site(entity, "Fuller", right, 2)
    assert compare_address(a, b) == "same"
    assert _batch_level(a, b) == "same"


def _batch_level(a: MatchRecord, b: MatchRecord) -> str | None:
    """The address level the column-wise scorer gives the pair."""
    ((_position, score),) = score_many(a, Columns.of([b]), np.array([0]), link_threshold=0.9)
    return score.levels.get("address")


@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("14 FM 1960", "14 FM 1961"),
        ("55 County Road 123", "55 County Road 124"),
        ("500 Hwy 6", "500 Hwy 249"),
        # A lettered road is another road than the one of its number.
        ("8625 CR 540", "8625 COUNTY ROAD 540A"),
        ("3120 US 90", "3120 US HIGHWAY 90A"),
    ],
)
def test_roads_whose_numbers_differ_are_two_roads(entity: str, left: str, right: str) -> None:
    """One digit apart reads like a typo, but a road's number is what names it."""
    a, b = _site(entity, "Fuller", left, 1), _site(entity, "Fuller", right, 2)
    assert compare_address(a, b) == _batch_level(a, b) == "different"


@pytest.mark.parametrize("entity", ENTITIES)
def test_other_streets_stay_apart(entity: str) -> None:
    saint = _site(entity, "Fuller", "4214 S St Lawrence", 1)
    assert saint.address is not None and saint.address.city is None
    assert compare_address(saint, _site(entity, "Fuller", "4214 S State St", 2)) == "different"
    assert compare_address(_site(entity, "A", "100 N St", 3), _site(entity, "A", "100 N St Ste 4", 4)) == "same"
    highway = _site(entity, "A", "500 State Highway 6", 5)
    assert highway.address is not None and highway.address.street == "hwy 6"  # a route number, no ordinal


@pytest.mark.parametrize("entity", ENTITIES)
def test_the_same_street_address_is_a_candidate_with_or_without_its_zip(entity: str) -> None:
    # Two listings of one site under unrelated names, one giving the ZIP: only the address brings them together.
    existing = [_site(entity, "Casa Central", "1343 North California Avenue", "with-zip", postal_code="60622")]
    existing += [_site(entity, f"Other Site {i}", f"{200 + i} W Polk St", i) for i in range(20)]
    query = _site(entity, "Community Service Center", "1343 N. California Ave", "q")
    index = CandidateIndex(existing)
    assert index.records[0].id == "with-zip"
    assert 0 in index.candidate_ids([query])[0]


def _sites_listed_four_times(seed: int = 11) -> list[MatchRecord]:
    """One file of 60 sites, each listed four times under other names and phones, all in one city."""
    rng = random.Random(seed)
    words = ["oak", "cedar", "maple", "pine", "birch", "elm", "aspen", "willow", "hickory", "laurel"]
    records = []
    for i in range(60):
        street = f"{100 + 7 * i} {rng.choice(words)} ave"
        for copy in range(4):
            name = f"{words[i % 10]} {words[(i // 10) % 10]} center {i}" if copy < 2 else f"program {i}-{copy}"
            phone = f"312555{i:02d}{copy:02d}" if copy % 2 else f"31255500{i:02d}"
            records.append(prepare("builder", {"name": name, "address": street, "phone": phone, "city": "Chicago"},
                                   f"{i}-{copy}"))  # fmt: skip
    return records


def test_u_leaves_out_the_duplicates_random_pairs_hold() -> None:
    records = _sites_listed_four_times()
    fields = FIELDS["builder"]
    starting = {name: p.u for name, p in starting_model("builder").fields.items()}
    raw = level_frequencies(level_matrix(random_pairs(records, None, 5000), fields), fields, starting)
    model = train("builder", records, None, candidate_pairs(records, None), trained_on="sites", version=2,
                  random_count=5000)  # fmt: skip
    raw_same = raw["address"]["same"] if raw["address"] else 0.0
    assert raw_same > 0.005  # one random pair in a hundred is one site listed twice
    assert model.fields["address"].u["same"] < raw_same / 2
    # Every record is in Chicago: a shared city is no evidence, not the starting values' +4 bits.
    assert model.fields["city"].u["same"] > 0.99
    assert model.weight_of("city", "same") == pytest.approx(0.0, abs=0.1)


def test_a_city_both_name_places_a_home_whose_zips_differ() -> None:
    a = prepare("property", {"address1": "5044 S Wabash Ave", "city": "Chicago", "state": "IL", "postal_code": "60615"})
    b = prepare("property", {"address1": "5044 S. Wabash", "city": "Chicago", "state": "IL", "postal_code": "60616"})
    levels = {"address": "same", "postal_code": "different", "city": None}
    assert held_back(a, b, levels) is None
    elsewhere = prepare(
        "property", {"address1": "5044 S Wabash", "city": "Peoria", "state": "IL", "postal_code": "61602"}
    )
    assert held_back(a, elsewhere, levels) == "location_unconfirmed"


def _write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _written_rows(path: Path) -> dict[str, dict[str, str]]:
    """``match-csv``'s output, each row by its ``left_id``."""
    with path.open(newline="") as fh:
        return {row["left_id"]: row for row in csv.DictReader(fh)}


def _write_sites(path: Path, records: list[MatchRecord]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "address", "phone", "city"])
        for r in records:
            writer.writerow([r.id, r.name, f"{r.address.number} {r.address.street}" if r.address else "",
                             (r.phone or "").removeprefix("+1"), "Chicago"])  # fmt: skip
    return path


def test_match_csv_deduplicates_one_file_with_its_own_parameters(tmp_path: Path) -> None:
    sites = _write_sites(tmp_path / "sites.csv", _sites_listed_four_times()[:80])
    parameters, out = tmp_path / "sites.json", tmp_path / "out.csv"
    assert main(["match-train", str(sites), "--entity", "builder", "--out", str(parameters)]) == 0
    trained = LinkageModel.from_json(json.loads(parameters.read_text()))
    assert trained.trained_on == "sites.csv"

    argv = ["match-csv", str(sites), "--entity", "builder", "--parameters", str(parameters), "--out", str(out)]
    assert main(argv) == 0
    rows = list(csv.DictReader(out.open()))
    assert [r["left_id"] for r in rows] == [r["id"] for r in rows]  # every row once, in order
    assert all(r["left_id"] != r["right_id"] for r in rows)  # never its own partner
    # Each row's best partner is another listing of its site.
    assert all(r["right_id"].split("-")[0] == r["left_id"].split("-")[0] for r in rows if r["decision"] == "match")
    assert sum(r["decision"] == "match" for r in rows) >= len(rows) // 2
    # The explanations are the file's own model's, not the shipped one's.
    prior = f"prior({trained.rounded_prior_weight:+.1f})"
    assert all(r["explanation"].startswith(prior) for r in rows if r["explanation"])


@pytest.mark.parametrize("entity", ENTITIES)
@pytest.mark.parametrize(
    ("left", "right"),
    [
        # A word written twice on one side: each side's words all have a like word on the other.
        ("Hope House Association - Parkway Community House", "HOPE HOUSE ASSOCIATION PARKWAY COMMUNITY CENTER"),
        ("Beacon Beacon Family Project", "Beacon Family Project I/T"),
        ("Oak Creek Learning Center", "Oak Creek Learning Academy"),
    ],
)
def test_a_name_level_is_the_same_whichever_record_is_asked_about(entity: str, left: str, right: str) -> None:
    a, b = _site(entity, left, "1 Main St", 1), _site(entity, right, "1 Main St", 2)
    assert compare_name(a.name_norm, b.name_norm, entity) == compare_name(b.name_norm, a.name_norm, entity)
    assert (
        _batch_level_of("name", a, b) == _batch_level_of("name", b, a) == compare_name(a.name_norm, b.name_norm, entity)
    )


def _batch_level_of(field: str, a: MatchRecord, b: MatchRecord) -> str | None:
    ((_position, score),) = score_many(a, Columns.of([b]), np.array([0]), link_threshold=0.9)
    return score.levels.get(field)


@pytest.mark.parametrize("entity", ENTITIES)
def test_a_file_deduplicated_scores_each_pair_once_and_finds_what_row_by_row_lookups_find(entity: str) -> None:
    records = same_file(Path("sites.csv"), [
        _site(entity, r.name, f"{r.address.number} {r.address.street}" if r.address else "", r.id,
              phone=r.phone, city="Chicago", state="IL")
        for r in _sites_listed_four_times()[:48]  # below linkage.TF_MIN_SMALL_RECORDS: no value's share weighs
    ])  # fmt: skip
    row_by_row = candidate_links(records, records, link_threshold=0.9, min_confidence=0.3, progress=False)
    once = links_within(records, link_threshold=0.9, min_confidence=0.3, progress=False)
    as_found = [[(link.right.id, link.score.confidence) for link in links] for links in row_by_row]
    assert [[(link.right.id, link.score.confidence) for link in links] for links in once] == as_found
    assert sum(map(len, as_found)) > len(records)  # the file's listings do find each other
    assert all(link.left == position for position, links in enumerate(once) for link in links)


def test_a_chain_of_links_is_one_cluster_named_by_its_first_row() -> None:
    # A-B and B-C linked, A-C not (a third address form): one entity. D is linked to nothing.
    ids = ["a", "b", "c", "d", "e", "f"]
    found = clusters(ids, [("c", "b"), ("b", "a"), ("f", "e")])
    assert found == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e", "f": "e"}
    # The same links in another order, either way round, give the same ids.
    assert clusters(ids, [("e", "f"), ("a", "b"), ("b", "c"), ("a", "b")]) == found


def test_a_link_that_would_join_two_rows_kept_apart_is_left_out() -> None:
    # A map's row with no builder links to two builders' sections of its name; the sections are two communities.
    ids = ["copperleaf", "oakhurst", "map", "copperleaf-feed"]
    links = [("copperleaf", "copperleaf-feed"), ("map", "oakhurst"), ("map", "copperleaf")]
    builders = {"copperleaf": "c", "copperleaf-feed": "c", "oakhurst": "o", "map": None}

    def apart(x: str, y: str) -> bool:
        return None not in (builders[x], builders[y]) and builders[x] != builders[y]

    assert clusters(ids, links, apart) == {"copperleaf": "copperleaf", "copperleaf-feed": "copperleaf",
                                           "oakhurst": "oakhurst", "map": "oakhurst"}  # fmt: skip
    assert clusters(ids, links) == dict.fromkeys(ids, "copperleaf")


def test_match_csv_keeps_two_builders_sections_of_one_name_in_two_clusters(tmp_path: Path) -> None:
    # Stacked exports: each builder's section twice (a marketplace's and a feed's row), and a map's row of the name
    # near one of them. Linked to both, the map's row made the two sections one cluster.
    header = ["id", "name", "builder", "address", "city", "state", "phone", "latitude", "longitude"]
    cells = [
        ["m1", "Rivergate Commons - The Manors", "Copperleaf Homes", "1657 Spring Valley Road", "Waxhaw", "NC",
         "704-555-0142", "35.20003", "-80.74822"],
        ["m2", "Rivergate Commons - The Manors", "Oakhurst Homes", "2065 Rolling Hills Blvd", "Waxhaw", "NC",
         "980-555-0106", "35.20387", "-80.76064"],
        ["f1", "Rivergate Commons The Manors", "Copperleaf Homes", "1657 Spring Valley Rd", "Waxhaw", "NC",
         "7045550142", "35.20001", "-80.74820"],
        ["f2", "Rivergate Commons The Manors", "Oakhurst Homes", "2065 Rolling Hills Boulevard", "Waxhaw", "NC",
         "9805550106", "35.20453", "-80.76118"],
        ["map", "Rivergate Commons Manors", "", "", "Waxhaw", "NC", "", "35.20300", "-80.75500"],
    ]  # fmt: skip
    path = _write_rows(tmp_path / "stacked.csv", [dict(zip(header, row, strict=True)) for row in cells])
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(path), "--entity", "community", "--out", str(out)]) == 0

    written = _written_rows(out)
    cluster_of = {row_id: row["cluster_id"] for row_id, row in written.items()}
    assert cluster_of["m1"] == cluster_of["f1"] and cluster_of["m2"] == cluster_of["f2"]
    assert cluster_of["m1"] != cluster_of["m2"]
    assert all("not clustered" not in row["explanation"] for row in written.values())


def test_a_row_linked_to_a_record_of_another_cluster_says_why(tmp_path: Path) -> None:
    # Two brands of one company at its office, each with its own site, are kept apart; a listing of the office with
    # no site is linked to both, more strongly to the brand of its own name. The sister brand's row, whose best
    # partner that listing is, says why it is not in its cluster.
    office = {"address": "9000 Gulf Fwy Ste 100", "city": "Houston", "state": "TX", "phone": "713-555-0190"}
    rows = [
        {"id": "brand", "name": "Crown Point Homes", "website": "crownpointhomes.com", **office},
        {"id": "office", "name": "Crown Point Homes", "website": "", **office},
        {"id": "sister", "name": "Crown Signature Homes", "website": "crownsignature.com", **office},
    ]
    path = _write_rows(tmp_path / "builders.csv", rows)
    out = tmp_path / "clusters.csv"

    assert main(["match-csv", str(path), "--entity", "builder", "--out", str(out)]) == 0

    written = _written_rows(out)
    assert written["brand"]["cluster_id"] == written["office"]["cluster_id"] != written["sister"]["cluster_id"]
    sister = written["sister"]
    assert sister["right_id"] == "office" and sister["decision"] == "review", sister["explanation"]
    assert sister["explanation"].endswith("; not clustered with office: it would join sister and brand, kept apart")


def test_match_csv_gives_every_row_of_a_file_its_cluster(tmp_path: Path) -> None:
    sites = _write_sites(tmp_path / "sites.csv", _sites_listed_four_times()[:80])
    parameters = tmp_path / "sites.json"
    assert main(["match-train", str(sites), "--entity", "builder", "--out", str(parameters)]) == 0
    outputs = []
    for out in (tmp_path / "first.csv", tmp_path / "second.csv"):
        argv = ["match-csv", str(sites), "--entity", "builder", "--parameters", str(parameters), "--out", str(out)]
        assert main(argv) == 0
        outputs.append(list(csv.DictReader(out.open())))
    rows = outputs[0]
    assert outputs[1] == rows  # the same file gives the same clusters
    cluster_of = {r["left_id"]: r["cluster_id"] for r in rows}
    assert all(cluster_of[r["right_id"]] == r["cluster_id"] for r in rows if r["decision"] == "match")
    # A cluster is named by its first row, so the name is one of its members and the first of them.
    first_row = {}
    for r in rows:
        first_row.setdefault(r["cluster_id"], r["left_id"])
    assert all(cluster == first for cluster, first in first_row.items())
    # Listings of one site only: the 80 rows are 20 sites, and each of them is found as one entity or more.
    assert all(cluster.split("-")[0] == row_id.split("-")[0] for row_id, cluster in cluster_of.items())
    assert 20 <= len(first_row) < 80


def test_match_csv_refuses_a_file_to_deduplicate_with_repeated_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = tmp_path / "twice.csv"
    sites.write_text("id,name\n7,Casa Central\n7,Community Service Center\n")
    assert main(["match-csv", str(sites), "--entity", "builder", "--out", str(tmp_path / "o.csv")]) == 2
    assert "id '7' appears twice" in capsys.readouterr().err


def test_match_csv_refuses_parameters_of_another_entity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("id,name\n1,Casa Central\n")
    wrong = tmp_path / "home.json"
    save_model(starting_model("property"), wrong)
    argv = [
        "match-csv",
        str(sites),
        "--entity",
        "builder",
        "--parameters",
        str(wrong),
        "--out",
        str(tmp_path / "o.csv"),
    ]
    assert main(argv) == 2
    assert "parameters of a property, not of a builder" in capsys.readouterr().err
    # A path to no file, and a file that is no model, are named as such.
    assert main([*argv[:5], str(tmp_path / "none.json"), *argv[6:]]) == 2
    assert "none.json: file not found; write one with match-train --out" in capsys.readouterr().err
    assert main([*argv[:5], str(sites), *argv[6:]]) == 2
    assert "sites.csv: not linkage parameters" in capsys.readouterr().err


def test_a_model_put_in_use_scores_only_its_own_thread() -> None:
    estimated = starting_model("builder")
    estimated.prior = 0.5
    seen_elsewhere: list[LinkageModel] = []
    with model_in_use(estimated):
        assert load_model("builder") is estimated
        other = threading.Thread(target=lambda: seen_elsewhere.append(load_model("builder")))
        other.start()
        other.join()
    assert seen_elsewhere == [shipped_model("builder")]
    assert load_model("builder") is shipped_model("builder")
