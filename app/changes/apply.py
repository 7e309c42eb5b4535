"""Apply approved changes safely: row locks, a stale-value check, new records with their links.

A change applies only while the record's current value still equals the change's ``old_value``
(after normalization); otherwise it becomes ``conflict`` and nothing is overwritten. Applying an
applied change again is a no-op reported as skipped. Nothing here commits: the caller's unit of
work does, so one request applies all or nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BigInteger, Float, Text, and_, bindparam, exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.builders.models import BuilderCommunity, BuilderHomePlan, BuilderPortfolio, BuilderProfile
from app.changes.alternatives import reject_alternatives_of
from app.changes.diff import is_collected_field
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.rollback import rollback_change, rollback_job
from app.communities.models import Community
from app.core.audit import insert_audits
from app.core.config import Settings
from app.core.db import utcnow
from app.core.entities import ENTITY_MODELS, NAME_FIELD, PARENT_COLUMN, RECORD_TYPES, EntityType
from app.core.locks import FieldLock
from app.core.sql import as_column_type, id_in, is_postgresql, lock_by_id, rows_table, sql_text
from app.core.values import to_jsonable
from app.jobs.models import CollectionJob
from app.properties.models import PropertyStatus
from app.research.normalize import loads, same_value, to_column
from app.sources.reliability import record_review

__all__ = ["ApplyResult", "apply_changes", "auto_apply_job", "rollback_change", "rollback_job"]

APPLICABLE = (ChangeStatus.pending, ChangeStatus.approved)
# Id columns a change may set on a home (resolved links), besides its collected fields.
LINK_COLUMNS = {"property": ("plan_id", "community_id", "builder_id")}
# The records a new home may refer to, and the parent table of each child record's parent column.
_REFERENCED: dict[str, Any] = {"builder_id": BuilderProfile, "community_id": Community, "plan_id": BuilderHomePlan}
_PARENT_MODELS: dict[str, Any] = {"builder_id": BuilderProfile, "community_id": Community}


@dataclass
class ApplyResult:
    applied_changes: int = 0
    created_entities: int = 0
    skipped: int = 0
    failed: int = 0
    updated_fields: list[str] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    skipped_changes: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    applied_ids: list[int] = field(default_factory=list)

    def skip(self, change: Any, reason: str) -> None:
        self.skipped += 1
        self.skipped_changes.append({"change_id": change.id, "reason": reason})

    def fail(self, change: Any, reason: str) -> None:
        self.failed += 1
        self.failures.append({"change_id": change.id, "reason": reason})


# What apply reads of a change row: plain columns, no ORM objects for thousands of rows.
_CHANGE_COLUMNS = (
    CollectionChange.id,
    CollectionChange.job_id,
    CollectionChange.entity_type,
    CollectionChange.entity_id,
    CollectionChange.field_name,
    CollectionChange.old_value,
    CollectionChange.new_value,
    CollectionChange.status,
    CollectionChange.confidence,
    CollectionChange.is_new_entity,
    CollectionChange.source_id,
)


def lock_changes(session: Session, change_ids: Iterable[int], *columns: Any) -> list[Any]:
    """The change rows, locked in id order: the changes themselves, freshly read, or only the given columns."""
    ids = set(change_ids)
    if not ids:
        return []
    if columns:
        return list(session.execute(lock_by_id(session, select(*columns), CollectionChange.id, ids)))
    query = lock_by_id(session, select(CollectionChange), CollectionChange.id, ids)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def _lock_live_records(session: Session, table: Any, ids: set[int]) -> set[int]:
    """Lock the records in id order; returns the ids that exist and are not archived."""
    query = select(table.c.id)
    if "archived_at" in table.c:
        query = query.where(table.c.archived_at.is_(None))
    return set(session.scalars(lock_by_id(session, query, table.c.id, ids, of=table)))


def _expire(session: Session, model: Any, ids: Iterable[int]) -> None:
    """Rows changed by set-based statements: objects this session holds are re-read on next access."""
    for record_id in ids:
        loaded = session.identity_map.get(session.identity_key(model, record_id))
        if loaded is not None:
            session.expire(loaded)


def _settable(entity_type: str, field_name: str | None) -> bool:
    if field_name is None:
        return False
    return is_collected_field(entity_type, field_name) or field_name in LINK_COLUMNS.get(entity_type, ())


def _mark_synced(record: Any, confidence: float) -> None:
    if hasattr(record, "last_data_sync"):
        record.last_data_sync = utcnow()
        record.data_source = "collected"
        record.data_confidence = confidence


class _Applier:
    def __init__(self, session: Session, actor: str, review_notes: str | None, auto: bool) -> None:
        self.session = session
        self.actor = actor
        self.review_notes = review_notes
        self.auto = auto
        self.result = ApplyResult()
        self.reviews: Counter[int] = Counter()
        self.audits: list[dict[str, Any]] = []
        self.applied_field_ids: list[int] = []
        self.conflict_ids: list[int] = []
        self.created_changes: list[CollectionChange] = []
        # Ids of existing records new records refer to (parents, builders, communities, plans), read per table.
        self.known: dict[Any, set[int]] = defaultdict(set)

    def count_review(self, change: Any) -> None:
        if not self.auto and change.source_id is not None:
            self.reviews[change.source_id] += 1
        self.result.applied_ids.append(change.id)

    def applied_values(self) -> dict[str, Any]:
        now = utcnow()
        values: dict[str, Any] = {"status": ChangeStatus.applied, "applied_at": now, "applied_by": self.actor}
        if not self.auto:
            values.update(reviewed_by=self.actor, reviewed_at=now, review_notes=self.review_notes)
        return values

    def done(self, change: CollectionChange, created_id: int | None = None) -> None:
        """A new-record change applied: its row is written with the others in ``finish`` (one UPDATE)."""
        values = {**self.applied_values(), "created_entity_id": created_id}
        for name, value in values.items():  # the object shows what the row will say, without a flush of its own
            set_committed_value(change, name, value)
        self.created_changes.append(change)
        self.count_review(change)

    def audit(self, change: Any, target_type: str, target_id: int | None, before: Any, after: Any) -> None:
        self.audits.append(
            {
                "actor": self.actor,
                "action": "change.auto_apply" if self.auto else "change.apply",
                "target_type": target_type,
                "target_id": target_id,
                "job_id": change.job_id,
                "change_id": change.id,
                "before": before,
                "after": after,
                "notes": self.review_notes,
            }
        )

    # --- field changes -------------------------------------------------------------------------------

    def apply_fields(self, changes: list[Any]) -> None:
        """Field changes, set-based: per table one locked read of ids, per field one UPDATE … FROM rows."""
        by_type: dict[str, list[Any]] = defaultdict(list)
        for change in changes:
            by_type[change.entity_type].append(change)
        updated: set[str] = set()
        for entity_type, group in by_type.items():
            model = ENTITY_MODELS[entity_type]
            table = model.__table__
            live = _lock_live_records(self.session, table, {c.entity_id for c in group})
            by_field: dict[str, list[Any]] = defaultdict(list)
            for change in group:
                if change.entity_id not in live:
                    self.result.fail(change, f"{entity_type} {change.entity_id} no longer exists")
                elif not _settable(entity_type, change.field_name):
                    self.result.fail(change, f"{entity_type} has no writable field {change.field_name!r}")
                else:
                    by_field[change.field_name].append(change)
            # One statement per field: the partial unique index allows one open change per record and
            # field, so a batch never holds two changes of the same record and field.
            for field_name, field_changes in by_field.items():
                if self._update_field(table, entity_type, field_name, field_changes):
                    updated.add(field_name)
            _expire(self.session, model, live)
        self.result.updated_fields.extend(sorted(updated - set(self.result.updated_fields)))

    def _update_field(self, table: Any, entity_type: str, field_name: str, batch: list[Any]) -> bool:
        """One UPDATE … FROM rows for one field, guarded by the stale-value check; True if any applied.

        On PostgreSQL the database writes where the current value IS NOT DISTINCT FROM the change's old
        value. A record it skipped is compared in Python after normalization (the rule of ``same_value``):
        equal there, it is written by primary key; otherwise the change is a conflict and nothing is written.
        """
        column = table.c[field_name]
        new_values = {c.id: to_column(entity_type, field_name, loads(c.new_value)) for c in batch}
        synced = "last_data_sync" in table.c
        written: set[int] = set()
        if is_postgresql(self.session):
            written = self._update_in_sql(table, field_name, batch, new_values)
        # SQLite casts text by its own rules (CAST('true' AS BOOLEAN) is 0, a date becomes its year): there
        # every change takes the typed path below.
        missed = [c for c in batch if c.entity_id not in written]
        current: dict[int, Any] = {}
        if missed:
            query = select(table.c.id, column).where(id_in(self.session, table.c.id, [c.entity_id for c in missed]))
            current = {row.id: row[1] for row in self.session.execute(query)}
        writes: list[dict[str, Any]] = []
        for change in batch:
            if change.entity_id in written:
                before = loads(change.old_value)
            else:
                value, expected = current.get(change.entity_id), loads(change.old_value)
                if not same_value(entity_type, field_name, value, expected):
                    self._conflict(change, field_name, expected, value)
                    continue
                before = to_jsonable(value)
                write = {"id": change.entity_id, field_name: new_values[change.id]}
                if synced:
                    write.update(last_data_sync=utcnow(), data_source="collected", data_confidence=change.confidence)
                writes.append(write)
            self.count_review(change)
            self.applied_field_ids.append(change.id)
            self.audit(
                change, entity_type, change.entity_id, {field_name: before}, {field_name: loads(change.new_value)}
            )
            self.result.applied_changes += 1
        if writes:
            model = ENTITY_MODELS[entity_type]
            self.session.execute(update(model).execution_options(synchronize_session=False), writes)
        return len(written) + len(writes) > 0

    def _update_in_sql(self, table: Any, field_name: str, batch: list[Any], new_values: dict[int, Any]) -> set[int]:
        """The set-based write (PostgreSQL): the ids of the records whose value still was the old one."""
        column = table.c[field_name]
        rows = rows_table(
            self.session,
            "v",
            [("id", BigInteger()), ("old", Text()), ("new", Text()), ("confidence", Float())],
            [(c.entity_id, sql_text(loads(c.old_value)), sql_text(new_values[c.id]), c.confidence) for c in batch],
        )
        sets: dict[str, Any] = {field_name: as_column_type(rows.c.new, column)}
        if "last_data_sync" in table.c:
            sets.update(
                last_data_sync=bindparam(None, utcnow(), type_=table.c.last_data_sync.type),
                data_source="collected",
                data_confidence=rows.c.confidence,
            )
        statement = (
            update(table)
            .where(table.c.id == rows.c.id, column.is_not_distinct_from(as_column_type(rows.c.old, column)))
            .values(**sets)
            .returning(table.c.id)
        )
        return set(self.session.scalars(statement))

    def _conflict(self, change: Any, field_name: str, expected: Any, current: Any) -> None:
        self.conflict_ids.append(change.id)
        self.result.conflicts.append(
            {
                "change_id": change.id,
                "entity_type": change.entity_type,
                "entity_id": change.entity_id,
                "field": field_name,
                "expected": expected,
                "current": to_jsonable(current),
                "reason": "the value changed since the change was detected",
            }
        )
        self.result.failed += 1

    # --- new records ---------------------------------------------------------------------------------

    def apply_new(self, changes: list[CollectionChange]) -> None:
        """New records in batches: builders, communities and homes first, then children, then links.

        Per batch one read per referenced table, one flush of the records (a multi-row INSERT per
        table), one flush of their links and children; the change rows are written in ``finish``.
        """
        top = [c for c in changes if c.entity_type in RECORD_TYPES]
        children = [c for c in changes if c.entity_type not in RECORD_TYPES and c.entity_type != "builder_community"]
        for batch in (top, children):
            self._create(batch)
        for change in changes:
            if change.entity_type == "builder_community":
                self._link(change, dict(change.proposed_entity_data or {}))

    def _create(self, changes: list[CollectionChange]) -> None:
        if not changes:
            return
        self._read_known(changes)
        built: list[tuple[CollectionChange, Any, dict[str, Any]]] = []
        for change in changes:
            data = dict(change.proposed_entity_data or {})
            if change.entity_type not in ENTITY_MODELS:
                self.result.fail(change, f"unknown entity type {change.entity_type!r}")
                continue
            record = self._build(change.entity_type, data, change)
            if record is not None:
                _mark_synced(record, change.confidence)
                built.append((change, record, data))
        self.session.add_all([record for _, record, _ in built])
        self.session.flush()
        for change, record, data in built:
            self._links_of(change.entity_type, record, data)
            title = getattr(record, NAME_FIELD.get(change.entity_type, "name"), None)
            self.done(change, created_id=record.id)
            self.audit(change, change.entity_type, record.id, None, _public(data))
            self.result.created_entities += 1
            self.result.created.append({"entity_type": change.entity_type, "entity_id": record.id, "title": title})
        self.session.flush()

    def _read_known(self, changes: list[CollectionChange]) -> None:
        """Which referenced records exist, one query per table, instead of one lookup per new record."""
        wanted: dict[Any, set[Any]] = defaultdict(set)
        for change in changes:
            data = change.proposed_entity_data or {}
            parent_column = PARENT_COLUMN.get(change.entity_type)
            if parent_column is not None:
                parent_id = data.get(parent_column) or change.parent_entity_id
                wanted[_PARENT_MODELS[parent_column]].add(parent_id)
            for name, model in _REFERENCED.items():
                wanted[model].add(data.get(name))
            wanted[BuilderProfile].update(data.get("builder_ids") or [])
        for model, ids in wanted.items():
            valid = {record_id for value in ids if (record_id := _as_id(value)) is not None}
            if valid - self.known[model]:
                query = select(model.id).where(id_in(self.session, model.id, sorted(valid)))
                self.known[model].update(self.session.scalars(query))

    def _build(self, entity_type: str, data: dict[str, Any], change: CollectionChange) -> Any:
        model = ENTITY_MODELS[entity_type]
        columns = {
            name: to_column(entity_type, name, value)
            for name, value in data.items()
            if is_collected_field(entity_type, name) and value is not None
        }
        if entity_type in PARENT_COLUMN:
            parent_column = PARENT_COLUMN[entity_type]
            parent_id = data.get(parent_column) or change.parent_entity_id
            if self._existing(_PARENT_MODELS[parent_column], parent_id) is None:
                self.result.fail(change, f"the parent record of this {entity_type} no longer exists")
                return None
            columns[parent_column] = parent_id
        if entity_type == EntityType.property:
            for name, referenced in _REFERENCED.items():
                columns[name] = self._existing(referenced, data.get(name))
            columns.setdefault("property_status", PropertyStatus.available)
            columns.setdefault("title", data.get("address1") or "New home")
        return model(**columns)

    def _existing(self, model: Any, value: Any) -> int | None:
        record_id = _as_id(value)
        return record_id if record_id is not None and record_id in self.known[model] else None

    def _links_of(self, entity_type: str, record: Any, data: dict[str, Any]) -> None:
        if entity_type == EntityType.property and record.builder_id is not None:
            self.session.add(BuilderPortfolio(builder_id=record.builder_id, property_id=record.id))
        for builder_id in data.get("builder_ids") or []:
            if self._existing(BuilderProfile, builder_id) is not None:
                self.session.add(BuilderCommunity(builder_id=builder_id, community_id=record.id))
        for child in data.get("children") or []:
            child_type = child.get("entity_type")
            if child_type not in PARENT_COLUMN:
                continue
            child_data = {**child.get("data", {}), PARENT_COLUMN[child_type]: record.id}
            columns = {
                name: to_column(child_type, name, value)
                for name, value in child_data.items()
                if is_collected_field(child_type, name) and value is not None
            }
            columns[PARENT_COLUMN[child_type]] = record.id
            self.session.add(ENTITY_MODELS[child_type](**columns))

    def _link(self, change: CollectionChange, data: dict[str, Any]) -> None:
        builder_id, community_id = data.get("builder_id"), data.get("community_id")
        builder = self.session.get(BuilderProfile, builder_id) if builder_id else None
        community = self.session.get(Community, community_id) if community_id else None
        if builder is None or community is None:
            self.result.fail(change, "the builder or the community of this link no longer exists")
            return
        if self.session.get(BuilderCommunity, (builder.id, community.id)) is not None:
            # Linked meanwhile by other means: applying would claim the link, and a rollback would remove it.
            self.result.skip(change, "link already exists")
            return
        self.session.add(BuilderCommunity(builder_id=builder.id, community_id=community.id))
        self.session.flush()
        self.done(change, created_id=builder.id)
        self.audit(change, "builder_community", community.id, None, {"builder_id": builder.id})
        self.result.created_entities += 1
        title = f"{builder.name} in {community.name}"
        self.result.created.append({"entity_type": "builder_community", "entity_id": builder.id, "title": title})

    def finish(self) -> None:
        if self.applied_field_ids:
            self.session.execute(
                update(CollectionChange)
                .where(id_in(self.session, CollectionChange.id, self.applied_field_ids))
                .values(**self.applied_values())
                .execution_options(synchronize_session=False)
            )
            # Applying one value of a field rejects the other values sources read for it.
            reject_alternatives_of(self.session, self.applied_field_ids, reviewed=not self.auto, at=utcnow())
        if self.conflict_ids:
            self.session.execute(
                update(CollectionChange)
                .where(id_in(self.session, CollectionChange.id, self.conflict_ids))
                .values(
                    status=ChangeStatus.conflict,
                    reviewed_by=func.coalesce(CollectionChange.reviewed_by, self.actor),
                )
                .execution_options(synchronize_session=False)
            )
        self._write_created_changes()
        _expire(self.session, CollectionChange, [*self.applied_field_ids, *self.conflict_ids])
        insert_audits(self.session, self.audits)
        for source_id, count in self.reviews.items():
            record_review(self.session, source_id, approved=True, count=count)
        self.session.flush()

    def _write_created_changes(self) -> None:
        """The applied new-record changes in one UPDATE, each with the id of the record it created."""
        if not self.created_changes:
            return
        values = self.applied_values()
        if is_postgresql(self.session):
            rows = rows_table(
                self.session,
                "created",
                [("id", BigInteger()), ("created_id", BigInteger())],
                [(c.id, c.created_entity_id) for c in self.created_changes],
            )
            self.session.execute(
                update(CollectionChange)
                .where(CollectionChange.id == rows.c.id)
                .values(created_entity_id=rows.c.created_id, **values)
                .execution_options(synchronize_session=False)
            )
            return
        writes = [{"id": c.id, "created_entity_id": c.created_entity_id, **values} for c in self.created_changes]
        self.session.execute(update(CollectionChange).execution_options(synchronize_session=False), writes)


def _as_id(value: Any) -> int | None:
    """A record id from proposed data (an int, or digits), else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _public(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_")}


def apply_changes(
    session: Session,
    change_ids: Sequence[int],
    *,
    actor: str,
    review_notes: str | None = None,
    create_new_entities: bool = True,
    min_confidence: float = 0.0,
    auto: bool = False,
) -> ApplyResult:
    """Apply the given changes in the caller's transaction; each applies at most once, stale ones conflict."""
    applier = _Applier(session, actor, review_notes, auto)
    result = applier.result
    fields: list[Any] = []
    new: list[int] = []
    for change in lock_changes(session, change_ids, *_CHANGE_COLUMNS):
        if change.status == ChangeStatus.applied:
            result.skip(change, "already applied")
        elif change.status not in APPLICABLE:
            result.skip(change, f"status is {change.status}")
        elif change.confidence < min_confidence:
            result.skip(change, f"confidence {change.confidence:.2f} is below {min_confidence:.2f}")
        elif change.is_new_entity:
            if create_new_entities:
                new.append(change.id)
            else:
                result.skip(change, "new records were not requested (create_new_entities is false)")
        else:
            fields.append(change)
    if fields:
        applier.apply_fields(fields)
    # New records are built as objects and inserted in batches; their rows are locked already (re-read here).
    if new:
        applier.apply_new(lock_changes(session, new))
    applier.finish()
    return result


def _may_auto_apply(session: Session, job: CollectionJob, settings: Settings) -> str | None:
    """The actor auto-apply acts for, or None when policy does not allow it for this job."""
    if not job.auto_apply:
        return None
    if job.scheduled or job.initiated_by in (None, "system"):
        return "system" if getattr(settings, "refresh_auto_apply", False) else None
    user = session.scalar(select(User).where(User.user_id == job.initiated_by))
    if user is None or not user.is_active or not user.can_auto_apply:
        return None
    return user.user_id


def auto_apply_job(session: Session, job: CollectionJob, settings: Settings) -> int:
    """Apply a finished job's changes that policy allows; returns how many were applied.

    Policy: the job asked for auto-apply, its initiator holds the auto-apply permission (scheduled jobs:
    the refresh_auto_apply setting), confidence >= auto_apply_threshold, and the field is not locked as
    human verified. New builders, communities and homes always wait for an admin.
    """
    initiator = _may_auto_apply(session, job, settings)
    if initiator is None:
        return 0
    query = select(CollectionChange.id).where(
        CollectionChange.job_id == job.job_id,
        CollectionChange.status == ChangeStatus.pending,
        CollectionChange.confidence >= settings.auto_apply_threshold,
        ~and_(CollectionChange.is_new_entity.is_(True), CollectionChange.entity_type.in_(RECORD_TYPES)),
    )
    if settings.protect_verified_fields:
        locked = exists().where(
            FieldLock.entity_type == CollectionChange.entity_type,
            FieldLock.entity_id == CollectionChange.entity_id,
            FieldLock.field_name == CollectionChange.field_name,
        )
        query = query.where(~locked)
    ids = list(session.scalars(query))
    if not ids:
        return 0
    result = apply_changes(
        session,
        ids,
        actor="auto",
        review_notes=f"auto-applied for {initiator} (confidence >= {settings.auto_apply_threshold:.2f})",
        auto=True,
    )
    return result.applied_changes + result.created_entities
