"""Undo applied changes: old values restored, created records archived with their own rows, never over newer data.

Field changes are undone set-based, like apply: per table one locked read of the records, per field one
UPDATE … FROM rows, one UPDATE of the change rows and one INSERT of their audit rows, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Text, and_, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.builders.models import BuilderCommunity, BuilderPortfolio
from app.changes.models import ChangeStatus, CollectionChange
from app.core.audit import insert_audits, record_audit
from app.core.db import utcnow
from app.core.entities import ENTITY_MODELS, NAME_FIELD, PARENT_COLUMN, EntityType
from app.core.errors import Conflict, NotFound
from app.core.sql import as_column_type, id_in, is_postgresql, lock_by_id, rows_table, sql_text
from app.core.values import to_jsonable
from app.jobs.models import CollectionJob
from app.research.normalize import loads, same_value


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
    if change.entity_type == EntityType.community:
        links = [
            link
            for builder_id in data.get("builder_ids") or []
            if (link := session.get(BuilderCommunity, (builder_id, record.id))) is not None
        ]
        for link in links:
            session.delete(link)
        if links:
            after["removed_builder_links"] = [link.builder_id for link in links]
    if change.entity_type == EntityType.property and record.builder_id is not None:
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


def _undo_created(session: Session, change: CollectionChange, actor: str) -> None:
    """Undo one applied new-record change (archive the record, or remove the link); Conflict if it moved on since."""
    now = utcnow()
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


@dataclass
class _Restore:
    """One record field going back to the value it had before a set of applied changes."""

    entity_type: str
    entity_id: int
    field_name: str
    value: Any


class _FieldRollback:
    """Field changes undone together: checked against the locked records first, then written set-based."""

    def __init__(self, session: Session, changes: list[CollectionChange], actor: str) -> None:
        self.session = session
        self.changes = changes
        self.actor = actor
        self.conflicts: list[str] = []
        self.restores: list[_Restore] = []
        self.audits: list[dict[str, Any]] = []

    def check(self) -> None:
        """Lock the records (one read per table) and plan each field's restore; a moved-on value is a conflict."""
        by_type: dict[str, list[CollectionChange]] = defaultdict(list)
        for change in self.changes:
            by_type[change.entity_type].append(change)
        for entity_type, group in by_type.items():
            current = self._lock_current(entity_type, group)
            by_field: dict[tuple[int, str], list[CollectionChange]] = defaultdict(list)
            for change in group:
                by_field[(change.entity_id or 0, change.field_name or "")].append(change)
            for (entity_id, field_name), chain in by_field.items():
                self._plan(entity_type, entity_id, field_name, chain, current.get(entity_id))

    def _lock_current(self, entity_type: str, group: list[CollectionChange]) -> dict[int, dict[str, Any]]:
        table: Any = ENTITY_MODELS[entity_type].__table__
        fields = sorted({c.field_name for c in group if c.field_name and c.field_name in table.c})
        ids = {c.entity_id for c in group if c.entity_id is not None}
        query = lock_by_id(self.session, select(table.c.id, *[table.c[f] for f in fields]), table.c.id, ids, of=table)
        return {row.id: dict(row._mapping) for row in self.session.execute(query)}

    def _plan(
        self,
        entity_type: str,
        entity_id: int,
        field_name: str,
        chain: list[CollectionChange],
        record: dict[str, Any] | None,
    ) -> None:
        """Newest change first, each must find the value it wrote; the field ends at the oldest's old value."""
        model = ENTITY_MODELS[entity_type]
        if record is None or field_name not in record:
            for change in chain:
                self.conflicts.append(f"change {change.id}: {entity_type} {entity_id} no longer exists")
            return
        value = record[field_name]
        for change in sorted(chain, key=lambda c: c.id, reverse=True):
            applied = loads(change.new_value)
            if not same_value(entity_type, field_name, value, applied):
                self.conflicts.append(
                    f"change {change.id}: {entity_type} {entity_id} {field_name} is now "
                    f"{to_jsonable(value)!r}, not the applied {applied!r}; it changed since, "
                    "so the rollback would overwrite a newer value"
                )
                return
            self.audits.append(
                {
                    "actor": self.actor,
                    "action": "change.rollback",
                    "target_type": entity_type,
                    "target_id": entity_id,
                    "job_id": change.job_id,
                    "change_id": change.id,
                    "before": {field_name: to_jsonable(value)},
                    "after": {field_name: loads(change.old_value)},
                }
            )
            value = _restore(model, field_name, loads(change.old_value))
        self.restores.append(_Restore(entity_type, entity_id, field_name, value))

    def write(self) -> None:
        """Per table and field one UPDATE; then one UPDATE of the change rows and one INSERT of their audits."""
        by_field: dict[tuple[str, str], list[_Restore]] = defaultdict(list)
        for restore in self.restores:
            by_field[(restore.entity_type, restore.field_name)].append(restore)
        for (entity_type, field_name), restores in by_field.items():
            self._write_field(entity_type, field_name, restores)
        if not self.changes:
            return
        now = utcnow()
        ids = [c.id for c in self.changes]
        self.session.execute(
            update(CollectionChange)
            .where(id_in(self.session, CollectionChange.id, ids))
            .values(status=ChangeStatus.rolled_back, rolled_back_at=now, rolled_back_by=self.actor)
            .execution_options(synchronize_session=False)
        )
        for change in self.changes:  # the objects the caller holds show what the row now says
            set_committed_value(change, "status", ChangeStatus.rolled_back)
            set_committed_value(change, "rolled_back_at", now)
            set_committed_value(change, "rolled_back_by", self.actor)
        insert_audits(self.session, self.audits)

    def _write_field(self, entity_type: str, field_name: str, restores: list[_Restore]) -> None:
        model = ENTITY_MODELS[entity_type]
        table: Any = model.__table__
        if is_postgresql(self.session):
            rows = rows_table(
                self.session,
                "v",
                [("id", BigInteger()), ("value", Text())],
                [(r.entity_id, sql_text(r.value)) for r in restores],
            )
            self.session.execute(
                update(table)
                .where(table.c.id == rows.c.id)
                .values({field_name: as_column_type(rows.c.value, table.c[field_name])})
            )
        else:
            # SQLite casts text by its own rules: typed values by primary key there.
            writes = [{"id": r.entity_id, field_name: r.value} for r in restores]
            self.session.execute(update(model).execution_options(synchronize_session=False), writes)
        for restore in restores:  # a record object this session holds is re-read on next access
            loaded = self.session.identity_map.get(self.session.identity_key(model, restore.entity_id))
            if loaded is not None:
                self.session.expire(loaded, [field_name])


def _undo_all(session: Session, changes: list[CollectionChange], actor: str) -> list[str]:
    """Undo applied changes together; returns the conflicts (nothing is kept then: the caller rolls back)."""
    fields = _FieldRollback(session, [c for c in changes if not c.is_new_entity], actor)
    fields.check()
    if fields.conflicts:
        return fields.conflicts
    # Field changes first: a created record refuses to go while applied changes still edit it.
    fields.write()
    conflicts: list[str] = []
    for change in sorted((c for c in changes if c.is_new_entity), key=lambda c: c.id, reverse=True):
        try:
            _undo_created(session, change, actor)
        except Conflict as exc:
            conflicts.append(exc.detail)
    return conflicts


def rollback_change(session: Session, change_id: int, *, actor: str) -> CollectionChange:
    """Roll back one applied change (Conflict if it is not applied or the value changed since)."""
    change = session.get(CollectionChange, change_id, with_for_update=True, populate_existing=True)
    if change is None:
        raise NotFound(f"change {change_id} not found")
    if change.status != ChangeStatus.applied:
        raise Conflict(f"change {change_id} is {change.status}; only an applied change can be rolled back")
    savepoint = session.begin_nested()
    conflicts = _undo_all(session, [change], actor)
    if conflicts:
        savepoint.rollback()
        raise Conflict("; ".join(conflicts))
    savepoint.commit()
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
    savepoint = session.begin_nested()
    conflicts = _undo_all(session, changes, actor)
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
