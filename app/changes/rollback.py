"""Undo applied changes: old values restored, created records archived, never over a newer value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity
from app.changes.diff import ENTITY_MODELS
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.normalize import loads, same_value, to_jsonable
from app.core.audit import record_audit
from app.core.errors import Conflict, NotFound
from app.jobs.models import CollectionJob


def _restore(model: Any, field_name: str, value: Any) -> Any:
    """A change's stored old value (JSON) as the column's Python type."""
    if value is None:
        return None
    python_type = model.__table__.c[field_name].type.python_type
    if python_type is Decimal:
        return Decimal(str(value))
    if python_type is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if python_type is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _undo(session: Session, change: CollectionChange, actor: str) -> None:
    """Undo one applied change; raises Conflict when the record moved on since."""
    now = datetime.now(UTC)
    if change.is_new_entity:
        data = change.proposed_entity_data or {}
        if change.entity_type == "builder_community":
            # A link has no history of its own: removing it is the undo, and the audit keeps the trace.
            link = session.get(BuilderCommunity, (data.get("builder_id"), data.get("community_id")))
            if link is not None:
                session.delete(link)
            before: dict[str, Any] | None = {"builder_id": data.get("builder_id")}
            target = ("builder_community", data.get("community_id"))
        else:
            model = ENTITY_MODELS[change.entity_type]
            record: Any = session.get(model, change.created_entity_id, with_for_update=True)
            if record is not None and record.archived_at is None:
                record.archived_at = now  # archived, never deleted
            before = {"archived_at": None}
            target = (change.entity_type, change.created_entity_id)
        after: dict[str, Any] | None = {"archived": True}
    else:
        model = ENTITY_MODELS[change.entity_type]
        record = session.get(model, change.entity_id, with_for_update=True, populate_existing=True)
        field_name = change.field_name or ""
        if record is None:
            raise Conflict(f"change {change.id}: {change.entity_type} {change.entity_id} no longer exists")
        current = getattr(record, field_name)
        if not same_value(change.entity_type, field_name, current, loads(change.new_value)):
            raise Conflict(
                f"change {change.id}: {change.entity_type} {change.entity_id} {field_name} is now "
                f"{to_jsonable(current)!r}, not the applied {loads(change.new_value)!r}; it changed since, "
                "so the rollback would overwrite a newer value"
            )
        setattr(record, field_name, _restore(model, field_name, loads(change.old_value)))
        before = {field_name: to_jsonable(current)}
        after = {field_name: loads(change.old_value)}
        target = (change.entity_type, change.entity_id)
    change.status = ChangeStatus.rolled_back
    change.rolled_back_at = now
    change.rolled_back_by = actor
    record_audit(
        session,
        actor=actor,
        action="change.rollback",
        target_type=target[0],
        target_id=target[1],
        before=before,
        after=after,
        job_id=change.job_id,
        change_id=change.id,
    )


def rollback_change(session: Session, change_id: int, *, actor: str) -> CollectionChange:
    """Roll back one applied change (Conflict if it is not applied or the value changed since)."""
    change = session.get(CollectionChange, change_id, with_for_update=True, populate_existing=True)
    if change is None:
        raise NotFound(f"change {change_id} not found")
    if change.status != ChangeStatus.applied:
        raise Conflict(f"change {change_id} is {change.status}; only an applied change can be rolled back")
    _undo(session, change, actor)
    session.flush()
    return change


def rollback_job(session: Session, job_id: str, *, actor: str) -> list[CollectionChange]:
    """Roll back every applied change of a job, newest first; all or nothing (Conflict names the blockers)."""
    job = session.scalar(select(CollectionJob).where(CollectionJob.job_id == job_id))
    if job is None:
        raise NotFound(f"collection job {job_id} not found")
    changes = list(
        session.scalars(
            select(CollectionChange)
            .where(CollectionChange.job_id == job_id, CollectionChange.status == ChangeStatus.applied)
            .order_by(CollectionChange.id.desc())
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    conflicts: list[str] = []
    savepoint = session.begin_nested()
    for change in changes:
        try:
            _undo(session, change, actor)
        except Conflict as exc:
            conflicts.append(exc.detail)
    if conflicts:
        savepoint.rollback()
        raise Conflict(f"job {job_id} not rolled back: " + "; ".join(conflicts))
    record_audit(
        session,
        actor=actor,
        action="job.rollback",
        target_type="collection_job",
        target_id=job.id,
        before={"applied_changes": [c.id for c in changes]},
        after={"rolled_back": len(changes)},
        job_id=job_id,
    )
    savepoint.commit()
    session.flush()
    return changes
