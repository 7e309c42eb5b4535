"""Pieces the admin CRUD of builders, communities and homes share: paging and the audited, locking edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import TypeAdapter
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core.audit import record_audit
from app.core.deps import PageNumber, PerPage
from app.core.errors import InvalidInput
from app.core.locks import FieldLock

T = TypeVar("T")

_json = TypeAdapter(Any)


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int
    include_archived: bool

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def _paging(
    page: PageNumber = 1,
    per_page: PerPage = 20,
    include_archived: Annotated[bool, Query(description="also list archived records")] = False,
) -> Paging:
    return Paging(page=page, per_page=per_page, include_archived=include_archived)


PagingDep = Annotated[Paging, Depends(_paging)]


def paginate(session: Session, stmt: Select[T], paging: Paging) -> tuple[list[T], int]:
    """One page of ``stmt``'s rows and the total count of all its rows."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.offset(paging.offset).limit(paging.per_page)))
    return rows, total


def contains_pattern(value: str) -> str:
    """An ILIKE pattern matching ``value`` anywhere, with LIKE wildcards in it escaped (escape char ``\\``)."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
