"""Rejecting changes, which also teaches the source's reliability."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.changes.apply import lock_changes
from app.changes.models import ChangeStatus
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import NotFound
from app.sources.reliability import record_review

# A change still waiting for a decision; a conflict can be rejected to clear it away.
REJECTABLE = (ChangeStatus.pending, ChangeStatus.approved, ChangeStatus.conflict)


@dataclass
class RejectResult:
    rejected: int = 0
    skipped: int = 0
    rejected_ids: list[int] = field(default_factory=list)
    skipped_changes: list[dict[str, Any]] = field(default_factory=list)


def reject_changes(
    session: Session, change_ids: Sequence[int], *, actor: str, review_notes: str | None = None
) -> RejectResult:
    """Reject changes waiting for review; each rejection counts against its source's reliability.

    NotFound naming every id that does not exist: nothing is rejected then."""
    result = RejectResult()
    per_source: Counter[int] = Counter()
    now = utcnow()
    changes = lock_changes(session, change_ids)
    missing = sorted(set(change_ids) - {change.id for change in changes})
    if missing:
        raise NotFound(f"changes {missing} not found")
    for change in changes:
        if change.status not in REJECTABLE:
            result.skipped += 1
            result.skipped_changes.append({"change_id": change.id, "reason": f"status is {change.status}"})
            continue
        before = {"status": change.status}
        change.status = ChangeStatus.rejected
        change.reviewed_by = actor
        change.reviewed_at = now
        change.review_notes = review_notes
        if change.source_id is not None:
            per_source[change.source_id] += 1
        record_audit(
            session,
            actor=actor,
            action="change.reject",
            target_type=change.entity_type,
            target_id=change.entity_id,
            before=before,
            after={"status": ChangeStatus.rejected, "field": change.field_name, "new_value": change.new_value},
            job_id=change.job_id,
            change_id=change.id,
            notes=review_notes,
        )
        result.rejected += 1
        result.rejected_ids.append(change.id)
    for source_id, count in per_source.items():
        record_review(session, source_id, approved=False, count=count)
    session.flush()
    return result
