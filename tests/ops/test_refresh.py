"""The scheduled refresh: which records get jobs, in which order, within the job and cost budgets."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.core.db import utcnow
from app.jobs.models import CollectionJob
from app.ops.refresh import refresh_stale_records
from app.sources.models import CollectionOptOut
from tests.factories import make_builder, make_community, make_property
from tests.ops.jobdata import make_job, make_jobs


def _ago(days: float) -> Any:
    return utcnow() - timedelta(days=days)


@pytest.fixture
def records(session: Session) -> dict[str, int]:
    """Stale, fresh, archived and opted-out records; the expected refresh order is never, 100, 40, 8 days."""
    never = make_builder(session, name="Never Synced Homes", last_data_sync=None)
    stale = make_builder(session, name="Stale Homes", last_data_sync=_ago(40))
    fresh = make_builder(session, name="Fresh Homes", last_data_sync=_ago(10))
    make_builder(session, name="Archived Homes", last_data_sync=None, archived_at=utcnow())
    opted = make_builder(session, name="Opted Out Homes", last_data_sync=None)
    session.add(CollectionOptOut(entity_type="builder", entity_id=opted.id, reason="asked by email"))
    make_builder(session, name="Quiet Domain Homes", last_data_sync=None, website="https://www.quiet-domain.com/")
    session.add(CollectionOptOut(domain="quiet-domain.com"))
    busy = make_builder(session, name="Busy Homes", last_data_sync=None)
    make_job(session, entity_type="builder", entity_id=busy.id, status="running", created_ago=timedelta(days=3))
    old_community = make_community(session, name="Old Ranch", last_data_sync=_ago(100))
    make_community(session, name="New Ranch", last_data_sync=_ago(50))
    # Fresh builder's homes: one stale live home makes an inventory job; a stale sold home alone would not.
    make_property(session, builder_id=fresh.id, last_data_sync=_ago(8))
    make_property(session, builder_id=fresh.id, last_data_sync=_ago(1))
    make_property(session, builder_id=stale.id, last_data_sync=_ago(30), property_status="sold")
    session.flush()
    return {"never": never.id, "stale": stale.id, "fresh": fresh.id, "community": old_community.id}


def _created(session: Session, job_ids: list[str]) -> list[CollectionJob]:
    jobs = {job.job_id: job for job in session.scalars(select(CollectionJob).where(CollectionJob.job_id.in_(job_ids)))}
    return [jobs[job_id] for job_id in job_ids]


def _targets(jobs: list[CollectionJob]) -> list[tuple[str, str, int | None]]:
    return [
        (job.entity_type, job.job_type, job.entity_id if job.entity_id is not None else job.parent_entity_id)
        for job in jobs
    ]


def test_refresh_creates_scheduled_jobs_for_stale_records_stalest_first(
    session: Session, records: dict[str, int]
) -> None:
    result = refresh_stale_records(session, get_settings())
    jobs = _created(session, result.created)
    assert _targets(jobs) == [
        ("builder", "update", records["never"]),
        ("community", "update", records["community"]),
        ("builder", "update", records["stale"]),
        ("property", "property_discovery", records["fresh"]),
    ]
    assert jobs[3].parent_entity_type == "builder"
    assert all(job.scheduled and job.initiated_by == "system" and job.status == "pending" for job in jobs)
    assert all(job.researcher == "auto" for job in jobs)
    assert result.skipped_opted_out == 1  # the domain opt-out; the record opt-out never left the query


def test_a_second_run_does_not_duplicate_open_jobs(session: Session, records: dict[str, int]) -> None:
    refresh_stale_records(session, get_settings())
    assert refresh_stale_records(session, get_settings()).created == []


def test_refresh_stays_within_the_remaining_daily_job_limit(session: Session, records: dict[str, int]) -> None:
    settings = get_settings().model_copy(update={"jobs_per_day_system": 10})
    make_jobs(session, 8, created_ago=timedelta(hours=3))
    result = refresh_stale_records(session, settings)
    assert result.job_budget == 2
    assert _targets(_created(session, result.created)) == [
        ("builder", "update", records["never"]),
        ("community", "update", records["community"]),
    ]


def test_refresh_creates_nothing_when_the_daily_limit_is_used_up(session: Session, records: dict[str, int]) -> None:
    settings = get_settings().model_copy(update={"jobs_per_day_system": 5})
    make_jobs(session, 5)
    assert refresh_stale_records(session, settings).created == []


def test_refresh_takes_at_most_the_per_run_batch(session: Session, records: dict[str, int]) -> None:
    settings = get_settings().model_copy(update={"refresh_max_jobs_per_run": 1})
    result = refresh_stale_records(session, settings)
    assert _targets(_created(session, result.created)) == [("builder", "update", records["never"])]


def test_refresh_beyond_the_monthly_budget_runs_web_only(session: Session, records: dict[str, int]) -> None:
    settings = get_settings().model_copy(
        update={"monthly_llm_budget_usd": Decimal("10.00"), "refresh_job_cost_estimate_usd": Decimal("0.03")}
    )
    make_job(session, cost_usd=Decimal("9.94"))  # 0.06 left: two jobs' worth
    result = refresh_stale_records(session, settings)
    jobs = _created(session, result.created)
    assert [job.researcher for job in jobs] == ["auto", "auto", "web", "web"]
    assert result.web_only == 2


def test_refresh_after_the_cap_is_all_web_only(session: Session, records: dict[str, int]) -> None:
    settings = get_settings().model_copy(update={"monthly_llm_budget_usd": Decimal("5.00")})
    make_job(session, cost_usd=Decimal("5.00"))
    jobs = _created(session, refresh_stale_records(session, settings).created)
    assert len(jobs) == 4
    assert {job.researcher for job in jobs} == {"web"}


def test_cadences_follow_the_settings(session: Session, records: dict[str, int]) -> None:
    settings = get_settings().model_copy(
        # builder_refresh_days 5: the 10-day-old builder is now stale too
        update={"builder_refresh_days": 5, "community_refresh_days": 365, "property_refresh_days": 30}
    )
    jobs = _created(session, refresh_stale_records(session, settings).created)
    assert _targets(jobs) == [
        ("builder", "update", records["never"]),
        ("builder", "update", records["stale"]),
        ("builder", "update", records["fresh"]),
    ]


def test_refresh_jobs_are_sent_after_commit(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr("app.core.queue.send_task", lambda name, *args, **_options: sent.append((name, args)))
    builder = make_builder(session, last_data_sync=None)

    result = refresh_stale_records(session, get_settings())
    session.commit()

    (job,) = _created(session, result.created)
    assert (job.entity_type, job.entity_id, job.scheduled, job.initiated_by) == ("builder", builder.id, True, "system")
    assert sent == [("jobs.run_collection_job", (job.job_id,))]


def test_a_record_checked_within_its_cadence_is_not_refreshed_again(session: Session) -> None:
    """A job that found nothing to change leaves last_data_sync as it was; the schedule must not repeat it hourly."""
    checked = make_builder(session, name="Checked Homes", last_data_sync=None)
    unchecked = make_builder(session, name="Unchecked Homes", last_data_sync=None)
    make_job(session, entity_type="builder", entity_id=checked.id, status="completed", completed_at=_ago(2))

    jobs = _created(session, refresh_stale_records(session, get_settings()).created)

    assert [job.entity_id for job in jobs] == [unchecked.id]


def test_a_check_older_than_the_cadence_is_refreshed(session: Session) -> None:
    builder = make_builder(session, name="Long Ago Homes", last_data_sync=None)
    make_job(session, entity_type="builder", entity_id=builder.id, status="completed", completed_at=_ago(31))

    jobs = _created(session, refresh_stale_records(session, get_settings()).created)

    assert [job.entity_id for job in jobs] == [builder.id]


def test_a_failed_refresh_waits_a_day_before_the_schedule_tries_again(session: Session) -> None:
    failed_today = make_builder(session, name="Failed Today Homes", last_data_sync=None)
    failed_before = make_builder(session, name="Failed Before Homes", last_data_sync=None)
    make_job(session, entity_type="builder", entity_id=failed_today.id, status="failed", completed_at=_ago(0.1))
    make_job(session, entity_type="builder", entity_id=failed_before.id, status="failed", completed_at=_ago(2))

    jobs = _created(session, refresh_stale_records(session, get_settings()).created)

    assert [job.entity_id for job in jobs] == [failed_before.id]


def test_a_check_made_during_a_provider_outage_is_no_check(session: Session) -> None:
    """A job completed from structured data alone while the model was down: the next run asks again."""
    outage = make_builder(session, name="Outage Homes", last_data_sync=None)
    checked = make_builder(session, name="Checked Homes", last_data_sync=None)
    make_job(
        session, entity_type="builder", entity_id=outage.id, status="completed", completed_at=_ago(0.1), llm_outage=True
    )
    make_job(session, entity_type="builder", entity_id=checked.id, status="completed", completed_at=_ago(0.1))

    jobs = _created(session, refresh_stale_records(session, get_settings()).created)

    assert [job.entity_id for job in jobs] == [outage.id]


def test_a_record_made_fresh_during_an_outage_is_still_asked_again(session: Session) -> None:
    """Its structured findings were applied (fresh last_data_sync), but the model never answered for it."""
    owed = make_builder(session, name="Owed Homes", last_data_sync=_ago(0.1))
    answered = make_builder(session, name="Answered Homes", last_data_sync=_ago(0.1))
    for builder in (owed, answered):
        make_job(
            session,
            entity_type="builder",
            entity_id=builder.id,
            status="completed",
            completed_at=_ago(0.2),
            llm_outage=True,
        )
    # A later full check settles the record.
    make_job(session, entity_type="builder", entity_id=answered.id, status="completed", completed_at=_ago(0.1))

    jobs = _created(session, refresh_stale_records(session, get_settings()).created)

    assert [job.entity_id for job in jobs] == [owed.id]
    assert jobs[0].researcher == "auto"


def test_an_inventory_read_within_its_cadence_is_not_read_again(session: Session) -> None:
    read = make_builder(session, name="Read Inventory Homes", last_data_sync=_ago(1))
    unread = make_builder(session, name="Unread Inventory Homes", last_data_sync=_ago(1))
    for builder in (read, unread):
        make_property(session, builder_id=builder.id, last_data_sync=_ago(20))
    make_job(
        session,
        entity_type="property",
        job_type="property_discovery",
        parent_entity_type="builder",
        parent_entity_id=read.id,
        status="completed",
        completed_at=_ago(3),
    )

    jobs = _created(session, refresh_stale_records(session, get_settings()).created)

    assert [(job.job_type, job.parent_entity_id) for job in jobs] == [("property_discovery", unread.id)]


def test_a_refresh_an_admin_cancelled_is_not_recreated_the_same_day(session: Session) -> None:
    cancelled = make_builder(session, name="Cancelled Homes", last_data_sync=None)
    make_job(session, entity_type="builder", entity_id=cancelled.id, status="cancelled", completed_at=_ago(0.2))

    assert refresh_stale_records(session, get_settings()).created == []
