"""Queries of the jobs domain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.core.entities import RECORD_MODELS, EntityType
from app.core.pagination import SortKey
from app.jobs.models import CollectionJob, JobEvent, JobStatus


def get_job(session: Session, job_id: str) -> CollectionJob | None:
    return session.scalar(select(CollectionJob).where(CollectionJob.job_id == job_id))


def lock_job(session: Session, job_id: str) -> CollectionJob | None:
    """The job row, locked until the end of the transaction (a cancel cannot slip in meanwhile)."""
    return session.scalar(
        select(CollectionJob)
        .where(CollectionJob.job_id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def add_usage(session: Session, job_id: str, amounts: dict[str, Any]) -> None:
    """Add to the job's usage columns (``llm_calls``, ``cost_usd``, ...) in one UPDATE, whatever this session
    has loaded: another transaction may have added to them since."""
    columns = {name: getattr(CollectionJob, name) + amount for name, amount in amounts.items() if amount}
    if columns:
        session.execute(update(CollectionJob).where(CollectionJob.job_id == job_id).values(columns))


def get_entity(session: Session, entity_type: str, entity_id: int) -> Any | None:
    model = RECORD_MODELS.get(entity_type)
    return session.get(model, entity_id) if model is not None else None


def entity_names(session: Session, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Names of many records in one query per entity type (no query per job in a list)."""
    by_type: dict[str, set[int]] = {}
    for entity_type, entity_id in keys:
        by_type.setdefault(entity_type, set()).add(entity_id)
    names: dict[tuple[str, int], str] = {}
    for entity_type, ids in by_type.items():
        model = RECORD_MODELS.get(entity_type)
        if model is None or not ids:
            continue
        label = model.title if entity_type == EntityType.property else model.name
        for entity_id, name in session.execute(select(model.id, label).where(model.id.in_(ids))):
            names[(entity_type, entity_id)] = name
    return names


def claim(session: Session, job_id: str) -> bool:
    """pending -> running in one guarded statement; False if another delivery got there first.

    A job waiting out a retry's backoff (enqueued_at in the future) is not claimed: its own message
    arrives at the countdown, and an earlier duplicate delivery must not skip the wait."""
    now = utcnow()
    result = session.execute(
        update(CollectionJob)
        .where(
            CollectionJob.job_id == job_id,
            CollectionJob.status == JobStatus.pending,
            or_(CollectionJob.enqueued_at.is_(None), CollectionJob.enqueued_at <= now),
        )
        .values(
            status=JobStatus.running,
            started_at=now,
            completed_at=None,
            attempts=CollectionJob.attempts + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def set_status(session: Session, job_id: str, *, expected: Sequence[str], new_status: str, **values: Any) -> bool:
    """Move the job from one of ``expected`` to ``new_status``; False if it was in another state."""
    result = session.execute(
        update(CollectionJob)
        .where(CollectionJob.job_id == job_id, CollectionJob.status.in_(list(expected)))
        .values(status=new_status, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# Newest first; the id breaks ties between jobs created in the same microsecond.
JOB_ORDER = SortKey((CollectionJob.created_at, CollectionJob.id), descending=True)


def jobs_query(*, entity_type: str | None, status: str | None, job_type: str | None) -> Select[CollectionJob]:
    """Jobs under the list's filters (JOB_ORDER sorts them)."""
    query = select(CollectionJob)
    if entity_type:
        query = query.where(CollectionJob.entity_type == entity_type)
    if status:
        query = query.where(CollectionJob.status == status)
    if job_type:
        query = query.where(CollectionJob.job_type == job_type)
    return query


def events(session: Session, job_id: str) -> list[JobEvent]:
    return list(session.scalars(select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)).all())


def lost_pending_jobs(session: Session, enqueued_before: datetime) -> list[str]:
    """Pending jobs whose send failed (enqueued_at NULL) or that waited far past any normal queue wait."""
    return list(
        session.scalars(
            select(CollectionJob.job_id)
            .where(
                CollectionJob.status == JobStatus.pending,
                or_(CollectionJob.enqueued_at.is_(None), CollectionJob.enqueued_at < enqueued_before),
            )
            .order_by(CollectionJob.priority.desc(), CollectionJob.created_at)
            .limit(500)
        ).all()
    )


def mark_unsent(session: Session, job_id: str) -> bool:
    """Record that the job's message never reached the broker: the sweeper sends it again."""
    return set_status(session, job_id, expected=[JobStatus.pending], new_status=JobStatus.pending, enqueued_at=None)


def stuck_running_jobs(session: Session, started_before: datetime) -> list[str]:
    return list(
        session.scalars(
            select(CollectionJob.job_id).where(
                CollectionJob.status == JobStatus.running, CollectionJob.started_at < started_before
            )
        ).all()
    )


def active_job_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(CollectionJob)
            .where(CollectionJob.status.in_([JobStatus.pending, JobStatus.running]))
        )
        or 0
    )


def model_owed(session: Session, job_id: str) -> bool:
    """True when the last completed job of the same kind about the same record got no model answer (an outage)."""
    job = get_job(session, job_id)
    if job is None:
        return False
    last = session.scalar(
        select(CollectionJob.llm_outage)
        .where(
            CollectionJob.job_id != job_id,
            CollectionJob.status == JobStatus.completed,
            CollectionJob.job_type == job.job_type,
            CollectionJob.entity_type == job.entity_type,
            CollectionJob.entity_id.is_not_distinct_from(job.entity_id),
            CollectionJob.parent_entity_type.is_not_distinct_from(job.parent_entity_type),
            CollectionJob.parent_entity_id.is_not_distinct_from(job.parent_entity_id),
        )
        .order_by(CollectionJob.completed_at.desc(), CollectionJob.id.desc())
        .limit(1)
    )
    return bool(last)
