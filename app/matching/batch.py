"""Scoring one record against many at once: every pair's comparison levels and weight as numpy arrays.

The pairwise comparisons of app/matching/comparisons.py are the reference (training and single pairs
use them); this computes the same levels for a query against the reference records held column by
column, so scoring a candidate block or a whole table costs a few array operations per field instead
of a Python call per pair. Name similarity goes through ``rapidfuzz.process.cdist``; only names that
share a word with the query or look alike as a whole go through ``compare_name`` one by one (any other
pair of names is "different" by its definition).
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from app.core.entities import EntityType
from app.matching.comparisons import (
    CLOSE,
    DISTANCE_BANDS_KM,
    IMPLIED_BY_ADDRESS,
    IMPLIED_BY_CLOSENESS,
    LEVELS,
    ONE_NAME,
    RUN_INITIALS,
    SIMILAR_SORT,
    SUFFIX_NAMES,
    SURNAME_LEVELS,
    SWAPPED_NAME,
    TYPO_RATIO,
    TYPO_WORD,
    amenity_beside_community,
    another_type,
    another_word,
    apartments_beside_homes,
    best_name_level,
    brands_differ,
    builder_renamed,
    builders_agree,
    builders_differ,
    building_on_one_side,
    building_settled,
    building_unit,
    city_stem,
    compare_address,
    compare_name,
    compare_parcels,
    compare_phone,
    glued_to_kinds,
    initials,
    joined,
    kinds_differ,
    letter_at_an_end,
    letter_dropped,
    letters_swapped,
    lot_alone,
    lot_on_its_street,
    lots_differ,
    names_agree_on_building,
    one_place_named,
    one_subdivision,
    one_town,
    one_town_written,
    own_towns_in_names,
    parcels_differ,
    person_named_whole,
    placed_by_county,
    placed_by_parcels,
    related_by_initials,
    road_numbers,
    route_beside_its_name,
    sections_differ,
    share_a_word,
    spellings_as_initials,
    spelt_street,
    store_numbers_differ,
    street_parts,
    street_suffix,
    sub_association,
    toll_free_only,
    towns_of_one_town_s_zip,
    two_people,
    two_subdivisions,
    typed_side,
    unit_key,
    units_differ,
    words_in_common,
)
from app.matching.linkage import (
    FIELDS,
    PROBABILITY_FLOOR,
    TF_COUNTS,
    TF_LEVELS,
    TermFrequencies,
    agreed_value,
    load_model,
    shared_words,
)
from app.matching.normalize import neighbours_swapped, subsite, toll_free, us_zip, website_page
from app.matching.places import (
    METRO_KM,
    NEIGHBOURING_KM,
    counties_apart,
    known_town,
    near_the_towns_edge,
    neighbouring_towns,
    one_building_two_zips,
    one_county,
    one_town_two_zips,
    placed_state,
    town_names_the_zip,
    town_position,
    zip_of_another_town,
    zips_apart,
    zips_of_two_towns,
)
from app.matching.records import MatchRecord
from app.matching.scorer import (
    AT_ITS_SITE,
    BESIDES_THE_NAME,
    COMMUNITY_NAMES_IN_PART,
    HELD_BY_MANY,
    LEGAL_NAME_LEVELS,
    LOCATED_LEVELS,
    NAMES_IN_PART,
    NAMES_SHORT_OF_ONE,
    PLACE_IDENTIFIERS,
    STREET_UNCONFIRMED,
    MatchScore,
    along_its_street,
    block_unconfirmed,
    brand_line_alone,
    held_confidence,
    line_in_another_town,
    method_of,
    number_transposed,
    office_moved,
    one_chains_store,
    one_name_but_its_place,
    phone_shared,
    pinned_alike,
    review_cap,
    sales_office_elsewhere,
    town_named_apart,
    two_brands,
    two_legal_entities,
    website_in_another_town,
)

MISSING = -1
# Above this many pairs for one query, names sharing no word with it are found through the
# vocabulary of the reference names rather than by comparing each pair's words.
VOCABULARY_SCAN = 5_000
EARTH_RADIUS_KM = 6371.0088


def _text(values: Sequence[str | None]) -> np.ndarray:
    return np.array([v or "" for v in values], dtype=object)


@dataclass
class Columns:
    """The reference records' compared values, one array per value ("" or NaN where missing)."""

    records: list[MatchRecord]
    key: np.ndarray
    core: np.ndarray
    joined: np.ndarray  # the core name without spaces (comparisons.joined)
    acronym: np.ndarray  # the core written as initials ("drb"), "" when it is not
    # A name of several words: the initials of its words and of its core's (comparisons.abbreviates).
    initials: np.ndarray
    core_initials: np.ndarray
    spelt_initials: np.ndarray  # every word's initials, short ones too (NormalizedName.spelt_initials)
    initialled: np.ndarray  # the name writes a word as initials (NormalizedName.initialisms)
    titled: np.ndarray
    phone: np.ndarray
    phone7: np.ndarray
    phone_local: np.ndarray
    several_phones: np.ndarray  # the record's cell held more than one number (MatchRecord.other_phones)
    central_line: np.ndarray  # the record's phone is a head-office line (TermFrequencies.central_line)
    shared_point: np.ndarray  # the record's coordinates place several addresses (TermFrequencies.shared_point)
    toll_free_only: np.ndarray  # every number the record gives is toll-free (comparisons.toll_free_only)
    other_names: np.ndarray  # the record gives other names (MatchRecord.other_names)
    proprietor: np.ndarray  # the record is a person licensed under his own name (comparisons.one_person)
    website: np.ndarray
    website_page: np.ndarray  # the website is a page of a shared host (normalize.website_page)
    site_page: np.ndarray  # a business's page on its own site ("" where none: records._site_page)
    website_by_email: np.ndarray  # the website is an email address's domain (MatchRecord.website_by_email)
    street: np.ndarray  # the street's name without its directions and type, as compare_address reads it
    street_before: np.ndarray  # its direction before the name ("" when none)
    street_after: np.ndarray  # its direction after the name and type
    street_spelt: np.ndarray  # its name with its directions spelt in (comparisons.spelt_street)
    street_numbers: np.ndarray  # the numbers in its name (comparisons.road_numbers)
    street_suffix: np.ndarray  # its type ("" when none: comparisons.street_suffix)
    corner: np.ndarray  # the address is a corner of two streets (AddressKey.corner), compared one by one
    box: np.ndarray  # the address is a post office box (AddressKey.box), compared one by one
    mailing: np.ndarray  # the address is a licensee's mailing one (comparisons.compare)
    number: np.ndarray
    unit: np.ndarray
    unit_key: np.ndarray  # the unit as compared (comparisons.unit_key)
    building_unit: np.ndarray  # the unit is a building's, not a homesite's lot (comparisons.building_unit)
    homesite: np.ndarray  # a numbered home's lot given apart (MatchRecord.homesite)
    lot_alone: np.ndarray  # the lot of a home known by its lot alone (comparisons.lot_alone)
    block: np.ndarray  # a home's block (comparisons.blocks_differ)
    city: np.ndarray  # the city as compared (MatchRecord.city_key: its words run together)
    city_stem: np.ndarray  # the city without "city" after it (comparisons.city_stem)
    state: np.ndarray
    postal: np.ndarray
    us_zip: np.ndarray  # the postal code is a US ZIP, which the ZIP table places (comparisons.compare_city)
    placed_state: np.ndarray  # the state given, else the ZIP's (places.placed_state)
    known_town: np.ndarray  # the city is a name a US ZIP's town goes by (places.known_town)
    latitude: np.ndarray
    longitude: np.ndarray
    counts: dict[str, np.ndarray] | None  # each record's phone, name and core name's count in the table
    core_words: np.ndarray  # how many words each core name has (the shorter name is the one contained)
    frequencies: TermFrequencies | None  # the table's counts, for a query's own name
    total: int
    _words: dict[str, np.ndarray] | None = None
    _towns: np.ndarray | None = None

    @classmethod
    def of(cls, records: Sequence[MatchRecord], frequencies: TermFrequencies | None = None) -> Columns:
        rs = list(records)
        addresses = [r.address for r in rs]
        streets = [street_parts(a.street) if a is not None and a.street else ("", "", "") for a in addresses]
        counts = None
        if frequencies is not None:
            counts = {
                "phone": np.array([frequencies.counts["phone"].get(r.phone or "", 0) for r in rs], dtype=np.int64),
                "website": np.array(
                    [frequencies.counts["website"].get(r.website or "", 0) for r in rs], dtype=np.int64
                ),
                "exact": np.array([frequencies.counts["exact"].get(r.name_norm.key, 0) for r in rs], dtype=np.int64),
                "core": np.array([frequencies.counts["core"].get(r.name_norm.core, 0) for r in rs], dtype=np.int64),
            }
        return cls(
            records=rs,
            key=_text([r.name_norm.key for r in rs]),
            core=_text([r.name_norm.core for r in rs]),
            joined=_text([joined(r.name_norm.core) for r in rs]),
            acronym=_text([r.name_norm.acronym for r in rs]),
            initials=_text([initials(r.name_norm.key) if " " in r.name_norm.key else None for r in rs]),
            core_initials=_text([initials(r.name_norm.core) if " " in r.name_norm.key else None for r in rs]),
            spelt_initials=_text([r.name_norm.spelt_initials if " " in r.name_norm.key else None for r in rs]),
            initialled=np.array([bool(r.name_norm.initialisms) for r in rs], dtype=bool),
            titled=np.array([bool(r.extra.get("titled", True)) for r in rs], dtype=bool),
            phone=_text([r.phone for r in rs]),
            phone7=_text([r.phone[-7:] if r.phone else None for r in rs]),
            phone_local=np.array([bool(r.phone and r.phone.startswith("local:")) for r in rs], dtype=bool),
            several_phones=np.array([bool(r.other_phones) for r in rs], dtype=bool),
            central_line=np.array(
                [frequencies is not None and frequencies.central_line(r.phone) for r in rs], dtype=bool
            ),
            shared_point=np.array([frequencies is not None and frequencies.shared_point(r) for r in rs], dtype=bool),
            toll_free_only=np.array([toll_free_only(r.phones) for r in rs], dtype=bool),
            other_names=np.array([bool(r.other_names) for r in rs], dtype=bool),
            proprietor=np.array([bool(r.extra.get("proprietor")) for r in rs], dtype=bool),
            website=_text([r.website for r in rs]),
            website_page=np.array([website_page(r.website) for r in rs], dtype=bool),
            site_page=_text([r.extra.get("site_page") for r in rs]),
            website_by_email=np.array([r.website_by_email for r in rs], dtype=bool),
            street=_text([name for _before, name, _after in streets]),
            street_before=_text([before for before, _name, _after in streets]),
            street_after=_text([after for _before, _name, after in streets]),
            street_spelt=_text([spelt_street(parts) if parts[1] else None for parts in streets]),
            street_numbers=_text([road_numbers(name) for _before, name, _after in streets]),
            street_suffix=_text([street_suffix(a.street) if a is not None and a.street else None for a in addresses]),
            corner=np.array([a is not None and a.corner is not None for a in addresses], dtype=bool),
            box=np.array([a is not None and a.box is not None for a in addresses], dtype=bool),
            mailing=np.array([bool(r.extra.get("mailing")) for r in rs], dtype=bool),
            number=_text([a.number if a is not None else None for a in addresses]),
            unit=_text([a.unit if a is not None else None for a in addresses]),
            unit_key=_text([unit_key(a.unit) if a is not None and a.unit else None for a in addresses]),
            homesite=_text([r.homesite for r in rs]),
            lot_alone=_text([lot_alone(r) for r in rs]),
            block=_text([r.extra.get("block") for r in rs]),
            building_unit=np.array([a is not None and building_unit(a.unit) for a in addresses], dtype=bool),
            city=_text([r.city_key for r in rs]),
            city_stem=_text([city_stem(r.city) if r.city else None for r in rs]),
            state=_text([r.state for r in rs]),
            postal=_text([r.postal_code for r in rs]),
            us_zip=np.array([us_zip(r.postal_code) for r in rs], dtype=bool),
            placed_state=_text([placed_state(r) for r in rs]),
            known_town=np.array([known_town(r) for r in rs], dtype=bool),
            latitude=np.array([np.nan if r.latitude is None else r.latitude for r in rs], dtype=float),
            longitude=np.array([np.nan if r.longitude is None else r.longitude for r in rs], dtype=float),
            counts=counts,
            core_words=np.array([len(r.name_norm.core.split()) for r in rs], dtype=np.int64),
            frequencies=frequencies,
            total=frequencies.total if frequencies is not None else len(rs),
        )

    def town_positions(self) -> np.ndarray:
        """Each record's town (latitude, longitude; NaN where unplaced), as ``places.town_position`` places it: built
        on first use, since it reads the table of ZIP codes."""
        if self._towns is None:
            placed = [town_position(r) or (np.nan, np.nan) for r in self.records]
            self._towns = np.array(placed, dtype=np.float64).reshape(len(self.records), 2)
        return self._towns

    def word_positions(self) -> dict[str, np.ndarray]:
        """Each core-name word and the records holding it (built on first use: only whole-table scans need it)."""
        if self._words is None:
            found: dict[str, list[int]] = defaultdict(list)
            for position, core in enumerate(self.core.tolist()):
                # and a word glued to the kind's after it (``glued_to_kinds``): "CycleBar" is found by "CYCLEBAR"
                for word in set(core.split()) | set(glued_to_kinds(self.records[position].name_norm).values()):
                    found[word].append(position)
            self._words = {word: np.array(ids, dtype=np.intp) for word, ids in found.items()}
        return self._words


def _put(out: np.ndarray, where: np.ndarray, level: int) -> None:
    out[where] = level


def _index(name: str, level: str) -> int:
    return LEVELS[name].index(level)


def _name_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    """Each pair's name level: the names' own, or the closest of a business's other names where either side gives
    some (comparisons.best_name_level, pair by pair: few records have them)."""
    out = _own_name_levels(query, cols, idx)
    others = cols.other_names[idx] | bool(query.other_names)
    for i in np.flatnonzero(others & (out != _index("name", "exact"))).tolist():
        level = best_name_level(query, cols.records[idx[i]], LEVELS["name"][out[i]] if out[i] >= 0 else None)
        out[i] = _index("name", level) if level is not None else MISSING
    if query.extra.get("person"):
        # Two people sharing a surname (comparisons.two_people).
        for i in np.flatnonzero(np.isin(out, [_index("name", level) for level in SURNAME_LEVELS])).tolist():
            if two_people(query, cols.records[idx[i]], LEVELS["name"][out[i]]):
                out[i] = _index("name", "different")
    # A person's own name beside a business's says nothing either way (comparisons.one_person), nor his surname alone
    # in the business's (comparisons.person_named_whole).
    one_person = cols.proprietor[idx] != bool(query.extra.get("proprietor"))
    out[(out == _index("name", "different")) & one_person] = MISSING
    named = ~np.isin(out, [MISSING, *(_index("name", level) for level in ONE_NAME)]) & one_person
    for i in np.flatnonzero(named).tolist():
        if not person_named_whole(query, cols.records[idx[i]]):
            out[i] = MISSING
    return out


def _own_name_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    out = np.full(len(idx), MISSING, dtype=np.int8)
    key, core = cols.key[idx], cols.core[idx]
    # A home named by its street address is not compared by name (as comparisons._compare_names).
    present = (key != "") & cols.titled[idx] & bool(query.extra.get("titled", True))
    if not query.name_norm.key or not present.any():
        return out
    exact = present & (key == query.name_norm.key)
    same_core = present & ~exact & (core == query.name_norm.core)
    glued = present & ~exact & ~same_core & (cols.joined[idx] == joined(query.name_norm.core))
    out[present] = _index("name", "different")
    out[exact] = _index("name", "exact")
    out[same_core] = _index("name", "core")
    out[glued] = _index("name", "typo")
    # One name written as the other's initials (comparisons.abbreviates, as compare_name checks it next).
    name = query.name_norm
    theirs_abbreviate = (
        (cols.acronym[idx] != "")
        & bool(" " in name.key)
        & np.isin(cols.acronym[idx], list(spellings_as_initials(name)))
    )
    mine_abbreviate = (
        (cols.initials[idx] == name.acronym)
        | (cols.core_initials[idx] == name.acronym)
        | (cols.spelt_initials[idx] == name.acronym)
    )
    abbreviated = present & ~exact & ~same_core & ~glued & (theirs_abbreviate | (bool(name.acronym) & mine_abbreviate))
    out[abbreviated] = _index("name", "contained")
    rest = np.flatnonzero(present & ~exact & ~same_core & ~glued & ~abbreviated)
    if len(rest) == 0:
        return out
    if len(rest) > VOCABULARY_SCAN:
        # Only a name that shares a word with the query's, or looks like it as a whole, can be other than "different".
        similar = process.cdist(
            [query.name_norm.core], core[rest].tolist(), scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_SORT,
            dtype=np.uint8, workers=-1,
        )[0] > 0  # fmt: skip
        sharing = np.zeros(len(cols.records), dtype=bool)
        words = cols.word_positions()
        vocabulary = list(words)
        query_words = query.name_norm.core.split() + list(glued_to_kinds(query.name_norm).values())
        ratios = process.cdist(query_words, vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, dtype=np.uint8)
        lengths = np.array([len(w) for w in vocabulary])
        for row, word in enumerate(query_words):
            hits = (ratios[row] > 0) & (lengths >= TYPO_WORD) & (len(word) >= TYPO_WORD)
            for found in [vocabulary[i] for i in np.flatnonzero(hits)] + ([word] if word in words else []):
                sharing[words[found]] = True
        # Or may write a run of the other's words as initials ("MVCDC Gettysburg", comparisons.related_by_initials):
        # it writes a word as initials, or the query's initials are those of a run of its words.
        initialled = cols.initialled[idx[rest]]
        if acronyms := [x for x in query.name_norm.initialisms if len(x) >= RUN_INITIALS]:
            spelt = cols.initials[idx[rest]].tolist()
            initialled = initialled | np.array([any(x in words for x in acronyms) for words in spelt], dtype=bool)
        rest = rest[similar | sharing[idx[rest]] | initialled]
    if len(rest) == 0:
        return out
    # Both similarities every remaining pair needs, in two batches: the names' token_sort_ratio, and which
    # of the query's words are one word (or mistyped) with which of the candidates' words.
    cores = core[rest].tolist()
    sorts = process.cdist([query.name_norm.core], cores, scorer=fuzz.token_sort_ratio, dtype=np.float64)[0]
    mine = sorted(set(query.name_norm.core.split()))
    theirs = sorted({w for c in cores for w in c.split()})
    ratios = process.cdist(mine, theirs, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, dtype=np.uint8)
    alike = {
        (mine[r], theirs[c]) for r, c in zip(*np.nonzero(ratios), strict=True)
        if min(len(mine[r]), len(theirs[c])) >= TYPO_WORD
        and not letter_at_an_end(mine[r], theirs[c]) and not letter_at_an_end(theirs[c], mine[r])
    }  # fmt: skip
    alike |= {(w, w) for w in mine}
    # And a word written with a letter inside it left out or two swapped (comparisons.same_word): "Rige", "Rigde".
    alike |= {
        (m, t) for m in mine for t in theirs
        if (abs(len(m) - len(t)) == 1 and (letter_dropped(m, t) or letter_dropped(t, m))) or letters_swapped(m, t)
    }  # fmt: skip
    alike |= {(b, a) for a, b in alike}
    like_mine = {b for _a, b in alike}

    def same(x: str, y: str) -> bool:
        return (x, y) in alike

    query_core = set(query.name_norm.core.split())
    query_qualifiers = set(query.name_norm.tokens) - query_core
    query_glued = set(glued_to_kinds(query.name_norm).values())

    for i, sort, words in zip(rest.tolist(), sorts.tolist(), cores, strict=True):
        theirs_norm = cols.records[idx[i]].name_norm
        if (
            sort < SIMILAR_SORT
            and like_mine.isdisjoint(words.split())
            # A qualifier given apart on one side that the other's words give (comparisons.compare_name).
            and query_qualifiers.isdisjoint(words.split())
            and not set(theirs_norm.tokens) & query_core
            and query_glued.isdisjoint(words.split())
            and query_core.isdisjoint(glued_to_kinds(theirs_norm).values())
            and not related_by_initials(query.name_norm, theirs_norm)
        ):
            out[i] = _index("name", "different")  # no word in common, not alike as a whole
            continue
        level = compare_name(query.name_norm, theirs_norm, query.entity_type, sort=sort, same=same)
        out[i] = _index("name", level) if level is not None else MISSING
    return out


def _equal_levels(name: str, value: str | None, column: np.ndarray) -> np.ndarray:
    """same / different where both sides have a value."""
    out = np.full(len(column), MISSING, dtype=np.int8)
    if value:
        present = column != ""
        out[present] = np.where(column[present] == value, _index(name, "same"), _index(name, "different"))
    return out


def _website_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    """same / different as ``compare_website``: two that differ are no evidence when either is a shared host's page,
    or where one is an email address's domain and the other a website."""
    out = _equal_levels("website", query.website, cols.website[idx])
    page = query.extra.get("site_page")
    pages = cols.site_page[idx]
    if page:
        # Two pages of one site that differ, each a location's (comparisons.compare_website).
        out[(out == _index("website", "same")) & (pages != "") & (pages != page)] = MISSING
    # A company's mail domain beside one location's page (comparisons.compare_website).
    by_email = cols.website_by_email[idx] != query.website_by_email
    out[(out == _index("website", "same")) & by_email & ((pages != "") | bool(page))] = MISSING
    if query.website:
        unknown = (out == _index("website", "different")) & (
            cols.website_page[idx]
            | website_page(query.website)
            | (cols.website_by_email[idx] != query.website_by_email)
        )
        out[unknown] = MISSING
        for i in np.flatnonzero(out == _index("website", "different")).tolist():
            if subsite(query.website, cols.website[idx[i]]):
                out[i] = MISSING
    return out


def _agrees_rarely(
    compared: np.ndarray, fields: tuple[str, ...], identifier: str, shares: dict[str, np.ndarray]
) -> np.ndarray:
    """The pairs agreeing on ``identifier`` at a value fewer than ``scorer.HELD_BY_MANY`` of the records hold
    (``scorer.held_back``'s ``common``)."""
    agrees = np.asarray(compared[:, fields.index(identifier)] == _index(identifier, "same"), dtype=bool)
    return agrees & ~(np.nan_to_num(shares[identifier]) >= HELD_BY_MANY) if identifier in shares else agrees


def _phone_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    out = np.full(len(idx), MISSING, dtype=np.int8)
    if not query.phone:
        return out
    phone, present = cols.phone[idx], cols.phone[idx] != ""
    same = np.zeros(len(idx), dtype=bool)
    for number in query.phones:
        # A seven-digit local number against a full one: the last seven digits are compared.
        mixed = cols.phone_local[idx] != number.startswith("local:")
        same |= np.where(mixed, cols.phone7[idx] == number[-7:], phone == number)
    # A reference whose cell held several numbers (few do): the rest of its numbers, one record at a time.
    for i in np.flatnonzero(present & ~same & cols.several_phones[idx]).tolist():
        same[i] = compare_phone(query, cols.records[idx[i]]) == "same"
    out[present] = np.where(same[present], _index("phone", "same"), _index("phone", "different"))
    # A toll-free line against a number of the record's own (comparisons.compare_phone): no evidence either way.
    out[present & ~same & (cols.toll_free_only[idx] != toll_free_only(query.phones))] = MISSING
    # Alike but for the area code (comparisons.area_code_changed): no evidence either way.
    local_alike = np.isin(cols.phone7[idx], [number[-7:] for number in query.phones])
    for i in np.flatnonzero(present & ~same & local_alike).tolist():
        if compare_phone(query, cols.records[idx[i]]) is None:
            out[i] = MISSING
    return out


def _address_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    out = np.full(len(idx), MISSING, dtype=np.int8)
    address = query.address
    if address is not None and address.box:
        # A post office box, rare in any table, is compared pair by pair as compare_address does; a box against a
        # street address is no level.
        for i in np.flatnonzero(cols.box[idx]):
            if compared := compare_address(query, cols.records[idx[i]]):
                out[i] = _index("address", compared)
        return out
    if address is None or not address.street:
        return out
    before, mine, after = street_parts(address.street)
    streets = cols.street[idx]
    present = np.flatnonzero(streets != "")
    if len(present) == 0:
        return out
    alike = (
        process.cdist([mine], streets[present].tolist(), scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, dtype=np.uint8)[0]
        > 0
    )
    exact = streets[present] == mine
    for row in np.flatnonzero(alike & ~exact).tolist():
        # Another word in a word's place, not that word mistyped (comparisons.another_word).
        alike[row] = not another_word(mine, streets[present[row]], street=True)
    same_street = alike | exact
    # A direction one side writes as a word and the other in the name (comparisons.glued_direction); directions
    # written on both sides are compared below.
    same_street |= cols.street_spelt[idx][present] == spelt_street((before, mine, after))
    # One street's type written into the other's name ("Winding Way" / "Winding Way Dr"): type_written_into_name.
    if my_type := street_suffix(address.street):
        their_type = cols.street_suffix[idx][present]
        typed = (streets[present] == f"{mine} {my_type}") & (their_type != "")
        head, _space, last = mine.rpartition(" ")
        if head:
            typed |= (streets[present] == head) & (their_type == last)
        typed &= (cols.street_before[idx][present] == before) & (cols.street_after[idx][present] == after)
        same_street |= typed
    else:
        # A suffix left out of one street with no common type on either side ("Hidden Canyon" / "Hidden Canyon Loop"):
        # comparisons.suffix_left_out.
        for row in np.flatnonzero(~same_street & (cols.street_suffix[idx][present] == "")).tolist():
            theirs = streets[present[row]]
            longer, shorter = (theirs, mine) if len(theirs) > len(mine) else (mine, theirs)
            if longer.startswith(shorter + " ") and longer[len(shorter) + 1 :] in SUFFIX_NAMES:
                same_street[row] = True
    if len(mine) >= SWAPPED_NAME:
        # Two neighbouring letters of the name swapped ("Braode" / "Broade"): comparisons.same_street.
        for row in np.flatnonzero(~same_street).tolist():
            if len(streets[present[row]]) == len(mine) and neighbours_swapped(mine, streets[present[row]]):
                same_street[row] = True
    same_street &= cols.street_numbers[idx][present] == road_numbers(mine)  # never a typo of another road
    # A street suffix ending one name where the other gives another type (comparisons.another_type): only where the
    # names differ, one being the other and a word.
    mine_split = (before, mine, street_suffix(address.street), after)
    for row in np.flatnonzero(same_street & (streets[present] != mine)).tolist():
        i = present[row]
        theirs_split = (cols.street_before[idx][i], streets[i], cols.street_suffix[idx][i], cols.street_after[idx][i])
        if another_type(mine_split, theirs_split) or another_type(theirs_split, mine_split):
            same_street[row] = False
    # No direction written differently on the two sides (comparisons.directions_agree).
    for mine_direction, theirs in ((before, cols.street_before), (after, cols.street_after)):
        if mine_direction:
            theirs = theirs[idx][present]
            same_street &= (theirs == "") | (theirs == mine_direction)
    numbers = cols.number[idx][present]
    both_numbers = (numbers != "") & bool(address.number)
    level = np.full(len(present), _index("address", "different"), dtype=np.int8)
    level[same_street] = _index("address", "same_street")
    level[same_street & both_numbers] = _index("address", "other_number")
    level[same_street & both_numbers & (numbers == (address.number or ""))] = _index("address", "same")
    # A route's number against a road's name at one house number (comparisons.route_beside_its_name), pair by pair:
    # few pairs share a house number on two streets.
    for i in np.flatnonzero((level == _index("address", "different")) & both_numbers & (numbers == address.number)):
        if route_beside_its_name(query, cols.records[idx[present[i]]]):
            level[i] = MISSING
    # A corner of two streets on either side, rare in any table, is compared pair by pair as compare_address does.
    corners = np.arange(len(present)) if address.corner else np.flatnonzero(cols.corner[idx][present])
    for i in corners:
        compared = compare_address(query, cols.records[idx[present[i]]])
        level[i] = _index("address", compared) if compared is not None else MISSING
    out[present] = level
    return out


def _unit_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    mine = query.address.unit if query.address else None
    units = cols.unit[idx]
    theirs = units != ""
    out = np.full(len(idx), MISSING, dtype=np.int8)
    if not mine:
        out[theirs] = _index("unit", "one_side")
    else:
        out[:] = _index("unit", "one_side")
        same = cols.unit_key[idx][theirs] == unit_key(mine)  # comparisons.compare_unit
        out[theirs] = np.where(same, _index("unit", "same"), _index("unit", "different"))
        # A building on one side only ("4/101" against "101", comparisons.building_on_one_side).
        if "/" in mine:
            building_one_side = units == mine.rsplit("/", 1)[-1]
        else:
            building_one_side = theirs & np.char.endswith(units.astype(str), f"/{mine}")
        # Or its letter before the number, "b3" / "3" (comparisons.lettered).
        if mine.isdigit():
            building_one_side |= np.isin(units, [f"{letter}{mine}" for letter in string.ascii_lowercase])
        elif len(mine) > 1 and mine[0].isalpha() and mine[1:].isdigit():
            building_one_side |= units == mine[1:]
        out[building_one_side] = _index("unit", "one_side")
    # A home known by its lot alone against a numbered one whose lot its list gives apart (comparisons.compare_lots).
    if (lot := lot_alone(query)) is not None:
        numbered = (cols.homesite[idx] != "") & (cols.number[idx] != "")
        out[numbered] = np.where(
            cols.homesite[idx][numbered] == lot, _index("unit", "same"), _index("unit", "different")
        )
    if query.homesite and query.address is not None and query.address.number:
        lone = cols.lot_alone[idx] != ""
        agree = cols.lot_alone[idx][lone] == query.homesite
        out[lone] = np.where(agree, _index("unit", "same"), _index("unit", "different"))
    if block := query.extra.get("block"):
        # Lot 1 of another block (comparisons.blocks_differ).
        other_block = (cols.block[idx] != "") & (cols.block[idx] != block)
        out[other_block & (out == _index("unit", "same"))] = _index("unit", "different")
    if query.extra.get("plat") is not None:
        # Or of another section of one subdivision (comparisons.parcels_differ); one lot's number in two plats says
        # nothing (comparisons.compare_unit).
        for i in np.flatnonzero(out == _index("unit", "same")).tolist():
            candidate = cols.records[idx[i]]
            if parcels_differ(query, candidate):
                out[i] = _index("unit", "different")
            elif two_subdivisions(query, candidate) and (
                lot_alone(query) or lot_alone(candidate) or not (building_unit(mine) and cols.building_unit[idx[i]])
            ):
                out[i] = MISSING
        # A lot compared as the home's place is not counted again as its unit (comparisons.compare_unit).
        for i in np.flatnonzero(out != MISSING).tolist():
            if placed_by_parcels(query, cols.records[idx[i]]):
                out[i] = MISSING
    return out


def _city_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    out = np.full(len(idx), MISSING, dtype=np.int8)
    city, state = cols.city[idx], cols.state[idx]
    # Both ZIPs known: the ZIP is the finer place and is compared instead (not a postal code outside the US), but for
    # two states (comparisons.compare_city).
    zips = cols.us_zip[idx] & us_zip(query.postal_code)
    open_ = ~zips
    if zips.any() and (my_state := placed_state(query)):
        states = cols.placed_state[idx]
        two_states = zips & (states != "") & (states != my_state)
        if two_states.any() and (here := town_position(query)) is not None:
            # Not one metro area across a state line.
            two_states[two_states] = ~(_km_from(here, cols.town_positions()[idx[two_states]]) <= METRO_KM)
        _put(out, two_states, _index("city", "other_state"))
    other_state = (state != "") & bool(query.state) & (state != (query.state or ""))
    if query.city:
        both = open_ & (city != "")
        _put(out, both & (city == query.city_key) & ~other_state, _index("city", "same"))
        other_city = both & (city != query.city_key) & ~other_state
        for i in np.flatnonzero(other_city).tolist():
            # Two names of one town (comparisons.one_town).
            if one_town(query, cols.records[idx[i]]):
                other_city[i] = False
                out[i] = _index("city", "same")
            elif towns_of_one_town_s_zip(query, cols.records[idx[i]]):
                other_city[i] = False  # no evidence either way
        other_city &= cols.city_stem[idx] != city_stem(query.city)  # comparisons.city_and_namesake: no evidence
        places = query.entity_type != EntityType.builder and other_city.any()
        towns_apart = other_city.copy()
        mine = town_position(query) if places else None
        if mine is not None:
            # A place's neighbouring town says nothing (comparisons.compare_city).
            towns = cols.town_positions()[idx[other_city]]
            other_city[np.flatnonzero(other_city)] = ~(_km_from(mine, towns) <= NEIGHBOURING_KM)
        if places:
            # A town given without its state, on either side, placed in the other's (places.neighbouring_towns).
            for i in np.flatnonzero(other_city & ((cols.state[idx] == "") | (not query.state))).tolist():
                other_city[i] = not neighbouring_towns(query, cols.records[idx[i]])
            # Not two homes whose lists name two subdivisions (comparisons.compare_city).
            for i in np.flatnonzero(towns_apart & ~other_city).tolist():
                other_city[i] = two_subdivisions(query, cols.records[idx[i]])
        if query.entity_type == EntityType.community:
            # A community sold under the city at whose edge it lies (comparisons.compare_city).
            for i in np.flatnonzero(other_city).tolist():
                other_city[i] = not near_the_towns_edge(query, cols.records[idx[i]])
        # A US town's name beside a name no US town goes by (comparisons.compare_city): no evidence.
        other_city &= cols.known_town[idx] == known_town(query)
        _put(out, other_city, _index("city", "other_city"))
        _put(out, both & other_state, _index("city", "other_state"))
        open_ &= city == ""  # the rest: no city on their side, states compared below
    if query.state:
        _put(out, open_ & other_state, _index("city", "other_state"))
    return out


def _km_from(point: tuple[float, float], points: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) from one point to each of (n x 2) latitudes and longitudes; NaN where unplaced."""
    phi1, phi2 = np.radians(point[0]), np.radians(points[:, 0])
    dlambda = np.radians(points[:, 1] - point[1])
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    km: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return km


def _distance_levels(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    out = np.full(len(idx), MISSING, dtype=np.int8)
    if query.latitude is None or query.longitude is None:
        return out
    points = np.column_stack((cols.latitude[idx], cols.longitude[idx]))
    present = ~np.isnan(points).any(axis=1)
    km = _km_from((query.latitude, query.longitude), points[present])
    level = np.full(len(km), _index("distance", "farther"), dtype=np.int8)
    for limit, name in reversed(DISTANCE_BANDS_KM):
        level[km <= limit] = _index("distance", name)
    out[present] = level
    return out


def level_columns(query: MatchRecord, cols: Columns, idx: np.ndarray) -> np.ndarray:
    """(pairs x fields) level indexes of the query against the records at ``idx``, -1 where a value is missing:
    the levels ``comparisons.compare`` gives each pair."""
    fields = FIELDS[query.entity_type]
    out = np.full((len(idx), len(fields)), MISSING, dtype=np.int8)
    for col, name in enumerate(fields):
        if name == "name":
            out[:, col] = _name_levels(query, cols, idx)
        elif name == "phone":
            out[:, col] = _phone_levels(query, cols, idx)
        elif name == "website":
            out[:, col] = _website_levels(query, cols, idx)
        elif name == "address":
            out[:, col] = _address_levels(query, cols, idx)
        elif name == "unit":
            out[:, col] = _unit_levels(query, cols, idx)
        elif name == "city":
            out[:, col] = _city_levels(query, cols, idx)
        elif name == "postal_code":
            out[:, col] = _equal_levels("postal_code", query.postal_code, cols.postal[idx])
        elif name == "distance":
            out[:, col] = _distance_levels(query, cols, idx)
    if "address" in fields:
        # A mailing address on another street says nothing (comparisons.compare).
        address = fields.index("address")
        mailing = np.full(len(idx), True) if query.extra.get("mailing") else cols.mailing[idx]
        out[mailing & (out[:, address] != _index("address", "same")), address] = MISSING
    if query.entity_type == EntityType.property and query.extra.get("plat") is not None and "address" in fields:
        # A home known by its plat, lot and block where a street address is missing (comparisons.compare_parcels).
        address = fields.index("address")
        for i in np.flatnonzero(out[:, address] == MISSING).tolist():
            if (parcels := compare_parcels(query, cols.records[idx[i]])) is not None:
                out[i, address] = _index("address", parcels)
        # A lot on its street beside the home numbered there (comparisons.lot_on_its_street).
        for i in np.flatnonzero(out[:, address] == _index("address", "same_street")).tolist():
            if lot_on_its_street(query, cols.records[idx[i]]):
                out[i, address] = _index("address", "same")
    if "address" in fields and "postal_code" in fields:
        # Two ZIPs under one street address, of one building's (comparisons.compare).
        address, postal = fields.index("address"), fields.index("postal_code")
        two_zips = (out[:, address] == _index("address", "same")) & (
            out[:, postal] == _index("postal_code", "different")
        )
        for i in np.flatnonzero(two_zips).tolist():
            if one_building_two_zips(query, cols.records[idx[i]]):
                out[i, postal] = MISSING
    if query.entity_type == EntityType.community and "postal_code" in fields:
        # A community's neighbouring ZIP, no evidence (comparisons.compare).
        postal = fields.index("postal_code")
        elsewhere = out[:, postal] == _index("postal_code", "different")
        if "address" in fields:
            elsewhere &= out[:, fields.index("address")] == MISSING
        elsewhere = np.flatnonzero(elsewhere)
        if len(elsewhere) and (mine := town_position(query)) is not None:
            km = _km_from(mine, cols.town_positions()[idx[elsewhere]])
            # Or a ZIP keyed into another town's, both writing one town (places.zip_of_another_town).
            beside = km <= NEIGHBOURING_KM
            if query.city_key:
                beside |= np.array([zip_of_another_town(query, cols.records[i]) for i in idx[elsewhere]], dtype=bool)
            out[elsewhere[beside], postal] = MISSING
            if "city" in fields and "name" in fields and query.city_key:
                # The town both write agrees beside one name (comparisons.compare).
                town_col, name_col = fields.index("city"), fields.index("name")
                for i in elsewhere[beside].tolist():
                    level = LEVELS["name"][int(out[i, name_col])] if out[i, name_col] != MISSING else None
                    reference = cols.records[idx[i]]
                    if (
                        out[i, town_col] == MISSING
                        and one_town_written(query, reference)
                        and one_place_named(level, query, reference)
                    ):
                        out[i, town_col] = _index("city", "same")
    if "postal_code" in fields and "city" in fields:
        # One postal code under two town names (comparisons.compare).
        out[
            (out[:, fields.index("city")] == _index("city", "other_city"))
            & (out[:, fields.index("postal_code")] == _index("postal_code", "same")),
            fields.index("city"),
        ] = MISSING
    if query.entity_type == EntityType.builder and "postal_code" in fields and "city" in fields and query.city_key:
        # Two ZIPs of the one town both name, no street address given (comparisons.compare): the town agrees.
        postal, city = fields.index("postal_code"), fields.index("city")
        elsewhere = out[:, postal] == _index("postal_code", "different")
        if "address" in fields:
            elsewhere &= out[:, fields.index("address")] == MISSING
        for i in np.flatnonzero(elsewhere).tolist():
            if one_town_two_zips(query, cols.records[idx[i]]):
                out[i, postal], out[i, city] = MISSING, _index("city", "same")
    if query.entity_type == EntityType.community and "city" in fields:
        # A county beside one name or a plat of it, where one side names no town (comparisons.placed_by_county).
        city_col, name_col = fields.index("city"), fields.index("name")
        one_name = np.isin(out[:, name_col], [_index("name", n) for n in (*ONE_NAME, "plat", "similar")])
        for i in np.flatnonzero((out[:, city_col] == MISSING) & one_name).tolist():
            level = LEVELS["name"][int(out[i, name_col])]
            if placed_by_county(level, query, cols.records[idx[i]]):
                out[i, city_col] = _index("city", "same")
        for i in np.flatnonzero(out[:, city_col] == MISSING).tolist():
            # A county far from the other's town or ZIP (comparisons.compare).
            if counties_apart(query, cols.records[idx[i]]) or zips_apart(query, cols.records[idx[i]]):
                out[i, city_col] = _index("city", "other_city")
    return out


def _line_or_site_agrees(compared: np.ndarray, fields: tuple[str, ...]) -> np.ndarray:
    """Each pair's phone or website is the same."""
    agrees = np.zeros(len(compared), dtype=bool)
    for identifier in ("phone", "website"):
        if identifier in fields:
            agrees |= compared[:, fields.index(identifier)] == _index(identifier, "same")
    return agrees


def _levels_of(fields: tuple[str, ...], row: np.ndarray) -> dict[str, str | None]:
    """One pair's levels by name, as ``comparisons.compare`` gives them."""
    return {
        name: None if level == MISSING else LEVELS[name][level]
        for name, level in zip(fields, row.tolist(), strict=True)
    }


def scored_levels(fields: tuple[str, ...], compared: np.ndarray) -> np.ndarray:
    """The levels the pairs are scored on (``comparisons.without_implied_places``): a place shared beside the same
    street address is implied by it, a ZIP or town shared within 2 km by the coordinates; a unit beside two street
    addresses that disagree says nothing."""
    out = compared.copy()
    same_address = np.zeros(len(compared), dtype=bool)
    if "address" in fields:
        same_address = compared[:, fields.index("address")] == _index("address", "same")
        for place, agreeing in IMPLIED_BY_ADDRESS.items():
            if place in fields:
                p = fields.index(place)
                out[same_address & np.isin(compared[:, p], [_index(place, level) for level in agreeing]), p] = MISSING
    if "address" in fields and "unit" in fields:
        disagree = np.isin(
            compared[:, fields.index("address")], [_index("address", "other_number"), _index("address", "different")]
        )
        out[disagree, fields.index("unit")] = MISSING
        if "distance" in fields:
            # A home's neighbour on its street: near it, as every house on the street is.
            neighbour = compared[:, fields.index("address")] == _index("address", "other_number")
            d = fields.index("distance")
            out[neighbour & np.isin(compared[:, d], [_index("distance", level) for level in CLOSE]), d] = MISSING
    if "distance" in fields:
        close = ~same_address & np.isin(compared[:, fields.index("distance")], [_index("distance", d) for d in CLOSE])
        for place, agreeing in IMPLIED_BY_CLOSENESS.items():
            if place in fields:
                p = fields.index(place)
                out[close & np.isin(compared[:, p], [_index(place, level) for level in agreeing]), p] = MISSING
    return out


def score_many(
    query: MatchRecord, cols: Columns, idx: np.ndarray, *, link_threshold: float, min_confidence: float = 0.0
) -> list[tuple[int, MatchScore]]:
    """The query scored against the records at ``idx``: (position, score) of those at or above min_confidence,
    with the confidences ``scorer.score_pair`` gives."""
    entity = query.entity_type
    fields = FIELDS[entity]
    model = load_model(entity)
    table = model.weight_table()
    # The holds read the levels as compared (close coordinates still place a pair); the weight, the scored ones.
    compared = level_columns(query, cols, idx)
    if "phone" in fields and cols.frequencies is not None:
        # Two phones that differ where one is a head-office line are no evidence (scorer.without_central_line).
        differ = compared[:, fields.index("phone")] == _index("phone", "different")
        differ &= cols.central_line[idx] | cols.frequencies.central_line(query.phone)
        one_name = np.isin(compared[:, fields.index("name")], [_index("name", n) for n in ONE_NAME])
        one_name |= entity == EntityType.community
        for i in np.flatnonzero(differ & ~one_name).tolist():
            one_name[i] = one_name_but_its_place(query, cols.records[idx[i]])
        compared[differ & one_name, fields.index("phone")] = MISSING
    if "phone" in fields and entity == EntityType.builder and query.phone and toll_free(query.phone):
        # A brand's toll-free line both give, their names not one (scorer.brand_line_alone).
        same = compared[:, fields.index("phone")] == _index("phone", "same")
        for i in np.flatnonzero(same).tolist():
            if brand_line_alone(query, cols.records[idx[i]], _levels_of(fields, compared[i]).get("name")):
                compared[i, fields.index("phone")] = MISSING
    if "distance" in fields and cols.frequencies is not None:
        # No distance from coordinates that place several addresses (scorer.without_shared_point).
        shared = cols.shared_point[idx] | cols.frequencies.shared_point(query)
        compared[shared, fields.index("distance")] = MISSING
    levels = scored_levels(fields, compared)
    weight = np.full(len(idx), model.rounded_prior_weight)
    shares: dict[str, np.ndarray] = {}
    mine = len(query.name_norm.core.split())  # the query's core's words, for a name contained in another
    for col, name in enumerate(fields):
        weights = np.array([*(table[name][level] for level in LEVELS[name]), 0.0])  # index -1: no value, no weight
        contribution = weights[levels[:, col]]
        if cols.counts is not None and cols.frequencies is not None and name in TF_LEVELS:
            for level in TF_LEVELS[name]:
                agreed = levels[:, col] == _index(name, level)
                count = cols.counts[TF_COUNTS[name, level]][idx]
                if level == "contained" and cols.frequencies is not None:
                    # The shorter core is the value agreed on (linkage.agreed_value): the query's where it is shorter.
                    count = np.where(
                        mine < cols.core_words[idx], cols.frequencies.counts["core"].get(query.name_norm.core, 0), count
                    )
                if level == "overlap" and cols.frequencies is not None:
                    # The words both cores have (linkage.shared_words), as common as the cores that are just them.
                    count = np.zeros(len(idx), dtype=np.int64)
                    for i in np.flatnonzero(agreed).tolist():
                        both = shared_words(query.name_norm.core, cols.records[idx[i]].name_norm.core)
                        count[i] = cols.frequencies.counts["core"].get(both, 0)
                if name == "phone" and cols.frequencies is not None:
                    # A reference whose cell holds several numbers may agree on one after its first (few do).
                    for i in np.flatnonzero(agreed & cols.several_phones[idx]).tolist():
                        number = agreed_value("phone", "same", query, cols.records[idx[i]]) or ""
                        count[i] = cols.frequencies.counts["phone"].get(number, 0)
                if cols.frequencies is not None and cols.frequencies.counts_queries:
                    # The query's own value counted out (TermFrequencies.counts_queries): it holds the agreed value,
                    # but for one name contained in the other only where its core is the shorter.
                    if level == "contained":
                        own = mine < cols.core_words[idx]
                    elif level == "overlap":
                        own = np.zeros(len(idx), dtype=bool)  # its core holds words the other's lacks: not the value
                    else:
                        own = np.ones(len(idx), dtype=bool)
                    count = count - own
                common = agreed & (count >= cols.frequencies.least_weighed)
                if common.any():
                    share = count[common] / cols.total
                    m = max(model.fields[name].m.get(level, 0.0), PROBABILITY_FLOOR)
                    adjusted = np.log2(m / np.maximum(share, PROBABILITY_FLOOR))
                    contribution[common] = np.round(np.clip(adjusted, 0.0, table[name][level]), 3)
                    shares.setdefault(name, np.full(len(idx), np.nan))[common] = share
        weight += contribution
    confidence = 1.0 / (1.0 + np.exp2(-weight))
    cap = review_cap(link_threshold)
    # Held back from linking automatically (see scorer.held_back): addresses naming two buildings, or no place agreed.
    address_col = fields.index("address") if "address" in fields else None
    reason = np.full(len(idx), "", dtype=object)
    if address_col is not None:
        disagree = np.isin(
            compared[:, address_col], [_index("address", "other_number"), _index("address", "different")]
        )
        if entity in (EntityType.builder, EntityType.community) and "phone" in fields:
            # A builder's office moved within its market, a community's sales office elsewhere in its town
            # (scorer.office_moved, scorer.sales_office_elsewhere).
            moved = compared[:, fields.index("phone")] == _index("phone", "same")
            if "distance" in fields:
                # Or pinned within 200 m (scorer.sales_office_elsewhere).
                moved |= compared[:, fields.index("distance")] == _index("distance", "within_0_2km")
            moved &= disagree
            name_levels = compared[:, fields.index("name")]
            one_site = "website" in fields and compared[:, fields.index("website")] == _index("website", "same")
            moved &= np.isin(name_levels, [_index("name", n) for n in ONE_NAME]) | (
                (name_levels == _index("name", "contained")) & one_site
            )
            for i in np.flatnonzero(moved).tolist():
                record, pair_levels = cols.records[idx[i]], _levels_of(fields, compared[i])
                held_too = cols.frequencies.shares(pair_levels, query, record) if cols.frequencies else None
                shared = phone_shared(cols.frequencies, query, record, pair_levels, common="phone" in (held_too or {}))
                disagree[i] = not (
                    office_moved(query, record, pair_levels, phone_shared=shared)
                    or sales_office_elsewhere(query, record, pair_levels, phone_shared=shared)
                )
        if entity == EntityType.community:
            # A community's two sites on one of its streets (scorer.along_its_street).
            other_number = compared[:, address_col] == _index("address", "other_number")
            for i in np.flatnonzero(disagree & other_number).tolist():
                disagree[i] = not along_its_street(query, cols.records[idx[i]], _levels_of(fields, compared[i]))
        if entity == EntityType.builder:
            # A house number with two neighbouring digits swapped (scorer.number_transposed).
            other_number = compared[:, address_col] == _index("address", "other_number")
            one_name = np.isin(compared[:, fields.index("name")], [_index("name", n) for n in (*ONE_NAME, "contained")])
            for i in np.flatnonzero(disagree & other_number & one_name).tolist():
                disagree[i] = not number_transposed(query, cols.records[idx[i]], _levels_of(fields, compared[i]))
        reason[disagree] = "addresses_disagree"
    if entity != EntityType.property and "name" in fields:
        # Names with no word in common (scorer.held_back), looked at only where the name level is "different" and
        # the pair would otherwise be linked: the reason is kept only where it holds a pair back.
        unrelated = (reason == "") & (compared[:, fields.index("name")] == _index("name", "different"))
        unrelated &= confidence > cap
        for i in np.flatnonzero(unrelated).tolist():
            if not share_a_word(query.name_norm, cols.records[idx[i]].name_norm):
                reason[i] = "names_differ"
    if entity == EntityType.builder:
        # Names saying two kinds of place or trade (scorer.held_back), looked at only where the pair would be linked.
        for i in np.flatnonzero((reason == "") & (confidence > cap)).tolist():
            if kinds_differ(query, cols.records[idx[i]]):
                reason[i] = "kinds_differ"
            elif store_numbers_differ(query, cols.records[idx[i]]):
                reason[i] = "store_numbers_differ"
            elif own_towns_in_names(query, cols.records[idx[i]]):
                reason[i] = "towns_in_names_differ"
            elif brands_differ(query, cols.records[idx[i]]):
                reason[i] = "brands_differ"
    if entity == EntityType.builder and "website" in fields:
        # Names agreeing in part, each with its own website (scorer.held_back): two brands of one company.
        in_part = np.isin(compared[:, fields.index("name")], [_index("name", n) for n in NAMES_SHORT_OF_ONE])
        own_sites = compared[:, fields.index("website")] == _index("website", "different")
        reason[(reason == "") & in_part & own_sites] = "websites_differ"
        # Or alike only once the kind of business is set aside, each saying another (scorer.two_brands).
        core = compared[:, fields.index("name")] == _index("name", "core")
        for i in np.flatnonzero((reason == "") & core & own_sites).tolist():
            if two_brands(query, cols.records[idx[i]], "core"):
                reason[i] = "websites_differ"
    if entity == EntityType.builder:
        # Alike only once the kind of business is set aside, or one contained in the other, each with its legal form
        # (scorer.two_legal_entities).
        legal_levels = [_index("name", level) for level in LEGAL_NAME_LEVELS]
        for i in np.flatnonzero((reason == "") & np.isin(compared[:, fields.index("name")], legal_levels)).tolist():
            if two_legal_entities(query, cols.records[idx[i]], LEVELS["name"][compared[i, fields.index("name")]]):
                reason[i] = "legal_names_differ"
    if entity != EntityType.property:
        # Names agreeing only on the building one of them is listed inside (scorer.held_back), where the pair would
        # be linked and the names are not one name written two ways.
        two_names = ~np.isin(compared[:, fields.index("name")], [_index("name", n) for n in ONE_NAME])
        for i in np.flatnonzero((reason == "") & (confidence > cap) & two_names).tolist():
            if names_agree_on_building(query, cols.records[idx[i]]):
                reason[i] = "names_agree_on_building"
    if entity != EntityType.property and address_col is not None and "name" in fields and query.address is not None:
        # Two suites of one building, names agreeing in part and nothing else (scorer.held_back), where the pair
        # would be linked.
        weak = np.isin(compared[:, fields.index("name")], [_index("name", n) for n in NAMES_SHORT_OF_ONE])
        if "phone" in fields:
            weak |= compared[:, fields.index("phone")] == _index("phone", "different")  # two branches' lines
        building_alone = compared[:, address_col] == _index("address", "same")
        for identifier in ("phone", "website"):
            if identifier in fields:
                building_alone &= ~_agrees_rarely(compared, fields, identifier, shares)
        for i in np.flatnonzero((reason == "") & (confidence > cap) & building_alone & weak).tolist():
            if units_differ(query, cols.records[idx[i]]):
                reason[i] = "units_differ"
    if entity == EntityType.builder and address_col is not None:
        # Names sharing a word and nothing but the street address (scorer.held_back): a successor or a neighbour.
        one_word = (compared[:, fields.index("name")] == _index("name", "overlap")) & (
            compared[:, address_col] == _index("address", "same")
        )
        for identifier in ("phone", "website"):
            one_word &= ~_agrees_rarely(compared, fields, identifier, shares)
        for i in np.flatnonzero((reason == "") & one_word).tolist():
            theirs = cols.records[idx[i]].name_norm
            if (
                words_in_common(query.name_norm, theirs) <= 1
                and not related_by_initials(query.name_norm, theirs)
                and not one_chains_store(query, cols.records[idx[i]])
            ):
                reason[i] = "names_share_a_word"
    if entity == EntityType.community and query.extra.get("builder") is not None:
        # Two builders' sections of one name, or a master plan and a builder's section (scorer.held_back).
        for i in np.flatnonzero((reason == "") & (confidence > cap)).tolist():
            reference = cols.records[idx[i]]
            if not builders_differ(query, reference):
                continue
            pair_levels = _levels_of(fields, compared[i])
            held_too = cols.frequencies.shares(pair_levels, query, reference) if cols.frequencies else None
            shared = phone_shared(cols.frequencies, query, reference, pair_levels, common="phone" in (held_too or {}))
            if not builder_renamed(query, reference, pair_levels, phone_shared=shared):
                reason[i] = "builders_differ"
    if entity == EntityType.community:
        # Apartments named after the master plan beside its homes for sale (scorer.held_back).
        for i in np.flatnonzero((reason == "") & (confidence > cap)).tolist():
            if apartments_beside_homes(query, cols.records[idx[i]]):
                reason[i] = "apartments_beside_homes"
    if entity == EntityType.community:
        # Names agreeing in part and nothing but the place (scorer.held_back).
        in_part = np.isin(compared[:, fields.index("name")], [_index("name", n) for n in COMMUNITY_NAMES_IN_PART])
        placed = np.zeros(len(idx), dtype=bool)
        for identifier in PLACE_IDENTIFIERS:
            placed |= compared[:, fields.index(identifier)] == _index(identifier, "same")
        # The street address alone, against a line of each's own (scorer.held_back).
        own_lines = (compared[:, fields.index("phone")] == _index("phone", "different")) & (
            compared[:, fields.index("website")] != _index("website", "same")
        )
        for i in np.flatnonzero((reason == "") & in_part & ~placed).tolist():
            if not pinned_alike(query, cols.records[idx[i]], _levels_of(fields, compared[i])):
                reason[i] = "names_agree_in_part"
        for i in np.flatnonzero((reason == "") & in_part & own_lines).tolist():
            if not builders_agree(query, cols.records[idx[i]]):
                reason[i] = "names_agree_in_part"
        # Each its own part of one place, whatever place identifiers agree (scorer.held_back), where it would be linked.
        named_in_part = np.isin(compared[:, fields.index("name")], [_index("name", n) for n in COMMUNITY_NAMES_IN_PART])
        for i in np.flatnonzero((reason == "") & named_in_part & (confidence > cap)).tolist():
            if sections_differ(query.name_norm, cols.records[idx[i]].name_norm):
                reason[i] = "sections_differ"
        # A club or a recreation centre named after the community beside it (scorer.held_back).
        shared = _line_or_site_agrees(compared, fields)
        for i in np.flatnonzero((reason == "") & (confidence > cap)).tolist():
            if amenity_beside_community(query, cols.records[idx[i]], bool(shared[i])):
                reason[i] = "amenity_beside_community"
            elif sub_association(query, cols.records[idx[i]]):
                reason[i] = "sub_association"  # a townhomes' association within a master plan's (scorer.held_back)
    located_levels = LOCATED_LEVELS.get(entity)
    if located_levels is None and address_col is not None and "city" in fields:
        # The same street address under another town or another ZIP not one building's, no phone or website
        # agreeing (scorer.address_in_another_town).
        elsewhere = np.isin(
            compared[:, fields.index("city")], [_index("city", "other_city"), _index("city", "other_state")]
        )
        if "postal_code" in fields:
            elsewhere |= compared[:, fields.index("postal_code")] == _index("postal_code", "different")
        elsewhere &= (compared[:, address_col] == _index("address", "same")) & ~_line_or_site_agrees(compared, fields)
        if query.postal_code:
            elsewhere &= cols.postal[idx] != query.postal_code
        for i in np.flatnonzero((reason == "") & elsewhere & (confidence > cap)).tolist():
            # A town named apart: one name no other record holds (scorer.town_named_apart).
            pair_levels = _levels_of(fields, compared[i])
            reference = cols.records[idx[i]]
            held_too = cols.frequencies.shares(pair_levels, query, reference) if cols.frequencies else None
            common = bool(held_too and "name" in held_too)
            elsewhere[i] = not town_named_apart(query, reference, pair_levels, name_common=common)
        reason[(reason == "") & elsewhere] = "address_in_another_town"
    if located_levels is None and "website" in fields:
        # The same website under another town, no phone or street address agreeing (scorer.website_in_another_town).
        shared_site = compared[:, fields.index("website")] == _index("website", "same")
        for identifier in ("phone", "address"):
            if identifier in fields:
                shared_site &= compared[:, fields.index(identifier)] != _index(identifier, "same")
        elsewhere = np.zeros(len(idx), dtype=bool)
        if "city" in fields:
            elsewhere |= np.isin(
                compared[:, fields.index("city")], [_index("city", "other_city"), _index("city", "other_state")]
            )
        if "postal_code" in fields:
            elsewhere |= compared[:, fields.index("postal_code")] == _index("postal_code", "different")
        # Looked at only where the pair would be linked: placing the towns reads the table of ZIPs.
        for i in np.flatnonzero((reason == "") & shared_site & elsewhere & (confidence > cap)).tolist():
            if website_in_another_town(query, cols.records[idx[i]], _levels_of(fields, compared[i])):
                reason[i] = "website_in_another_town"
    if located_levels is None and "phone" in fields:
        # The same toll-free line under another town, no street address agreeing (scorer.line_in_another_town).
        shared_line = compared[:, fields.index("phone")] == _index("phone", "same")
        for i in np.flatnonzero((reason == "") & shared_line & (confidence > cap)).tolist():
            if line_in_another_town(query, cols.records[idx[i]], _levels_of(fields, compared[i])):
                reason[i] = "line_in_another_town"
    if located_levels is not None:
        located = np.zeros(len(idx), dtype=bool)
        for name, level in located_levels:
            located |= compared[:, fields.index(name)] == _index(name, level)
        if address_col is not None and query.postal_code:
            # One ZIP, or two of one building's (left out of the levels by level_columns), beside one street address.
            excused = compared[:, fields.index("postal_code")] == MISSING
            if entity == EntityType.property and query.city_key:
                # Not two towns' homes (scorer.two_towns_of_homes): a subdivision both name places them, below.
                excused &= (cols.city[idx] == "") | (cols.city[idx] == query.city_key)
            if entity == EntityType.property:
                # Nor two towns' ZIPs, no town written (scorer.two_towns_of_homes, places.zips_of_two_towns).
                two_zips = excused & (cols.postal[idx] != "") & (cols.postal[idx] != query.postal_code)
                for i in np.flatnonzero(two_zips).tolist():
                    excused[i] = not zips_of_two_towns(query, cols.records[idx[i]])
            located |= (
                (compared[:, address_col] == _index("address", "same"))
                & (cols.postal[idx] != "")
                & ((cols.postal[idx] == query.postal_code) | excused)
            )
        if query.city:
            # A city both name places the pair even where two ZIPs were compared instead of it.
            state = cols.state[idx]
            located |= (cols.city[idx] == query.city_key) & ~(
                (state != "") & bool(query.state) & (state != query.state)
            )
        for i in np.flatnonzero((reason == "") & ~located & (confidence > cap)).tolist():
            # One's town a name of the other's ZIP (scorer._located).
            located[i] = town_names_the_zip(query, cols.records[idx[i]])
        if entity == EntityType.community:
            # One county places a community (scorer._located), looked at only where the pair would be linked.
            for i in np.flatnonzero((reason == "") & ~located & (confidence > cap)).tolist():
                located[i] = one_county(query, cols.records[idx[i]])
        if entity == EntityType.property and query.extra.get("plat") is not None:
            # One plat's lot, or one subdivision at one street address, places a home (scorer._located).
            for i in np.flatnonzero((reason == "") & ~located & (confidence > cap)).tolist():
                record = cols.records[idx[i]]
                located[i] = compare_parcels(query, record) == "same" or (
                    address_col is not None
                    and compared[i, address_col] == _index("address", "same")
                    and one_subdivision(query, record)
                )
        reason[(reason == "") & ~located] = "location_unconfirmed"
    if entity != EntityType.property and "name" in fields:
        # No name on one side, and no phone or website agreeing (scorer.held_back).
        unnamed = (compared[:, fields.index("name")] == MISSING) & ~_line_or_site_agrees(compared, fields)
        reason[(reason == "") & unnamed] = "name_unknown"
    # Nothing at the pair's site agreeing (scorer.AT_ITS_SITE): no line, website or street.
    away = np.ones(len(idx), dtype=bool)
    for field, level in AT_ITS_SITE:
        if field in fields:
            away &= compared[:, fields.index(field)] != _index(field, level)
    if entity == EntityType.builder and "name" in fields:
        # Nothing but the names agreeing (scorer.name_alone).
        alone = compared[:, fields.index("name")] != MISSING
        for field, level in BESIDES_THE_NAME:
            if field in fields:
                alone &= compared[:, fields.index(field)] != _index(field, level)
        if query.city:
            state = cols.state[idx]
            alone &= ~(
                (cols.city[idx] == query.city_key) & ~((state != "") & bool(query.state) & (state != query.state))
            )
        reason[(reason == "") & alone] = "name_alone"
        if query.postal_code:
            # Two ZIPs of one town, nothing at their sites agreeing (scorer.zips_differ_in_town).
            elsewhere = away & (cols.postal[idx] != "") & (cols.postal[idx] != query.postal_code)
            reason[(reason == "") & elsewhere & (compared[:, fields.index("name")] != MISSING)] = "zips_differ_in_town"
    if entity in (EntityType.builder, EntityType.community) and "name" in fields:
        # Names short of one, only the town or ZIP agreeing: one contained in the other (scorer.name_contained_in_town)
        # and, for businesses, names agreeing in part (scorer.name_in_part_in_town).
        name_levels = compared[:, fields.index("name")]
        reason[(reason == "") & away & (name_levels == _index("name", "contained"))] = "name_contained_in_town"
        if entity == EntityType.builder:
            in_part = np.isin(name_levels, [_index("name", n) for n in NAMES_IN_PART])
            reason[(reason == "") & away & in_part] = "name_in_part_in_town"
    if entity == EntityType.property and query.address is not None and query.address.street:
        # A direction written on one side only, not settled by close coordinates (scorer.held_back).
        before, _name, after = street_parts(query.address.street)
        one_side = ((cols.street_before[idx] == "") != (before == "")) | (
            (cols.street_after[idx] == "") != (after == "")
        )
        # One direction written before the name on one side and after it on the other (comparisons.direction_one_side).
        one_side &= ~((cols.street_before[idx] == after) & (cols.street_after[idx] == before))
        same = compared[:, fields.index("address")] == _index("address", "same")
        close = compared[:, fields.index("distance")] == _index("distance", "within_0_2km")
        # Not where the files write the street with one direction at most (TermFrequencies.one_direction_at).
        frequencies = cols.frequencies
        for i in np.flatnonzero((reason == "") & same & one_side & ~close).tolist():
            if frequencies is None or not frequencies.one_direction_at(query, cols.records[idx[i]]):
                reason[i] = "direction_unconfirmed"
        # Street types both written and not alike (scorer.held_back, comparisons.street_types_differ).
        if suffix := street_suffix(query.address.street):
            # With or without a house number: "Lot 18 Oak Bend Ct" is not on Oak Bend Dr.
            theirs = cols.street_suffix[idx]
            on_street = same | (compared[:, fields.index("address")] == _index("address", "same_street"))
            reason[(reason == "") & on_street & (theirs != "") & (theirs != suffix)] = "street_types_differ"
        if cols.frequencies is not None:
            # A type on one side only, the files writing the street's name with two types or more at its place
            # (scorer.held_back), where the pair would be linked.
            on_street = same | (compared[:, fields.index("address")] == _index("address", "same_street"))
            for i in np.flatnonzero((reason == "") & on_street & (confidence > cap)).tolist():
                typed = typed_side(query, cols.records[idx[i]])
                if typed is not None and len(cols.frequencies.street_types_at(typed)) > 1:
                    reason[i] = "street_type_unconfirmed"
        # A building's unit on one side only (scorer.held_back, comparisons.unit_on_one_side).
        both = (cols.unit[idx] != "") & bool(query.address.unit)
        one_unit = (cols.building_unit[idx] != building_unit(query.address.unit)) & ~both
        units = cols.frequencies.units_at(query) if cols.frequencies is not None else frozenset()
        for i in np.flatnonzero((reason == "") & same & both).tolist():
            # Or its building on one side only ("Unit 1" / "Bldg D Unit 1"), unless the files list the unit in no
            # other building there (comparisons.building_settled).
            one_unit[i] = building_on_one_side(query.address.unit or "", cols.unit[idx[i]]) and not building_settled(
                query, cols.records[idx[i]], units
            )
        reason[(reason == "") & same & one_unit] = "unit_unconfirmed"
        if (
            cols.frequencies is not None
            and not building_unit(query.address.unit)
            and len(cols.frequencies.units_at(query)) > 1
        ):
            # Neither names its unit at a tower's street address (scorer.held_back).
            reason[(reason == "") & same & ~cols.building_unit[idx]] = "unit_unconfirmed"
    if entity == EntityType.property:
        # No house number and street agreeing, and no lot number with close coordinates (scorer.held_back).
        unconfirmed = np.isin(
            compared[:, fields.index("address")],
            [MISSING if level is None else _index("address", level) for level in STREET_UNCONFIRMED],
        )
        lot_placed = (
            (compared[:, fields.index("unit")] == _index("unit", "same"))
            & ~cols.building_unit[idx]  # a lot, not a villa's unit "A", which every building of the street has
            & (
                (compared[:, fields.index("address")] == _index("address", "same_street"))
                | (compared[:, fields.index("distance")] == _index("distance", "within_0_2km"))
            )
        )
        same_address = compared[:, fields.index("address")] == _index("address", "same")
        for i in np.flatnonzero((reason == "") & same_address & (confidence > cap)).tolist():
            if lots_differ(query, cols.records[idx[i]]):
                reason[i] = "lots_differ"  # two lots, blocks or sections at one street address (scorer.held_back)
        if cols.frequencies is not None:
            # A lot's block on one side only, the files giving its number in several blocks (scorer.held_back).
            for i in np.flatnonzero((reason == "") & (confidence > cap)).tolist():
                if block_unconfirmed(query, cols.records[idx[i]], cols.frequencies):
                    reason[i] = "block_unconfirmed"
        reason[(reason == "") & unconfirmed & ~lot_placed] = "street_unconfirmed"
    held = (reason != "") & (confidence > cap)
    for i in np.flatnonzero(held).tolist():
        confidence[i] = held_confidence(float(weight[i]), link_threshold)
    confidence = np.round(confidence, 4)
    kept = np.flatnonzero(confidence >= min_confidence)
    results = []
    share_of = {name: s[kept].tolist() for name, s in shares.items()}
    for n, (position, row, value, total, why, cap_held) in enumerate(zip(
        idx[kept].tolist(), levels[kept].tolist(), confidence[kept].tolist(), weight[kept].tolist(),
        reason[kept].tolist(), held[kept].tolist(), strict=True,
    )):  # fmt: skip
        named = {name: (LEVELS[name][v] if v >= 0 else None) for name, v in zip(fields, row, strict=True)}
        pair_shares = {name: s[n] for name, s in share_of.items() if s[n] == s[n]} or None  # NaN: not adjusted
        reason_held = why if cap_held else None
        score = MatchScore(value, method_of(entity, named), total, named, entity, pair_shares, reason_held)
        results.append((position, score))
    return results
