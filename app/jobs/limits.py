"""Collection limits: jobs per user per hour, jobs per day system-wide, and the monthly LLM budget."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import RateLimited
from app.jobs.models import CollectionJob

USER_WINDOW = timedelta(hours=1)
SYSTEM_WINDOW = timedelta(days=1)
# Job creations take turns, so two requests can never both see "19 of 20" and both insert. The turn is
# held by a short transaction of its own (count, insert, commit), never by a request's unit of work.
_JOB_LIMITS_LOCK = 7_291_001


def _count_and_oldest(
    session: Session, since: datetime, initiated_by: str | None = None
) -> tuple[int, datetime | None]:
    query = select(func.count(), func.min(CollectionJob.created_at)).where(CollectionJob.created_at > since)
    if initiated_by is not None:
        # Scheduled refreshes are the system's, never a user's: they never use up an admin's hour.
        query = query.where(CollectionJob.initiated_by == initiated_by, CollectionJob.scheduled.is_(False))
    count, oldest = session.execute(query).one()
    return int(count), oldest


def _seconds_until_out_of_window(oldest: datetime | None, window: timedelta, now: datetime) -> int:
    if oldest is None:
        return 1
    return max(1, int((oldest + window - now).total_seconds()) + 1)


def jobs_created_today(session: Session, now: datetime | None = None) -> int:
    """Jobs of every user and the scheduler in the rolling 24 hours the system limit counts."""
    now = now or utcnow()
    return _count_and_oldest(session, now - SYSTEM_WINDOW)[0]


def system_jobs_remaining(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """How many more jobs the system-wide daily limit allows now."""
    return max(0, settings.jobs_per_day_system - jobs_created_today(session, now))


def take_job_creation_turn(session: Session) -> None:
    """Wait for this transaction's turn to count and insert a job (PostgreSQL; SQLite has one writer anyway).

    Held until the transaction ends, so it belongs only in the short transaction that inserts the job; a
    wait longer than lock_timeout fails that request alone (503)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_JOB_LIMITS_LOCK)))


def enforce_job_limits(session: Session, user: User | None, settings: Settings, *, scheduled: bool = False) -> None:
    """Refuse a new job (RateLimited, 429 with Retry-After) when the user's or the system's limit is reached."""
    now = utcnow()
    if not scheduled and user is not None:
        limit = settings.jobs_per_user_per_hour
        count, oldest = _count_and_oldest(session, now - USER_WINDOW, initiated_by=user.user_id)
        if count >= limit:
            raise RateLimited(
                f"per-user limit reached: {count} of {limit} collection jobs in the last hour "
                "(jobs_per_user_per_hour); try again after Retry-After seconds",
                retry_after_seconds=_seconds_until_out_of_window(oldest, USER_WINDOW, now),
            )
    limit = settings.jobs_per_day_system
    count, oldest = _count_and_oldest(session, now - SYSTEM_WINDOW)
    if count >= limit:
        raise RateLimited(
            f"system-wide limit reached: {count} of {limit} collection jobs in the last 24 hours "
            "(jobs_per_day_system); try again after Retry-After seconds",
            retry_after_seconds=_seconds_until_out_of_window(oldest, SYSTEM_WINDOW, now),
        )


def month_start(now: datetime | None = None) -> datetime:
    """Midnight UTC on the first day of ``now``'s calendar month."""
    now = now or utcnow()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def llm_spend_this_month(session: Session, now: datetime | None = None) -> Decimal:
    """The sum of this calendar month's job costs in USD."""
    spent = session.scalar(
        select(func.coalesce(func.sum(CollectionJob.cost_usd), 0)).where(CollectionJob.created_at >= month_start(now))
    )
    return Decimal(spent or 0)


def llm_budget_remaining(session: Session, settings: Settings, now: datetime | None = None) -> Decimal:
    """The monthly LLM budget minus this month's spend; zero or less means no new LLM work."""
    return settings.monthly_llm_budget_usd - llm_spend_this_month(session, now)
