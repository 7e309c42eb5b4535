"""Collection limits: jobs per user per hour, jobs per day system-wide, and the monthly LLM budget."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Subquery, and_, false, func, select, union_all
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.config import Settings
from app.core.db import aware, rollups_kept, utcnow
from app.core.errors import RateLimited
from app.jobs.models import CollectionJob, JobDailyRollup, JobRetry

USER_WINDOW = timedelta(hours=1)
SYSTEM_WINDOW = timedelta(days=1)
# Job creations take turns, so two requests can never both see "19 of 20" and both insert. The turn is
# held by a short transaction of its own, never by a request's unit of work; the job is written before
# the turn is taken, so the turn lasts one count and the commit.
_JOB_LIMITS_LOCK = 7_291_001


def _seconds_until_out_of_window(oldest: datetime | None, window: timedelta, now: datetime) -> int:
    if oldest is None:
        return 1
    return max(1, int((oldest + window - now).total_seconds()) + 1)


def _admissions(since: datetime) -> Subquery:
    """Work admitted since ``since``: each job created (at its creation) and each manual retry (at the retry),
    with who asked for it and whether it was a scheduled refresh. The limits count these."""
    created = select(
        CollectionJob.created_at.label("at"),
        CollectionJob.initiated_by.label("by"),
        CollectionJob.scheduled.label("scheduled"),
    ).where(CollectionJob.created_at > since)
    retried = select(
        JobRetry.retried_at.label("at"), JobRetry.retried_by.label("by"), false().label("scheduled")
    ).where(JobRetry.retried_at > since)
    return union_all(created, retried).subquery("admitted")


def jobs_admitted_today(session: Session, now: datetime | None = None) -> int:
    """Jobs created and retried, by every user and the scheduler, in the rolling 24 hours the system limit counts."""
    now = now or utcnow()
    return int(session.scalar(select(func.count()).select_from(_admissions(now - SYSTEM_WINDOW))) or 0)


def system_jobs_remaining(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """How many more jobs the system-wide daily limit allows now."""
    return max(0, settings.jobs_per_day_system - jobs_admitted_today(session, now))


def take_job_creation_turn(session: Session) -> None:
    """Wait for this transaction's turn to count the jobs, its new one included, and commit (PostgreSQL;
    SQLite has one writer anyway).

    Held until the transaction ends, so it belongs only in the short transaction that inserts the job; a
    wait longer than lock_timeout fails that request alone (503)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_JOB_LIMITS_LOCK)))


def enforce_job_limits(
    session: Session, user: User | None, settings: Settings, *, scheduled: bool = False, inserted: bool = False
) -> None:
    """Refuse a new job or a retry (RateLimited, 429 with Retry-After) when the user's or the system's limit is
    reached. Jobs created and manual retries both count: a retry is new work.

    ``inserted``: the new job (or the retry) is already written in this transaction, so the counts include it.
    Both limits are read in one statement: under the job-creation turn every round trip is one all creators
    wait for."""
    now = utcnow()
    own = 1 if inserted else 0
    admitted = _admissions(now - SYSTEM_WINDOW)
    # Scheduled refreshes are the system's, never a user's: they never use up an admin's hour.
    users = and_(
        admitted.c.at > now - USER_WINDOW,
        admitted.c.by == (user.user_id if user is not None else None),
        admitted.c.scheduled.is_(False),
    )
    system_count, system_oldest, user_count, user_oldest = session.execute(
        select(
            func.count(),
            func.min(admitted.c.at),
            func.count().filter(users),
            func.min(admitted.c.at).filter(users),
        ).select_from(admitted)
    ).one()
    if not scheduled and user is not None:
        limit = settings.jobs_per_user_per_hour
        count = int(user_count) - own
        if count >= limit:
            raise RateLimited(
                f"per-user limit reached: {count} of {limit} collection jobs in the last hour, retries included "
                "(jobs_per_user_per_hour); try again after Retry-After seconds",
                retry_after_seconds=_seconds_until_out_of_window(aware(user_oldest), USER_WINDOW, now),
            )
    limit = settings.jobs_per_day_system
    count = int(system_count) - own
    if count >= limit:
        raise RateLimited(
            f"system-wide limit reached: {count} of {limit} collection jobs in the last 24 hours, retries "
            "included (jobs_per_day_system); try again after Retry-After seconds",
            retry_after_seconds=_seconds_until_out_of_window(aware(system_oldest), SYSTEM_WINDOW, now),
        )


def month_start(now: datetime | None = None) -> datetime:
    """Midnight UTC on the first day of ``now``'s calendar month."""
    now = now or utcnow()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def llm_spend_this_month(session: Session, now: datetime | None = None) -> Decimal:
    """The sum of this calendar month's job costs in USD.

    On PostgreSQL from the daily rollup (the month starts at a UTC midnight, a rollup day's start), so the
    budget check and the cost report cost the same on the 30th as on the 1st; elsewhere from the jobs."""
    start = month_start(now)
    if rollups_kept(session):
        query = select(func.sum(JobDailyRollup.cost_usd)).where(JobDailyRollup.day >= start.date())
    else:
        query = select(func.sum(CollectionJob.cost_usd)).where(CollectionJob.created_at >= start)
    return Decimal(session.scalar(query) or 0)


def llm_budget_remaining(session: Session, settings: Settings, now: datetime | None = None) -> Decimal:
    """The monthly LLM budget minus this month's spend; zero or less means no new LLM work."""
    return settings.monthly_llm_budget_usd - llm_spend_this_month(session, now)
