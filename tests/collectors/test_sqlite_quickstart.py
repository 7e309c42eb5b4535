"""The quickstart's SQLite database runs the same jobs: one writer at a time must not deadlock a job."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.changes.models import CollectionChange
from app.core.config import get_settings
from app.core.db import session_scope
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.sample_data import seed_sample
from app.sources.models import CollectionSource
from tests.factories import make_admin
from tests.fakes.anthropic_server import FakeAnthropic, answer


def _update_perry_homes(sample_sites: str, researcher: str) -> str:
    """The sample data seeded, and an update job on Perry Homes run (eagerly, as it commits): its job id."""
    with session_scope() as session:
        seed_sample(session, sample_sites)
        perry = session.scalar(select(BuilderProfile).where(BuilderProfile.name == "Perry Homes"))
        assert perry is not None
        return create_job(
            session, make_admin(session), entity_type="builder", entity_id=perry.id, job_type=JobType.update,
            researcher=researcher, settings=get_settings(),
        ).job_id  # fmt: skip


def _completed(session: Session, job_id: str) -> CollectionJob:
    job = repository.get_job(session, job_id)
    assert job is not None and job.status == JobStatus.completed, job and job.error_message
    return job


def test_a_collection_job_completes_on_the_quickstart_sqlite_database(
    sqlite_db: None, sample_sites: str, allow_localhost: None
) -> None:
    job_id = _update_perry_homes(sample_sites, "web")

    with session_scope() as session:
        _completed(session, job_id)
        phones = session.scalars(
            select(CollectionChange).where(CollectionChange.job_id == job_id, CollectionChange.field_name == "phone")
        ).all()
        assert [json.loads(c.new_value or "null") for c in phones] == ["+17135550199"]
        source = session.scalar(select(CollectionSource))
        assert source is not None and source.access_count_today >= 1


def test_a_claude_jobs_spend_is_recorded_once_on_the_quickstart_sqlite_database(
    sqlite_db: None, sample_sites: str, fake: FakeAnthropic, caplog: pytest.LogCaptureFixture
) -> None:
    # Each call's usage is recorded as it is answered, in the job's own transaction on SQLite (one writer at a
    # time); the attempt's end must neither lose it nor count it twice.
    fake.script(answer([]))
    job_id = _update_perry_homes(sample_sites, "claude")

    with session_scope() as session:
        job = _completed(session, job_id)
        assert (job.llm_calls, job.input_tokens, job.output_tokens) == (1, 1200, 300)
        assert job.cost_usd == Decimal("0.0027")
    assert not [r for r in caplog.records if "recorded when the attempt ends" in r.getMessage()]  # as it came
