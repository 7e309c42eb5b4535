"""Where a record's town lies: its ZIP's, else its city's, from the zipcodes package's table of US ZIP codes
(bundled with the package: matching never reaches the network).

Two towns of one metro area are one builder's market: a small builder's office moved from Charlotte to
Mooresville is the same builder, where a national builder's division in Columbus is not its division in Fort Mill.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

import zipcodes
from rapidfuzz.distance import Hamming

from app.core.entities import EntityType
from app.matching.normalize import DISTINGUISHING_WORDS, haversine_km, neighbours_swapped, spell_city
from app.matching.records import MatchRecord, city_key, county_key

# Towns closer than this are neighbours, or one is a name a listing gives the place inside the other: a builder's
# "Spokane" for Spokane Valley, "Nocatee" for Ponte Vedra.
NEIGHBOURING_KM = 20.0
# Towns closer than this are one metro area's (Charlotte and Mooresville, Phoenix's Chandler and Peoria, Dallas and
# Fort Worth); a national builder's divisions are a metro area each, farther apart (Houston and Austin, 230 km).
METRO_KM = 80.0
# A county named this far from the other record's town or ZIP is another place: its ZIPs' middle, where a large
# county's edge still lies within this of it.
COUNTY_APART_KM = 100.0
# Two counties both records name whose ZIPs' middles lie this far apart are not neighbours (neighbouring Texas
# counties' lie 35 to 70 km apart: Fort Bend and Harris 41, Fort Bend and Montgomery, which do not meet, 80).
NAMED_COUNTIES_APART_KM = 75.0
# A town with this many ZIPs of its own is a metro area's principal city, whose name a list gives for any town of the
# metro area ("Dallas" for Northlake): Houston, Dallas, San Antonio, Austin, Fort Worth, El Paso, Lubbock.
PRINCIPAL_CITY_ZIPS = 20
# A subdivision's first word, at least this long, can name its master plan ("Fulbrook"); shorter ones are common.
PLAN_WORD = 4

Position = tuple[float, float]


County = tuple[str, str]  # a county's name as compared (``county_key``) and its state


class _Table(NamedTuple):
    by_zip: dict[str, Position]  # each ZIP's position
    by_town: dict[tuple[str, str], Position]  # each town's, by (city key, state)
    zip_towns: dict[str, frozenset[str]]  # each ZIP's names of its town (city keys)
    zip_county: dict[str, County]  # each ZIP's county
    town_counties: dict[tuple[str, str], frozenset[County]]  # the counties of each town's ZIPs
    name_zips: dict[str, frozenset[str]]  # the ZIPs each town's name is a name of (``zip_towns`` turned round)
    zip_state: dict[str, str]  # each ZIP's state
    county_states: dict[str, frozenset[str]]  # the states with a county of each name
    post_towns: frozenset[tuple[str, str]]  # the towns a ZIP is the Postal Service's own name of, by state
    by_county: dict[County, Position]  # each county's, its ZIPs' mean
    zip_post_town: dict[str, str]  # each ZIP's Postal Service's own name of its town (city key)
    post_town_zips: dict[tuple[str, str], tuple[str, ...]]  # each town's own ZIPs (``zip_post_town`` turned round)


@lru_cache(maxsize=1)
def _table() -> _Table:
    """Each ZIP's position, each town's (its ZIPs' mean, under its name and the other names the Postal Service
    accepts for them) by state, and each ZIP's names of its town: the Postal Service's, the others it accepts, and
    those it does not but people write ("Hollywood" for 90028 in Los Angeles, "Queens" for 11103 in Astoria). Read
    once, when a pair first needs it (about a second)."""
    by_zip: dict[str, Position] = {}
    towns: dict[tuple[str, str], list[Position]] = defaultdict(list)
    zip_towns: dict[str, frozenset[str]] = {}
    zip_county: dict[str, County] = {}
    zip_state: dict[str, str] = {}
    town_counties: dict[tuple[str, str], set[County]] = defaultdict(set)
    post_towns: set[tuple[str, str]] = set()
    zip_post_town: dict[str, str] = {}
    post_town_zips: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in zipcodes.list_all():
        if town := city_key(spell_city(entry["city"])):
            post_towns.add((town, entry["state"]))
            zip_post_town[entry["zip_code"]] = town
            post_town_zips[(town, entry["state"])].append(entry["zip_code"])
        names = (entry["city"], *entry.get("acceptable_cities", ()), *entry.get("unacceptable_cities", ()))
        zip_towns[entry["zip_code"]] = frozenset(key for name in names if (key := city_key(spell_city(name))))
        zip_state[entry["zip_code"]] = entry["state"]
        if county := county_key(entry.get("county")):
            zip_county[entry["zip_code"]] = (county, entry["state"])
            for name in (entry["city"], *entry.get("acceptable_cities", ())):
                if town := city_key(spell_city(name)):
                    town_counties[(town, entry["state"])].add((county, entry["state"]))
        try:
            position = (float(entry["lat"]), float(entry["long"]))
        except (TypeError, ValueError):
            continue
        by_zip[entry["zip_code"]] = position
        for name in (entry["city"], *entry.get("acceptable_cities", ())):
            if town := city_key(spell_city(name)):
                towns[(town, entry["state"])].append(position)
    by_town = {town: _middle(ps) for town, ps in towns.items()}
    in_county: dict[County, list[Position]] = defaultdict(list)
    for code, zip_s_county in zip_county.items():
        if code in by_zip:
            in_county[zip_s_county].append(by_zip[code])
    by_county = {county: _middle(ps) for county, ps in in_county.items()}
    counties = {town: frozenset(found) for town, found in town_counties.items()}
    name_zips: dict[str, set[str]] = defaultdict(set)
    for code, town_names in zip_towns.items():
        for town_name in town_names:
            name_zips[town_name].add(code)
    county_states: dict[str, set[str]] = defaultdict(set)
    for county, state in zip_county.values():
        county_states[county].add(state)
    return _Table(
        by_zip,
        by_town,
        zip_towns,
        zip_county,
        counties,
        {k: frozenset(v) for k, v in name_zips.items()},
        zip_state,
        {k: frozenset(v) for k, v in county_states.items()},
        frozenset(post_towns),
        by_county,
        zip_post_town,
        {town: tuple(codes) for town, codes in post_town_zips.items()},
    )


def _middle(positions: list[Position]) -> Position:
    """The mean of the positions (a town's or a county's ZIPs)."""
    return sum(p[0] for p in positions) / len(positions), sum(p[1] for p in positions) / len(positions)


def town_of_zip(town: str | None, postal_code: str | None) -> bool:
    """The town (a city key) is a name of the ZIP's town or of a part of it."""
    return bool(town and postal_code) and town in _table().zip_towns.get((postal_code or "")[:5], frozenset())


def town_names_the_zip(a: MatchRecord, b: MatchRecord) -> bool:
    """One record's town, where it gives no ZIP, is a name of the other's ZIP, where that one names no town: a feed's
    "Cypress" beside a county's address point at 77433 in an unincorporated area. It places the pair."""
    return any(
        bool(x.city_key and not x.postal_code and not y.city_key and town_of_zip(x.city_key, y.postal_code))
        for x, y in ((a, b), (b, a))
    )


def one_town_two_zips(a: MatchRecord, b: MatchRecord) -> bool:
    """Two ZIPs, both of the one town both records name ("Edmond" 73003 and 73013): a town's two ZIPs, a business's
    mailing ZIP beside its site's; the town agrees, no ZIP disagrees."""
    return (
        a.postal_code != b.postal_code
        and bool(a.city_key)
        and a.city_key == b.city_key
        and all(town_of_zip(a.city_key, r.postal_code) for r in (a, b))
    )


def zip_of_another_town(a: MatchRecord, b: MatchRecord) -> bool:
    """Both name one town, and only one's ZIP is that town's, the other's a ZIP of another town: a lender's "Mansfield
    76064" for the 76063 of the portal's "Mansfield", keyed into a town 30 km away. The ZIP is the typo; the town both
    write is where the two are."""
    if not (a.city_key and a.city_key == b.city_key and a.postal_code and b.postal_code):
        return False
    if a.postal_code[:5] == b.postal_code[:5] or (a.state and b.state and a.state != b.state):
        return False
    ours = [town_of_zip(a.city_key, r.postal_code) for r in (a, b)]
    return ours[0] != ours[1] and all(zip_position(r.postal_code) is not None for r in (a, b))


def _town_of_the_others_zip(a: MatchRecord, b: MatchRecord) -> bool:
    """One record's town is a town of the other's ZIP and of none of its own: its own ZIP is the typo."""
    return any(
        bool(x.city_key and town_of_zip(x.city_key, y.postal_code) and not town_of_zip(x.city_key, x.postal_code))
        for x, y in ((a, b), (b, a))
    )


def one_digit_apart(x_zip: str, y_zip: str) -> bool:
    """Two ZIPs of one length, one digit changed: "77440" typed for "77449"."""
    return len(x_zip) == len(y_zip) and Hamming.distance(x_zip, y_zip) == 1


def zips_of_two_towns(a: MatchRecord, b: MatchRecord) -> bool:
    """Two ZIPs the table places in no one town, neither a typo of the other (two digits swapped; one digit changed,
    where both records write their town): Georgetown's 78626 and Round Rock's 78664; not Katy's 77494 and 77449, nor
    "77343" typed for 77433. Where one writes no town, a ZIP a digit from another town's is that town's: a utility's
    "30093 Oak Hollow Trl, 77493" is Katy's, not Cypress's 77433. Where one writes no town, two ZIPs no typo of each
    other are their post offices' towns, not every name the Postal Service accepts for them: a sign permit's 78641,
    Leander's (Cedar Park accepted for its streets there), is not Cedar Park's 78613."""
    x_zip, y_zip = (a.postal_code or "")[:5], (b.postal_code or "")[:5]
    digit_apart, towns_written = one_digit_apart(x_zip, y_zip), bool(a.city_key and b.city_key)
    if neighbours_swapped(x_zip, y_zip) or (digit_apart and towns_written):
        return False
    table = _table()
    if not towns_written and not digit_apart:
        post_x, post_y = table.zip_post_town.get(x_zip), table.zip_post_town.get(y_zip)
        if post_x and post_y and post_x != post_y:
            return True
    x, y = table.zip_towns.get(x_zip, frozenset()), table.zip_towns.get(y_zip, frozenset())
    return bool(x and y) and x.isdisjoint(y)


@lru_cache(maxsize=50_000)
def one_town_by_name(x: str, y: str, state: str | None = None) -> bool:
    """Two town names (city keys) that one ZIP goes by, in the state where given: a borough or a neighbourhood and its
    city ("Manhattan" / "New York", "Hollywood" / "Los Angeles"), as a listing without a ZIP names either. Not two
    towns each with post offices of its own (``towns_of_one_zip``)."""
    table = _table()
    return any(not ({(x, s), (y, s)} <= table.post_towns) for s in _states_of_one_zip(x, y, state))


def towns_of_one_zip(x: str, y: str, state: str | None = None) -> bool:
    """Two towns with post offices of their own, and a ZIP the Postal Service accepts either name for: Houston's
    77205 is Humble's too. A business listed under either may be in the other: no evidence either way."""
    table = _table()
    return any({(x, s), (y, s)} <= table.post_towns for s in _states_of_one_zip(x, y, state))


def _states_of_one_zip(x: str, y: str, state: str | None) -> set[str]:
    """The states (``state`` alone, where given) of the ZIPs that go by both town names."""
    table = _table()
    shared = table.name_zips.get(x, frozenset()) & table.name_zips.get(y, frozenset())
    return {s for code in shared if (s := table.zip_state.get(code, "")) and (state is None or s == state)}


def town_position(record: MatchRecord, state: str | None = None, *, by_zip: bool = True) -> Position | None:
    """Where the record's ZIP lies, else its city in its state (or, where it gives none, in ``state``: the state of
    the record it is compared with); None when neither is known to the table. ``by_zip`` false: its city alone, in
    its state or its ZIP's, as where one ZIP of two may be mistyped."""
    table = _table()
    by_zip_table, by_town = table.by_zip, table.by_town
    if by_zip and record.postal_code and (found := by_zip_table.get(record.postal_code[:5])):
        return found
    region = (record.state if by_zip else placed_state(record)) or state
    if record.city_key and region:
        return by_town.get((record.city_key, region))
    return None


def known_town(record: MatchRecord) -> bool:
    """The record's city is a name a US ZIP's town goes by (the Postal Service's, one it accepts, or one people
    write for a part of it)."""
    return record.city_key is not None and record.city_key in _table().name_zips


def zip_position(postal_code: str | None) -> Position | None:
    """Where a ZIP's post office lies; None for a ZIP the table does not know (one mistyped into no ZIP at all)."""
    return _table().by_zip.get(postal_code[:5]) if postal_code else None


def km_apart(a: MatchRecord, b: MatchRecord, *, by_zip: bool = True) -> float | None:
    """How far apart the two records' places lie (``town_position``); None where either is not placed. A town given
    without its state (a county register's "PEARLAND") is placed in the other record's, or its ZIP's (a builder's
    "Katy" beside a utility's "FULSHEAR 77441", neither naming a state)."""
    x, y = town_position(a, placed_state(b), by_zip=by_zip), town_position(b, placed_state(a), by_zip=by_zip)
    return haversine_km(x[0], x[1], y[0], y[1]) if x is not None and y is not None else None


def _within(a: MatchRecord, b: MatchRecord, km: float, *, by_zip: bool = True) -> bool:
    apart = km_apart(a, b, by_zip=by_zip)
    return apart is not None and apart <= km


def placed_state(record: MatchRecord) -> str | None:
    """The state the record names, else its ZIP's."""
    return record.state or (_table().zip_state.get(record.postal_code[:5]) if record.postal_code else None)


def one_metro_area(a: MatchRecord, b: MatchRecord) -> bool:
    """Both records' towns are placed, within ``METRO_KM`` of each other."""
    return _within(a, b, METRO_KM)


def neighbouring_towns(a: MatchRecord, b: MatchRecord) -> bool:
    """Both records' towns are placed, within ``NEIGHBOURING_KM`` of each other."""
    return _within(a, b, NEIGHBOURING_KM)


def near_the_towns_edge(a: MatchRecord, b: MatchRecord) -> bool:
    """One record's place lies within ``NEIGHBOURING_KM`` of a ZIP of the town the other names, measured from its
    edge, not its middle: a relocation guide's "Houston" for a community in Spring (37 km from Houston's middle, 4 km
    from its nearest ZIP), "San Antonio" for one in Schertz, the city a metro area's suburbs are sold under; or the
    town named is a metro area's principal city (``PRINCIPAL_CITY_ZIPS``) and the place lies within ``METRO_KM`` of
    its middle: a research firm's "Dallas" for Northlake, 51 km off, the metro's name in its city column."""
    table = _table()
    for named, other in ((a, b), (b, a)):
        state = named.state or placed_state(other)
        here = town_position(other, placed_state(named))
        if not (named.city_key and state and here is not None):
            continue
        if _town_edge_within(named.city_key, state, here):
            return True
        middle = table.by_town.get((named.city_key, state))
        principal = len(table.post_town_zips.get((named.city_key, state), ())) >= PRINCIPAL_CITY_ZIPS
        if principal and middle is not None and haversine_km(*middle, *here) <= METRO_KM:
            return True
    return False


@lru_cache(maxsize=50_000)
def _town_edge_within(town: str, state: str, here: Position) -> bool:
    table = _table()
    return any(
        haversine_km(here[0], here[1], *table.by_zip[code]) <= NEIGHBOURING_KM
        for code in table.post_town_zips.get((town, state), ())
        if code in table.by_zip
    )


def one_plan_named(a: MatchRecord, b: MatchRecord) -> bool:
    """Both lists name the subdivision by one first word of its own, no word that tells places apart nor its town's: a
    builder's feed names its part of "Fulbrook on Fulshear Creek" "Fulbrook Reserve". "Cinco Ranch" and "Pecan Ranch",
    "Lake Pointe" and "Lake Forest", "Katy Creek" and "Katy Lakes" in Katy, are two."""
    x, y = a.extra.get("plat"), b.extra.get("plat")
    if x is None or y is None or x.head != y.head or x.head in DISTINGUISHING_WORDS or len(x.head) < PLAN_WORD:
        return False
    return not any(x.head in (record.city or "").split() for record in (a, b))


def one_building_two_zips(a: MatchRecord, b: MatchRecord) -> bool:
    """Two ZIPs under one street address (its number and street agreeing) name one building's: one ZIP mistyped
    ("77494" / "77449") or given for the post office across the street. So where the two ZIPs lie within
    ``NEIGHBOURING_KM`` of each other, or within ``METRO_KM`` and both records name one town, or the town is one and a
    ZIP unknown to the table (mistyped into no ZIP at all) or one digit apart ("77440" / "77449"), or two of its
    digits swapped ("77343" / "77433") where no town disagrees; one subdivision both name in one county places them
    within ``METRO_KM`` too. Not where the towns or states the records name
    differ: "100 Main St" recurs in town after town; a community's or a home's neighbouring town is no other town
    (a builder sells a Fulshear subdivision's homes as Katy's, 77494 for 77441), unless both name their subdivisions
    and not one, in no one town: "1500 Sable Ridge Ln" in League City's Mar Bella and in Friendswood's Windmill
    Estates are two. One subdivision both name places them within ``METRO_KM``, as one town does."""
    if a.state and b.state and a.state != b.state:
        return False
    plats = a.extra.get("plat"), b.extra.get("plat")
    named_alike = plats[0] is not None and plats[1] is not None and plats[0].named_alike(plats[1])
    # One subdivision's name in one county: a name reused in the next county is another subdivision's (Liberty Hill's
    # and Manor's "Highland Springs", 50 km apart).
    one_plat = named_alike and one_county(a, b)
    other_town = bool(a.city_key and b.city_key and a.city_key != b.city_key)
    if other_town and (
        a.entity_type == EntityType.builder
        or not (neighbouring_towns(a, b) or _within(a, b, METRO_KM if one_plat else NEIGHBOURING_KM, by_zip=False))
    ):
        return False
    one_town = a.city_key is not None and a.city_key == b.city_key
    if (
        not one_town
        and plats[0] is not None
        and plats[1] is not None
        and not plats[0].written_as(plats[1])
        and not one_plan_named(a, b)
    ):
        return False
    x_zip, y_zip = a.postal_code or "", b.postal_code or ""
    if neighbours_swapped(x_zip, y_zip):
        return True  # "77343" typed for "77433": another real ZIP, often far away; no town disagrees (above)
    if (one_town or named_alike or _town_of_the_others_zip(a, b)) and one_digit_apart(x_zip, y_zip):
        # "77440" typed for "77449" under one street address both records place in Katy, or in one subdivision both
        # name (an agent's "Fulshear 77497" for a builder's "Katy 77494" in Heron Ridge), or where one's town is the
        # other's ZIP's and not its own's (a utility's "Fulshear 77442" for the listing's 77441, Fulshear's, sold as
        # Katy's)
        return True
    x, y = zip_position(a.postal_code), zip_position(b.postal_code)
    if x is None or y is None:
        return one_town
    # One subdivision both name places the two as one town does: a rural owner writes the larger neighbour's post
    # office ("Bastrop 78602" for a Cedar Creek 78612 lot of Shady Oaks Ranch, 20 km apart).
    return haversine_km(x[0], x[1], y[0], y[1]) <= (METRO_KM if one_town or one_plat else NEIGHBOURING_KM)


def counties(record: MatchRecord) -> frozenset[County]:
    """The county the record names (a plat list's "COUNTY"), else its ZIP's, else those its town's ZIPs lie in. A
    county named with no state (a state's own registry gives none) is its ZIP's state's county of that name, or with
    no ZIP each state's."""
    table = _table()
    named = record.extra.get("county")
    if named:
        if state := placed_state(record):
            return frozenset({(named, state)})
        return frozenset((named, state) for state in table.county_states.get(named, ()))
    if record.postal_code and (county := table.zip_county.get(record.postal_code[:5])):
        return frozenset({county})
    if record.city_key and record.state:
        return table.town_counties.get((record.city_key, record.state), frozenset())
    return frozenset()


def counties_apart(a: MatchRecord, b: MatchRecord) -> bool:
    """One community is placed by its county alone (a state's association registry names no town), the other by its
    town or ZIP, and every county of that name lies ``COUNTY_APART_KM`` or more from it: "Travis" is not League City
    (300 km), a namesake in another county. A county beside, whose ZIP may cross its line, is no disagreement; where
    both name their counties, two that do not meet are (``NAMED_COUNTIES_APART_KM``): a plat list's Fort Bend beside a
    feed's Montgomery."""
    for placed_by_county, other in ((a, b), (b, a)):
        if not placed_by_county.extra.get("county") or placed_by_county.city_key or placed_by_county.postal_code:
            continue
        centres = _county_middles(placed_by_county)
        if not centres:
            continue
        if other.extra.get("county"):
            # Both name their counties, so no ZIP crosses a line between them: two counties that do not meet.
            theirs = _county_middles(other)
            if not theirs or not counties(other).isdisjoint(counties(placed_by_county)):
                continue
            if min(haversine_km(*x, *y) for x in centres for y in theirs) >= NAMED_COUNTIES_APART_KM:
                return True
            continue
        position = town_position(other, placed_state(placed_by_county))
        if position is not None and min(haversine_km(*position, *c) for c in centres) >= COUNTY_APART_KM:
            return True
    return False


def zips_apart(a: MatchRecord, b: MatchRecord) -> bool:
    """Two communities' ZIPs ``COUNTY_APART_KM`` or more apart, and no one town both write: "Rolling Hollow" in
    Fulshear 77441 and in Buda 78610, 250 km, are two metro areas' namesakes, which a ZIP apart weighed as a
    neighbour's. Where both write one town, one ZIP is mistyped (``zip_of_another_town``)."""
    if a.city_key and a.city_key == b.city_key:
        return False
    x, y = zip_position(a.postal_code), zip_position(b.postal_code)
    return x is not None and y is not None and haversine_km(*x, *y) >= COUNTY_APART_KM


def _county_middles(record: MatchRecord) -> list[Position]:
    """The middles of the record's counties (``counties``); none where the table does not place one of them."""
    by_county = _table().by_county
    middles = [by_county.get(county) for county in counties(record)]
    return [m for m in middles if m is not None] if None not in middles else []


def one_county(a: MatchRecord, b: MatchRecord) -> bool:
    """Both records lie in one county: a county's plat list, which gives no town for a subdivision outside every
    town's limits, places it as a portal's town and ZIP do."""
    return not counties(a).isdisjoint(counties(b))
