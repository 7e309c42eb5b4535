"""Blocking: compare a record only with the existing records that could plausibly be the same thing.

Two kinds of blocks, unioned:
- exact keys: distinctive name words, word prefixes (a typo rarely hits the first letters), the
  website's registered domain, the phone, and for homes the postal code with the house number;
- place blocks: every record of the same city and state, whose names are scored as one batch with
  ``rapidfuzz.process.cdist`` so a typo in every word of a name still finds its match;
- pins: a home or a community with coordinates and no house number (a home known by its lot alone, a community by
  its name) is compared with those pinned in its grid cell and the eight around it (about 600 m across), and a
  numbered one with those of no number there: so a lot meets its numbered listing, and two numbered neighbours,
  which their street addresses already block, are not made candidates by their pins.
Only the candidates then go through the full scorer, so cost grows with plausible candidates, not
with discovered x existing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from app.core.entities import EntityType
from app.matching.batch import Columns, score_many
from app.matching.comparisons import lot_alone, lot_as_written, place_as_written, street_as_written, street_name
from app.matching.linkage import TermFrequencies
from app.matching.places import km_apart
from app.matching.records import MatchRecord
from app.matching.scorer import MatchScore, records_fit

# A name word held by more records than this says little; the place block covers such names.
MAX_WORD_BLOCK = 500
PREFIX_LENGTH = 4
# Names in one place scoring below this (token_sort_ratio, 0..100) are not worth the full scorer.
PLACE_NAME_CUTOFF = 60.0
PLACE_TOP_K = 10
# A pin's grid cell, in degrees: about 220 m north to south.
PIN_CELL = 0.002


def blocking_keys(record: MatchRecord) -> set[str]:
    """The exact keys a record is filed under."""
    keys: set[str] = set()
    for name in record.names:
        for token in name.core.split():
            if len(token) >= 2:
                keys.add(f"w:{token}")
                if len(token) > PREFIX_LENGTH:
                    keys.add(f"p:{token[:PREFIX_LENGTH]}")
        compact = name.core.replace(" ", "")
        if compact:
            keys.add(f"c:{compact[:8]}")
    if record.website:
        keys.add(f"d:{record.website}")
    for phone in record.phones:
        keys.add(f"t:{phone}")
    address = record.address
    if address is not None and address.number:
        # Under its ZIP and its town both, where it gives both: one list may give only the town ("26744 Blubonnet Bend
        # Drive, Fulshear"), its street mistyped.
        places = [place for place in (record.postal_code, record.city_key) if place] or [""]
        keys.update(f"a:{place}:{address.number}" for place in places)
        if address.street:
            # The same number and street whether or not each listing gives the ZIP or the street type.
            keys.add(f"s:{address.number}:{street_name(address.street)}")
    if address is not None and address.box:
        keys.add(f"b:{record.postal_code or record.city_key or ''}:{address.box}")
    plat, lot = record.extra.get("plat"), record.homesite or lot_alone(record)
    if plat is not None and lot is not None:
        # A home known by its plat and lot (a deed's legal description), however many words each list gives its plat.
        keys.update(f"l:{word}:{lot}" for word in plat.words)
    return keys


def pin_cell(record: MatchRecord) -> tuple[int, int] | None:
    """The grid cell a home's or a community's pin lies in (businesses are found by their names and lines)."""
    if record.entity_type == EntityType.builder or record.latitude is None or record.longitude is None:
        return None
    return (int(record.latitude // PIN_CELL), int(record.longitude // PIN_CELL))


def pin_cells(record: MatchRecord) -> list[tuple[int, int]]:
    """The pin's cell and the eight around it: two pins a few metres apart across a cell's edge."""
    cell = pin_cell(record)
    if cell is None:
        return []
    return [(cell[0] + dy, cell[1] + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]


def numbered(record: MatchRecord) -> bool:
    return record.address is not None and bool(record.address.number)


def place_key(record: MatchRecord) -> tuple[str, str] | None:
    if record.city_key and record.state:
        return (record.state, record.city_key)
    return None


def candidate_rank(
    query: MatchRecord, record: MatchRecord, score: MatchScore, link_threshold: float, review_threshold: float | None
) -> tuple[bool, int, float, float, bool, bool, int, int, float]:
    """How a query's candidate ranks, highest first. Below the link threshold, pairs written for review (at
    ``review_threshold``, where given) by how their records' own columns fit them (``scorer.records_fit``). Pairs
    held back share one confidence (just below the threshold): their weights rank them, and pairs of one weight a
    home's current listing before its ended one, then the lot both give (``lot_as_written``), then the street and the
    place each writes, then the nearer place: a
    builder's Waco division before its Houston one for a Waco row, where both ZIPs differ from the row's and weigh
    alike."""
    linked = score.confidence >= link_threshold
    reviewed = review_threshold is not None and score.confidence >= review_threshold
    return (
        linked,
        records_fit(query, record) if reviewed and not linked else -1,
        score.confidence,
        score.weight,
        not record.extra.get("listing_ended"),
        lot_as_written(query, record),
        street_as_written(query, record),
        place_as_written(query, record),
        -_km_apart(query, record) if reviewed else 0.0,
    )


def _km_apart(a: MatchRecord, b: MatchRecord) -> float:
    """How far apart the two records' places lie (``places.km_apart``), infinite where either is not placed."""
    apart = km_apart(a, b)
    return apart if apart is not None else math.inf


@dataclass(slots=True)
class Candidate:
    record: MatchRecord
    score: MatchScore


class CandidateIndex:
    """Existing records filed by blocking keys and by place, for many lookups."""

    def __init__(
        self,
        records: Sequence[MatchRecord],
        *,
        max_word_block: int = MAX_WORD_BLOCK,
        frequencies: TermFrequencies | None = None,
    ) -> None:
        """``frequencies``: how often each phone and name occurs in the whole reference table, when these
        records are all of it (``TermFrequencies.of(records)``); candidates fetched for one query are not."""
        self.records = list(records)
        self.max_word_block = max_word_block
        self.columns = Columns.of(self.records, frequencies)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_place: dict[tuple[str, str], list[int]] = defaultdict(list)
        # Each pin cell's records, as (position, numbered): a numbered query meets only those of no number there.
        self._by_pin: dict[tuple[int, int], list[tuple[int, bool]]] = defaultdict(list)
        for i, record in enumerate(self.records):
            for key in blocking_keys(record):
                self._by_key[key].append(i)
            place = place_key(record)
            if place is not None:
                self._by_place[place].append(i)
            if (cell := pin_cell(record)) is not None:
                self._by_pin[cell].append((i, numbered(record)))
        self._place_names: dict[tuple[str, str], list[str]] = {}

    def key_candidates(self, query: MatchRecord) -> set[int]:
        """Records sharing a distinctive exact key with the query."""
        found: set[int] = set()
        for key in blocking_keys(query):
            ids = self._by_key.get(key)
            if ids and (len(ids) <= self.max_word_block or key[0] in "dta"):
                found.update(ids)
        mine = numbered(query)
        for cell in pin_cells(query):
            found.update(i for i, theirs in self._by_pin.get(cell, ()) if not (mine and theirs))
        return found

    def _names_in(self, place: tuple[str, str]) -> list[str]:
        names = self._place_names.get(place)
        if names is None:
            names = [self.records[i].name_norm.core for i in self._by_place[place]]
            self._place_names[place] = names
        return names

    def place_candidates(self, queries: Sequence[MatchRecord]) -> list[set[int]]:
        """For each query, the best-named records of its own city, scored in batches per city."""
        result: list[set[int]] = [set() for _ in queries]
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for qi, query in enumerate(queries):
            place = place_key(query)
            if place is not None and place in self._by_place:
                groups[place].append(qi)
        for place, query_ids in groups.items():
            members = self._by_place[place]
            matrix = process.cdist(
                [queries[qi].name_norm.core for qi in query_ids],
                self._names_in(place),
                scorer=fuzz.token_sort_ratio,
                score_cutoff=PLACE_NAME_CUTOFF,
                dtype=np.uint8,
                workers=-1,
            )
            k = min(PLACE_TOP_K, len(members))
            # The k best-named per row (uint8 scores: never negate them, they would wrap around).
            best = np.argpartition(matrix, len(members) - k, axis=1)[:, -k:] if k < len(members) else None
            for row, qi in enumerate(query_ids):
                cols = best[row] if best is not None else range(len(members))
                result[qi].update(members[c] for c in cols if matrix[row, c] > 0)
        return result

    def candidate_ids(self, queries: Sequence[MatchRecord]) -> list[set[int]]:
        """For each query, the positions of the records it is compared with (its blocks)."""
        by_place = self.place_candidates(queries)
        return [self.key_candidates(query) | place_ids for query, place_ids in zip(queries, by_place, strict=True)]

    def match_many(
        self,
        queries: Sequence[MatchRecord],
        *,
        link_threshold: float,
        min_confidence: float = 0.0,
        review_threshold: float | None = None,
    ) -> list[list[Candidate]]:
        """For each query, its candidates scored and sorted best first (at or above min_confidence); pairs held
        back from linking score just below ``link_threshold``; those at ``review_threshold`` ranked as
        ``candidate_rank`` says."""
        return [
            self._scored(query, ids, link_threshold, min_confidence, review_threshold)
            for query, ids in zip(queries, self.candidate_ids(queries), strict=True)
        ]

    def match(
        self,
        query: MatchRecord,
        *,
        link_threshold: float,
        min_confidence: float = 0.0,
        review_threshold: float | None = None,
    ) -> list[Candidate]:
        """One query's scored candidates, best first."""
        return self.match_many(
            [query], link_threshold=link_threshold, min_confidence=min_confidence, review_threshold=review_threshold
        )[0]

    def _scored(
        self,
        query: MatchRecord,
        ids: Iterable[int],
        link_threshold: float,
        min_confidence: float,
        review_threshold: float | None,
    ) -> list[Candidate]:
        positions = np.fromiter(ids, dtype=np.intp)
        if query.id is not None and query.extra.get("same_table"):
            positions = positions[[self.records[i].id != query.id for i in positions.tolist()]]
        scored = [Candidate(self.records[i], score) for i, score in score_many(
            query, self.columns, np.sort(positions), link_threshold=link_threshold, min_confidence=min_confidence,
        )]  # fmt: skip
        scored.sort(
            key=lambda c: candidate_rank(query, c.record, c.score, link_threshold, review_threshold), reverse=True
        )
        return scored

    def brute_force(self, query: MatchRecord, *, link_threshold: float, min_confidence: float = 0.0) -> list[Candidate]:
        """Every record scored, no blocking: the baseline blocking is measured against (ranked as ``match`` ranks
        without a review threshold)."""
        return self._scored(query, range(len(self.records)), link_threshold, min_confidence, None)


def brute_force(
    query: MatchRecord,
    records: Sequence[MatchRecord],
    *,
    link_threshold: float,
    min_confidence: float = 0.0,
    frequencies: TermFrequencies | None = None,
) -> list[Candidate]:
    """Every record scored (for many queries, build one CandidateIndex and call its brute_force)."""
    index = CandidateIndex(records, frequencies=frequencies)
    return index.brute_force(query, link_threshold=link_threshold, min_confidence=min_confidence)
