"""The Fellegi-Sunter linkage model: per-level m and u probabilities, match weights, and their estimation.

For each field, m = P(level | same thing) and u = P(level | different things). A pair's match weight
(in bits) is the prior log-odds plus, for every field with a value on both sides, log2(m / u) of the
level it is at; the confidence is the posterior probability 2^w / (1 + 2^w). A missing value adds
nothing. u is estimated from random pairs (nearly all of them different things), m and the prior by
expectation-maximisation on the blocked candidate pairs, which needs no labels.

Sane bounds keep one field from deciding alone: a level's weight is at most MAX_FIELD_WEIGHT bits either
way, an agreement level never counts against a match and a disagreement level never counts for one.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from app.core.db import utcnow
from app.core.files import written_whole
from app.matching.comparisons import (
    LEVELS,
    building_unit,
    compare,
    lot_alone,
    name_and_type,
    same_phone,
    site_key,
    street_parts,
    street_suffix,
)
from app.matching.normalize import toll_free
from app.matching.records import MatchRecord

PARAMETERS_DIR = Path(__file__).parent / "parameters"
FORMAT_VERSION = 1
MAX_FIELD_WEIGHT = 10.0
# Levels that are evidence against a match whatever the estimates say; every other level is evidence for.
DISAGREEMENT_LEVELS = frozenset(
    {("name", "variant"), ("name", "different"), ("phone", "different"), ("website", "different"),
     ("address", "other_number"), ("address", "different"), ("unit", "different"), ("city", "other_city"),
     ("city", "other_state"), ("postal_code", "different"), ("distance", "within_50km"), ("distance", "farther")}
)  # fmt: skip
# Levels between the two (a street shared but not the number, a unit on one side only): bounded by the estimates only.
NEUTRAL_LEVELS = frozenset(
    {("name", "overlap"), ("address", "same_street"), ("unit", "one_side"), ("distance", "within_10km")}
)
# Levels that agree more strictly than another (stronger, weaker), weakest first: the stronger never weighs less.
# EM estimates each level on its own, and a level random pairs never reach keeps its starting u, so a stricter
# level could come out lighter ("Katz's Deli" / "Katz's Delicatessen", the same name but for the kind of business,
# below a name merely contained in the other).
STRICTER_LEVELS = (
    ("name", "contained", "overlap"), ("name", "typo", "similar"), ("name", "core", "contained"),
    ("name", "core", "typo"), ("name", "exact", "core"),
    ("distance", "within_50km", "farther"), ("distance", "within_10km", "within_50km"),
    ("distance", "within_2km", "within_10km"), ("distance", "within_0_2km", "within_2km"),
)  # fmt: skip
FIELDS: dict[str, tuple[str, ...]] = {
    "builder": ("name", "phone", "website", "address", "city", "postal_code"),
    "community": ("name", "phone", "website", "address", "city", "postal_code", "distance"),
    "property": ("address", "unit", "postal_code", "city", "distance", "name"),
}
RANDOM_PAIRS = 40_000
EM_MAX_ITERATIONS = 200
EM_TOLERANCE = 1e-5
PROBABILITY_FLOOR = 1e-6
MIN_SESSION_PAIRS = 10
MIN_FREE_FIELDS = 3


@dataclass
class FieldParameters:
    m: dict[str, float]
    u: dict[str, float]
    estimated: bool = False  # False: the starting values, no data had this field


@dataclass
class LinkageModel:
    entity_type: str
    prior: float  # P(same thing) for a blocked candidate pair
    fields: dict[str, FieldParameters]
    version: int = 1
    trained_on: str = ""
    trained_at: str = ""
    em_iterations: int = 0
    _table: dict[str, dict[str, float]] | None = field(default=None, init=False, repr=False, compare=False)

    def weight_of(self, name: str, level: str) -> float:
        """The bounded log2(m/u) of one field's level, in bits."""
        params = self.fields[name]
        m = max(params.m.get(level, 0.0), PROBABILITY_FLOOR)
        u = max(params.u.get(level, 0.0), PROBABILITY_FLOOR)
        weight = min(MAX_FIELD_WEIGHT, max(-MAX_FIELD_WEIGHT, math.log2(m / u)))
        if (name, level) in DISAGREEMENT_LEVELS:
            return min(weight, 0.0)
        if (name, level) in NEUTRAL_LEVELS:
            return weight
        return max(weight, 0.0)

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    @property
    def rounded_prior_weight(self) -> float:
        return round(self.prior_weight, 3)  # as the explanation shows it, so both sum the same

    def weight_table(self) -> dict[str, dict[str, float]]:
        """Every field's level weights, computed once: scoring reads them per pair (the model is not changed
        after it first scores)."""
        if self._table is None:
            table = {name: {lv: round(self.weight_of(name, lv), 3) for lv in LEVELS[name]} for name in self.fields}
            for name, stronger, weaker in STRICTER_LEVELS:
                if name in table:
                    table[name][stronger] = max(table[name][stronger], table[name][weaker])
            self._table = table
        return self._table

    def tf_weight(self, name: str, level: str, share: float) -> float:
        """The weight of an agreement on a value held by this share of the reference records.

        Term-frequency adjustment (as in Splink): for a value many records hold (an organisation's central
        phone, a chain's name) the chance that two different records agree on it is its frequency, not the
        level's average u. Only ever lowers the level's weight, and never below zero.
        """
        m = max(self.fields[name].m.get(level, 0.0), PROBABILITY_FLOOR)
        return round(max(0.0, min(self.weight_table()[name][level], math.log2(m / max(share, PROBABILITY_FLOOR)))), 3)

    def total_weight(self, levels: dict[str, str | None], shares: dict[str, float] | None = None) -> float:
        """The pair's match weight in bits: what ``explain`` sums, without building the explanation."""
        table = self.weight_table()
        total = self.rounded_prior_weight
        for name, level in levels.items():
            if level is not None:
                share = shares.get(name) if shares else None
                total += table[name][level] if share is None else self.tf_weight(name, level, share)
        return total

    def explain(self, levels: dict[str, str | None], shares: dict[str, float] | None = None) -> Explanation:
        """Each field's level and contribution, the total weight and the posterior probability.

        ``shares``: for fields whose agreed value is common in the reference records, that value's share
        of them (its term frequency), which lowers the agreement's weight.
        """
        contributions = {}
        for name, level in levels.items():
            share = shares.get(name) if shares and level is not None else None
            if level is None:
                weight = 0.0
            elif share is None:
                weight = self.weight_table()[name][level]
            else:
                weight = self.tf_weight(name, level, share)
            contributions[name] = FieldContribution(level, weight, share)
        prior = round(self.prior_weight, 3)
        weight = round(prior + sum(c.weight for c in contributions.values()), 3)
        return Explanation(f"{self.entity_type} v{self.version}", prior, contributions, weight)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "entity_type": self.entity_type,
            "version": self.version,
            "trained_on": self.trained_on,
            "trained_at": self.trained_at,
            "em_iterations": self.em_iterations,
            "prior": round(self.prior, 6),
            "fields": {
                name: {
                    "estimated": p.estimated,
                    "levels": {
                        level: {
                            "m": _significant(p.m[level]),
                            "u": _significant(p.u[level]),
                            "weight": self.weight_table()[name][level],
                        }
                        for level in LEVELS[name]
                    },
                }
                for name, p in self.fields.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkageModel:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"linkage parameters of format {data.get('format')!r}; expected {FORMAT_VERSION}")
        # A level the file does not give (one written before the level was compared) keeps its starting values.
        starting = starting_values(data["entity_type"])
        fields = {
            name: FieldParameters(
                m={level: float(spec["levels"][level]["m"]) if level in spec["levels"] else starting[name][level][0]
                   for level in LEVELS[name]},
                u={level: float(spec["levels"][level]["u"]) if level in spec["levels"] else starting[name][level][1]
                   for level in LEVELS[name]},
                estimated=bool(spec.get("estimated")),
            )
            for name, spec in data["fields"].items()
        }  # fmt: skip
        return cls(
            entity_type=data["entity_type"],
            prior=float(data["prior"]),
            fields=fields,
            version=int(data["version"]),
            trained_on=data.get("trained_on", ""),
            trained_at=data.get("trained_at", ""),
            em_iterations=int(data.get("em_iterations", 0)),
        )


def _significant(probability: float) -> float:
    """Six significant digits: a u of a few in ten million must not be written as 0."""
    return float(f"{probability:.6g}")


@dataclass(frozen=True, slots=True)
class FieldContribution:
    level: str | None  # None: a value was missing on one side
    weight: float
    term_frequency: float | None = None  # the agreed value's share of the reference records, when several hold it


def posterior(weight: float) -> float:
    """The probability that a pair is one entity, from its match weight in bits (prior included)."""
    return 1.0 / (1.0 + math.pow(2.0, -weight))


@dataclass(slots=True)
class Explanation:
    model: str
    prior: float
    fields: dict[str, FieldContribution]
    weight: float
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def probability(self) -> float:
        return posterior(self.weight)

    def as_dict(self) -> dict[str, Any]:
        """The JSON stored in entity_matches.match_details and shown to a reviewer."""
        return {
            "model": self.model,
            "prior": self.prior,
            "fields": {
                name: {"level": c.level, "weight": c.weight}
                | ({} if c.term_frequency is None else {"term_frequency": round(c.term_frequency, 6)})
                for name, c in self.fields.items()
            },
            "weight": self.weight,
            **self.notes,
        }

    def summary(self) -> str:
        """One line for a CSV cell: "name=exact(+9.1) phone=different(-4.2) … total +3.4", then why a pair that
        reached the threshold was held back from a match: "; held back: addresses_disagree"."""
        parts = [
            f"{name}={c.level}{'[common]' if c.term_frequency is not None else ''}({c.weight:+.1f})"
            for name, c in self.fields.items()
            if c.level is not None
        ]
        line = " ".join([f"prior({self.prior:+.1f})", *parts, f"total {self.weight:+.1f}"])
        held = [name if value is True else f"{name} {value}" for name, value in self.notes.items()]
        return f"{line}; held back: {', '.join(held)}" if held else line


# The agreement levels whose weight depends on how common the agreed value is, and that value on a record.
TF_LEVELS: dict[str, frozenset[str]] = {
    "phone": frozenset({"same"}),
    "website": frozenset({"same"}),
    "name": frozenset({"exact", "core", "contained", "plat", "overlap"}),
}
# The counts each field's level's value is looked up in: one name contained in the other agrees on the shorter core.
TF_COUNTS = {
    ("phone", "same"): "phone", ("website", "same"): "website", ("name", "exact"): "exact", ("name", "core"): "core",
    ("name", "contained"): "core", ("name", "plat"): "core", ("name", "overlap"): "core",
}  # fmt: skip
# A phone held at this many sites or more is a head-office line (``TermFrequencies.central_line``).
CENTRAL_LINE_SITES = 3
# Below this many reference records a value's frequency says too little to adjust a weight by, unless the value is
# held by ``CENTRAL_LINE_SITES`` records or more in a table of ``TF_MIN_SMALL_RECORDS`` or more: one in a hundred is
# no rarer than the model's u says, but a health system's one website on every row of its locator of 170, or a
# brand's line on a third of its offices, is common. In a handful of rows no share says anything.
TF_MIN_RECORDS = 200
TF_MIN_SMALL_RECORDS = 50


def agreed_value(field: str, level: str, query: MatchRecord, reference: MatchRecord) -> str | None:
    """The value the pair agrees on at ``field``'s ``level``: the reference's, or for a name contained in the other
    the shorter core, whichever side it is on ("Subway" in "Subway Midtown": how common "Subway" is)."""
    if field == "website":
        return reference.website
    if field == "phone":
        # The reference's number the query has: its second, where only that one agrees.
        agreed = (y for y in reference.phones if any(same_phone(x, y) for x in query.phones))
        return next(agreed, reference.phone)
    if level == "exact":
        return reference.name_norm.key
    if level in ("contained", "plat"):
        return min(query.name_norm.core, reference.name_norm.core, key=lambda core: len(core.split()))
    if level == "overlap":
        return shared_words(query.name_norm.core, reference.name_norm.core)
    return reference.name_norm.core


def shared_words(x: str, y: str) -> str:
    """The words of two overlapping core names both have, in the first's order: what they agree on ("keystone self
    storage" of "Keystone Self Storage Broad" and "Keystone Self Storage Truck Rental"), as common as the records
    whose whole core it is. Weighed by its frequency as a name contained in the other is, or the looser agreement
    would outweigh the stricter one on a chain's name."""
    theirs = set(y.split())
    return " ".join(word for word in x.split() if word in theirs)


def phone_site(record: MatchRecord) -> tuple[str, str] | None:
    """Where a record answers its phone: its house number and street (``site_key``), else, where it gives no street
    address, its name (a registry's association known by its name and its manager's line)."""
    site = site_key(record)
    if site is None and record.name_norm.key:
        return ("", record.name_norm.key)
    return site


def street_place(record: MatchRecord) -> tuple[tuple[str, str], str] | None:
    """The record's street's name at its ZIP (``name_and_type``), and the type it writes; None without a ZIP: a
    town's listings write a street's type wrongly now and then ("S Wells Ave"), and a city's streets of one name lie
    far apart."""
    if record.address is None or not record.address.street or not record.postal_code:
        return None
    name, suffix = name_and_type(record.address.street)
    return (name, record.postal_code), suffix


# Coordinates placing this many street addresses are no one's own place (``TermFrequencies.shared_point``).
SHARED_POINT_SITES = 3


def point_of(record: MatchRecord) -> tuple[float, float] | None:
    """The record's coordinates to about a metre, or None."""
    if record.latitude is None or record.longitude is None:
        return None
    return round(record.latitude, 5), round(record.longitude, 5)


# A record's very street address: its house number and street (``site_key``) and its unit.
Site = tuple[str, str, str | None]


def unit_site(record: MatchRecord) -> Site | None:
    """The record's house number, street (``site_key``, however the street is written) and unit: one home's or one
    suite's place; None without a house number and a street."""
    site = site_key(record)
    return (*site, record.address.unit if record.address else None) if site is not None else None


def street_directed(record: MatchRecord) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The record's street's name (its type too) at its ZIP, and the directions it writes before and after it; None
    without a ZIP."""
    if record.address is None or not record.address.street or not record.postal_code:
        return None
    before, name, after = street_parts(record.address.street)
    return (f"{name} {street_suffix(record.address.street)}".strip(), record.postal_code), (before, after)


# A house's accessory dwelling as a register or a listing writes its unit ("804 Cumberland Rd Rear", "Unit ADU").
ACCESSORY_UNITS = frozenset(
    {"rear", "back", "adu", "garage", "guest", "guesthouse", "casita", "cottage", "carriage", "mh"}
)


def name_site(record: MatchRecord) -> tuple[str, ...]:
    """Where a record's name is held, for counting it once there: its house number and street, else its phone, else
    the record itself."""
    site = site_key(record)
    if site is not None:
        return site
    return ("phone", record.phone) if record.phone else ("record", str(record.id))


def building_site(record: MatchRecord) -> tuple[str, str, str] | None:
    """A home's house number and street at its ZIP or town (``site_key``): the building its units are in."""
    site = site_key(record)
    place = record.postal_code or record.city_key
    return (*site, place) if site is not None and place else None


def lot_site(record: MatchRecord) -> tuple[str, str] | None:
    """A home's subdivision (its plat's words, whatever its section) and lot number, where it gives both."""
    plat, lot = record.extra.get("plat"), record.homesite or lot_alone(record)
    if plat is None or lot is None:
        return None
    return " ".join(sorted(plat.words)), lot


@dataclass(frozen=True)
class TermFrequencies:
    """How many reference records hold each phone, website, name and core name (term frequencies, as Splink's)."""

    total: int
    counts: dict[str, Counter[str]]
    # The queries are among the records counted (a file deduplicated against itself): a query's own value is
    # counted out, or a name or phone two rows share would be common for being the pair's.
    counts_queries: bool = False
    # Each phone's sites: the house numbers and streets of the records holding it (``phone_site``). A site listed
    # three times holds its phone three times; only another site makes the phone an organisation's central line.
    phone_sites: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    # Each street name's types at each ZIP, in either file: a subdivision's "Oak Bend Dr" and "Oak Bend Ct"
    # (``street_types_at``).
    street_types: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # The units of a building either file gives at each street address (``building_site``): a tower's listings. Not a
    # house's accessory unit ("Rear", "ADU"): beside it, the address alone is the house.
    building_units: dict[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)
    # The directions either file writes each street's name with at each ZIP (``street_directions_at``): a town's "N
    # Main St" and "S Main St", or one "W Avery Ridge Dr" a builder writes without its W. None where the records are
    # candidates fetched for one query: the table's other streets are not known.
    street_directions: dict[tuple[str, str], frozenset[tuple[str, str]]] | None = None
    # The sections and blocks either file gives each lot number in, in each subdivision (``lot_site``): a plat numbering
    # its lots block by block has a lot 16 in blocks B, C and D, and its sections each a lot 14 (``lot_places``).
    lot_blocks: dict[tuple[str, str], frozenset[tuple[str, str]]] = field(default_factory=dict)
    # The points either file places records at, each with how many street addresses it places (``point_of``): a
    # builder's feed pinning every home at its community's centre, a geocoder's ZIP centroid (``shared_point``).
    point_sites: dict[tuple[float, float], int] = field(default_factory=dict)

    @property
    def least_weighed(self) -> int:
        """How many records must hold a value for its share to set an agreement's weight: two in a table large enough
        for a share to say how rare a value is, ``CENTRAL_LINE_SITES`` in a smaller one (``TF_MIN_RECORDS``), more
        than it has in a handful of rows (``TF_MIN_SMALL_RECORDS``)."""
        if self.total >= TF_MIN_RECORDS:
            return 2
        return CENTRAL_LINE_SITES if self.total >= TF_MIN_SMALL_RECORDS else self.total + 1

    def weighed(self, held: dict[str, float] | None) -> dict[str, float] | None:
        """Of the shares of values more than one record holds (``shares``), those that set a weight."""
        found = {name: share for name, share in (held or {}).items() if round(share * self.total) >= self.least_weighed}
        return found or None

    @classmethod
    def of(
        cls,
        records: Sequence[MatchRecord],
        table_size: int | None = None,
        *,
        counts_queries: bool = False,
        queries: Sequence[MatchRecord] = (),
    ) -> TermFrequencies:
        """The reference records' frequencies.

        ``table_size``: when the records are the candidates fetched for one query rather than the whole
        table, the table's size (the candidates hold every record sharing the query's phone, so its count
        is exact; a name's count is at least what the candidates show). ``queries``: the other file's records,
        whose phones' sites count too (not their values): an association registry gives its manager's line for
        every community it manages, which the marketplace lists with each sales office's own.
        """
        total = len(records) if table_size is None else table_size
        counts: dict[str, Counter[str]] = {
            "phone": Counter(),
            "website": Counter(),
            "exact": Counter(),
            "core": Counter(),
        }
        sites: dict[str, set[tuple[str, str]]] = {}
        for record in (*records, *queries):
            site = phone_site(record)
            if site is not None:
                for phone in record.phones:
                    sites.setdefault(phone, set()).add(site)
        points: dict[tuple[float, float], set[object]] = {}
        for record in (*records, *queries):
            if (point := point_of(record)) is not None:
                points.setdefault(point, set()).add(unit_site(record) or id(record))
        types: dict[tuple[str, str], set[str]] = {}
        units: dict[tuple[str, str, str], set[str]] = {}
        directions: dict[tuple[str, str], set[tuple[str, str]]] = {}
        blocks: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for record in (*records, *queries):
            if (lot := lot_site(record)) is not None and (record.extra.get("block") or record.extra["plat"].section):
                blocks.setdefault(lot, set()).add((record.extra["plat"].section or "", record.extra.get("block") or ""))
            if (placed := street_place(record)) is not None and placed[1]:
                types.setdefault(placed[0], set()).add(placed[1])
            if (directed := street_directed(record)) is not None:
                directions.setdefault(directed[0], set()).add(directed[1])
            unit = record.address.unit if record.address else None
            if building_unit(unit) and unit not in ACCESSORY_UNITS and (building := building_site(record)) is not None:
                units.setdefault(building, set()).add(unit or "")
        # A name is counted once at each site holding it: a contractor's two licences at its office, or a directory
        # listing one business twice, do not make its name another's too.
        named: dict[str, set[tuple[str, ...]]] = {}
        cored: dict[str, set[tuple[str, ...]]] = {}
        for record in records:
            counts["phone"].update(set(record.phones))  # every number of a cell: one may be another's only
            if record.website:
                counts["website"][record.website] += 1  # a national builder's divisions', a chain's stores'
            if record.name_norm.key:
                held_at = name_site(record)
                named.setdefault(record.name_norm.key, set()).add(held_at)
                cored.setdefault(record.name_norm.core, set()).add(held_at)
        counts["exact"].update({name: len(held) for name, held in named.items()})
        counts["core"].update({name: len(held) for name, held in cored.items()})
        return cls(
            total,
            counts,
            counts_queries,
            {phone: frozenset(held) for phone, held in sites.items()},
            {place: frozenset(written) for place, written in types.items()},
            {building: frozenset(given) for building, given in units.items()},
            {street: frozenset(written) for street, written in directions.items()} if table_size is None else None,
            {lot: frozenset(given) for lot, given in blocks.items()},
            {point: len(held) for point, held in points.items()},
        )

    def shared_point(self, record: MatchRecord) -> bool:
        """The record's coordinates place ``SHARED_POINT_SITES`` street addresses or more: a community's centre or a
        ZIP's centroid, no home's or business's own place."""
        point = point_of(record)
        return point is not None and self.point_sites.get(point, 0) >= SHARED_POINT_SITES

    def lot_places(self, record: MatchRecord) -> frozenset[tuple[str, str]]:
        """The sections and blocks ("" where not given) either file gives the record's lot number in, in its
        subdivision."""
        lot = lot_site(record)
        return self.lot_blocks.get(lot, frozenset()) if lot is not None else frozenset()

    def street_types_at(self, record: MatchRecord) -> frozenset[str]:
        """The types either file writes the record's street's name with at its ZIP."""
        placed = street_place(record)
        return self.street_types.get(placed[0], frozenset()) if placed is not None else frozenset()

    def one_direction_at(self, a: MatchRecord, b: MatchRecord) -> bool:
        """The files write the pair's street at its ZIP with one direction at most, no direction aside (a listing
        leaving it out means that one), before its name or after it ("W Hero Way", an MLS's "Hero Way" with its
        `StreetDirSuffix` "W": one direction); False where the table's streets are not all known."""
        if self.street_directions is None:
            return False
        written: set[str] = set()
        for record in (a, b):
            if (directed := street_directed(record)) is not None:
                written |= {d for pair in self.street_directions.get(directed[0], frozenset()) for d in pair if d}
        return len(written) <= 1

    def units_at(self, record: MatchRecord) -> frozenset[str]:
        """The units of a building either file gives at the record's street address."""
        building = building_site(record)
        return self.building_units.get(building, frozenset()) if building is not None else frozenset()

    def central_line(self, phone: str | None) -> bool:
        """The phone answers at ``CENTRAL_LINE_SITES`` sites or more, or is toll-free: a chain's or an agency's
        head-office line, which one listing gives for a store that another lists with its own number."""
        return phone is not None and (toll_free(phone) or len(self.phone_sites.get(phone, ())) >= CENTRAL_LINE_SITES)

    def phone_elsewhere(self, query: MatchRecord, reference: MatchRecord) -> bool:
        """The phone the pair agrees on is held at a site that is neither's: an organisation's central line, or a
        chain's, which says nothing of which site is which. Listings of either's site (a directory's, a licence
        list's, each its own row) do not make it so."""
        phone = agreed_value("phone", "same", query, reference) or ""
        own = {phone_site(query), phone_site(reference)}
        return any(site not in own for site in self.phone_sites.get(phone, ()))

    def shares(
        self, levels: dict[str, str | None], query: MatchRecord, reference: MatchRecord
    ) -> dict[str, float] | None:
        """For each agreement level on a value held by more than one reference record, that value's share (what
        lowers the agreement's weight where the table ``weighs``)."""
        found = {}
        for name, level in levels.items():
            if level is None or level not in TF_LEVELS.get(name, ()):
                continue
            value = agreed_value(name, level, query, reference) or ""
            count = self.counts[TF_COUNTS[name, level]].get(value, 0)
            if self.counts_queries and holds_value(query, name, level, value):
                count -= 1
            if count > 1:
                found[name] = count / self.total
        return found or None


def holds_value(record: MatchRecord, field: str, level: str, value: str) -> bool:
    """The record holds the value agreed on at ``field``'s ``level`` (``agreed_value``): its phone, website, name or
    core name."""
    if field == "phone":
        return value in record.phones
    if field == "website":
        return value == record.website
    return value == (record.name_norm.key if level == "exact" else record.name_norm.core)


def parameters_path(entity_type: str) -> Path:
    return PARAMETERS_DIR / f"{entity_type}.json"


@cache
def shipped_model(entity_type: str) -> LinkageModel:
    """The model of one entity type, from the parameters file shipped in the package."""
    return LinkageModel.from_json(json.loads(parameters_path(entity_type).read_text()))


# Models read from another parameters file (``match-csv --parameters``), in place of the shipped ones. A
# context variable: a model put in use by one thread (or task) never scores another's records.
_IN_USE: ContextVar[Mapping[str, LinkageModel]] = ContextVar("models_in_use", default=MappingProxyType({}))


def load_model(entity_type: str) -> LinkageModel:
    """The model scoring an entity type: one put in use, else the shipped one."""
    return _IN_USE.get().get(entity_type) or shipped_model(entity_type)


@contextmanager
def model_in_use(model: LinkageModel) -> Iterator[None]:
    """Score the model's entity type with it until the block ends (a file's own estimated parameters)."""
    token = _IN_USE.set({**_IN_USE.get(), model.entity_type: model})
    try:
        yield
    finally:
        _IN_USE.reset(token)


def save_model(model: LinkageModel, path: Path) -> None:
    """Written whole: the package's own parameters file, half written, would leave no model to score with."""
    with written_whole(path) as fh:
        fh.write(json.dumps(model.to_json(), indent=2) + "\n")


# Starting values: m and u per level before any data. EM starts from these m; a field or a level the
# training data never shows keeps them, and so does an entity type no unlabelled data identifies yet.
STARTING: dict[str, dict[str, tuple[float, float]]] = {
    # A plat of a community's name, "Mesquite Falls Sec 3" of "Mesquite Falls", is as rare among random pairs as the
    # name written again; it is what a plat register writes of the community a marketplace lists.
    "name": {"exact": (0.65, 0.0005), "core": (0.08, 0.0005), "typo": (0.08, 0.001), "contained": (0.07, 0.003),
             "plat": (0.05, 0.0005), "variant": (0.00001, 0.002), "similar": (0.03, 0.015), "overlap": (0.02, 0.01),
             "different": (0.01999, 0.9675)},
    "phone": {"same": (0.85, 0.0005), "different": (0.15, 0.9995)},
    "website": {"same": (0.8, 0.001), "different": (0.2, 0.999)},
    "address": {"same": (0.85, 0.0005), "same_street": (0.03, 0.005), "other_number": (0.02, 0.005),
                "different": (0.1, 0.9895)},
    "unit": {"same": (0.75, 0.05), "one_side": (0.245, 0.5), "different": (0.005, 0.45)},
    "city": {"same": (0.9, 0.05), "other_city": (0.08, 0.75), "other_state": (0.02, 0.2)},
    "postal_code": {"same": (0.85, 0.05), "different": (0.15, 0.95)},
    "distance": {"within_0_2km": (0.6, 0.001), "within_2km": (0.3, 0.01), "within_10km": (0.06, 0.1),
                 "within_50km": (0.03, 0.3), "farther": (0.01, 0.589)},
}  # fmt: skip
# A community, unlike a builder, is in one place: the same name in another city is another community.
STARTING_FOR: dict[str, dict[str, dict[str, tuple[float, float]]]] = {
    "community": {"city": {"same": (0.985, 0.05), "other_city": (0.013, 0.75), "other_state": (0.002, 0.2)}},
    # A home never moves: another house number, unit or ZIP is another home.
    "property": {
        "address": {
            "same": (0.985, 0.0005),
            "same_street": (0.004, 0.005),
            "other_number": (0.001, 0.005),
            "different": (0.01, 0.9895),
        },
        "unit": {"same": (0.75, 0.05), "one_side": (0.2495, 0.5), "different": (0.0005, 0.45)},
        "postal_code": {"same": (0.999, 0.05), "different": (0.001, 0.95)},
        "city": {"same": (0.985, 0.05), "other_city": (0.013, 0.75), "other_state": (0.002, 0.2)},
        # A home's title is a listing's wording: weak evidence either way. One source titles a home by its plan
        # ("The Grove Plan"), another by its address ("123 Oak Street"), so titles of one home often differ.
        "name": {
            "exact": (0.3, 0.05),
            "core": (0.06, 0.02),
            "typo": (0.06, 0.02),
            "contained": (0.08, 0.04),
            "variant": (0.01, 0.02),
            "plat": (0.04, 0.025),
            "similar": (0.04, 0.025),
            "overlap": (0.06, 0.05),
            "different": (0.35, 0.75),
        },
    },
}
STARTING_PRIOR = 0.05  # one blocked candidate in twenty is the same thing


def starting_values(entity_type: str) -> dict[str, dict[str, tuple[float, float]]]:
    """Each field's levels' starting m and u for the entity type."""
    return {**STARTING, **STARTING_FOR.get(entity_type, {})}


def starting_model(entity_type: str) -> LinkageModel:
    """The model before any data: the starting values of every field."""
    values = starting_values(entity_type)
    fields = {
        name: FieldParameters(
            m={level: values[name][level][0] for level in LEVELS[name]},
            u={level: values[name][level][1] for level in LEVELS[name]},
        )
        for name in FIELDS[entity_type]
    }
    return LinkageModel(
        entity_type=entity_type, prior=STARTING_PRIOR, fields=fields, version=1, trained_on="starting values"
    )


def level_matrix(pairs: Sequence[tuple[MatchRecord, MatchRecord]], fields: Sequence[str]) -> np.ndarray:
    """(pairs x fields) level indexes, -1 where a value is missing."""
    matrix = np.full((len(pairs), len(fields)), -1, dtype=np.int8)
    for row, (a, b) in enumerate(pairs):
        for col, (name, level) in enumerate(compare(a, b, tuple(fields)).items()):
            if level is not None:
                matrix[row, col] = LEVELS[name].index(level)
    return matrix


def random_pairs(
    left: Sequence[MatchRecord], right: Sequence[MatchRecord] | None, count: int, seed: int = 17
) -> list[tuple[MatchRecord, MatchRecord]]:
    """Random pairs across two files, or of distinct records of one file; nearly all are different things."""
    rng = random.Random(seed)
    other = right if right is not None else left
    pairs: list[tuple[MatchRecord, MatchRecord]] = []
    while len(pairs) < count and len(left) > 0 and len(other) > (0 if right is not None else 1):
        a, b = rng.randrange(len(left)), rng.randrange(len(other))
        if right is None and a == b:
            continue
        pairs.append((left[a], other[b]))
    return pairs


def level_frequencies(
    matrix: np.ndarray,
    fields: Sequence[str],
    starting: dict[str, dict[str, float]],
    weights: np.ndarray | None = None,
) -> dict[str, dict[str, float] | None]:
    """Each field's share of pairs at each level among pairs with a value (None: no pair had one).

    A level no pair is at keeps a share, at most its starting one: unseen is not impossible, but among
    many pairs it is rare (a share of 1 / (pairs + 1), so a field whose every pair agrees, one city for a
    whole file, is found to say nothing).
    """
    out: dict[str, dict[str, float] | None] = {}
    w = np.ones(len(matrix)) if weights is None else weights
    for col, name in enumerate(fields):
        column = matrix[:, col]
        seen = {level: bool((column == i).any()) for i, level in enumerate(LEVELS[name])}
        counts = {level: float(w[column == i].sum()) for i, level in enumerate(LEVELS[name])}
        total = sum(counts.values())
        if total <= 0:
            out[name] = None
            continue
        unseen = {level: min(starting[name][level], 1.0 / (total + 1.0)) for level, was in seen.items() if not was}
        reserved = sum(unseen.values())
        out[name] = {
            level: (1 - reserved) * counts[level] / total if seen[level] else unseen[level] for level in LEVELS[name]
        }
    return out


@dataclass
class EmResult:
    m: dict[str, dict[str, float] | None]
    prior: float
    iterations: int
    converged: bool
    posterior: np.ndarray  # each pair's chance of being the same thing, at the last iteration


def estimate_m(
    matrix: np.ndarray, fields: Sequence[str], start: LinkageModel, estimated: Sequence[str] | None = None
) -> EmResult:
    """m-probabilities of the ``estimated`` fields (default all) and the prior by EM, u and other m held fixed."""
    update = set(fields if estimated is None else estimated)
    starting_m = {f: start.fields[f].m for f in fields}
    m = [np.array([start.fields[f].m[level] for level in LEVELS[f]]) for f in fields]
    u = [np.array([max(start.fields[f].u[level], PROBABILITY_FLOOR) for level in LEVELS[f]]) for f in fields]
    prior = start.prior
    present = matrix >= 0
    index = np.where(present, matrix, 0).astype(np.intp)
    iterations, converged = 0, False
    posterior = np.full(len(matrix), prior)
    while iterations < EM_MAX_ITERATIONS and not converged:
        iterations += 1
        log_ratio = np.full(len(matrix), math.log(prior / (1 - prior)))
        for col in range(len(fields)):
            ratio = np.log(np.maximum(m[col], PROBABILITY_FLOOR) / u[col])
            log_ratio += np.where(present[:, col], ratio[index[:, col]], 0.0)
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_ratio, -50, 50)))
        frequencies = list(level_frequencies(matrix, fields, starting_m, posterior).values())
        new_m = [
            np.array(list(f.values())) if f is not None and fields[i] in update else m[i]
            for i, f in enumerate(frequencies)
        ]
        new_prior = float(np.clip(posterior.mean(), 1e-4, 0.999))
        change = max([abs(new_prior - prior), *(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True))])
        m, prior = new_m, new_prior
        converged = change < EM_TOLERANCE
    has_values = [bool(present[:, i].any()) for i in range(len(fields))]
    result = {
        f: dict(zip(LEVELS[f], m[i].tolist(), strict=True)) if has_values[i] and f in update else None
        for i, f in enumerate(fields)
    }
    return EmResult(result, prior, iterations, converged, posterior)


# EM sessions, as in Splink: each runs on the pairs agreeing on a rule's keys and estimates the m of the
# fields the rule does not fix (a field a session blocks on agrees by construction, so it says nothing there).
BLOCK_KEYS: dict[str, Callable[[MatchRecord], str | None]] = {
    "name": lambda r: r.name_norm.key or None,
    "name_start": lambda r: r.name_norm.core[:4] or None,
    "phone": lambda r: r.phone[-7:] if r.phone else None,
    "address": lambda r: f"{r.address.number} {r.address.street}" if r.address and r.address.number else None,
    "number": lambda r: r.address.number if r.address and r.address.number else None,
    "city": lambda r: r.city_key,
    "postal_code": lambda r: r.postal_code,
}  # fmt: skip
FIXES = {"name_start": "name", "number": "address"}  # key -> the field a session on it cannot estimate
TRAINING_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    "builder": (("name",), ("phone",), ("address",), ("name_start", "postal_code")),
    "community": (("name",), ("phone",), ("address",), ("name_start", "city")),
    "property": (("address",), ("number", "postal_code"), ("name",)),
}
MAX_SESSION_PAIRS = 200_000


def rule_pairs(
    rule: Sequence[str], left: Sequence[MatchRecord], right: Sequence[MatchRecord] | None, seed: int = 23
) -> list[tuple[MatchRecord, MatchRecord]]:
    """The pairs (across two files, or within one) whose keys of the rule are all present and equal."""

    def key(record: MatchRecord) -> tuple[str, ...] | None:
        values = tuple(BLOCK_KEYS[name](record) for name in rule)
        return None if any(v is None for v in values) else values  # type: ignore[return-value]

    groups: dict[tuple[str, ...], list[MatchRecord]] = {}
    for record in right if right is not None else left:
        if (k := key(record)) is not None:
            groups.setdefault(k, []).append(record)
    if right is None:
        pairs = [pair for group in groups.values() for pair in combinations(group, 2)]
    else:
        pairs = [(record, other) for record in left for other in groups.get(key(record) or (), [])]
    if len(pairs) > MAX_SESSION_PAIRS:
        pairs = random.Random(seed).sample(pairs, MAX_SESSION_PAIRS)
    return pairs


def _estimate_m_by_sessions(
    model: LinkageModel, left: Sequence[MatchRecord], right: Sequence[MatchRecord] | None, with_u: Sequence[str]
) -> int:
    """Each field's m as the mean of the EM sessions' estimates (fields with a u only); the EM iterations run."""
    entity_type, fields = model.entity_type, FIELDS[model.entity_type]
    estimates: dict[str, list[dict[str, float]]] = {name: [] for name in fields}
    iterations = 0
    for rule in TRAINING_RULES[entity_type]:
        pairs = rule_pairs(rule, left, right)
        fixed = {FIXES.get(key, key) for key in rule}
        matrix = level_matrix(pairs, fields)
        # The fields the rule blocks on agree by construction: in this session they are no evidence.
        matrix[:, [i for i, name in enumerate(fields) if name in fixed]] = -1
        compared = [bool((matrix[:, i] >= 0).any()) for i in range(len(fields))]
        free = [name for i, name in enumerate(fields) if name not in fixed and name in with_u and compared[i]]
        # A two-class mixture is identifiable from three or more independent fields, not fewer (Goodman 1974).
        if len(pairs) < MIN_SESSION_PAIRS or len(free) < MIN_FREE_FIELDS:
            continue
        session = starting_model(entity_type)
        session.fields = model.fields
        session.prior = 0.5  # pairs agreeing on a strong key are often the same thing
        em = estimate_m(matrix, fields, session, estimated=free)
        iterations += em.iterations
        for name, frequencies in em.m.items():
            if frequencies is not None:
                estimates[name].append(frequencies)
    for name, found in estimates.items():
        if found:
            model.fields[name].m = {level: sum(f[level] for f in found) / len(found) for level in LEVELS[name]}
            model.fields[name].estimated = True
    return iterations


def train(
    entity_type: str,
    left: Sequence[MatchRecord],
    right: Sequence[MatchRecord] | None,
    candidate_pairs: Sequence[tuple[MatchRecord, MatchRecord]],
    *,
    trained_on: str,
    version: int,
    random_count: int = RANDOM_PAIRS,
) -> LinkageModel:
    """A model estimated from unlabelled records: u from random pairs, m by EM sessions, the prior on the candidates."""
    fields = FIELDS[entity_type]
    model = starting_model(entity_type)
    starting_u = {name: dict(p.u) for name, p in model.fields.items()}
    randoms = level_matrix(random_pairs(left, right, random_count), fields)
    u = level_frequencies(randoms, fields, starting_u)
    for name, frequencies in u.items():
        if frequencies is not None:
            model.fields[name].u = frequencies
    iterations = _estimate_m_by_sessions(model, left, right, [name for name in fields if u[name] is not None])
    # Random pairs of a file holding many duplicates include some of them, and an agreement they share
    # (one street address) then looks common among different things. u is counted again over the random
    # pairs each weighted by its chance of being two different things under the model, and m after it.
    different = 1.0 - estimate_m(randoms, fields, model, estimated=()).posterior
    for name, frequencies in level_frequencies(randoms, fields, starting_u, different).items():
        if frequencies is not None:
            model.fields[name].u = frequencies
    iterations += _estimate_m_by_sessions(model, left, right, [name for name in fields if u[name] is not None])
    # The prior: the share of candidate pairs that are the same thing, with every m and u now fixed.
    model.prior = estimate_m(level_matrix(candidate_pairs, fields), fields, model, estimated=()).prior
    model.version = version
    model.trained_on = trained_on
    model.trained_at = utcnow().isoformat(timespec="seconds")
    model.em_iterations = iterations
    return model
