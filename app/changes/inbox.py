"""The review inbox: every change across all records in one list, decided one by one or many at once.

The list is the pending-changes view without the record: filters, four orders and keyset paging. A decision
(apply or reject) by ids or by the inbox's filter goes through the per-record code paths (``apply_changes``,
``reject_changes``), so the rules are theirs: each change at most once, stale ones become conflicts, audited
with the reviewer, alternatives rejected on apply. On top, a bulk apply skips fields an admin locked as
verified: one click over many records must not overwrite a value a person checked (the per-record screen
still may). A dry run makes the same decision inside a savepoint and rolls it back, so its counts are the
real ones. Nothing here commits: the request's unit of work does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import BigInteger, ColumnElement, Row, Select, Text, and_, cast, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from app.changes.apply import apply_changes
from app.changes.models import ChangeStatus, ChangeType, CollectionChange, PendingChangeRollup, PendingJobRollup
from app.changes.rejection import reject_changes
from app.core.crud import name_contains
from app.core.db import aware, rollups_kept, utcnow
from app.core.entities import ENTITIES, NAME_FIELD, RECORD_MODELS, RECORD_TYPES, EntityType
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.locks import FieldLock
from app.core.pagination import PageRequest, PageResult, SortKey, paginate
from app.core.sql import id_in
from app.jobs.repository import entity_names
from app.research.normalize import loads
from app.sources.bookkeeping import registered_domain
from app.sources.models import CollectionSource

# One decision by filter touches at most this many changes: each is locked until the request commits, so a
# click on "all matching" over a whole backlog would hold the table for minutes. Narrow the filter or repeat.
MAX_DECISION_CHANGES = 1_000
# The summary lists the jobs with the most pending changes, not every job ever run.
SUMMARY_JOBS = 50
ADMIN_API = "/api/v1/admin"
# What the summary counts a record proposed as a whole under (it has no field).
NEW_RECORD = "(new record)"


class InboxSort(StrEnum):
    newest = "newest"  # the latest proposals first (the default)
    age = "age"  # the oldest waiting first
    confidence = "confidence"  # the most confident first
    record = "record"  # each record's changes together


class ChangeFilter(BaseModel):
    """Which changes the inbox shows, or a bulk decision touches; every condition must hold."""

    model_config = ConfigDict(extra="forbid")

    status: ChangeStatus = Field(ChangeStatus.pending, description="pending by default")
    entity_type: EntityType | None = Field(None, description="the changed record's type: builder, award, ...")
    entity_id: int | None = Field(None, ge=1, le=2**63 - 1, description="the changed record's id")
    field: str | None = Field(None, min_length=1, max_length=100, examples=["phone"])
    change_type: ChangeType | None = None
    job_id: str | None = Field(None, min_length=1, max_length=50, examples=["JOB-1699564234-ABC123"])
    min_confidence: float | None = Field(None, ge=0.0, le=1.0)
    max_confidence: float | None = Field(None, ge=0.0, le=1.0)
    source_domain: str | None = Field(
        None,
        min_length=1,
        max_length=255,
        pattern=r"^[A-Za-z0-9.-]+$",
        description="the source's domain (www.perryhomes.com and perryhomes.com are the same source)",
        examples=["perryhomes.com"],
    )
    created_from: AwareDatetime | None = Field(None, description="proposed at or after (with a time zone)")
    created_to: AwareDatetime | None = Field(None, description="proposed before (with a time zone)")
    conflicts_only: bool = Field(
        False, description="only changes whose sources disagree (other values wait as alternatives)"
    )
    q: str | None = Field(None, min_length=1, max_length=200, description="part of the record's name")

    @field_validator("status", "entity_type", "change_type", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ranges(self) -> ChangeFilter:
        low, high = self.min_confidence, self.max_confidence
        if low is not None and high is not None and low > high:
            raise ValueError("min_confidence: must not be above max_confidence")
        if self.created_from is not None and self.created_to is not None and self.created_from >= self.created_to:
            raise ValueError("created_from: must be before created_to")
        return self


class InboxQuery(ChangeFilter):
    """The inbox's filter with its order (a decision has no order)."""

    sort: InboxSort = Field(InboxSort.newest, description="newest (default), age, confidence or record")


# --- the record a change is reviewed under ---------------------------------------------------------------

# A change of a builder's award is reviewed under the builder; a new home under the builder that lists it.
# The record order is served by the expression index of revision 0006: keep these two expressions as it has them.
_RECORD_TYPE = func.coalesce(CollectionChange.parent_entity_type, CollectionChange.entity_type)
_RECORD_ID = func.coalesce(CollectionChange.parent_entity_id, CollectionChange.entity_id, 0)

_ORDERS = {
    InboxSort.newest: SortKey((CollectionChange.created_at, CollectionChange.id), descending=True),
    InboxSort.age: SortKey((CollectionChange.created_at, CollectionChange.id)),
    InboxSort.confidence: SortKey((CollectionChange.confidence, CollectionChange.id), descending=True),
    InboxSort.record: SortKey((_RECORD_TYPE, _RECORD_ID, CollectionChange.id)),
}


def _named(q: str) -> ColumnElement[bool]:
    """Changes reviewed under a builder, community or home whose name holds ``q`` (case-insensitive).

    Every change of an existing record names the record it is reviewed under as its parent (its own fields
    too), so the parent index serves this; a proposed new record without a parent has no record yet."""
    c = CollectionChange
    sides = []
    for record_type in RECORD_TYPES:
        model = RECORD_MODELS[record_type]
        names = select(model.id).where(name_contains(getattr(model, NAME_FIELD[record_type]), q))
        sides.append(and_(c.parent_entity_type == record_type.value, c.parent_entity_id.in_(names)))
    return or_(*sides)


def filtered(flt: ChangeFilter) -> Select[Any]:
    """The changes the filter selects (unordered)."""
    c = CollectionChange
    query = select(c).where(c.status == flt.status)
    if flt.entity_type is not None:
        query = query.where(c.entity_type == flt.entity_type)
    if flt.entity_id is not None:
        query = query.where(c.entity_id == flt.entity_id)
    if flt.field is not None:
        query = query.where(c.field_name == flt.field)
    if flt.change_type is not None:
        query = query.where(c.change_type == flt.change_type)
    if flt.job_id is not None:
        query = query.where(c.job_id == flt.job_id)
    if flt.min_confidence is not None:
        query = query.where(c.confidence >= flt.min_confidence)
    if flt.max_confidence is not None:
        query = query.where(c.confidence <= flt.max_confidence)
    if flt.source_domain is not None:
        domain = registered_domain(f"https://{flt.source_domain}/")
        query = query.where(c.source_id.in_(select(CollectionSource.id).where(CollectionSource.domain == domain)))
    if flt.created_from is not None:
        query = query.where(c.created_at >= flt.created_from)
    if flt.created_to is not None:
        query = query.where(c.created_at < flt.created_to)
    if flt.conflicts_only:
        # A change without alternatives holds SQL NULL, JSON null or [] depending on how it was written.
        query = query.where(c.alternatives.is_not(None), cast(c.alternatives, Text).not_in(("null", "[]")))
    if flt.q is not None:
        query = query.where(_named(flt.q))
    return query


# --- the list ------------------------------------------------------------------------------------------


def _record_of(change: CollectionChange) -> tuple[str, int | None]:
    if change.parent_entity_type is not None:
        return change.parent_entity_type, change.parent_entity_id
    return change.entity_type, change.entity_id if change.entity_id is not None else change.created_entity_id


def review_fields(change: CollectionChange) -> dict[str, Any]:
    """What every review screen shows of a change, whatever else it shows: how sure it is, on what evidence, the
    other values other sources read, and the job that proposed it."""
    return {
        "change_id": change.id,
        "entity_type": change.entity_type,
        "confidence": change.confidence,
        "confidence_components": change.confidence_components,
        "source": change.source_url,
        "evidence": change.evidence or [],
        "alternatives": change.alternatives or [],
        "job_id": change.job_id,
        "created_at": change.created_at,
    }


def _row(change: CollectionChange, names: dict[tuple[str, int], str]) -> dict[str, Any]:
    record_type, record_id = _record_of(change)
    info = ENTITIES.get(record_type)  # type: ignore[call-overload]
    link = f"{ADMIN_API}/{info.path_segment}/{record_id}" if info and info.path_segment and record_id else None
    name = names.get((record_type, record_id)) if record_id is not None else None
    if name is None and change.is_new_entity and change.parent_entity_type is None:
        name = (change.entity_data or {}).get(NAME_FIELD.get(change.entity_type, "name"))
    return {
        **review_fields(change),
        "status": change.status,
        "entity_id": change.entity_id,
        "is_new_entity": change.is_new_entity,
        "field": change.field_name,
        "current": loads(change.old_value),
        "proposed": change.entity_data if change.is_new_entity else loads(change.new_value),
        "change_type": change.change_type,
        "record": {"entity_type": record_type, "entity_id": record_id, "name": name, "link": link},
    }


def list_changes(session: Session, flt: ChangeFilter, *, cursor: str | None = None, limit: int = 50) -> dict[str, Any]:
    """One page of the inbox in the filter's order (``InboxQuery.sort``; newest first for a plain filter).

    The cursor names its order ("age.<position>"): newest and age positions look alike, and one read in the
    other order would silently skip rows, so a cursor of another order is a 422."""
    sort = flt.sort if isinstance(flt, InboxQuery) else InboxSort.newest
    position = None
    if cursor is not None:
        cursor_sort, _, position = cursor.partition(".")
        if cursor_sort != sort.value or not position:
            raise InvalidInput(f"cursor: not a cursor of this list in sort={sort.value}; pass next_cursor unchanged")
    result: PageResult[CollectionChange] = paginate(
        session, filtered(flt), _ORDERS[sort], PageRequest(page=1, per_page=limit, cursor=position)
    )
    records = (_record_of(change) for change in result.rows)
    names = entity_names(session, [(t, i) for t, i in records if i is not None])
    paging = result.paging()
    if result.next_cursor is not None:
        paging["next_cursor"] = f"{sort.value}.{result.next_cursor}"
    return {"changes": [_row(change, names) for change in result.rows], **paging}


# --- decisions -----------------------------------------------------------------------------------------

Action = Literal["apply", "reject"]


def _matching_ids(session: Session, flt: ChangeFilter) -> list[int]:
    """The ids the filter selects; Conflict when they are more than one decision may touch."""
    query = filtered(flt).with_only_columns(CollectionChange.id).order_by(CollectionChange.id)
    ids = list(session.scalars(query.limit(MAX_DECISION_CHANGES + 1)))
    if len(ids) > MAX_DECISION_CHANGES:
        raise Conflict(
            f"filter: matches more than {MAX_DECISION_CHANGES:,} changes, more than one decision may touch; "
            "narrow the filter (job_id, entity_type, field, confidence, created range) or decide in steps"
        )
    return ids


def _locked_ids(session: Session, ids: list[int]) -> set[int]:
    """The changes whose field an admin locked as verified."""
    if not ids:
        return set()
    c = CollectionChange
    locked = select(c.id).join(
        FieldLock,
        and_(
            FieldLock.entity_type == c.entity_type,
            FieldLock.entity_id == c.entity_id,
            FieldLock.field_name == c.field_name,
        ),
    )
    return set(session.scalars(locked.where(id_in(session, c.id, ids))))


def _decide(
    session: Session, action: Action, ids: list[int], reviewer: str, review_notes: str | None
) -> dict[str, Any]:
    outcomes: dict[int, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    if action == "reject":
        rejected = reject_changes(session, ids, actor=reviewer, review_notes=review_notes)
        outcomes.update({i: {"change_id": i, "outcome": "rejected"} for i in rejected.rejected_ids})
        for skipped in rejected.skipped_changes:
            outcomes[skipped["change_id"]] = {**skipped, "outcome": "skipped"}
    else:
        locked = _locked_ids(session, ids)
        for change_id in sorted(locked):
            outcomes[change_id] = {"change_id": change_id, "outcome": "skipped_locked", "reason": "field is locked"}
        result = apply_changes(session, [i for i in ids if i not in locked], actor=reviewer, review_notes=review_notes)
        created = result.applied_ids[result.applied_changes :] if result.created_entities else []
        for change_id in result.applied_ids:
            kind = "created" if change_id in created else "applied"
            outcomes[change_id] = {"change_id": change_id, "outcome": kind}
        for conflict in result.conflicts:
            outcomes[conflict["change_id"]] = {
                "change_id": conflict["change_id"],
                "outcome": "conflict",
                "reason": conflict["reason"],
            }
        for skipped in result.skipped_changes:
            outcomes[skipped["change_id"]] = {**skipped, "outcome": "skipped"}
        for failure in result.failures:
            outcomes[failure["change_id"]] = {**failure, "outcome": "failed"}
    for outcome in outcomes.values():
        counts[outcome["outcome"]] += 1
    return {
        "matched": len(ids),
        "applied": counts["applied"],
        "created_entities": counts["created"],
        "rejected": counts["rejected"],
        "skipped": counts["skipped"],
        "skipped_locked": counts["skipped_locked"],
        "conflicts": counts["conflict"],
        "failed": counts["failed"],
        "outcomes": [outcomes[i] for i in sorted(outcomes)],
    }


def decide(
    session: Session,
    *,
    action: Action,
    change_ids: Sequence[int] | None = None,
    flt: ChangeFilter | None = None,
    dry_run: bool = False,
    reviewer: str,
    review_notes: str | None = None,
) -> dict[str, Any]:
    """Apply or reject the given changes, or those the filter selects; counts and each change's outcome.

    Ids that do not exist: NotFound naming them, nothing decided. A dry run decides inside a savepoint and
    rolls it back, so it reports exactly what the same request would do now.
    """
    if (change_ids is None) == (flt is None):
        raise ValueError("decide takes change_ids or a filter")
    if flt is not None:
        ids = _matching_ids(session, flt)
    else:
        ids = sorted(set(change_ids or ()))
        found = set(session.scalars(select(CollectionChange.id).where(id_in(session, CollectionChange.id, ids))))
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"changes {missing} not found")
    if not dry_run:
        return {"action": action, "dry_run": False, **_decide(session, action, ids, reviewer, review_notes)}
    savepoint = session.begin_nested()
    try:
        outcome = _decide(session, action, ids, reviewer, review_notes)
    finally:
        savepoint.rollback()
    session.expire_all()
    return {"action": action, "dry_run": True, **outcome}


# --- badges --------------------------------------------------------------------------------------------


def summary(session: Session) -> dict[str, Any]:
    """Pending changes by entity type, by field and by job (the busiest first), and how old the oldest is.

    On PostgreSQL the counts come from the pending rollups (revision 0007), so their cost does not follow the
    backlog; elsewhere they are counted from the changes. Both give the same answer (tests compare them)."""
    c = CollectionChange
    pending = c.status == ChangeStatus.pending
    oldest = session.scalar(select(func.min(c.created_at)).where(pending))
    by_key = _pending_by_type_and_field(session)
    by_type: Counter[str] = Counter()
    by_field: Counter[str] = Counter()
    for entity_type, field_name, n in by_key:
        by_type[entity_type] += n
        by_field[field_name or NEW_RECORD] += n
    now = utcnow()
    return {
        "pending": by_type.total(),
        "by_entity_type": dict(sorted(by_type.items())),
        "by_field": dict(sorted(by_field.items())),
        "by_job": [{"job_id": job_id, "pending": n} for job_id, n in _busiest_jobs(session)],
        "oldest_pending_at": oldest,
        "oldest_pending_age_seconds": int((now - aware(oldest)).total_seconds()) if oldest else None,
    }


def _pending_by_type_and_field(session: Session) -> Sequence[Row[str, str | None, int]]:
    if rollups_kept(session):
        r = PendingChangeRollup
        n = cast(func.sum(r.pending), BigInteger)
        return session.execute(
            select(r.entity_type, r.field_name, n).group_by(r.entity_type, r.field_name).having(n != 0)
        ).all()
    c = CollectionChange
    query = select(c.entity_type, c.field_name, func.count()).where(c.status == ChangeStatus.pending)
    return session.execute(query.group_by(c.entity_type, c.field_name)).all()


def _busiest_jobs(session: Session) -> Sequence[Row[str, int]]:
    """The SUMMARY_JOBS jobs with the most pending changes, ties by job id.

    From the rollup, in one statement: a job without deltas since the last compaction has its count in its
    folded row, so the busiest of those are among the highest SUMMARY_JOBS + (jobs with deltas) folded rows;
    only those and the jobs with deltas are added up. Its cost follows the jobs whose pending changes moved
    since the last compaction (ten minutes of reviews), not the backlog."""
    if not rollups_kept(session):
        c = CollectionChange
        n = func.count().label("n")
        query = select(c.job_id, n).where(c.status == ChangeStatus.pending).group_by(c.job_id)
        return session.execute(query.order_by(n.desc(), c.job_id).limit(SUMMARY_JOBS)).all()
    r, folded_row = PendingJobRollup, aliased(PendingJobRollup)
    # NOT folded and folded as written: each reads its own partial index (revision 0007).
    fresh = select(r.job_id, func.sum(r.pending).label("delta")).where(~r.folded).group_by(r.job_id).cte("fresh")
    fresh_count = select(func.count()).select_from(fresh).scalar_subquery()
    folded = select(folded_row.pending).where(folded_row.folded, folded_row.job_id == fresh.c.job_id).scalar_subquery()
    top = (
        select(r.job_id, r.pending)
        .where(r.folded)
        .order_by(r.pending.desc(), r.job_id)
        .limit(SUMMARY_JOBS + fresh_count)
        .subquery()
    )
    counted = union_all(
        select(fresh.c.job_id, (fresh.c.delta + func.coalesce(folded, 0)).label("pending")),
        select(top.c.job_id, top.c.pending).where(top.c.job_id.not_in(select(fresh.c.job_id))),
    ).subquery()
    pending = cast(counted.c.pending, BigInteger)
    query = select(counted.c.job_id, pending).where(pending > 0).order_by(pending.desc(), counted.c.job_id)
    return session.execute(query.limit(SUMMARY_JOBS)).all()


__all__ = [
    "MAX_DECISION_CHANGES",
    "ChangeFilter",
    "InboxQuery",
    "InboxSort",
    "decide",
    "filtered",
    "list_changes",
    "summary",
]
