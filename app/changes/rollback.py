"""Undo applied changes: old values restored, created records archived with their own rows, never over newer data."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity, BuilderPortfolio
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.normalize import loads, same_value
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.entities import ENTITY_MODELS, NAME_FIELD, PARENT_COLUMN
from app.core.errors import Conflict, NotFound
from app.core.values import to_jsonable
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


def _later_changes(session: Session, change: CollectionChange, record_id: int) -> list[int]:
    """Other applied changes that edited the created record or added under it (its fields, children, links)."""
    return list(
        session.scalars(
            select(CollectionChange.id)
            .where(
                CollectionChange.id != change.id,
                CollectionChange.status == ChangeStatus.applied,
                or_(
                    and_(CollectionChange.entity_type == change.entity_type, CollectionChange.entity_id == record_id),
                    and_(
                        CollectionChange.parent_entity_type == change.entity_type,
                        CollectionChange.parent_entity_id == record_id,
                    ),
                ),
            )
            .order_by(CollectionChange.id)
        )
    )


def _archive_created(session: Session, change: CollectionChange, now: datetime) -> dict[str, Any]:
    """Archive a record created by ``change`` with the children it brought; remove the links made with it.

    Refused (Conflict) when the record is gone or archived already, or when later applied changes edited
    it or added under it: those would be undone silently. Returns what was undone, for the audit.
    """
    model = ENTITY_MODELS[change.entity_type]
    record_id = change.created_entity_id
    record: Any = session.get(model, record_id, with_for_update=True, populate_existing=True) if record_id else None
    if record is None or record.archived_at is not None:
        state = "no longer exists" if record is None else "is archived already"
        raise Conflict(f"change {change.id}: the {change.entity_type} it created ({record_id}) {state}")
    later = _later_changes(session, change, record.id)
    if later:
        raise Conflict(
            f"change {change.id}: the {change.entity_type} {record.id} it created was changed since by applied "
            f"change(s) {', '.join(map(str, later))}; roll those back first"
        )
    data = change.proposed_entity_data or {}
    record.archived_at = now  # archived, never deleted
    after: dict[str, Any] = {"archived": True}
    children = _created_children(session, record, data)
    for _, child in children:
        child.archived_at = now
    if children:
        after["archived_children"] = [{"entity_type": t, "entity_id": c.id} for t, c in children]
    if change.entity_type == "community":
        links = [
            link
            for builder_id in data.get("builder_ids") or []
            if (link := session.get(BuilderCommunity, (builder_id, record.id))) is not None
        ]
        for link in links:
            session.delete(link)
        if links:
            after["removed_builder_links"] = [link.builder_id for link in links]
    if change.entity_type == "property" and record.builder_id is not None:
        portfolio = session.get(BuilderPortfolio, (record.builder_id, record.id))
        if portfolio is not None:
            session.delete(portfolio)
            after["removed_portfolio"] = {"builder_id": record.builder_id, "property_id": record.id}
    return after


def _created_children(session: Session, record: Any, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The live children the record was created with (named in its proposed data)."""
    found: list[tuple[str, Any]] = []
    for child in data.get("children") or []:
        child_type = child.get("entity_type")
        name = (child.get("data") or {}).get(NAME_FIELD.get(child_type or "", ""))
        if child_type not in PARENT_COLUMN or not name:
            continue
        child_model: Any = ENTITY_MODELS[child_type]
        rows = session.scalars(
            select(child_model)
            .where(
                getattr(child_model, PARENT_COLUMN[child_type]) == record.id,
                getattr(child_model, NAME_FIELD[child_type]) == name,
                child_model.archived_at.is_(None),
            )
            .order_by(child_model.id)
            .with_for_update()
        ).all()
        found.extend((child_type, row) for row in rows if all(row is not seen for _, seen in found))
    return found


def _undo(session: Session, change: CollectionChange, actor: str) -> None:
    """Undo one applied change; raises Conflict when the record moved on since."""
    now = utcnow()
    if change.is_new_entity:
        data = change.proposed_entity_data or {}
        if change.entity_type == "builder_community":
            # A link has no history of its own: removing it is the undo, and the audit keeps the trace.
            link = session.get(BuilderCommunity, (data.get("builder_id"), data.get("community_id")))
            if link is not None:
                session.delete(link)
            before: dict[str, Any] | None = {"builder_id": data.get("builder_id")}
            target = ("builder_community", data.get("community_id"))
            after: dict[str, Any] | None = {"archived": True}
        else:
            before, after = {"archived_at": None}, _archive_created(session, change, now)
            target = (change.entity_type, change.created_entity_id)
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
