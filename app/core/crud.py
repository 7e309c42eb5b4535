"""Pieces the admin CRUD of builders, communities and homes share: filters and the audited, locking edit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from app.core.audit import record_audit
from app.core.errors import InvalidInput
from app.core.locks import FieldLock

_json = TypeAdapter(Any)


# Lists of builders, communities and homes leave archived records out unless asked.
IncludeArchived = Annotated[bool, Query(description="also list archived records")]


def contains_pattern(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with LIKE wildcards in it escaped (escape char ``\\``)."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_contains(column: ColumnElement[str] | QueryableAttribute[str], value: str) -> ColumnElement[bool]:
    """``value`` anywhere in ``column``, any case: ``lower(column) LIKE lower(pattern)``.

    Written this way (not ILIKE) so PostgreSQL answers it from the pg_trgm index on ``lower(column)``.
    """
    return func.lower(column).like(func.lower(contains_pattern(value)), escape="\\")


def to_json(value: Any) -> Any:
    """A column value as JSON (Decimal and dates as strings), for audit before/after."""
    return _json.dump_python(value, mode="json")


def apply_admin_edit(
    session: Session, record: Any, entity_type: str, values: dict[str, Any], *, actor: str
) -> list[str]:
    """Set ``values`` on ``record``; lock each field whose value changed as human verified and audit it.

    Returns the names of the changed fields. A field set to the value it already has changes nothing.
    """
    columns = record.__table__.columns
    for name, value in values.items():
        if value is None and not columns[name].nullable:
            raise InvalidInput(f"{name}: cannot be null; send a value or leave the field out")
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if not changed:
        return []
    before = {name: to_json(getattr(record, name)) for name in changed}
    for name in changed:
        setattr(record, name, values[name])
    after = {name: to_json(getattr(record, name)) for name in changed}

    existing = {
        lock.field_name: lock
        for lock in session.scalars(
            select(FieldLock).where(
                FieldLock.entity_type == entity_type,
                FieldLock.entity_id == record.id,
                FieldLock.field_name.in_(changed),
            )
        )
    }
    for name in changed:
        lock = existing.get(name)
        if lock is None:
            session.add(
                FieldLock(
                    entity_type=entity_type,
                    entity_id=record.id,
                    field_name=name,
                    locked_by=actor,
                    reason="edited by an admin",
                )
            )
        else:
            lock.locked_by = actor
    record_audit(
        session,
        actor=actor,
        action="record.edit",
        target_type=entity_type,
        target_id=record.id,
        before=before,
        after=after,
    )
    session.flush()
    return changed


def record_created(session: Session, record: Any, entity_type: str, values: dict[str, Any], *, actor: str) -> None:
    """Audit an admin's creation of a record."""
    record_audit(
        session,
        actor=actor,
        action="record.create",
        target_type=entity_type,
        target_id=record.id,
        after={name: to_json(value) for name, value in values.items()},
    )
