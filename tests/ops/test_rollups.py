"""The stats rollups the triggers keep say exactly what the rows say, after every kind of write."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.changes import inbox
from app.changes.models import CollectionChange, PendingChangeRollup, PendingJobRollup
from app.core.config import get_settings
from app.core.db import utcnow
from app.jobs import limits
from app.jobs.models import CollectionJob, JobDailyRollup
from app.ops import stats
from app.ops.models import ChangeDailyRollup, RecordSyncRollup
from app.properties.models import Property
from tests.factories import make_builder, make_community, make_property
from tests.ops.jobdata import make_change, make_job

STATUSES = ["pending", "approved", "rejected", "withdrawn", "applied", "conflict", "superseded", "rolled_back"]
WINDOWS = [None, 1, 2, 7, 30, 400]


def _from_rows(session: Session, monkeypatch: pytest.MonkeyPatch, now: datetime) -> tuple[list[str], str]:
    """Stats for every window and a year's cost report, computed from the rows (the definitions)."""
    with monkeypatch.context() as patched:
        patched.setattr(stats, "rollups_kept", lambda _session: False)
        patched.setattr(limits, "rollups_kept", lambda _session: False)
        return _report(session, now)


def _report(session: Session, now: datetime) -> tuple[list[str], str]:
    windows = [
        stats.collection_stats(session, get_settings(), days=days, now=now).model_dump_json() for days in WINDOWS
    ]
    costs = stats.cost_report(session, get_settings(), now.date() - timedelta(days=365), now.date(), now=now)
    return windows, costs.model_dump_json()


def _catalogue(session: Session, now: datetime, seed: int) -> None:
    """Records, jobs and changes at times around day boundaries, with every status and NULLs where allowed."""
    rng = random.Random(seed)

    def some_time() -> datetime:
        return now - timedelta(
            days=rng.choice([0, 0.2, 1, 1.5, 2, 6.9, 7, 29.5, 31, 120, 500]), seconds=rng.randint(0, 90)
        )

    builders = [
        make_builder(session, last_data_sync=rng.choice([None, some_time()]), archived_at=rng.choice([None, None, now]))
        for _ in range(8)
    ]
    for _ in range(4):
        make_community(session, last_data_sync=rng.choice([None, some_time()]))
    homes = [make_property(session, last_data_sync=rng.choice([None, some_time()])) for _ in range(6)]
    for _ in range(12):
        job = make_job(
            session,
            status=rng.choice(["pending", "running", "completed", "failed", "cancelled"]),
            entity_type=rng.choice(["builder", "community", "property"]),
            job_type=rng.choice(["update", "property_discovery"]),
            parent_entity_type="builder",
            parent_entity_id=rng.choice(builders).id,
            completed_at=some_time(),
            created_ago=now - some_time() + timedelta(seconds=1),
            cost_usd=Decimal(rng.randint(0, 90_000)) / Decimal(1_000_000),
            llm_calls=rng.randint(0, 3),
            input_tokens=rng.randint(0, 5000),
            web_search_requests=rng.randint(0, 2),
        )
        for _ in range(rng.randint(0, 5)):
            at = some_time()
            status = rng.choice(STATUSES)
            was_applied = status in ("applied", "rolled_back")
            child = rng.random() < 0.3
            new_home = not child and rng.random() < 0.2
            make_change(
                session, job, at=at, status=status, confidence=rng.choice([0.5, 0.77, 0.9, 0.95]),
                entity_type="award" if child else ("property" if new_home else "builder"),
                entity_id=None if child or new_home else rng.choice(builders).id,
                parent_entity_type="builder" if child else None,
                parent_entity_id=rng.choice(builders).id if child else None,
                is_new_entity=new_home, created_entity_id=rng.choice(homes).id if new_home else None,
                field_name=None if child or new_home else f"f{rng.randint(0, 10_000)}",
                applied_by=rng.choice([None, "auto", "USR-1"]) if was_applied else None,
                applied_at=at + timedelta(hours=1) if was_applied and rng.random() < 0.8 else None,
                reviewed_at=rng.choice([None, at + timedelta(hours=rng.randint(1, 80))]),
            )  # fmt: skip


def test_stats_and_costs_from_rollups_equal_the_definitions_over_rows(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    _catalogue(session, now, seed=11)
    assert session.scalar(select(func.count()).select_from(ChangeDailyRollup)), "the triggers wrote no rollup"

    assert _report(session, now) == _from_rows(session, monkeypatch, now)


def test_rollups_follow_updates_deletes_archives_and_compaction(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    _catalogue(session, now, seed=5)
    # Reviews and rollbacks move changes between statuses, in one statement and row by row.
    session.execute(update(CollectionChange).where(CollectionChange.status == "pending").values(status="applied"))
    for change in session.scalars(select(CollectionChange).where(CollectionChange.status == "applied").limit(3)):
        change.status = "rolled_back"
    # Jobs finish and cost more; one is deleted with its changes; records are synced, archived, deleted.
    session.execute(update(CollectionJob).where(CollectionJob.status == "running").values(status="failed"))
    session.execute(update(CollectionJob).values(cost_usd=CollectionJob.cost_usd + Decimal("0.000123")))
    session.execute(delete(CollectionJob).where(CollectionJob.id == session.scalar(select(func.min(CollectionJob.id)))))
    session.execute(update(BuilderProfile).where(BuilderProfile.archived_at.is_(None)).values(last_data_sync=now))
    session.execute(
        update(Property).where(Property.id == session.scalar(select(func.min(Property.id)))).values(archived_at=now)
    )
    session.execute(delete(Property).where(Property.id == session.scalar(select(func.max(Property.id)))))
    session.flush()
    expected = _from_rows(session, monkeypatch, now)
    assert _report(session, now) == expected

    rows_before = session.scalar(select(func.count()).select_from(JobDailyRollup))
    removed = stats.compact_rollups(session)
    assert removed > 0
    assert session.scalar(select(func.count()).select_from(JobDailyRollup)) < rows_before
    # After compaction one row per key remains, and the answers are the same.
    keys = session.execute(
        select(RecordSyncRollup.entity_type, RecordSyncRollup.day, func.count()).group_by(
            RecordSyncRollup.entity_type, RecordSyncRollup.day
        )
    ).all()
    assert all(count == 1 for _type, _day, count in keys)
    assert _report(session, now) == expected


def test_a_window_starting_at_midnight_reads_no_rows_of_a_partial_day(session: Session) -> None:
    midnight = datetime.combine(date(2026, 3, 4), datetime.min.time(), tzinfo=utcnow().tzinfo)
    window = stats.Window.starting(session, midnight)
    assert window.rollup_from == date(2026, 3, 4)
    assert window.rows(CollectionChange.created_at) is None
    later = stats.Window.starting(session, midnight + timedelta(hours=5))
    assert later.rollup_from == date(2026, 3, 5)
    assert later.rows(CollectionChange.created_at) is not None


def _summary_from_rows(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as patched:
        patched.setattr(inbox, "rollups_kept", lambda _session: False)
        return _summary(session)


def _summary(session: Session) -> dict[str, Any]:
    """The pending summary without the oldest change's age, which moves with the clock between two reads."""
    return {k: v for k, v in inbox.summary(session).items() if k != "oldest_pending_age_seconds"}


def test_pending_summary_from_rollups_equals_the_count_over_rows(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    _catalogue(session, now, seed=7)
    expected = _summary_from_rows(session, monkeypatch)
    assert expected["pending"] > 0 and len(expected["by_job"]) > 1, "the catalogue has no pending changes to count"
    assert _summary(session) == expected

    # Reviews decide changes, a job is deleted with its changes, a decision is undone row by row.
    pending = select(CollectionChange.id).where(CollectionChange.status == "pending")
    session.execute(update(CollectionChange).where(CollectionChange.id.in_(pending.limit(4))).values(status="applied"))
    session.execute(delete(CollectionJob).where(CollectionJob.id == session.scalar(select(func.max(CollectionJob.id)))))
    for change in session.scalars(select(CollectionChange).where(CollectionChange.status == "rejected").limit(2)):
        change.status = "pending"
    session.flush()
    expected = _summary_from_rows(session, monkeypatch)
    assert _summary(session) == expected

    rows_before = session.scalar(select(func.count()).select_from(PendingJobRollup))
    assert stats.compact_rollups(session) > 0
    assert session.scalar(select(func.count()).select_from(PendingJobRollup)) < rows_before
    folded = session.execute(select(PendingJobRollup.job_id, PendingJobRollup.folded)).all()
    assert all(is_folded for _job, is_folded in folded)
    assert len({job for job, _ in folded}) == len(folded), "one folded row per job"
    assert _summary(session) == expected
    # Every pending change decided: the summary is empty, from rollups as from rows.
    session.execute(update(CollectionChange).where(CollectionChange.status == "pending").values(status="rejected"))
    assert _summary(session) == _summary_from_rows(session, monkeypatch)
    assert _summary(session)["pending"] == 0 and _summary(session)["by_job"] == []


def test_busiest_jobs_count_deltas_written_after_compaction(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folded counts rank the jobs; deltas written since move a job up or down the ranking."""
    monkeypatch.setattr(inbox, "SUMMARY_JOBS", 3)
    sizes = [5, 4, 4, 3, 2, 2, 1, 1, 1, 1]
    jobs = [make_job(session) for _ in sizes]
    for job, size in zip(jobs, sizes, strict=True):
        for i in range(size):
            make_change(session, job, status="pending", field_name=f"f{i}")
    session.flush()
    stats.compact_rollups(session)
    assert [entry["pending"] for entry in _summary(session)["by_job"]] == [5, 4, 4]

    # After compaction: the busiest job loses four, the quietest gains five, a middle one is deleted.
    first = select(CollectionChange.id).where(CollectionChange.job_id == jobs[0].job_id).limit(4)
    session.execute(update(CollectionChange).where(CollectionChange.id.in_(first)).values(status="rejected"))
    for i in range(5):
        make_change(session, jobs[9], status="pending", field_name=f"g{i}")
    session.execute(delete(CollectionJob).where(CollectionJob.id == jobs[1].id))
    session.flush()
    expected = [{"job_id": jobs[9].job_id, "pending": 6}, {"job_id": jobs[2].job_id, "pending": 4}]
    expected.append({"job_id": jobs[3].job_id, "pending": 3})
    assert _summary(session)["by_job"] == expected
    assert _summary_from_rows(session, monkeypatch)["by_job"] == expected
    stats.compact_rollups(session)
    assert _summary(session)["by_job"] == expected


def test_truncating_the_changes_empties_the_pending_rollups(session: Session) -> None:
    job = make_job(session)
    make_change(session, job, status="pending", field_name="phone")
    session.flush()
    assert _summary(session)["pending"] == 1
    session.execute(text("TRUNCATE collection_changes"))
    assert session.scalar(select(func.count()).select_from(PendingChangeRollup)) == 0
    assert session.scalar(select(func.count()).select_from(PendingJobRollup)) == 0
    assert _summary(session)["pending"] == 0
