"""What the dashboard's overview shows at a glance: jobs, queue, spend, sources held back, review backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.changes import inbox
from app.core.config import Settings
from app.core.db import aware, utcnow
from app.jobs.limits import month_start
from app.jobs.models import CollectionJob, JobStatus
from app.ops import stats
from app.ops.schemas import CollectionStats, MonthBudget
from app.sources.models import CollectionOptOut, CollectionSource

DAY = timedelta(days=1)


@dataclass
class Overview:
    jobs_now: dict[str, int]  # every job by its current status
    jobs_last_day: dict[str, int]  # jobs created in the last 24 h, by status
    queue_depth: int  # jobs waiting for a worker
    oldest_queued: datetime | None
    error_rate_last_day: float | None  # percent of the last 24 h's finished jobs that failed
    success: CollectionStats
    month: MonthBudget
    spend_by_day: list[tuple[date, Decimal]]  # this month, every day up to today
    sources_in_backoff: list[CollectionSource]
    opt_outs: int
    pending_changes: int
    oldest_pending: datetime | None


def _jobs_by_status(session: Session, since: datetime | None = None) -> dict[str, int]:
    query = select(CollectionJob.status, func.count()).group_by(CollectionJob.status)
    if since is not None:
        query = query.where(CollectionJob.created_at >= since)
    counts: dict[str, int] = dict(session.execute(query).all())
    return {status.value: int(counts.get(status.value, 0)) for status in JobStatus}


def _error_rate(counts: dict[str, int]) -> float | None:
    """The collection stats' error rate (failed / finished) of these counts; None with nothing finished."""
    finished = counts[JobStatus.completed] + counts[JobStatus.failed]
    return 100.0 * counts[JobStatus.failed] / finished if finished else None


def overview(session: Session, settings: Settings, now: datetime | None = None) -> Overview:
    """The overview's figures as of ``now``."""
    now = now or utcnow()
    jobs_last_day = _jobs_by_status(session, now - DAY)
    queued = session.execute(
        select(func.count(), func.min(CollectionJob.created_at)).where(CollectionJob.status == JobStatus.pending)
    ).one()
    review = inbox.summary(session)
    today = now.date()
    costs = stats.cost_report(session, settings, month_start(now).date(), today, now=now)
    by_day: dict[date, Decimal] = {}
    for row in costs.rows:
        by_day[row.day] = by_day.get(row.day, Decimal(0)) + Decimal(str(row.cost_usd))
    days = [month_start(now).date() + timedelta(days=n) for n in range((today - month_start(now).date()).days + 1)]
    backoff = session.scalars(
        select(CollectionSource).where(CollectionSource.blocked_until > now).order_by(CollectionSource.blocked_until)
    ).all()
    return Overview(
        jobs_now=_jobs_by_status(session),
        jobs_last_day=jobs_last_day,
        queue_depth=int(queued[0]),
        oldest_queued=aware(queued[1]),
        error_rate_last_day=_error_rate(jobs_last_day),
        success=stats.collection_stats(session, settings, days=30, now=now),
        month=costs.month,
        spend_by_day=[(day, by_day.get(day, Decimal(0))) for day in days],
        sources_in_backoff=list(backoff),
        opt_outs=int(session.scalar(select(func.count()).select_from(CollectionOptOut)) or 0),
        pending_changes=int(review["pending"]),
        oldest_pending=aware(review["oldest_pending_at"]),
    )
