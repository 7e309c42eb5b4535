"""When sources disagree on a field: the stronger proposal stays, the others wait beside it as alternatives.

A pending field change holds one reading per source in its ``evidence`` (each entry names its source and
what its confidence was made of) and the values other sources read in ``alternatives``. A new reading is
settled against them: readings of the same value agree (independent sources raise the confidence), a
source's newer reading replaces its older one, and the value with the highest confidence (then the more
trusted kind of source, then the newest) becomes the proposal. While other values remain, the proposal's
confidence is capped below the auto-apply threshold (a reading without evidence contests nothing).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.changes.confidence import DISAGREEMENT_CAP, compute_confidence
from app.changes.models import CollectionChange
from app.core.sql import id_in
from app.research.normalize import dumps, loads
from app.sources import reliability
from app.sources.bookkeeping import registered_domain
from app.sources.reliability import record_review

PENDING = "pending"
REJECTED = "rejected"


def disagreement_cap(auto_apply_threshold: float) -> float:
    """The highest confidence of a contested value: below the auto-apply threshold, whatever it is set to."""
    return round(min(DISAGREEMENT_CAP, auto_apply_threshold - 0.01), 4)


def _source_key(entry: dict[str, Any]) -> str:
    source_id = entry.get("source_id")
    return f"id:{source_id}" if source_id is not None else f"domain:{registered_domain(entry.get('source_url') or '')}"


def _single(entry: dict[str, Any], agreeing: int = 0, disagreeing: int = 0, cap: float = DISAGREEMENT_CAP) -> Any:
    return compute_confidence(
        source_reliability=float(entry.get("source_reliability", reliability.posterior_mean(None, 0, 0))),
        extractor=str(entry.get("extractor") or ""),
        found_in_source=entry.get("found_in_source"),
        agreeing_sources=agreeing,
        disagreeing_sources=disagreeing,
        disagreement_cap=cap,
    )


@dataclass
class Reading:
    """One value and every source's evidence for it."""

    value: str | None  # JSON text, as collection_changes.new_value
    entries: list[dict[str, Any]] = field(default_factory=list)

    def sources(self) -> set[str]:
        return {_source_key(e) for e in self.entries}

    def best(self) -> dict[str, Any]:
        return max(self.entries, key=lambda e: _single(e)[0])

    def backed(self) -> set[str]:
        """Sources that found the value in their text (or could not check): a value without evidence counts for none."""
        return {_source_key(e) for e in self.entries if e.get("found_in_source") is not False}

    def agreeing(self) -> int:
        """Independent sources beside the best one that back the value."""
        return max(len(self.backed()) - 1, 0)

    def score(self, disagreeing: int = 0, cap: float = DISAGREEMENT_CAP) -> tuple[float, dict[str, Any]]:
        score: float
        components: dict[str, Any]
        score, components = _single(self.best(), self.agreeing(), disagreeing, cap)
        return score, components

    def trust(self) -> float:
        return reliability.posterior_mean(self.best().get("source_type"), 0, 0)


@dataclass
class Settled:
    """The proposal after a new reading: its value, evidence, confidence and the alternatives beside it."""

    value: str | None
    evidence: list[dict[str, Any]]
    confidence: float
    components: dict[str, Any]
    alternatives: list[dict[str, Any]]
    source_url: str | None
    source_id: int | None
    includes_new: bool


def _readings(older: Any | None) -> list[Reading]:
    if older is None:
        return []
    readings = [Reading(older.new_value, list(older.evidence or []))]
    for alternative in older.alternatives or []:
        if alternative.get("status", PENDING) == PENDING:
            readings.append(Reading(dumps(alternative.get("value")), list(alternative.get("evidence") or [])))
    return readings


def settle(new_value: str | None, entry: dict[str, Any], older: Any | None, cap: float) -> Settled:
    """Settle a new reading of a field against its pending change (``older``, with the change columns), if any."""
    key = _source_key(entry)
    readings: dict[str | None, Reading] = {}
    for reading in _readings(older):
        kept = [e for e in reading.entries if _source_key(e) != key]  # a source's newer reading replaces it
        if kept:
            readings.setdefault(reading.value, Reading(reading.value)).entries.extend(kept)
    readings.setdefault(new_value, Reading(new_value)).entries.append(entry)

    def rank(reading: Reading) -> tuple[float, float, bool]:
        return reading.score()[0], reading.trust(), entry in reading.entries

    ordered = sorted(readings.values(), key=rank, reverse=True)
    winner, others = ordered[0], ordered[1:]
    # Only sources with evidence for another value contest the proposal: an unfounded reading is no disagreement.
    disagreeing = len(set().union(*(r.backed() for r in others)) - winner.sources()) if others else 0
    confidence, components = winner.score(disagreeing, cap)
    alternatives = []
    for other in others:
        score, other_components = other.score(len(winner.backed() - other.sources()), cap)
        best = other.best()
        alternatives.append(
            {
                "value": loads(other.value),
                "confidence": score,
                "source": best.get("source_url"),
                "evidence": other.entries,
                "confidence_components": other_components,
                "status": PENDING,
            }
        )
    best = winner.best()
    return Settled(
        value=winner.value,
        evidence=winner.entries,
        confidence=confidence,
        components=components,
        alternatives=alternatives,
        source_url=best.get("source_url"),
        source_id=best.get("source_id"),
        includes_new=entry in winner.entries,
    )


def choose(change: Any, index: int) -> None:
    """Make alternative ``index`` the change's proposal; the proposal it replaces becomes an alternative."""
    alternatives = list(change.alternatives or [])
    chosen = alternatives.pop(index)
    best = max(chosen["evidence"], key=lambda e: _single(e)[0]) if chosen.get("evidence") else {}
    replaced = {
        "value": loads(change.new_value),
        "confidence": change.confidence,
        "source": change.source_url,
        "evidence": change.evidence or [],
        "confidence_components": change.confidence_components,
        "status": PENDING,
    }
    change.new_value = dumps(chosen["value"])
    change.confidence = chosen["confidence"]
    change.confidence_components = chosen.get("confidence_components")
    change.evidence = chosen.get("evidence") or []
    change.source_url = chosen.get("source")
    change.source_id = best.get("source_id")
    change.alternatives = [replaced, *alternatives]


def rejected(alternatives: list[dict[str, Any]] | None, at: datetime) -> list[dict[str, Any]]:
    """The alternatives of an applied change, each marked rejected: the applied value won over them."""
    marked = []
    for alternative in alternatives or []:
        if alternative.get("status", PENDING) == PENDING:
            alternative = {**alternative, "status": REJECTED, "rejected_at": at.isoformat()}
        marked.append(alternative)
    return marked


def rejected_sources(alternatives: list[dict[str, Any]] | None) -> list[int]:
    """The sources of the pending alternatives (one per alternative), whose reliability a rejection lowers."""
    ids: list[int] = []
    for alternative in alternatives or []:
        if alternative.get("status", PENDING) != PENDING:
            continue
        sources = {e.get("source_id") for e in alternative.get("evidence") or [] if e.get("source_id") is not None}
        ids.extend(sources)
    return ids


def reject_alternatives_of(session: Session, change_ids: list[int], *, reviewed: bool, at: datetime) -> None:
    """Applying a change rejects the other values read for its field; a reviewer's choice counts against
    their sources (an automatic apply judges no source)."""
    query = select(CollectionChange.id, CollectionChange.alternatives)
    rows = session.execute(query.where(id_in(session, CollectionChange.id, change_ids)))
    against: Counter[int] = Counter()
    for row in rows:
        if not row.alternatives:
            continue
        against.update(rejected_sources(row.alternatives))
        session.execute(
            update(CollectionChange)
            .where(CollectionChange.id == row.id)
            .values(alternatives=rejected(row.alternatives, at))
            .execution_options(synchronize_session=False)
        )
    if reviewed:
        for source_id, count in against.items():
            record_review(session, source_id, approved=False, count=count)
