"""Job limits per user per hour and per day system-wide, and the monthly LLM budget."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.core.db import utcnow
from app.core.errors import RateLimited
from app.jobs.limits import enforce_job_limits, llm_budget_remaining, month_start
from app.jobs.models import JobRetry
from tests.factories import make_admin
from tests.ops.jobdata import make_job, make_jobs


def test_twentieth_job_of_the_hour_is_allowed(session: Session) -> None:
    admin = make_admin(session)
    make_jobs(session, 19, initiated_by=admin.user_id, created_ago=timedelta(minutes=5))
    enforce_job_limits(session, admin, get_settings())


def test_twenty_first_job_of_the_hour_is_refused_naming_the_per_user_limit(session: Session) -> None:
    admin = make_admin(session)
    make_jobs(session, 19, initiated_by=admin.user_id, created_ago=timedelta(minutes=5))
    make_job(session, initiated_by=admin.user_id, created_ago=timedelta(minutes=40))
    with pytest.raises(RateLimited) as refused:
        enforce_job_limits(session, admin, get_settings())
    assert "per-user limit" in refused.value.detail
    assert "20 of 20" in refused.value.detail
    # The oldest counted job (40 minutes old) leaves the hour in about 20 minutes.
    retry_after = int(refused.value.headers["Retry-After"])  # type: ignore[index]
    assert 19 * 60 <= retry_after <= 20 * 60 + 1


def test_per_user_limit_ignores_older_jobs_other_users_and_scheduled_jobs(session: Session) -> None:
    admin, other = make_admin(session), make_admin(session)
    make_jobs(session, 19, initiated_by=admin.user_id, created_ago=timedelta(minutes=5))
    make_jobs(session, 5, initiated_by=admin.user_id, created_ago=timedelta(minutes=61))
    make_jobs(session, 5, initiated_by=other.user_id)
    make_jobs(session, 5, initiated_by=admin.user_id, scheduled=True)
    enforce_job_limits(session, admin, get_settings())


def test_scheduled_jobs_are_not_refused_by_the_per_user_limit(session: Session) -> None:
    admin = make_admin(session)
    make_jobs(session, 20, initiated_by=admin.user_id)
    enforce_job_limits(session, admin, get_settings(), scheduled=True)
    enforce_job_limits(session, None, get_settings(), scheduled=True)


def test_two_hundredth_job_of_the_day_is_allowed(session: Session) -> None:
    make_jobs(session, 199, created_ago=timedelta(hours=2))
    make_jobs(session, 10, created_ago=timedelta(hours=25))
    enforce_job_limits(session, make_admin(session), get_settings())


def test_two_hundred_first_job_of_the_day_is_refused_for_users_and_schedules(session: Session) -> None:
    make_jobs(session, 150, created_ago=timedelta(hours=2))
    make_jobs(session, 50, scheduled=True, created_ago=timedelta(hours=23))
    admin = make_admin(session)
    for scheduled in (False, True):
        with pytest.raises(RateLimited) as refused:
            enforce_job_limits(session, admin, get_settings(), scheduled=scheduled)
        assert "system-wide limit" in refused.value.detail
        assert "200 of 200" in refused.value.detail
        # The 23-hour-old jobs leave the day in about an hour.
        assert 59 * 60 <= int(refused.value.headers["Retry-After"]) <= 60 * 60 + 1  # type: ignore[index]


def _retried(session: Session, job_id: str, by: str | None, ago: timedelta) -> None:
    session.add(JobRetry(job_id=job_id, retried_by=by, retried_at=utcnow() - ago))
    session.flush()


def test_manual_retries_count_against_both_limits_beside_the_jobs_created(session: Session) -> None:
    admin, other = make_admin(session), make_admin(session)
    (failed,) = make_jobs(session, 1, initiated_by=admin.user_id, status="failed", created_ago=timedelta(minutes=50))
    make_jobs(session, 17, initiated_by=admin.user_id, created_ago=timedelta(minutes=5))
    _retried(session, failed.job_id, admin.user_id, timedelta(minutes=30))
    _retried(session, failed.job_id, other.user_id, timedelta(minutes=20))  # another admin's hour
    _retried(session, failed.job_id, admin.user_id, timedelta(minutes=90))  # out of the hour
    enforce_job_limits(session, admin, get_settings())  # 18 jobs and 1 retry of the hour: 19 of 20

    _retried(session, failed.job_id, admin.user_id, timedelta(minutes=10))
    with pytest.raises(RateLimited) as refused:
        enforce_job_limits(session, admin, get_settings())
    assert "20 of 20" in refused.value.detail and "retries included" in refused.value.detail
    # The oldest of the hour is the job created 50 minutes ago: about 10 minutes to wait.
    assert 9 * 60 <= int(refused.value.headers["Retry-After"]) <= 10 * 60 + 1  # type: ignore[index]

    # The system counts every retry of the day, whoever asked: 18 jobs, 4 retries and 178 more jobs make 200.
    make_jobs(session, 178, created_ago=timedelta(hours=3))
    with pytest.raises(RateLimited) as refused:
        enforce_job_limits(session, make_admin(session), get_settings())
    assert "system-wide limit" in refused.value.detail and "200 of 200" in refused.value.detail


def test_limits_follow_the_settings(session: Session) -> None:
    settings = get_settings().model_copy(update={"jobs_per_user_per_hour": 2})
    admin = make_admin(session)
    make_jobs(session, 2, initiated_by=admin.user_id)
    with pytest.raises(RateLimited):
        enforce_job_limits(session, admin, settings)


def test_llm_budget_remaining_subtracts_this_months_job_costs(session: Session) -> None:
    settings = get_settings().model_copy(update={"monthly_llm_budget_usd": Decimal("50.00")})
    make_job(session, cost_usd=Decimal("12.250000"))
    make_job(session, cost_usd=Decimal("0.750000"), status="failed")
    last_month = month_start() - timedelta(days=2)
    make_job(session, cost_usd=Decimal("40"), created_at=last_month)
    assert llm_budget_remaining(session, settings) == Decimal("37.00")


def test_llm_budget_remaining_goes_to_zero_or_below_at_the_cap(session: Session) -> None:
    settings = get_settings().model_copy(update={"monthly_llm_budget_usd": Decimal("1.00")})
    make_job(session, cost_usd=Decimal("1.20"))
    assert llm_budget_remaining(session, settings) == Decimal("-0.20")
