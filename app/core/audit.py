"""The audit trail: who did what to which record, with the values before and after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Identity, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.bus import ACTIVITY, publish_after_commit
from app.core.db import Base, BigIntPK, CreatedAtMixin, JSONType
from app.core.sql import insert_rows

# The review decisions an admin (or auto-apply) takes; each is audited, and the activity stream shows them.
REVIEW_ACTIONS = (
    "change.apply",
    "change.auto_apply",
    "change.reject",
    "change.rollback",
    "change.withdraw",
    "job.rollback",
    "match.confirm",
    "match.reject",
    "match.override",
)


class AuditEvent(CreatedAtMixin, Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_target", "target_type", "target_id"),
        Index("ix_audit_events_action", "action"),
        Index("ix_audit_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    actor: Mapped[str] = mapped_column(String(50))  # user_id, or "system" / "auto"
    action: Mapped[str] = mapped_column(String(50))  # change.apply, change.reject, job.rollback, record.edit …
    target_type: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    job_id: Mapped[str | None] = mapped_column(String(50))
    change_id: Mapped[int | None] = mapped_column(BigInteger)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    notes: Mapped[str | None] = mapped_column(Text)


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    job_id: str | None = None,
    change_id: int | None = None,
    notes: str | None = None,
) -> AuditEvent:
    """Add one audit event to the current unit of work."""
    event = AuditEvent(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        job_id=job_id,
        change_id=change_id,
        notes=notes,
    )
    session.add(event)
    _announce(session, [action])
    return event


def _announce(session: Session, actions: Sequence[str]) -> None:
    """Tell live streams of the review decisions among ``actions`` once they are committed."""
    decided = sorted({action for action in actions if action in REVIEW_ACTIONS})
    if decided:
        publish_after_commit(session, ACTIVITY, lambda: {"kind": "review", "actions": decided})


# The columns of a set-based audit insert; a row may leave out any of them (null).
_AUDIT_COLUMNS: list[tuple[str, Any]] = [
    ("actor", String()),
    ("action", String()),
    ("target_type", String()),
    ("target_id", BigInteger()),
    ("job_id", String()),
    ("change_id", BigInteger()),
    ("before", JSONB()),
    ("after", JSONB()),
    ("notes", Text()),
]


def insert_audits(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Many audit events in one statement, for the set-based apply and rollback."""
    insert_rows(session, AuditEvent, _AUDIT_COLUMNS, rows)
    _announce(session, [row["action"] for row in rows])
