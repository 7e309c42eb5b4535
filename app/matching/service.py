"""Entity matching: resolve what discovery found against existing records. It returns resolutions and
proposes nothing; the review of matches (confirm, reject, override) is the changes domain's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.entities import RECORD_TYPES
from app.core.errors import InvalidInput, NotFound
from app.jobs.models import CollectionJob
from app.matching import repository
from app.matching.blocking import Candidate, CandidateIndex
from app.matching.linkage import TermFrequencies, posterior
from app.matching.models import EntityMatch
from app.matching.records import MatchRecord, prepare
from app.matching.scorer import ambiguous, held_confidence, score_pair
from app.research.findings import Finding


class MatchStatus:
    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"
    merged = "merged"

    ALL = (pending, confirmed, rejected, merged)


@dataclass
class Resolution:
    outcome: Literal["linked", "review", "new"]
    entity_id: int | None
    confidence: float
    method: str | None
    match: EntityMatch | None


def _finding_values(finding: Finding) -> dict[str, Any]:
    return {name: found.value for name, found in finding.fields.items()}


def best_candidate(
    session: Session, entity_type: str, query: MatchRecord, link_threshold: float, review_threshold: float | None = None
) -> tuple[int | None, float, str | None, Any]:
    """The best existing record for a prepared query: (id, confidence, method, match details); of those written for
    review (at ``review_threshold``), the one whose records fit best (``blocking.candidate_rank``).

    Held just below ``link_threshold`` (at review) when another record also reaches it."""
    best = _scored_candidates(session, entity_type, query, link_threshold, review_threshold)
    if not best:
        return None, 0.0, None, None
    top = best[0]
    confidence, details = top.score.confidence, top.score.details
    if ambiguous([c.score for c in best[:2]], link_threshold):
        runner_up = best[1]  # named in the explanation
        confidence = held_confidence(top.score.weight, link_threshold)
        other = {"entity_id": int(runner_up.record.id), "confidence": runner_up.score.confidence}
        details = {**details, "confidence": confidence, "ambiguous_with": other}
    return int(top.record.id), confidence, top.score.method, details


def _scored_candidates(
    session: Session, entity_type: str, query: MatchRecord, link_threshold: float, review_threshold: float | None = None
) -> list[Candidate]:
    """The query's blocked candidates in the database, scored, best first."""
    candidates = repository.load_candidates(session, entity_type, query)
    if not candidates:
        return []
    frequencies = TermFrequencies.of(candidates, table_size=repository.count_records(session, entity_type))
    index = CandidateIndex(candidates, frequencies=frequencies)
    return index.match(query, link_threshold=link_threshold, review_threshold=review_threshold)


def same_record(
    query: MatchRecord, others: Sequence[tuple[Any, Mapping[str, Any]]], link_threshold: float
) -> Any | None:
    """The id of the one of ``others`` (id, values) the matcher links ``query`` to at ``link_threshold``, the
    best when several reach it; None when none does."""
    scored = [(score_pair(query, prepare(query.entity_type, other, key), link_threshold=link_threshold), key)
              for key, other in others]  # fmt: skip
    linked = [(score.confidence, key) for score, key in scored if score.confidence >= link_threshold]
    return max(linked, key=lambda pair: pair[0])[1] if linked else None


def resolve_discovered(
    session: Session, job: CollectionJob, entity_type: str, finding: Finding, settings: Settings
) -> Resolution:
    """Link a discovered record to an existing one, queue it for review, or call it new (by the thresholds)."""
    if entity_type not in RECORD_TYPES:
        raise InvalidInput(f"entity_type must be one of {', '.join(RECORD_TYPES)}, not {entity_type!r}")
    values = _finding_values(finding)
    query = prepare(entity_type, values)
    entity_id, confidence, method, details = best_candidate(
        session, entity_type, query, settings.match_high_threshold, settings.match_low_threshold
    )
    if entity_id is None or confidence < settings.match_low_threshold:
        return Resolution("new", None, confidence, method, None)
    linked = confidence >= settings.match_high_threshold
    match = EntityMatch(
        discovered_entity_type=entity_type,
        discovered_name=(query.name or "(unnamed)")[:255],
        discovered_location=_location(values),
        discovered_data=finding.model_dump(mode="json"),
        matched_entity_type=entity_type,
        matched_entity_id=entity_id,
        match_confidence=confidence,
        match_status=MatchStatus.confirmed if linked else MatchStatus.pending,
        matched_by="auto" if linked else None,
        match_method=method,
        match_details=details,
        job_id=job.job_id,
    )
    session.add(match)
    session.flush()
    return Resolution("linked" if linked else "review", entity_id, confidence, method, match)


def _location(values: dict[str, Any]) -> str | None:
    parts = [str(values[k]) for k in ("city", "state") if values.get(k)]
    return ", ".join(parts)[:255] or None


def find_builder_by_name(session: Session, name: str, link_threshold: float) -> int | None:
    """The existing builder a name refers to, when the matcher is confident (at ``link_threshold``, the high one)
    and no other builder fits it too."""
    if not name or not name.strip():
        return None
    query = prepare("builder", {"name": name})
    found = _scored_candidates(session, "builder", query, link_threshold)
    # The name is all that is asked about: the hold on a pair resting on its name alone (``scorer.name_alone``) is
    # lifted, and the weight says how sure the matcher is. Any other hold stands.
    scores = sorted(
        (
            (replace(c.score, confidence=posterior(c.score.weight)), c.record.id)
            if c.score.held_back == "name_alone"
            else (c.score, c.record.id)
            for c in found
        ),
        key=lambda scored: -scored[0].confidence,
    )
    if not scores or scores[0][0].confidence < link_threshold or ambiguous([s for s, _ in scores[:2]], link_threshold):
        return None
    return int(scores[0][1])


def get_match(session: Session, match_id: int, *, lock: bool = False) -> EntityMatch:
    """One match; ``lock`` holds its row (FOR UPDATE, re-read) so two reviews cannot both pass a status check."""
    query = select(EntityMatch).where(EntityMatch.id == match_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    match = session.scalar(query)
    if match is None:
        raise NotFound(f"entity match {match_id} not found")
    return match
