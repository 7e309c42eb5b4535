"""Collection through the Claude researcher: the real anthropic SDK against the local fake Messages API."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.changes.models import CollectionChange
from app.core.config import get_settings
from app.jobs import repository
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.pipeline.tasks import run_collection_job
from tests.factories import make_builder
from tests.fakes.anthropic_server import FakeAnthropic, answer, error, sourced

SITE = "https://www.highlandhomes.example/"


def _run(session: Session, admin: User, builder_id: int) -> CollectionJob:
    job = create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=builder_id,
        job_type=JobType.update,
        researcher="claude",
        settings=get_settings(),
    )
    run_collection_job.apply(args=[job.job_id])
    session.expire_all()
    done = repository.get_job(session, job.job_id)
    assert done is not None
    return done


def test_claude_job_proposes_sourced_values_and_records_usage_and_cost(
    session: Session, admin: User, fake: FakeAnthropic
) -> None:
    builder = make_builder(session, name="Highland Homes", phone="(972) 555-0100", website=SITE)
    fake.script(
        answer(
            [
                {
                    "name": sourced("Highland Homes", SITE),
                    "phone": sourced("(972) 555-0123", SITE, "Call (972) 555-0123"),
                }
            ],
            input_tokens=900,
            output_tokens=350,
            web_search_requests=1,
        )
    )

    job = _run(session, admin, builder.id)

    assert job.status == JobStatus.completed, job.error_message
    changes = session.scalars(select(CollectionChange).where(CollectionChange.job_id == job.job_id)).all()
    [phone] = [c for c in changes if c.field_name == "phone"]
    assert "9725550123" in json.dumps(json.loads(phone.new_value or "null")).replace("-", "").replace(" ", "")
    assert (phone.evidence or [{}])[0]["source_url"] == SITE
    assert (job.llm_calls, job.input_tokens, job.output_tokens, job.web_search_requests) == (1, 900, 350, 1)
    assert job.cost_usd > Decimal("0")
    assert len(fake.requests) == 1


def test_overloaded_provider_is_retried_then_fails_with_a_clear_message(
    session: Session, admin: User, fake: FakeAnthropic
) -> None:
    builder = make_builder(session, name="Highland Homes", website=SITE)
    fake.default = lambda _body: error(529, "Overloaded")

    job = _run(session, admin, builder.id)

    assert job.status == JobStatus.failed and job.attempts == 4
    assert job.error_message is not None and "gave up after 4 attempts" in job.error_message
    assert "retry" in job.error_message


def test_web_searches_and_the_llm_call_show_in_usage_and_timeline(
    session: Session, admin: User, fake: FakeAnthropic
) -> None:
    builder = make_builder(session, name="Highland Homes", website=SITE)
    fake.script(
        answer(
            [{"name": sourced("Highland Homes", SITE), "founded_year": sourced(1985, SITE, "Since 1985")}],
            web_search_requests=2,
        )
    )

    job = _run(session, admin, builder.id)

    assert job.status == JobStatus.completed, job.error_message
    assert job.web_search_requests == 2
    assert any(e.kind == "llm_call" for e in repository.events(session, job.job_id))
