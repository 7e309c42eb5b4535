"""Scores one pair of records with the entity type's linkage model: a confidence, a method and why.

The model (app/matching/linkage.py) adds each field's evidence for or against, in bits, to a prior;
the confidence is the posterior probability. A pair is linked automatically only when the high
threshold is reached and a location agreed:
- two street addresses both known and naming another building (another number, another street) hold
  any pair below it, whatever else agrees: sites of one organisation share its phone and its name;
- a business or a community whose two names have no word in common is held too: a shared phone and
  street address are also what two businesses in one building look like (a hotel's restaurants
  answer on its switchboard);
- a community whose name agrees with the other's only in part needs its website or street address to agree:
  a master plan's villages share its name and its place, and a builder's sales line serves several;
- a builder whose name agrees with the other's only in part and whose website differs is held: one company's two
  brands share its office and its phone;
- two communities whose builders are both given and are not one are held: two builders' sections of one name,
  or a master plan's own listing ("Multiple Builders") and one builder's section sharing its welcome center;
- a community or a home also needs a compared place that agrees (a city, a ZIP, close coordinates):
  a name or a street address alone recurs across towns ("123 Main St");
- a business whose street address agrees under another town's name needs its phone or website to agree, and
  a builder whose website does so its phone or street address (a national builder's divisions share its site);
- a home whose house number and street do not both agree needs its lot to agree on one street or within 200 m;
- a home whose street address writes a direction the other leaves out ("100 Main St" / "100 N Main St")
  needs its coordinates to agree: the listing may mean "100 S Main St", another house in the same town.
Such pairs go to review at most.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from app.core.entities import EntityType
from app.matching.comparisons import (
    ONE_NAME,
    addresses_disagree,
    amenity_beside_community,
    apartments_beside_homes,
    brands_differ,
    builder_renamed,
    builders_agree,
    builders_differ,
    building_settled,
    building_unit,
    compare,
    compare_address,
    compare_parcels,
    compare_unit,
    direction_unconfirmed,
    kinds_differ,
    lots_differ,
    names_agree_on_building,
    one_subdivision,
    own_towns_in_names,
    plats_apart,
    related_by_initials,
    same_word,
    sections_differ,
    share_a_word,
    store_numbers_differ,
    street_types_differ,
    sub_association,
    typed_side,
    unit_on_one_side,
    units_differ,
    without_implied_places,
    words_in_common,
)
from app.matching.linkage import FIELDS, Explanation, TermFrequencies, agreed_value, load_model, posterior
from app.matching.normalize import NormalizedName, neighbours_swapped, toll_free
from app.matching.places import (
    one_building_two_zips,
    one_county,
    one_metro_area,
    town_names_the_zip,
    town_position,
    zips_of_two_towns,
)
from app.matching.records import MatchRecord

MATCH_METHODS = ("name_exact", "name_fuzzy", "website_match", "phone_match", "address_match", "manual")
# The levels that place a pair: a shared city or ZIP, or coordinates this close.
LOCATED_LEVELS = {
    "community": {("city", "same"), ("postal_code", "same"), ("distance", "within_0_2km"), ("distance", "within_2km")},
    "property": {("city", "same"), ("postal_code", "same"), ("distance", "within_0_2km")},
}


@dataclass(slots=True)
class MatchScore:
    """A pair's confidence and method; the explanation is built when it is read (most candidates never are)."""

    confidence: float
    method: str | None
    weight: float
    levels: dict[str, str | None]
    entity_type: str
    shares: dict[str, float] | None = None
    held_back: str | None = None  # why the pair may not be linked automatically, if it may not
    _explanation: Explanation | None = None

    @property
    def explanation(self) -> Explanation:
        if self._explanation is None:
            explanation = load_model(self.entity_type).explain(self.levels, self.shares)
            if self.held_back is not None:
                explanation.notes[self.held_back] = True
            self._explanation = explanation
        return self._explanation

    @property
    def details(self) -> dict[str, Any]:
        """The explanation as stored in entity_matches.match_details."""
        return {**self.explanation.as_dict(), "confidence": self.confidence}


def two_towns_of_homes(a: MatchRecord, b: MatchRecord) -> bool:
    """Two homes whose lists name two towns, or whose ZIPs are two towns' (``places.zips_of_two_towns``: a permit's
    78626 beside Round Rock's 78664, no town written): beside two ZIPs of neighbouring post offices, one street address
    places them no more than a subdivision both name does (Friendswood's and League City's "1500 Sable Ridge Ln"; a
    builder sells a Fulshear subdivision's homes as Katy's)."""
    return a.entity_type == EntityType.property and (
        bool(a.city_key and b.city_key and a.city_key != b.city_key) or zips_of_two_towns(a, b)
    )


def _located(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], located: set[tuple[str, str]]) -> bool:
    if any(item in located for item in levels.items()):
        return True
    # The ZIP a shared street address implies is left out of the levels; it still places the pair, and so do two
    # ZIPs of one building (``places.one_building_two_zips``), not two towns' homes.
    if (
        levels.get("address") == "same"
        and a.postal_code is not None
        and b.postal_code is not None
        and (a.postal_code == b.postal_code or (one_building_two_zips(a, b) and not two_towns_of_homes(a, b)))
    ):
        return True
    # A city both name is not compared beside two ZIPs (the finer place); it still places the pair.
    if a.city is not None and a.city_key == b.city_key and not (a.state and b.state and a.state != b.state):
        return True
    # So does one's town that is a name of the other's ZIP (``places.town_names_the_zip``).
    if town_names_the_zip(a, b):
        return True
    # A county's plat list names a subdivision outside every town's limits by its county alone; a deed's legal
    # description names the plat a home's lot is in.
    if a.entity_type == EntityType.property:
        return compare_parcels(a, b) == "same" or (levels.get("address") == "same" and one_subdivision(a, b))
    return a.entity_type == EntityType.community and one_county(a, b)


# What a business agrees on besides its name that says which one it is: its line, its site, its place.
BESIDES_THE_NAME = (
    ("phone", "same"), ("website", "same"), ("address", "same"), ("address", "same_street"), ("city", "same"),
    ("postal_code", "same"),
)  # fmt: skip


def name_alone(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """Nothing but the names agrees (``BESIDES_THE_NAME``): no phone, website, street address, town or ZIP."""
    if any(levels.get(field) == level for field, level in BESIDES_THE_NAME):
        return False
    # A city both name is not compared beside two ZIPs (``_located``); it still places the pair.
    return not (a.city is not None and a.city_key == b.city_key and not (a.state and b.state and a.state != b.state))


# What places a business at its own site beside its name: its line, its website, its street.
AT_ITS_SITE = (("phone", "same"), ("website", "same"), ("address", "same"), ("address", "same_street"))


def zips_differ_in_town(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """Two businesses of one town whose ZIPs differ, nothing at their sites agreeing (``AT_ITS_SITE``): a name many
    home providers take ("Grandma's House" in two of Atlanta's ZIPs), a chain's two stores; the town is all that places
    them as one."""
    return (
        bool(a.postal_code and b.postal_code)
        and a.postal_code != b.postal_code
        and not any(levels.get(field) == level for field, level in AT_ITS_SITE)
    )


def name_contained_in_town(levels: dict[str, str | None]) -> bool:
    """One name contained in the other, and only the town or ZIP agreeing (``AT_ITS_SITE`` none): a surname beside a
    firm named for it ("Megan Fenwick Home Design" / "FENWICK DESIGN GROUP"), a family's two food trucks in one town
    ("Antojitos El Guero" / "Taqueria El Guero"); a planning area and its town centre, or a community and its
    north part ("Heritage Valley" / "Heritage Valley Town Centre")."""
    return levels.get("name") == "contained" and not any(levels.get(field) == level for field, level in AT_ITS_SITE)


def name_in_part_in_town(levels: dict[str, str | None]) -> bool:
    """Two businesses' names agreeing in part (``NAMES_IN_PART``), and only the town or ZIP agreeing (``AT_ITS_SITE``
    none): a neighbourhood's guest houses ("Tarrytown Carriage House" / "Tarrytown Guest House"), a town's two firms
    named for one street or family."""
    return levels.get("name") in NAMES_IN_PART and not any(levels.get(field) == level for field, level in AT_ITS_SITE)


def address_in_another_town(
    a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], *, name_common: bool = False
) -> bool:
    """The same number and street under two towns (the cities or states disagree, or the ZIPs, which ``compare``
    leaves out where they are one building's; no ZIP agrees), and no phone or website says the two are one: "100
    Main St" recurs in town after town, and a chain's sites share its name ("1200 Main St", Waxahachie 75165 and
    Bastrop 78602). For an entity type with no place of its own to agree (a builder); the others need one anyway
    (``_located``). Not where the town is named apart (``town_named_apart``)."""
    return (
        levels.get("address") == "same"
        and (levels.get("city") in ("other_city", "other_state") or levels.get("postal_code") == "different")
        and levels.get("phone") != "same"
        and levels.get("website") != "same"
        and not (a.postal_code is not None and a.postal_code == b.postal_code)
        and not town_named_apart(a, b, levels, name_common=name_common)
    )


def town_named_apart(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], *, name_common: bool) -> bool:
    """One name that no other record holds (``name_common``: others do), at one street address, under two towns of
    one state that are not placed apart (one metro area, or not both placed), and no phone or website to say
    otherwise: one guide files a restaurant under its metro ("Los Angeles"), another under its suburb or
    neighbourhood ("Pasadena", "Venice")."""
    return (
        levels.get("name") in ONE_NAME
        and not name_common
        and levels.get("city") == "other_city"
        and levels.get("phone") is None
        and levels.get("website") is None
        and (town_position(a) is None or town_position(b) is None or one_metro_area(a, b))
    )


def _same_city(a: MatchRecord, b: MatchRecord) -> bool:
    """Both records name one city, in no two states."""
    return a.city_key is not None and a.city_key == b.city_key and not (a.state and b.state and a.state != b.state)


def office_moved(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], *, phone_shared: bool) -> bool:
    """A builder's office moved within its market: one name (or one contained in the other beside one website: a
    division named by its market, "Perry Homes San Antonio" / "Perry Homes / San Antonio Division"), one phone no
    other site holds, no website disagreeing, in one town or one metro area, on another street or at another number
    of its street. A business
    keeps its number when it moves (a licence list's or a directory's address is often the old one), and a house
    number is often mistyped ("848" / "884"); a phone other sites share (a chain's central line, an agency's,
    ``phone_shared``) says nothing of which site is which. One name alone, no phone to compare, stays held: on the
    Chicago file it joined the sites of one agency."""
    return (
        a.entity_type == EntityType.builder
        and levels.get("address") in ("different", "other_number")
        and (levels.get("name") in ONE_NAME or (levels.get("name") == "contained" and levels.get("website") == "same"))
        and levels.get("phone") == "same"
        and not phone_shared
        and levels.get("website") != "different"
        and (
            _same_city(a, b)
            or one_metro_area(a, b)
            # Two numbers of one street neither listing names a town for: the street and the phone place the pair.
            or (
                levels.get("address") == "other_number"
                and levels.get("city") is None
                and levels.get("postal_code") != "different"
            )
        )
    )


def sales_office_elsewhere(
    a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], *, phone_shared: bool
) -> bool:
    """One builder's community listed at two addresses in one town: a directory gives the master plan's welcome
    center or the builder's sales office, a portal the model home. Its name, its builder (given on both sides and one)
    and a sales line no other site holds agree, no website disagrees, and a city or a ZIP is the same. A builder's
    line answering for several of its communities (``phone_shared``) says nothing of which is which, and a master
    plan's own listing is never one builder's community. Pins within 200 m place the two as the line would (a
    portal gives a call-tracking number of its own). Where neither list names builders (a rental community's
    leasing office and a home in it, as an operator and a listing site give them), its website agreeing too."""
    neither_names_builders = a.extra.get("builder") is None and b.extra.get("builder") is None
    return (
        a.entity_type == EntityType.community
        and (builders_agree(a, b) or (neither_names_builders and levels.get("website") == "same"))
        and levels.get("address") in ("different", "other_number")
        and levels.get("name") in ONE_NAME
        and ((levels.get("phone") == "same" and not phone_shared) or levels.get("distance") == "within_0_2km")
        and levels.get("website") != "different"
        and (levels.get("postal_code") == "same" or _same_city(a, b) or levels.get("distance") == "within_0_2km")
    )


def along_its_street(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """A community's two sites on one of its streets: an association register's amenity centre and a portal's sales
    office ("21446" and "16860 Eagle Haven Blvd" in one ZIP). A community is a place, not a building: its name, its
    street and its ZIP or town agree, and no line, site or builder disagrees. On another street it stays held, and so
    does a corner sharing one road with another corner (a master plan's entrances)."""
    return (
        a.entity_type == EntityType.community
        and levels.get("address") == "other_number"
        and all(r.address is not None and r.address.number and not r.address.corner for r in (a, b))
        and levels.get("name") in ONE_NAME
        and levels.get("phone") != "different"
        and levels.get("website") != "different"
        and not builders_differ(a, b)
        and (levels.get("postal_code") == "same" or (levels.get("postal_code") is None and _same_city(a, b)))
    )


def number_transposed(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """A business's house number with two neighbouring digits swapped on one street ("7564" / "7654 E Riverside
    Dr"), one name (or one contained in the other on one line: "Mayfair Kiddie Care - PHLpreK"), and no phone,
    website, city or ZIP disagreeing: the commonest typo of a number, where no phone is
    there to say the two are one (``office_moved``). Another number of the street otherwise stays held."""
    if not (
        a.entity_type == EntityType.builder
        and levels.get("address") == "other_number"
        and (levels.get("name") in ONE_NAME or (levels.get("name") == "contained" and levels.get("phone") == "same"))
        and all(levels.get(field) != "different" for field in ("phone", "website", "postal_code"))
        and levels.get("city") not in ("other_city", "other_state")
    ):
        return False
    x, y = a.address.number if a.address else "", b.address.number if b.address else ""
    return neighbours_swapped(x or "", y or "")


def phone_shared(
    frequencies: TermFrequencies | None, a: MatchRecord, b: MatchRecord, levels: dict[str, str | None], *, common: bool
) -> bool:
    """The phone the pair agrees on is another site's too (``office_moved``). ``common``: other records hold it
    (``TermFrequencies.shares``). At two numbers of one street only a third site's record counts
    (``TermFrequencies.phone_elsewhere``): a directory lists one site several times, and a number mistyped or a
    campus's two doors are one site. On two streets every other record counts: an agency's two sites, each listed by
    several directories, share its line, and the listings alone cannot tell them from one office moved."""
    if levels.get("phone") != "same":
        return False
    if toll_free(agreed_value("phone", "same", a, b) or ""):
        return True  # a chain's reservations line: every site's of the chain, listed or not
    if frequencies is None:
        return False
    if levels.get("address") == "other_number":
        return frequencies.phone_elsewhere(a, b)
    return common


def website_in_another_town(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """The same website under two towns (the cities, states or ZIPs disagree) not of one metro area, and no phone or
    street address says the two are one: a national builder's divisions share its site ("ryanhomes.com" in Fort
    Mill and in Columbus) and often its name; a builder's office moved from Charlotte to Mooresville is one builder,
    but a name saying more there, at a line of its own, is another site of the organisation's ("Gateway Church - West
    Campus" beside "Gateway Church"). For an entity type with no place of its own to agree (a builder)."""
    return (
        levels.get("website") == "same"
        and levels.get("phone") != "same"
        and levels.get("address") != "same"
        and (levels.get("city") in ("other_city", "other_state") or levels.get("postal_code") == "different")
        and (not one_metro_area(a, b) or (levels.get("name") not in ONE_NAME and levels.get("phone") == "different"))
    )


def line_in_another_town(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """The same toll-free line under two towns (the cities, states or ZIPs disagree) not of one metro area, and no
    street address agreeing: a chain's national number, which each of its branches lists (a lawn care chain's Houston
    and Austin branches). For an entity type with no place of its own to agree (a builder)."""
    return (
        levels.get("phone") == "same"
        and toll_free(agreed_value("phone", "same", a, b) or "")
        and levels.get("address") != "same"
        and (levels.get("city") in ("other_city", "other_state") or levels.get("postal_code") == "different")
        and not one_metro_area(a, b)
    )


def pinned_alike(a: MatchRecord, b: MatchRecord, levels: dict[str, str | None]) -> bool:
    """One builder's community, one name but for a lot width or a collection one side gives ("Summit Reserve" /
    "Summit Reserve 50'"), pinned within 200 m: the pin places it as its street address would, where a new
    community has none yet."""
    return levels.get("name") == "plat" and levels.get("distance") == "within_0_2km" and builders_agree(a, b)


def review_cap(link_threshold: float) -> float:
    """The highest confidence a pair held back from an automatic link is given: just below the link threshold, so it
    goes to review and still ranks above pairs the model itself scored lower (``held_confidence``)."""
    return link_threshold - 0.01


# Held pairs' confidences lie within this much below ``review_cap``; each this many bits of match weight over the
# threshold's halves the distance to it.
HELD_SPREAD = 0.01
HELD_HALVING_BITS = 8.0


def held_confidence(weight: float, link_threshold: float) -> float:
    """The confidence of a pair held back from an automatic link, rounded as confidences are written: just below the
    link threshold (``review_cap``), and higher the more match weight the pair has beyond the threshold's, so a
    review queue sorted by confidence shows the strongest pairs first (+26 bits above +4)."""
    threshold_weight = math.log2(link_threshold / (1.0 - link_threshold))
    beyond = max(0.0, weight - threshold_weight)
    return round(review_cap(link_threshold) - HELD_SPREAD * math.pow(2.0, -beyond / HELD_HALVING_BITS), 4)


# How far (in bits of match weight) the best of two records reaching the threshold leads the other where it is no
# ambiguity (``ambiguous``): 2^10, odds a thousand to one.
CLEAR_LEAD_BITS = 10.0


def ambiguous(scores: Sequence[MatchScore], link_threshold: float) -> bool:
    """Two records (scores best first) both reach the link threshold: "123 Main St" beside "123 N Main St" and
    "123 S Main St", or a record entered twice. Linking either could write the other's facts, so each is held at
    review (``review_cap``) and a reviewer chooses. Not where only the best bears the business's or community's
    very name: a licence's "Piedmont Homes LLC" beside "Piedmont Homes" and its sister brand "Piedmont Land &
    Homes", one office and one phone, is the first. Nor where the best leads by ``CLEAR_LEAD_BITS``."""
    if len(scores) < 2 or scores[1].confidence < link_threshold:
        return False
    best, runner_up = scores[0], scores[1]
    if best.weight - runner_up.weight >= CLEAR_LEAD_BITS:
        # The best is a thousand times likelier: a division that agrees on its line and its ZIP too, beside its sister
        # division that shares only the brand's name and site.
        return False
    return not bears_the_name_alone(best, runner_up)


def bears_the_name_alone(score: MatchScore, other: MatchScore) -> bool:
    """Of a row's two records, this one bears the business's or the community's very name and the other not: the
    row names it, whatever its sister brand at one office shares ("Walzel Properties" beside "Walzel Commercial
    Properties", which the licence list gives apart), so the two are no one record listed again."""
    return (
        score.entity_type != EntityType.property
        and score.levels.get("name") == "exact"
        and other.levels.get("name") != "exact"
    )


# Name levels short of one name written two ways: the names share words, or look alike, and no more.
NAMES_IN_PART = ("plat", "variant", "similar", "overlap")
NAMES_AGREEING_IN_PART = (*NAMES_IN_PART, "different")
# Name levels short of one name written two ways, one name contained in the other too: with its own website on each
# side, one company's two brands ("Tradewinds Homes" and "Tradewinds Signature Series"); in two suites of one
# building with no line in common, two practices ("Bay Pediatrics" Ste 115, "Bay Pediatric Dentistry" Ste 415).
NAMES_SHORT_OF_ONE = ("contained", *NAMES_AGREEING_IN_PART)


def two_brands(a: MatchRecord, b: MatchRecord, level: str | None) -> bool:
    """The name level is one of ``NAMES_SHORT_OF_ONE``, or the names are alike only once the kind of business is set
    aside and each says another ("Dunmore Group" / "Dunmore Homes"; not "Ashton Woods" / "Ashton Woods Homes")."""
    if level in NAMES_SHORT_OF_ONE:
        return True
    x, y = a.name_norm.generic, b.name_norm.generic
    return level == "core" and bool(x) and bool(y) and x != y and _glued(a.name_norm) != _glued(b.name_norm)


def _glued(name: NormalizedName) -> str:
    """A name's kind words run together in its order: "Home Builders" and "Homebuilders" say one kind."""
    return "".join(word for word in name.tokens if word in name.generic)


def two_legal_entities(a: MatchRecord, b: MatchRecord, level: str | None) -> bool:
    """Two names alike only once the kind of business is set aside, each saying another (``two_brands``), or one's
    contained in the other's and each with a word of its own, each with its legal form: a register's "DUNMORE GROUP
    INC" and "DUNMORE HOMES LLC", a parent and its subsidiary licensed at one office and line; "LANGFORD PROPERTIES
    LLC" and "LANGFORD CONSTRUCTION CO., INC.", an owner's two companies. A listing's "Dunmore Homes" writes no legal
    form, and may be either's."""
    if level not in LEGAL_NAME_LEVELS or not (_legal_form(a.name) and _legal_form(b.name)):
        return False
    if level == "core":
        return two_brands(a, b, level)
    x, y = set(a.name_norm.tokens), set(b.name_norm.tokens)
    # A word of one's own that is the other's own mistyped or shortened is no word of its own: "HOME BILDERS" is "HOME
    # BUILDERS", "REGENCY DEV., CORPORATION" is "REGENCY DEVELOPERS CORPORATION".
    return bool(x - y) and bool(y - x) and not all(any(_written_as(u, v) for v in y - x) for u in x - y)


def _written_as(word: str, other: str) -> bool:
    """One word, mistyped, shortened to its first letters ("prop" of "properties") or of one root ("development",
    "developers": six letters or more in common at its start)."""
    shortened = min(len(word), len(other)) >= 3 and (other.startswith(word) or word.startswith(other))
    # "S.T. HOOMES LLC", "FISHER CUSTOM HOES LLC": its singular one letter off the other's.
    one, two = word.removesuffix("s"), other.removesuffix("s")
    singular = same_word(one, two) or (min(len(one), len(two)) >= 3 and Levenshtein.distance(one, two) <= 1)
    return same_word(word, other) or singular or shortened or len(os.path.commonprefix([word, other])) >= ONE_ROOT


ONE_ROOT = 6  # letters two words share at their start to be of one root


# The name levels at which two names with their legal forms may be two companies (``two_legal_entities``).
LEGAL_NAME_LEVELS = ("core", "contained")


# A registered entity's form at the end of its name; not "Company" or "Co", often a word of the name ("Cedar Beer
# Company").
_REGISTERED_FORMS = frozenset({"llc", "inc", "incorporated", "corp", "corporation", "ltd", "limited", "lp", "llp",
                               "lllp", "plc", "pllc", "pc"})  # fmt: skip


def _legal_form(name: str | None) -> bool:
    words = re.findall(r"[a-z]+", (name or "").lower().replace(".", ""))
    return bool(words) and words[-1] in _REGISTERED_FORMS


# A community's name levels short of one name (a variant: another section's number or village's word), and what
# identifies the community itself: such a pair agreeing on neither rests on its place, or on a phone, which is
# often a builder's sales line answering for all its communities around.
COMMUNITY_NAMES_IN_PART = ("plat", "variant", "similar", "overlap")
PLACE_IDENTIFIERS = ("website", "address")
# Why a pair may not be linked automatically, as a reviewer reads it; the keys are the explanation's notes.
HELD_BACK_REASONS = {
    "addresses_disagree": "both street addresses are known and name other buildings",
    "names_differ": "the names have no word in common but words naming the trade or kind of place",
    "store_numbers_differ": "both names give a store number, and not the same, or each a number the other lacks: "
    "two stores of one chain, two studios of one building",
    "brands_differ": 'both give a brand (a column of its own, or the name before its parent\'s: "Tru by Hilton"), '
    "and they share no word: two hotels of one building",
    "towns_in_names_differ": "each name names its own town and not the other's: one network's or franchise's "
    "sites in two towns share its name and its line",
    "kinds_differ": "the names say two kinds of place or trade (a cafe, a dining room; home building, roofing): "
    "two places of one owner, or two firms of one name",
    "legal_names_differ": "the names are alike only once the kind of business is set aside, each says another and "
    "each gives its legal form: a parent company and its subsidiary, licensed at one office and line",
    "websites_differ": "the names agree only in part and each has its own website: one company's two brands share "
    "its office and its phone",
    "names_agree_on_building": "the names agree only on the building one of them is listed inside (a resort, a "
    "mall): two places in it, or the building itself",
    "names_share_a_word": "the names share only a word or two and no phone or website agrees: a closed business's "
    "successor at its street address, or another business in its building, shares the address and often a word",
    "units_differ": "the street addresses give two suites or units of one building, and the names agree only in part "
    "or the phones differ",
    "names_agree_in_part": "two communities' names agree only in part (another section's number, another village's "
    "word, a few words in common) and no website or street address agrees: a master plan's villages, sections and "
    "amenities share its name and its ZIP, and a builder's sales line answers for several",
    "sections_differ": 'the two communities\' names each name their own part of one place ("The Bluffs at Elmstead" / '
    '"The Meadows at Elmstead"): two sections of one master plan, often sold from one sales centre with one phone '
    "and one website",
    "builders_differ": "the two communities' builders are not one: two builders' sections of one name, or a master "
    "plan's own listing for its many builders and one builder's section in it",
    "apartments_beside_homes": "one community's name says it is apartments and the other's does not and names its "
    "builders: a rental complex named after the master plan it stands in, beside the master plan's homes for sale",
    "amenity_beside_community": "one community's name says it is an amenity (a golf or country club, a clubhouse, a "
    "recreation centre) and the other's does not, and no phone or website agrees: the club at the community's "
    "clubhouse address, not the community it is named after",
    "sub_association": "both are owners' associations and one's name gives a kind of homes the other's does not: a "
    "master plan's association and its townhomes' or villas' own, one manager's at one office and line",
    "website_in_another_town": "the same website in a town of another metro area, and no phone or street address "
    "agrees: a national builder's divisions share its site and its name",
    "line_in_another_town": "the same toll-free line in a town of another metro area, and no street address agrees: "
    "a chain's national number, which each of its branches lists",
    "address_in_another_town": "the same street address in another town, and no phone or website agrees: one "
    "chain's two sites, or two businesses of one name, at one house number and street name",
    "location_unconfirmed": "no city, ZIP or coordinates agree (for a community, no county either; for a home at one "
    "street address, no subdivision)",
    "name_alone": "only the names agree: no phone, website, street address, town or ZIP does (one side gives none): "
    "a chain's stores, and two firms of one name, share their name",
    "zips_differ_in_town": "the names and the town agree, the ZIPs differ, and no phone, website or street does: a "
    "name many home businesses take, a chain's two stores in one town",
    "name_contained_in_town": "one name is contained in the other and only the town or ZIP agrees, no phone, website "
    "or street: a surname beside a firm named for it, a family's two businesses in one town",
    "name_in_part_in_town": "two businesses' names agree in part and only the town or ZIP agrees, no phone, website "
    "or street: a neighbourhood's guest houses, a town's two firms named for one street",
    "name_unknown": "one record gives no name, and no phone or website agrees: the pair rests on a street address, "
    "which a building's many businesses share",
    "direction_unconfirmed": "one street address writes a direction (N, S, E, W) the other leaves out, and no "
    "coordinates place the two homes together",
    "street_types_differ": "the two street addresses write different street types (Dr, Ct, ...): a subdivision "
    "has streets of one name and several types",
    "street_type_unconfirmed": "one street address leaves out the street's type, and the files write that street's "
    "name with two types or more in its ZIP (Oak Bend Dr, Oak Bend Ct): which street is meant is unknown",
    "lots_differ": "one street address, and two lots of one block of one subdivision, or two blocks or sections, or "
    "two subdivisions under two ZIPs: a replat moved the house numbers, and a list still writing the old number names "
    "the lot; a street's name is reused in another subdivision of the town",
    "unit_unconfirmed": "one street address gives a unit (Apt, Unit, #) the other leaves out: a building at one "
    "street address holds many homes",
    "block_unconfirmed": "one home is known by its lot without a house number, one side gives the lot's block and the "
    "other none, and the files give that lot's number in several blocks of the subdivision: a plat numbers its lots "
    "block by block",
    "street_unconfirmed": "no house number and street agree (one side or both give none), and no lot number on one "
    "street or within 200 m places the two homes together: a street holds many homes of one plan, and every "
    "subdivision of a town numbers its lots from 1",
}
# The address levels of two homes whose house numbers and streets are not both known: no street address agrees.
STREET_UNCONFIRMED = (None, "same_street")


# The share of the reference records holding an identifier's value beyond which its agreement says nothing of which
# of them a record is, beside the building alone (``held_back``): a site's own few listings stay far below it.
HELD_BY_MANY = 0.05


def held_back(
    a: MatchRecord,
    b: MatchRecord,
    levels: dict[str, str | None],
    *,
    phone_shared: bool = False,
    street_types: frozenset[str] = frozenset(),
    units_here: frozenset[str] = frozenset(),
    name_common: bool = False,
    one_direction_here: bool = False,
    common: frozenset[str] = frozenset(),
    lot_without_block: bool = False,
) -> str | None:
    """Why the pair may not be linked automatically (a note for the explanation), or None. ``phone_shared``: the
    phone agreed on is other sites' too (``phone_shared``); ``street_types``: where one street address leaves out a
    type the other writes (``typed_side``), the types the files write that street's name with at its place
    (``TermFrequencies.street_types_at``); ``name_common``: other records hold the name agreed on
    (``TermFrequencies.shares``); ``one_direction_here``: the files write the street at its ZIP with one direction at
    most (``TermFrequencies.one_direction_at``), so a direction left out is that one; ``common``: the fields agreeing
    on a value ``HELD_BY_MANY`` of the records hold, which says nothing of which of them a record is: a health
    system's one website on every department's row; ``lot_without_block``: the pair rests on a lot one side gives
    without the block the files give it in several of (``block_unconfirmed``)."""
    own = {name for name in ("phone", "website") if levels.get(name) == "same" and name not in common}
    if (
        addresses_disagree(levels.get("address"))
        and not office_moved(a, b, levels, phone_shared=phone_shared)
        and not sales_office_elsewhere(a, b, levels, phone_shared=phone_shared)
        and not along_its_street(a, b, levels)
        and not number_transposed(a, b, levels)
    ):
        return "addresses_disagree"
    if (
        a.entity_type != EntityType.property
        and levels.get("name") == "different"
        and not share_a_word(a.name_norm, b.name_norm)
    ):
        return "names_differ"
    if kinds_differ(a, b):
        # Close names, one address and one phone are what a hotel's cafe and its dining room look like.
        return "kinds_differ"
    if store_numbers_differ(a, b):
        return "store_numbers_differ"
    if a.entity_type == EntityType.builder and own_towns_in_names(a, b):
        return "towns_in_names_differ"
    if brands_differ(a, b):
        return "brands_differ"
    if (
        a.entity_type == EntityType.builder
        and two_brands(a, b, levels.get("name"))
        and levels.get("website") == "different"
    ):
        # One company's two brands share its office and its phone, each with its own site: "Crown Point Homes" and
        # "Crown Signature Homes".
        return "websites_differ"
    if a.entity_type == EntityType.builder and two_legal_entities(a, b, levels.get("name")):
        return "legal_names_differ"
    if a.entity_type != EntityType.property and levels.get("name") not in ONE_NAME and names_agree_on_building(a, b):
        # A resort's restaurant and its theatre share its street address, its switchboard and its name.
        return "names_agree_on_building"
    if (
        a.entity_type != EntityType.property
        and levels.get("address") == "same"
        and (levels.get("name") in NAMES_SHORT_OF_ONE or levels.get("phone") == "different")
        and not own
        and units_differ(a, b)
    ):
        # A mall's or an office tower's tenants share its street address, and often a word of their names: the
        # link would rest on the building alone. So would one under one name with a line each: a lender's two
        # branches on two floors of one tower.
        return "units_differ"
    if (
        a.entity_type == EntityType.builder
        and levels.get("name") == "overlap"
        and levels.get("address") == "same"
        and not own
        and words_in_common(a.name_norm, b.name_norm) <= 1
        and not related_by_initials(a.name_norm, b.name_norm)
        and not one_chains_store(a, b)
    ):
        # A closed shop's successor at its address, or a neighbour in its building, may share a word of its name: the
        # link would rest on the building and one word ("Texa Tool Rental" / "The Tool Shed"). Names sharing more are
        # one site's under its agency's name and its own ("Chicago Youth Centers - Shining Star" / "Shinning Star
        # Child Development Institute").
        return "names_share_a_word"
    if (
        a.entity_type == EntityType.community
        and builders_differ(a, b)
        and not builder_renamed(a, b, levels, phone_shared=phone_shared)
    ):
        return "builders_differ"
    if a.entity_type == EntityType.community and apartments_beside_homes(a, b):
        return "apartments_beside_homes"
    if (
        a.entity_type == EntityType.community
        and levels.get("name") in COMMUNITY_NAMES_IN_PART
        and (
            (
                not any(levels.get(identifier) == "same" for identifier in PLACE_IDENTIFIERS)
                and not pinned_alike(a, b, levels)
            )
            or (levels.get("phone") == "different" and levels.get("website") != "same" and not builders_agree(a, b))
        )
    ):
        # A master plan's villages, sections and amenities share its name's words and its ZIP, and lie within a
        # few kilometres of each other: "Wellen Park - Boardwalk" / "Wellen Park Golf and Country Club"; a
        # builder's two sections of one ("Harvest Green 50s" / "60s") share its sales line too. And one street
        # address, each with a line of its own and no one builder named by both, is a master plan's welcome centre,
        # where its builders' sections sell ("Cypress Glen - 60' Lots" of one builder beside the master plan's own
        # "Cypress Glen", which names none).
        return "names_agree_in_part"
    if (
        a.entity_type == EntityType.community
        and levels.get("name") in COMMUNITY_NAMES_IN_PART
        and sections_differ(a.name_norm, b.name_norm)
    ):
        # Two sections of one master plan sold from one sales centre share its street address, its phone and the
        # builder's website: "The Bluffs at Elmstead" / "The Meadows at Elmstead".
        return "sections_differ"
    if a.entity_type == EntityType.community and amenity_beside_community(
        a, b, levels.get("phone") == "same" or levels.get("website") == "same"
    ):
        return "amenity_beside_community"
    if a.entity_type == EntityType.community and sub_association(a, b):
        return "sub_association"
    located = LOCATED_LEVELS.get(a.entity_type)
    if located is None and address_in_another_town(a, b, levels, name_common=name_common):
        return "address_in_another_town"
    if located is None and website_in_another_town(a, b, levels):
        return "website_in_another_town"
    if located is None and line_in_another_town(a, b, levels):
        return "line_in_another_town"
    if located is not None and not _located(a, b, levels, located):
        return "location_unconfirmed"
    if (
        a.entity_type != EntityType.property
        and levels.get("name") is None
        and not any(levels.get(identifier) == "same" for identifier in ("phone", "website"))
    ):
        # A stacked file's row whose name column was not read, or a listing that gives none: one street address
        # with nothing else is a school and the Head Start centre in its building.
        return "name_unknown"
    if a.entity_type == EntityType.builder and levels.get("name") is not None and name_alone(a, b, levels):
        # A licence list read without its place, or a directory giving none: "Speedway" beside every Speedway.
        return "name_alone"
    if a.entity_type == EntityType.builder and levels.get("name") is not None and zips_differ_in_town(a, b, levels):
        return "zips_differ_in_town"
    if a.entity_type in (EntityType.builder, EntityType.community) and name_contained_in_town(levels):
        return "name_contained_in_town"
    if a.entity_type == EntityType.builder and name_in_part_in_town(levels):
        return "name_in_part_in_town"
    if (
        a.entity_type == EntityType.property
        and levels.get("address") == "same"
        and levels.get("distance") != "within_0_2km"
        and not one_direction_here
        and direction_unconfirmed(a, b)
    ):
        return "direction_unconfirmed"
    if (
        a.entity_type == EntityType.property
        and levels.get("address") in ("same", "same_street")
        and street_types_differ(a, b)
    ):
        # Close coordinates do not settle it: 123 Oak Bend Dr and 123 Oak Bend Ct may be back to back.
        return "street_types_differ"
    if (
        a.entity_type == EntityType.property
        and levels.get("address") in ("same", "same_street")
        and len(street_types) > 1
    ):
        # "1232 Oak Bend" where the subdivision has an Oak Bend Dr and an Oak Bend Ct: either may be meant.
        return "street_type_unconfirmed"
    if (
        a.entity_type == EntityType.property
        and levels.get("address") == "same"
        and unit_on_one_side(a, b)
        and not building_settled(a, b, units_here)
    ):
        # Close coordinates do not settle it either: every unit of a building is at its street address. A building
        # on one side only is settled where the files list the unit in no other building there.
        return "unit_unconfirmed"
    if (
        a.entity_type == EntityType.property
        and levels.get("address") == "same"
        and len(units_here) > 1
        and not any(building_unit(r.address.unit if r.address else None) for r in (a, b))
    ):
        # Two listings of a tower's street address, neither naming its unit, where the files give several units
        # there: which home either is, neither says.
        return "unit_unconfirmed"
    if a.entity_type == EntityType.property and levels.get("address") == "same" and lots_differ(a, b):
        return "lots_differ"
    if lot_without_block:
        # "Homesite 16" beside the permits of lot 16 in blocks B, C and D: which of them it is, nothing says.
        return "block_unconfirmed"
    if (
        a.entity_type == EntityType.property
        and levels.get("address") in STREET_UNCONFIRMED
        and not (
            levels.get("unit") == "same"
            # A lot agreeing on one street, not a villa's unit "A", which every building of the street has.
            and not building_unit(a.address.unit if a.address else None)
            and (levels.get("address") == "same_street" or levels.get("distance") == "within_0_2km")
        )
    ):
        # A home is its street address: "Magnolia (Plan 4031)" with no address within 200 m of a "Magnolia" at
        # 132 Oak Hollow Trail may be the lot next door, and "Homesite 12" in one town, with no street and no
        # coordinates, rests on a lot number the town's other subdivisions also use.
        return "street_unconfirmed"
    return None


def block_unconfirmed(a: MatchRecord, b: MatchRecord, frequencies: TermFrequencies | None) -> bool:
    """Two homes resting on a lot number (one gives no house number), one giving the lot's block or its section and
    the other not, where the files give that lot's number in several blocks or sections of the subdivision that both
    fit (``TermFrequencies.lot_places``, under either's name of it: "The Reserve at Heron Ridge" and "HERON RIDGE SEC
    2"): a feed's "Homesite 16" fits lot 16 of blocks B, C and D, and a builder's "Homesite 14" lot 14 of block 1 in
    section 1 and in section 2."""

    def given(record: MatchRecord) -> tuple[str | None, str | None]:
        plat = record.extra.get("plat")
        return (plat.section if plat is not None else None), record.extra.get("block")

    if (
        frequencies is None
        or a.entity_type != EntityType.property
        or all(r.address is not None and r.address.number for r in (a, b))
    ):
        return False
    (section_a, block_a), (section_b, block_b) = given(a), given(b)
    if (section_a is None) == (section_b is None) and (block_a is None) == (block_b is None):
        return False  # both give as much: their sections and blocks are compared
    # The places the lot's number stands in that both fit: by what both give, not what one leaves out.
    section = section_a if section_a is not None and section_b is not None else None
    block = block_a if block_a is not None and block_b is not None else None
    fits = {
        (s, k)
        for s, k in frequencies.lot_places(a) | frequencies.lot_places(b)
        if (section is None or s == section) and (block is None or k == block)
    }
    # A place written without its section or block where another gives it is that place: an MLS's "LT 2 BLK 1 MAR
    # BELLA SEC 3" and a builder's "lot 2, block 1" are one lot, not two.
    return sum(not any(p != q and p[0] in ("", q[0]) and p[1] in ("", q[1]) for q in fits) for p in fits) > 1


def records_fit(a: MatchRecord, b: MatchRecord) -> int:
    """How the two records' own columns fit them as one, beyond their match weight: 0 where they say the two are two
    (two builders' sections of one master plan's name, names saying two kinds of place: a grocer's and the pharmacy
    in it), 2 where two communities name one builder, else 1. Such a pair is held for review; between a row's
    candidates written for review, those that fit better come first: a plat register's "FALCON PRAIRIE SEC 10" by
    Perry Homes is offered Perry's page before Coventry's, whose ZIP it writes alike, and before the master plan's
    page listing its builders. Two store numbers of one chain are two stores too: a closed store's licence, whose line
    the listing kept, is not the listing's where the store in force bears its number."""
    if a.entity_type == EntityType.community:
        return 0 if builders_differ(a, b) else 2 if builders_agree(a, b) else 1
    return 0 if a.entity_type == EntityType.builder and (kinds_differ(a, b) or store_numbers_differ(a, b)) else 1


def kept_apart(a: MatchRecord, b: MatchRecord) -> bool:
    """Two records that no chain of links through others may make one (a file deduplicated into clusters): names
    saying two kinds of trade, two store numbers of one chain, two builders' communities, two homes' street addresses
    or units. A builder's moved office or its trade name beside its legal name may be one record's two forms, which a
    third record bridges; two brands of one company with a site each are two."""
    if kinds_differ(a, b) or store_numbers_differ(a, b) or brands_differ(a, b):
        return True
    if a.entity_type == EntityType.builder and own_towns_in_names(a, b):
        return True  # a network's sites in two towns: a third listing on its central line may link to each
    if a.entity_type == EntityType.builder and units_differ(a, b):
        # Two suites of one building under two names and two lines ("Studio Alicia at Sola Salons" #130, "Studio
        # Hector at Sola Salons" Ste 113): the building's own listing may link to each, and make them no one.
        levels = compare(a, b, ("name", "phone", "address"))
        if levels["address"] == "same" and levels["name"] in NAMES_AGREEING_IN_PART and levels["phone"] != "same":
            return True
    if (
        a.entity_type == EntityType.builder
        and _legal_form(a.name)
        and _legal_form(b.name)  # before the names are compared: most pairs give no legal form
        and two_legal_entities(a, b, compare(a, b, ("name",))["name"])
    ):
        return True  # a parent and its subsidiary: a listing of either's brand may link to each
    if a.entity_type == EntityType.builder and a.website and b.website:
        # Two brands of one company, each with its own site (``held_back``: websites_differ), or a site of its own
        # on a listing that gives no name (a map's place): a chain of links through others may not join them.
        levels = compare(a, b, ("name", "website"))
        return levels["website"] == "different" and (levels["name"] is None or two_brands(a, b, levels["name"]))
    if a.entity_type == EntityType.community:
        # Two builders' sections of one name (not one section renamed); a section and the place it is part of
        # ("Copper Bluff in Sweetgum Station" / "Sweetgum Station"); two names with no word in common and no phone,
        # website or street address agreeing ("Ashby Commons" / "Osprey Hollow", each linked to a map's "Ashby
        # Commons Osprey Hollow").
        levels = compare(a, b, ("name", "phone", "website", "address"))
        return (
            (builders_differ(a, b) and not builder_renamed(a, b, levels))
            or sections_differ(a.name_norm, b.name_norm)
            or any(x.name_norm.host and x.name_norm.host == y.name_norm.core for x, y in ((a, b), (b, a)))
            or (
                not share_a_word(a.name_norm, b.name_norm)
                and not any(levels.get(identifier) == "same" for identifier in ("phone", "website", "address"))
            )
        )
    if a.entity_type == EntityType.property:
        return (
            addresses_disagree(compare_address(a, b))
            or compare_unit(a, b) == "different"
            or street_types_differ(a, b)
            or plats_apart(a, b)
        )
    return False


def score_pair(
    a: MatchRecord, b: MatchRecord, frequencies: TermFrequencies | None = None, *, link_threshold: float
) -> MatchScore:
    """Confidence that two records of one entity type are the same real-world thing, with its explanation.

    ``frequencies``: how often values occur among the reference records ``b`` comes from; an agreement
    on a common phone or name then counts for less. ``link_threshold``: the confidence at which a pair is
    linked automatically (the high threshold); a pair held back is scored just below it.
    """
    compared = without_shared_point(
        without_central_line(compare(a, b, FIELDS[a.entity_type]), a, b, frequencies), a, b, frequencies
    )
    levels = without_implied_places(compared)
    held_too = frequencies.shares(levels, a, b) if frequencies is not None else None
    shares = frequencies.weighed(held_too) if frequencies is not None else None
    weight = load_model(a.entity_type).total_weight(levels, shares)
    confidence = posterior(weight)
    shared = phone_shared(frequencies, a, b, compared, common=bool(held_too and "phone" in held_too))
    typed = typed_side(a, b) if frequencies is not None and a.entity_type == EntityType.property else None
    types = frequencies.street_types_at(typed) if frequencies is not None and typed is not None else frozenset()
    units = frequencies.units_at(a) if frequencies is not None and a.entity_type == EntityType.property else frozenset()
    common = bool(held_too and "name" in held_too)
    directed = frequencies is not None and frequencies.one_direction_at(a, b)
    many = frozenset(name for name, share in (shares or {}).items() if share >= HELD_BY_MANY)
    reason = held_back(
        a, b, compared, phone_shared=shared, street_types=types, units_here=units, name_common=common,
        one_direction_here=directed, common=many, lot_without_block=block_unconfirmed(a, b, frequencies),
    )  # fmt: skip
    if reason is not None:
        if confidence > review_cap(link_threshold):
            confidence = held_confidence(weight, link_threshold)
        else:
            reason = None  # below the threshold anyway: nothing was held back
    return MatchScore(
        round(confidence, 4), method_of(a.entity_type, levels), weight, levels, a.entity_type, shares, reason
    )


def brand_line_alone(a: MatchRecord, b: MatchRecord, name_level: str | None) -> bool:
    """Two businesses agree on a toll-free line and their names are not one (``ONE_NAME``, nor one but a place after a
    dash): a franchise's line, which every territory's listing gives ("Fixwright Handyman of North Austin" and "...
    of Round Rock and Georgetown" at 877-349-2200), says nothing of which franchisee a listing is."""
    return (
        a.entity_type == EntityType.builder
        and a.phone is not None
        and toll_free(a.phone)
        and name_level not in ONE_NAME
        and not one_name_but_its_place(a, b)
    )


def without_central_line(
    levels: dict[str, str | None], a: MatchRecord, b: MatchRecord, frequencies: TermFrequencies | None
) -> dict[str, str | None]:
    """A brand's toll-free line two businesses agree on is no evidence where their names are not one
    (``brand_line_alone``). Two phones that differ where one is a head-office line
    (``TermFrequencies.central_line``) are no evidence between two listings of one name, or of one name and a place
    after a dash (``one_name_but_its_place``): a review site lists a chain's store with the chain's number, a map
    service with the store's own. A name saying more
    ("Donut Depot Express" beside "Donut Depot") is another outlet of the chain's, its own number against the
    chain's. A community's, whatever the names: the line many communities give is their manager's or their registered
    agent's, no community's own ("Harmony West CDD" at its district manager's office)."""
    if levels.get("phone") == "same" and brand_line_alone(a, b, levels.get("name")):
        return {**levels, "phone": None}
    if levels.get("phone") != "different" or frequencies is None:
        return levels
    if not (frequencies.central_line(a.phone) or frequencies.central_line(b.phone)):
        return levels
    if (
        a.entity_type != EntityType.community
        and levels.get("name") not in ONE_NAME
        and not one_name_but_its_place(a, b)
    ):
        return levels
    return {**levels, "phone": None}


def without_shared_point(
    levels: dict[str, str | None], a: MatchRecord, b: MatchRecord, frequencies: TermFrequencies | None
) -> dict[str, str | None]:
    """No distance where either record's coordinates place several street addresses
    (``TermFrequencies.shared_point``): a builder's feed pins every home at its community's centre, which put each
    home not yet numbered within 200 m of whichever listing stood there."""
    if levels.get("distance") is None or frequencies is None:
        return levels
    if not (frequencies.shared_point(a) or frequencies.shared_point(b)):
        return levels
    return {**levels, "distance": None}


def one_name_but_its_place(a: MatchRecord, b: MatchRecord) -> bool:
    """One name is the other's with a place after a dash or its own town at its end: a division named by its market
    ("Centex – Wilmington" / "CENTEX"), a store by its area or its town ("KEYSTONE SELF STORAGE KATY"), or its store
    number (``numbered_by_its_chain``), each with its own line beside the brand's."""
    return any(
        x.extra.get("before_place") == y.name_norm.core != "" or numbered_by_its_chain(x.name_norm, y.name_norm)
        for x, y in ((a, b), (b, a))
    )


def one_chains_store(a: MatchRecord, b: MatchRecord) -> bool:
    """The names are one chain's, one naming the store by its number, the other by its area after a dash or its
    town ("WHATABURGER 1333" / "Whataburger - North Loop"): one store, at the one street address both give. So are
    two that give one store number, a permit list's legal name and a locator's ("LOWES HOME CENTERS LLC #2234" /
    "Lowe's of Katy", store 2234)."""
    number = a.extra.get("store_number")
    if number is not None and number == b.extra.get("store_number"):
        return True
    chains = [x.extra.get("before_place") or " ".join(w for w in x.name_norm.core.split() if not w.isdigit())
              for x in (a, b)]  # fmt: skip
    return chains[0] == chains[1] != ""


def numbered_by_its_chain(x: NormalizedName, y: NormalizedName) -> bool:
    """The name is the other's with a number after it, as a permit list numbers a chain's stores ("7-ELEVEN 39014",
    "CIRCLE K STORE #2441" / "Circle K")."""
    extra = set(x.tokens) - set(y.tokens) - STORE_NUMBER_WORDS
    return bool(y.tokens) and set(y.tokens) <= set(x.tokens) and bool(extra) and all(w.isdigit() for w in extra)


# The words a store's number is written after ("CIRCLE K STORE #2441", "Store No. 12").
STORE_NUMBER_WORDS = frozenset({"store", "no", "number", "nbr", "num"})


def method_of(entity_type: str, levels: dict[str, str | None]) -> str:
    """What decided the link: a home has no name, and whatever placed it (its street address, its lot, a house number
    swapped) is its address."""
    if entity_type == EntityType.property:
        return "address_match"
    if levels.get("name") == "exact":
        return "name_exact"
    if levels.get("website") == "same":
        return "website_match"
    if levels.get("phone") == "same":
        return "phone_match"
    return "name_fuzzy"
