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
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, insert, select, update
from sqlalchemy.orm import Session

from app.auth.models import User
from app.builders.models import BuilderCommunity, BuilderHomePlan, BuilderPortfolio, BuilderProfile
from app.changes.db import id_in
from app.changes.diff import ENTITY_MODELS, PARENT_COLUMN, is_collected_field
from app.changes.models import ChangeStatus, CollectionChange, FieldLock
from app.changes.normalize import NAME_FIELD, loads, same_value, to_column, to_jsonable
from app.changes.rollback import rollback_change, rollback_job
from app.communities.models import Community
from app.core.audit import AuditEvent
from app.core.config import Settings, get_settings
from app.jobs.models import CollectionJob
from app.properties.models import PropertyStatus
from app.sources.reliability import record_review

__all__ = ["ApplyResult", "apply_changes", "auto_apply_job", "rollback_change", "rollback_job"]

APPLICABLE = (ChangeStatus.pending, ChangeStatus.approved)
TOP_LEVEL = ("builder", "community", "property")
# Id columns a change may set on a home (resolved links), besides its collected fields.
LINK_COLUMNS = {"property": ("plan_id", "community_id", "builder_id")}


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

    def skip(self, change: CollectionChange, reason: str) -> None:
        self.skipped += 1
        self.skipped_changes.append({"change_id": change.id, "reason": reason})

    def fail(self, change: CollectionChange, reason: str) -> None:
        self.failed += 1
        self.failures.append({"change_id": change.id, "reason": reason})


def _now() -> datetime:
    return datetime.now(UTC)


def lock_changes(session: Session, change_ids: Iterable[int]) -> list[CollectionChange]:
    """The change rows, locked in id order (so concurrent appliers never deadlock) and freshly read."""
    ids = sorted(set(change_ids))
    if not ids:
        return []
    return list(
        session.scalars(
            select(CollectionChange)
            .where(id_in(session, CollectionChange.id, ids))
            .order_by(CollectionChange.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _lock_records(session: Session, entity_type: str, ids: set[int]) -> dict[int, dict[str, Any]]:
    """The records' current column values, locked in id order; plain rows, no ORM bookkeeping."""
    table = ENTITY_MODELS[entity_type].__table__
    rows = session.execute(
        select(table).where(id_in(session, table.c.id, sorted(ids))).order_by(table.c.id).with_for_update()
    ).mappings()
    return {row["id"]: dict(row) for row in rows}


def _settable(entity_type: str, field_name: str | None) -> bool:
    if field_name is None:
        return False
    return is_collected_field(entity_type, field_name) or field_name in LINK_COLUMNS.get(entity_type, ())


def _mark_synced(record: Any, confidence: float) -> None:
    if hasattr(record, "last_data_sync"):
        record.last_data_sync = _now()
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
        self.applied_fields: list[CollectionChange] = []

    def count_review(self, change: CollectionChange) -> None:
        if not self.auto and change.source_id is not None:
            self.reviews[change.source_id] += 1
        self.result.applied_ids.append(change.id)

    def applied_values(self) -> dict[str, Any]:
        now = _now()
        values: dict[str, Any] = {"status": ChangeStatus.applied, "applied_at": now, "applied_by": self.actor}
        if not self.auto:
            values.update(reviewed_by=self.actor, reviewed_at=now, review_notes=self.review_notes)
        return values

    def done(self, change: CollectionChange, created_id: int | None = None) -> None:
        for name, value in self.applied_values().items():
            setattr(change, name, value)
        change.created_entity_id = created_id
        self.count_review(change)

    def audit(self, change: CollectionChange, target_type: str, target_id: int | None, before: Any, after: Any) -> None:
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
                "created_at": _now(),
            }
        )

    # --- field changes -------------------------------------------------------------------------------

    def apply_fields(self, changes: list[CollectionChange]) -> None:
        """Field changes, set-based: one locked read per table, one UPDATE per table and column set."""
        by_type: dict[str, set[int]] = defaultdict(set)
        for change in changes:
            by_type[change.entity_type].add(change.entity_id)  # type: ignore[arg-type]
        records = {entity_type: _lock_records(self.session, entity_type, ids) for entity_type, ids in by_type.items()}
        writes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        updated: set[str] = set()
        now = _now()
        for change in changes:
            record = records[change.entity_type].get(change.entity_id)  # type: ignore[arg-type]
            field_name = change.field_name
            if record is None or record.get("archived_at") is not None:
                self.result.fail(change, f"{change.entity_type} {change.entity_id} no longer exists")
                continue
            if not _settable(change.entity_type, field_name):
                self.result.fail(change, f"{change.entity_type} has no writable field {field_name!r}")
                continue
            assert field_name is not None
            current = record[field_name]
            expected = loads(change.old_value)
            if not same_value(change.entity_type, field_name, current, expected):
                self._conflict(change, field_name, expected, current)
                continue
            write: dict[str, Any] = {
                "id": record["id"],
                field_name: to_column(change.entity_type, field_name, loads(change.new_value)),
            }
            if "last_data_sync" in record:
                write.update(last_data_sync=now, data_source="collected", data_confidence=change.confidence)
            writes[change.entity_type].append(write)
            self.count_review(change)
            self.applied_fields.append(change)
            before, after = {field_name: to_jsonable(current)}, {field_name: loads(change.new_value)}
            self.audit(change, change.entity_type, record["id"], before, after)
            self.result.applied_changes += 1
            updated.add(field_name)
        for entity_type, rows in writes.items():
            self._write(entity_type, rows)
        self.result.updated_fields.extend(sorted(updated - set(self.result.updated_fields)))

    def _conflict(self, change: CollectionChange, field_name: str, expected: Any, current: Any) -> None:
        change.status = ChangeStatus.conflict
        change.reviewed_by = change.reviewed_by or self.actor
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

    def _write(self, entity_type: str, rows: list[dict[str, Any]]) -> None:
        model = ENTITY_MODELS[entity_type]
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            groups[tuple(sorted(row))].append(row)
        for group in groups.values():
            # Executemany by primary key: one statement per set of columns, not one flush per record.
            self.session.execute(update(model).execution_options(synchronize_session=False), group)
        for row in rows:
            loaded = self.session.identity_map.get(self.session.identity_key(model, row["id"]))
            if loaded is not None:
                self.session.expire(loaded)

    # --- new records ---------------------------------------------------------------------------------

    def apply_new(self, change: CollectionChange) -> None:
        data = dict(change.proposed_entity_data or {})
        if change.entity_type == "builder_community":
            self._link(change, data)
            return
        if change.entity_type not in ENTITY_MODELS:
            self.result.fail(change, f"unknown entity type {change.entity_type!r}")
            return
        record = self._build(change.entity_type, data, change)
        if record is None:
            return
        self.session.add(record)
        self.session.flush()
        _mark_synced(record, change.confidence)
        self._links_of(change.entity_type, record, data)
        title = getattr(record, NAME_FIELD.get(change.entity_type, "name"), None)
        self.done(change, created_id=record.id)
        self.audit(change, change.entity_type, record.id, None, _public(data))
        self.result.created_entities += 1
        self.result.created.append({"entity_type": change.entity_type, "entity_id": record.id, "title": title})

    def _build(self, entity_type: str, data: dict[str, Any], change: CollectionChange) -> Any:
        model = ENTITY_MODELS[entity_type]
        columns = {
            name: to_column(entity_type, name, value)
            for name, value in data.items()
            if is_collected_field(entity_type, name) and value is not None
        }
        if entity_type in PARENT_COLUMN:
            parent_column = PARENT_COLUMN[entity_type]
            parent_model = BuilderProfile if parent_column == "builder_id" else Community
            parent_id = data.get(parent_column) or change.parent_entity_id
            if parent_id is None or self.session.get(parent_model, parent_id) is None:
                self.result.fail(change, f"the parent record of this {entity_type} no longer exists")
                return None
            columns[parent_column] = parent_id
        if entity_type == "property":
            columns["builder_id"] = self._existing(BuilderProfile, data.get("builder_id"))
            columns["community_id"] = self._existing(Community, data.get("community_id"))
            columns["plan_id"] = self._existing(BuilderHomePlan, data.get("plan_id"))
            columns.setdefault("property_status", PropertyStatus.available)
            columns.setdefault("title", data.get("address1") or "New home")
        return model(**columns)

    def _existing(self, model: Any, record_id: Any) -> int | None:
        if record_id is None:
            return None
        return int(record_id) if self.session.get(model, int(record_id)) is not None else None

    def _links_of(self, entity_type: str, record: Any, data: dict[str, Any]) -> None:
        if entity_type == "property" and record.builder_id is not None:
            self.session.add(BuilderPortfolio(builder_id=record.builder_id, property_id=record.id))
        for builder_id in data.get("builder_ids") or []:
            if self.session.get(BuilderProfile, builder_id) is not None:
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
        if self.session.get(BuilderCommunity, (builder.id, community.id)) is None:
            self.session.add(BuilderCommunity(builder_id=builder.id, community_id=community.id))
            self.session.flush()
        self.done(change, created_id=builder.id)
        self.audit(change, "builder_community", community.id, None, {"builder_id": builder.id})
        self.result.created_entities += 1
        title = f"{builder.name} in {community.name}"
        self.result.created.append({"entity_type": "builder_community", "entity_id": builder.id, "title": title})

    def finish(self) -> None:
        if self.applied_fields:
            ids = [change.id for change in self.applied_fields]
            self.session.execute(
                update(CollectionChange)
                .where(id_in(self.session, CollectionChange.id, ids))
                .values(**self.applied_values())
                .execution_options(synchronize_session=False)
            )
            for change in self.applied_fields:
                self.session.expire(change)
        if self.audits:
            self.session.execute(insert(AuditEvent), self.audits)
        for source_id, count in self.reviews.items():
            record_review(self.session, source_id, approved=True, count=count)
        self.session.flush()


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
    fields: list[CollectionChange] = []
    new: list[CollectionChange] = []
    for change in lock_changes(session, change_ids):
        if change.status == ChangeStatus.applied:
            result.skip(change, "already applied")
        elif change.status not in APPLICABLE:
            result.skip(change, f"status is {change.status}")
        elif change.confidence < min_confidence:
            result.skip(change, f"confidence {change.confidence:.2f} is below {min_confidence:.2f}")
        elif change.is_new_entity:
            if create_new_entities:
                new.append(change)
            else:
                result.skip(change, "new records were not requested (create_new_entities is false)")
        else:
            fields.append(change)
    if fields:
        applier.apply_fields(fields)
    # Parents before their children and links, so a batch can create a community and link it.
    for change in sorted(new, key=lambda c: (c.entity_type not in TOP_LEVEL, c.id)):
        applier.apply_new(change)
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


def auto_apply_job(session: Session, job: CollectionJob, settings: Settings | None = None) -> int:
    """Apply a finished job's changes that policy allows; returns how many were applied.

    Policy: the job asked for auto-apply, its initiator holds the auto-apply permission (scheduled jobs:
    the refresh_auto_apply setting), confidence >= auto_apply_threshold, and the field is not locked as
    human verified. New builders, communities and homes always wait for an admin.
    """
    settings = settings or get_settings()
    initiator = _may_auto_apply(session, job, settings)
    if initiator is None:
        return 0
    query = select(CollectionChange.id).where(
        CollectionChange.job_id == job.job_id,
        CollectionChange.status == ChangeStatus.pending,
        CollectionChange.confidence >= settings.auto_apply_threshold,
        ~and_(CollectionChange.is_new_entity.is_(True), CollectionChange.entity_type.in_(TOP_LEVEL)),
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
