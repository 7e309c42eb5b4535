"""A job's LLM spend adds up across its attempts: a transient failure never resets the per-job caps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.config import get_settings
from app.core.db import session_scope
from app.jobs import repository
from app.jobs.limits import llm_spend_this_month
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.pipeline.tasks import run_collection_job
from tests.factories import make_admin, make_builder
from tests.fakes.anthropic_server import (
    FakeAnthropic,
    Reply,
    answer,
    error,
    message,
    web_search_call,
    web_search_results,
)

SITE = "https://www.highlandhomes.example/"


def _paused() -> Reply:
    search = web_search_call("Highland Homes", "srvtoolu_01")
    return message([search, web_search_results("srvtoolu_01", [(SITE, "Highland Homes")])], stop_reason="pause_turn")


def test_a_retried_job_stops_at_its_cost_cap_counting_every_attempt(
    session: Session, admin: User, fake: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each call costs $0.0027 (1200 input and 300 output tokens): one fits the cap, two do not.
    monkeypatch.setattr(get_settings(), "job_max_cost_usd", Decimal("0.005"))
    overloaded = [error(529, "Overloaded") for _ in range(3)]  # the SDK's own two retries fail too
    fake.script(_paused(), *overloaded, _paused(), *overloaded, _paused(), *overloaded, _paused())
    builder = make_builder(session, name="Highland Homes", website=SITE)
    job = create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=builder.id,
        job_type=JobType.update,
        researcher="claude",
        settings=get_settings(),
    )

    run_collection_job.apply(args=[job.job_id])

    session.expire_all()
    done = repository.get_job(session, job.job_id)
    assert done is not None
    job = done
    assert job.status == JobStatus.failed and job.attempts == 2
    assert job.error_message is not None and "job cap of $0.005" in job.error_message
    assert "earlier attempts" in job.error_message
    assert job.llm_calls == 2 and job.cost_usd == Decimal("0.0054")  # both attempts' calls, on the job


def test_a_job_cancelled_while_the_model_answers_keeps_the_calls_spend(committed_db: None, fake: FakeAnthropic) -> None:
    # The results of a cancelled job are discarded; the money its LLM call cost is not.
    def cancel_then_answer(body: dict[str, object]) -> Reply:
        with session_scope() as other:
            job_id = other.scalar(select(CollectionJob.job_id))
            assert job_id is not None
            repository.set_status(other, job_id, expected=["running"], new_status=JobStatus.cancelled)
        return answer([])

    fake.default = cancel_then_answer
    with session_scope() as session:  # the job runs (eagerly) as this commits
        builder = make_builder(session, name="Highland Homes", website=SITE)
        job_id = create_job(
            session, make_admin(session), entity_type="builder", entity_id=builder.id, job_type=JobType.update,
            researcher="claude", settings=get_settings(),
        ).job_id  # fmt: skip

    with session_scope() as session:
        job = repository.get_job(session, job_id)
        assert job is not None and job.status == JobStatus.cancelled
        assert "discarded: the job was cancelled while it ran" in repository.events(session, job_id)[-1].message
        assert (job.llm_calls, job.input_tokens, job.cost_usd) == (1, 1200, Decimal("0.0027"))
        assert llm_spend_this_month(session) == Decimal("0.0027")  # the monthly budget counts it
