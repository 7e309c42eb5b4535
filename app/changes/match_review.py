"""The review of entity matches: confirm, reject or override a match, and the changes each decision proposes
or withdraws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_new_entity, propose_updates
from app.core.audit import AuditEvent, record_audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.entities import RECORD_MODELS, RECORD_TYPES
from app.core.errors import Conflict, NotFound
from app.jobs.models import CollectionJob
from app.matching import service
from app.matching.models import EntityMatch
from app.matching.service import MatchStatus
from app.research.findings import Finding
from app.sources.optouts import is_opted_out

REJECT_ACTION = "match.reject"


@dataclass
class ReviewOutcome:
    match: EntityMatch
    change_ids: list[int] = field(default_factory=list)


def _job_of(session: Session, match: EntityMatch) -> CollectionJob | None:
    if match.job_id is None:
        return None
    return session.scalar(select(CollectionJob).where(CollectionJob.job_id == match.job_id))


def _stored_finding(match: EntityMatch) -> Finding | None:
    return Finding.model_validate(match.discovered_data) if match.discovered_data else None


def _reviewed(match: EntityMatch, status: str, actor: str, notes: str | None) -> None:
    match.match_status = status
    match.matched_by = actor
    match.reviewed_at = utcnow()
    if notes:
        match.match_notes = notes


def _propose_updates(session: Session, match: EntityMatch, settings: Settings) -> list[int]:
    job, finding = _job_of(session, match), _stored_finding(match)
    if job is None or finding is None or match.matched_entity_id is None:
        return []
    if is_opted_out(session, entity_type=match.discovered_entity_type, entity_id=match.matched_entity_id):
        return []  # the link is recorded, but a record that opted out gets no changes
    outcome = propose_updates(
        session, job, match.discovered_entity_type, match.matched_entity_id, finding, {}, settings=settings
    )
    return [change.id for change in outcome.changes]


def confirm_match(
    session: Session, match_id: int, actor: str, notes: str | None = None, *, settings: Settings
) -> ReviewOutcome:
    """An admin agrees: the discovered record is the matched one; its values become change proposals."""
    match = service.get_match(session, match_id, lock=True)
    if match.match_status != MatchStatus.pending:
        raise Conflict(f"entity match {match_id} is {match.match_status}; only a pending match can be confirmed")
    _reviewed(match, MatchStatus.confirmed, actor, notes)
    change_ids = _propose_updates(session, match, settings)
    _audit_link(session, match, "match.confirm", MatchStatus.pending, actor, change_ids, notes)
    session.flush()
    return ReviewOutcome(match, change_ids)


def _audit_link(
    session: Session,
    match: EntityMatch,
    action: str,
    previous: str,
    actor: str,
    change_ids: list[int],
    notes: str | None,
) -> None:
    """The decision that linked a discovered record to an existing one, with the changes it proposed."""
    record_audit(
        session,
        actor=actor,
        action=action,
        target_type="entity_match",
        target_id=match.id,
        before={"match_status": previous},
        after={
            "match_status": match.match_status,
            "matched_entity_id": match.matched_entity_id,
            "proposed_change_ids": change_ids,
        },
        job_id=match.job_id,
        notes=notes,
    )


def _withdraw(session: Session, changes: Sequence[Any], actor: str, match: EntityMatch, reason: str) -> list[int]:
    """Mark pending changes withdrawn (not an admin's rejection: the stats leave them out), one audit row each."""
    now = utcnow()
    for change in changes:
        change.status = ChangeStatus.withdrawn
        change.reviewed_by = actor
        change.reviewed_at = now
        change.review_notes = reason
        record_audit(
            session,
            actor=actor,
            action="change.withdraw",
            target_type=change.entity_type,
            target_id=change.entity_id,
            before={"status": ChangeStatus.pending.value},
            after={"status": ChangeStatus.withdrawn.value, "entity_match_id": match.id},
            job_id=change.job_id,
            change_id=change.id,
            notes=reason,
        )
    return [change.id for change in changes]


def withdraw_linked_changes(session: Session, match: EntityMatch, actor: str) -> list[int]:
    """Withdraw the still-pending changes the match's job proposed for the record it was linked to (audited)."""
    if match.job_id is None or match.matched_entity_id is None or match.matched_entity_type is None:
        return []
    entity_type, entity_id = match.matched_entity_type, match.matched_entity_id
    on_record = and_(CollectionChange.entity_type == entity_type, CollectionChange.entity_id == entity_id)
    # Its children (awards, amenities, plans) are reviewed under it; other main records under it are not.
    on_children = and_(
        CollectionChange.entity_type.not_in(RECORD_TYPES),
        CollectionChange.parent_entity_type == entity_type,
        CollectionChange.parent_entity_id == entity_id,
    )
    changes = session.scalars(
        select(CollectionChange)
        .where(
            CollectionChange.job_id == match.job_id,
            CollectionChange.status == ChangeStatus.pending,
            or_(on_record, on_children),
        )
        .order_by(CollectionChange.id)
        .with_for_update()
    ).all()
    return _withdraw(
        session, changes, actor, match, f"withdrawn: entity match {match.id} linking this record was rejected"
    )


def withdraw_new_entity_changes(session: Session, match: EntityMatch, actor: str, reason: str) -> list[int]:
    """Withdraw the new-entity change a rejection of ``match`` proposed, or the pending one that superseded it."""
    proposed: list[int] = []
    for event in session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == REJECT_ACTION,
            AuditEvent.target_type == "entity_match",
            AuditEvent.target_id == match.id,
        )
    ):
        proposed.extend(int(i) for i in (event.after or {}).get("new_entity_change_ids", []))
    pending: list[Any] = []
    seen: set[int] = set()
    for change_id in proposed:
        # A later job's finding of the same new record supersedes the proposal: follow it to the open one.
        change = session.get(CollectionChange, change_id, with_for_update=True)
        while change is not None and change.id not in seen and change.status == ChangeStatus.superseded:
            seen.add(change.id)
            change = (
                session.get(CollectionChange, change.superseded_by, with_for_update=True)
                if change.superseded_by
                else None
            )
        if change is not None and change.status == ChangeStatus.pending and change not in pending:
            pending.append(change)
    return _withdraw(session, pending, actor, match, reason)


def reject_match(
    session: Session, match_id: int, actor: str, notes: str | None = None, *, settings: Settings
) -> ReviewOutcome:
    """An admin disagrees: the discovered record is new; it becomes a new-entity change.

    A match the matcher had linked automatically already let the job propose changes to the wrong
    record; those still pending are withdrawn.
    """
    match = service.get_match(session, match_id, lock=True)
    if match.match_status not in (MatchStatus.pending, MatchStatus.confirmed):
        raise Conflict(f"entity match {match_id} is {match.match_status}; it cannot be rejected")
    previous = match.match_status
    if match.match_status == MatchStatus.confirmed:
        withdraw_linked_changes(session, match, actor)
    _reviewed(match, MatchStatus.rejected, actor, notes)
    change_ids: list[int] = []
    job, finding = _job_of(session, match), _stored_finding(match)
    if job is not None and finding is not None:
        outcome = propose_new_entity(
            session,
            job,
            finding,
            {},
            settings=settings,
            parent_entity_type=job.parent_entity_type,
            parent_entity_id=job.parent_entity_id,
        )
        change_ids = [change.id for change in outcome.changes]
    session.flush()
    # The new-entity proposal is remembered, so an override of this rejection can withdraw it.
    record_audit(
        session,
        actor=actor,
        action=REJECT_ACTION,
        target_type="entity_match",
        target_id=match.id,
        before={"match_status": previous},
        after={"match_status": MatchStatus.rejected, "new_entity_change_ids": change_ids},
        job_id=match.job_id,
        notes=notes,
    )
    session.flush()
    return ReviewOutcome(match, change_ids)


def override_match(
    session: Session,
    match_id: int,
    matched_entity_id: int,
    actor: str,
    notes: str | None = None,
    *,
    settings: Settings,
) -> ReviewOutcome:
    """An admin links the discovered record to another existing record of the same type."""
    match = service.get_match(session, match_id, lock=True)
    previous = match.match_status
    if match.match_status == MatchStatus.merged:
        raise Conflict(f"entity match {match_id} records a merge; it cannot be overridden")
    model = RECORD_MODELS[match.discovered_entity_type]
    target = session.get(model, matched_entity_id)
    if target is None:
        raise NotFound(f"{match.discovered_entity_type} {matched_entity_id} not found")
    if target.archived_at is not None:
        raise Conflict(f"{match.discovered_entity_type} {matched_entity_id} is archived")
    if match.match_status == MatchStatus.confirmed and match.matched_entity_id != matched_entity_id:
        withdraw_linked_changes(session, match, actor)  # they were proposed for the record it is leaving
    if match.match_status == MatchStatus.rejected:
        # The rejection proposed the discovered record as new; linked now, approving that would make a duplicate.
        reason = (
            f"withdrawn: entity match {match.id} was overridden to link "
            f"{match.discovered_entity_type} {matched_entity_id}"
        )
        withdraw_new_entity_changes(session, match, actor, reason)
    match.matched_entity_type = match.discovered_entity_type
    match.matched_entity_id = matched_entity_id
    match.match_method = "manual"
    match.match_confidence = 1.0
    _reviewed(match, MatchStatus.confirmed, actor, notes)
    change_ids = _propose_updates(session, match, settings)
    _audit_link(session, match, "match.override", previous, actor, change_ids, notes)
    session.flush()
    return ReviewOutcome(match, change_ids)
