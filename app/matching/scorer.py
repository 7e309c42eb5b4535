"""Scores one pair of records: per-signal evidence combined into a confidence and a match_method.

Each signal adds or subtracts log-odds (Fellegi-Sunter style): an agreeing website is strong evidence
for a match, a different city is strong evidence against one community being another, a missing value
says nothing. The sum passes through a logistic into a confidence from 0 to 1. The weights are per
entity type, set by hand against the hard cases of bench/data/matching_labeled.json (so that set's
figures are in-sample); the public sets in bench/README.md were not used to choose them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz

from app.core.config import get_settings
from app.matching.normalize import (
    AddressKey,
    NormalizedName,
    haversine_km,
    normalize_city,
    normalize_name,
    normalize_postal,
    normalize_state,
    parse_address,
    phone_e164,
    website_key,
)

EntityType = Literal["builder", "community", "property"]
ENTITY_TYPES: tuple[EntityType, ...] = ("builder", "community", "property")
MATCH_METHODS = ("name_exact", "name_fuzzy", "website_match", "phone_match", "address_match", "manual")

# Words that tell two similarly named communities apart ("Cinco Ranch" vs "Cinco Ranch West").
DISTINGUISHING_WORDS = frozenset(
    {"north", "south", "east", "west", "upper", "lower", "new", "old", "village", "villages", "park", "lakes",
     "lake", "estates", "heights", "crossing", "trails", "trail", "hills", "ridge", "meadows", "reserve",
     "preserve", "landing", "point", "grove", "springs", "creek", "ii", "iii", "iv", "section", "phase"}
)  # fmt: skip


@dataclass(slots=True)
class MatchRecord:
    """A record prepared for comparison: every signal normalized once."""

    id: Any
    entity_type: str
    name: str
    name_norm: NormalizedName
    website: str | None = None
    phone: str | None = None
    address: AddressKey | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def location(self) -> str | None:
        parts = [p for p in (self.extra.get("city_raw"), self.extra.get("state_raw")) if p]
        return ", ".join(parts) or None


def prepare(entity_type: str, values: Mapping[str, Any], record_id: Any = None) -> MatchRecord:
    """Normalize a record given as column values (``name``, ``website``, ``phone``, ``address``, ``city``…)."""
    if entity_type == "property":
        name = values.get("title") or values.get("name") or values.get("address1") or values.get("address") or ""
        street = values.get("address1") or values.get("address")
        unit = values.get("address2")
        full = " ".join(str(p) for p in (street, unit) if p)
        street_raw = street
    else:
        name = values.get("name") or ""
        full = values.get("address") or ""
        street_raw = None
    website = values.get("website") or values.get("community_website_url")
    phone = values.get("phone") or values.get("hoa_contact_phone")
    address = parse_address(str(full), values.get("postal_code")) if full else None
    city = normalize_city(values.get("city")) or (address.city if address else None)
    state = normalize_state(values.get("state")) or (address.state if address else None)
    postal = normalize_postal(values.get("postal_code")) or (address.postal_code if address else None)
    return MatchRecord(
        id=record_id if record_id is not None else values.get("id"),
        entity_type=entity_type,
        name=str(name),
        name_norm=normalize_name(str(name), entity_type),
        website=website_key(website),
        phone=phone_e164(str(phone)) if phone else None,
        address=address,
        city=city,
        state=state,
        postal_code=postal,
        latitude=_float(values.get("latitude")),
        longitude=_float(values.get("longitude")),
        extra={"city_raw": values.get("city"), "state_raw": values.get("state"), "street_raw": street_raw},
    )


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


@dataclass(slots=True)
class MatchScore:
    confidence: float
    method: str | None
    signals: dict[str, Any]


def name_similarity(a: NormalizedName, b: NormalizedName) -> float:
    """0..1: 1.0 for the same normalized name; typos and word order forgiven, extra words are not."""
    if not a.key or not b.key:
        return 0.0
    if a.key == b.key:
        return 1.0
    if a.core == b.core:
        # "Highland Homes" vs "Highland Builders": same core, different kind of business word.
        return 0.86 if (a.generic and b.generic) else 0.95
    sort = fuzz.token_sort_ratio(a.core, b.core) / 100
    subset = fuzz.token_set_ratio(a.core, b.core) / 100
    # Token-set forgives extra words fully ("Toll" vs "Toll Brothers"); count that only partly.
    return max(sort, 0.5 * sort + 0.5 * subset * 0.9)


def _extra_distinguishing(a: NormalizedName, b: NormalizedName) -> bool:
    """True when one name has a word like "West" or "Village" (or a number) the other lacks."""
    left, right = set(a.tokens), set(b.tokens)
    if _numbers(left) != _numbers(right):
        return True
    only_left, only_right = left - right, right - left
    for word in (only_left | only_right) & DISTINGUISHING_WORDS:
        others = only_right if word in only_left else only_left
        # "Laakes" against "Lakes" is a typo of the same word, not a different community.
        if not any(fuzz.ratio(word, other) >= 75 for other in others):
            return True
    return False


def _numbers(tokens: set[str]) -> set[str]:
    return {t for t in tokens if t.isdigit()}


def _name_weight(sim: float) -> float:
    if sim >= 0.999:
        return 4.0
    if sim >= 0.94:
        return 3.0
    if sim >= 0.88:
        return 1.8
    if sim >= 0.80:
        return 0.5
    if sim >= 0.70:
        return -1.5
    return -4.0


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _distance(a: MatchRecord, b: MatchRecord) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def _street_similarity(a: AddressKey, b: AddressKey) -> float:
    if not a.street or not b.street:
        return 0.0
    return fuzz.ratio(a.street, b.street) / 100


def _unplaced_cap(confidence: float, located: bool, signals: dict[str, Any]) -> float:
    """Below the auto-link threshold unless a compared location (ZIP, city, coordinates) agreed.

    A street address or a community name alone recurs across towns ("123 Main St"): it goes to review.
    """
    if located:
        return confidence
    cap = get_settings().match_high_threshold - 0.01
    if confidence <= cap:
        return confidence
    signals["location_unconfirmed"] = True
    return cap


def score_pair(a: MatchRecord, b: MatchRecord) -> MatchScore:
    """Confidence that two records of one entity type are the same real-world thing."""
    if a.entity_type == "property":
        return _score_property(a, b)
    sim = name_similarity(a.name_norm, b.name_norm)
    signals: dict[str, Any] = {"name": round(sim, 3)}
    logit = _name_weight(sim)
    is_community = a.entity_type == "community"

    website_agrees = a.website is not None and a.website == b.website
    if a.website and b.website:
        signals["website"] = website_agrees
        # A moved website is common; a shared one is rare.
        logit += 3.5 if website_agrees else -0.8
    phone_agrees = a.phone is not None and a.phone == b.phone
    if a.phone and b.phone:
        signals["phone"] = phone_agrees
        logit += 3.0 if phone_agrees else -0.5

    city_agrees = None
    if a.city and b.city:
        city_agrees = a.city == b.city
        signals["city"] = city_agrees
    state_agrees = None
    if a.state and b.state:
        state_agrees = a.state == b.state
        signals["state"] = state_agrees
    distance = _distance(a, b)
    if distance is not None:
        signals["distance_km"] = round(distance, 3)

    if is_community:
        # One name in another city is another community, unless the coordinates say it is the same place.
        near = distance is not None and distance <= 5.0
        if state_agrees is False:
            logit -= 6.0
        elif city_agrees is False and not near:
            logit -= 5.0
        elif city_agrees:
            logit += 1.0
        if distance is not None:
            logit += 2.0 if distance <= 2.0 else 0.5 if distance <= 8.0 else -3.0 if distance > 25 else -1.0
        if _extra_distinguishing(a.name_norm, b.name_norm):
            # "Cinco Ranch" vs "Cinco Ranch West" in one city are neighbours, not duplicates.
            signals["distinguishing_words"] = True
            logit -= 4.0
        if a.postal_code and b.postal_code:
            logit += 0.5 if a.postal_code == b.postal_code else -0.3
    else:
        # Builders work in many cities: a different city is weak evidence.
        if state_agrees is False:
            logit -= 1.0
        elif city_agrees is False:
            logit -= 0.3
        elif city_agrees:
            logit += 0.5
        if a.address and b.address and not a.address.is_empty and not b.address.is_empty:
            same_address = a.address.number == b.address.number and _street_similarity(a.address, b.address) >= 0.85
            signals["address"] = same_address
            logit += 1.5 if same_address else -0.3

    logit -= 1.0  # prior: most candidate pairs are not matches
    confidence = _logistic(logit)
    if is_community:
        near_enough = distance is not None and distance <= 5.0
        postal_agrees = a.postal_code is not None and a.postal_code == b.postal_code
        confidence = _unplaced_cap(confidence, bool(city_agrees) or postal_agrees or near_enough, signals)
    if sim >= 0.999:
        method = "name_exact"
    elif website_agrees:
        method = "website_match"
    elif phone_agrees:
        method = "phone_match"
    else:
        method = "name_fuzzy"
    return MatchScore(round(confidence, 4), method, signals)


def _score_property(a: MatchRecord, b: MatchRecord) -> MatchScore:
    signals: dict[str, Any] = {}
    logit = -1.0
    addr_a, addr_b = a.address, b.address
    address_agrees = False
    if addr_a and addr_b and not addr_a.is_empty and not addr_b.is_empty:
        number_agrees = addr_a.number is not None and addr_a.number == addr_b.number
        street = _street_similarity(addr_a, addr_b)
        signals.update(number=number_agrees, street=round(street, 3))
        logit += 2.5 if number_agrees else -5.0
        logit += 2.5 if street >= 0.9 else 0.5 if street >= 0.75 else -4.0
        # A unit on one side only is usually the same building written two ways; two different units are not.
        if addr_a.unit and addr_b.unit:
            signals["unit"] = addr_a.unit == addr_b.unit
            logit += 1.0 if addr_a.unit == addr_b.unit else -7.0
        elif addr_a.unit or addr_b.unit:
            signals["unit"] = None
            logit -= 1.5
        address_agrees = number_agrees and street >= 0.9 and signals.get("unit") is not False
    else:
        logit -= 2.0
    if a.postal_code and b.postal_code:
        signals["postal_code"] = a.postal_code == b.postal_code
        logit += 1.5 if a.postal_code == b.postal_code else -4.0
    elif a.city and b.city:
        signals["city"] = a.city == b.city
        logit += 0.8 if a.city == b.city else -3.0
    distance = _distance(a, b)
    if distance is not None:
        signals["distance_km"] = round(distance, 3)
        logit += 1.0 if distance <= 0.1 else -0.5 if distance <= 1.0 else -4.0
    name_sim = name_similarity(a.name_norm, b.name_norm)
    signals["name"] = round(name_sim, 3)
    logit += 0.3 if name_sim >= 0.9 else 0.0
    located = bool(signals.get("postal_code") or signals.get("city")) or (distance is not None and distance <= 0.1)
    confidence = _unplaced_cap(_logistic(logit), located, signals)
    method = "address_match" if address_agrees else ("name_exact" if name_sim >= 0.999 else "name_fuzzy")
    return MatchScore(round(confidence, 4), method, signals)
