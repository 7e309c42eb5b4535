"""A job's priority (0-10, higher is more urgent) orders the broker's queue."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.jobs.models import JobType
from app.jobs.service import broker_priority, create_job
from app.worker import create_celery
from tests.factories import make_admin, make_builder


@pytest.mark.parametrize(("priority", "expected"), [(10, 0), (9, 0), (5, 4), (0, 9)])
def test_more_urgent_jobs_get_the_priority_redis_serves_first(priority: int, expected: int) -> None:
    assert broker_priority(priority) == expected


def test_redis_broker_is_configured_with_ten_priority_levels() -> None:
    app = create_celery(Settings(broker_url="redis://127.0.0.1:6379/15"))

    assert app.conf.broker_transport_options["priority_steps"] == list(range(10))


def test_a_new_job_is_queued_with_its_priority(session: Session) -> None:
    builder = make_builder(session)
    admin = make_admin(session)

    create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=builder.id,
        job_type=JobType.update,
        priority=8,
        settings=get_settings(),
    )

    [(task_name, _args, options)] = session.info["after_commit_tasks"]
    assert task_name == "jobs.run_collection_job"
    assert options["priority"] == 1
