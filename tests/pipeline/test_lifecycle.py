"""The job lifecycle: atomic claim, retries with backoff, failures that leave nothing behind, the sweeper."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from psycopg import errors
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import app.core.queue
from app.auth.models import User
from app.changes.models import CollectionChange
from app.core.config import Settings, get_settings
from app.core.db import database_unreachable, utcnow
from app.jobs import repository
from app.jobs.models import CollectionJob, JobEvent, JobStatus, JobType
from app.jobs.service import create_job, retry_job
from app.pipeline.tasks import run_collection_job, sweep
from app.research.errors import PermanentResearchError, TransientResearchError
from app.research.findings import ResearchRequest, ResearchResult, Usage
from app.worker import create_celery
from tests.factories import make_admin, make_builder
from tests.pipeline.conftest import ScriptedResearch, finding, page_result


def _builder_job(session: Session, admin: User, **options: object) -> CollectionJob:
    builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", website="https://builder.example.com/")
    return create_job(
        session,
        admin,
        entity_type="builder",
        entity_id=builder.id,
        job_type=JobType.update,
        settings=get_settings(),
        **options,  # type: ignore[arg-type]
    )


def _reload(session: Session, job: CollectionJob) -> CollectionJob:
    session.expire_all()
    fresh = repository.get_job(session, job.job_id)
    assert fresh is not None
    return fresh


def _events(session: Session, job: CollectionJob, kind: str) -> list[JobEvent]:
    return [e for e in repository.events(session, job.job_id) if e.kind == kind]


def _change_count(session: Session, job: CollectionJob) -> int:
    return session.scalar(select(func.count()).where(CollectionChange.job_id == job.job_id)) or 0


def test_claim_succeeds_once_and_a_second_claim_does_nothing(session: Session, admin: User) -> None:
    job = _builder_job(session, admin)

    first = repository.claim(session, job.job_id)
    second = repository.claim(session, job.job_id)

    assert (first, second) == (True, False)
    assert _reload(session, job).attempts == 1


def test_duplicate_delivery_of_a_running_job_does_not_research_again(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    job = _builder_job(session, admin)
    repository.claim(session, job.job_id)

    outcome = run_collection_job.apply(args=[job.job_id]).get()

    assert outcome == "skipped"
    assert research.requests == []
    assert _reload(session, job).status == JobStatus.running


def test_a_completed_job_delivered_again_is_not_run_twice(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    job = _builder_job(session, admin)

    results = [run_collection_job.apply(args=[job.job_id]).get() for _ in range(2)]

    assert results == ["completed", "skipped"]
    assert len(research.requests) == 1


def test_cancelled_job_is_not_run(session: Session, admin: User, research: ScriptedResearch) -> None:
    job = _builder_job(session, admin)
    repository.set_status(session, job.job_id, expected=["pending"], new_status=JobStatus.cancelled)

    assert run_collection_job.apply(args=[job.job_id]).get() == "skipped"
    assert research.requests == []


def test_completed_job_records_counts_changes_usage_and_timeline(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    url = "https://builder.example.com/"
    result = page_result(
        url,
        "Perry Homes. Call (713) 555-0199 today.",
        finding("builder", url, name="Perry Homes", phone="(713) 555-0199"),
    )
    result.usage = Usage(llm_calls=2, input_tokens=900, output_tokens=1400, web_search_requests=1, pages_fetched=1)
    result.usage.cost_usd = Decimal("0.0170")
    research.then(result)
    job = _builder_job(session, admin)

    assert run_collection_job.apply(args=[job.job_id]).get() == "completed"

    job = _reload(session, job)
    assert job.status == JobStatus.completed and job.completed_at is not None
    assert job.items_found == 1 and job.changes_detected == 1 == _change_count(session, job)
    assert (job.llm_calls, job.input_tokens, job.output_tokens, job.web_search_requests) == (2, 900, 1400, 1)
    assert job.cost_usd == Decimal("0.0170")
    kinds = [e.kind for e in repository.events(session, job.job_id)]
    assert kinds[0] == "status" and kinds[-2:] == ["status", "final"]
    assert {"research", "fetch", "llm_call", "counts", "cost"} <= set(kinds)
    assert research.requests[0].subject["name"] == "Perry Homes"


def test_job_that_finds_nothing_says_why(session: Session, admin: User, research: ScriptedResearch) -> None:
    research.then(page_result("https://builder.example.com/", "Welcome"))
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert job.status == JobStatus.completed
    assert job.warnings and job.warnings[-1].startswith("no findings: pages were read but held no builder data")


def test_transient_errors_are_retried_with_backoff_then_fail_with_an_actionable_message(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    research.then(*[TransientResearchError("Anthropic API overloaded (529)") for _ in range(4)])
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert len(research.requests) == 4  # the first attempt and 3 retries
    assert job.status == JobStatus.failed and job.attempts == 4
    assert job.error_message is not None
    assert "gave up after 4 attempts" in job.error_message and "overloaded (529)" in job.error_message
    assert "retry" in job.error_message
    assert [e.data["countdown"] for e in _events(session, job, "retry") if e.data] == [2, 4, 8]


def test_transient_error_then_success_completes(session: Session, admin: User, research: ScriptedResearch) -> None:
    research.then(TransientResearchError("429 rate limited"), ResearchResult())
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert job.status == JobStatus.completed and job.attempts == 2
    assert job.error_message is None


def test_permanent_error_fails_at_once_with_its_message_and_cost(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    spent = Usage(llm_calls=1, input_tokens=500, output_tokens=10, cost_usd=Decimal("0.0006"))
    research.then(PermanentResearchError("the model refused to answer", usage=spent))
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert len(research.requests) == 1
    assert job.status == JobStatus.failed and job.error_message == "the model refused to answer"
    assert job.llm_calls == 1 and job.cost_usd == Decimal("0.0006")


def test_unexpected_error_fails_with_its_type_and_message(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    research.then(RuntimeError("disk full"))
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert job.status == JobStatus.failed
    assert job.error_message == "unexpected error RuntimeError: disk full"


def test_failed_job_leaves_no_partial_changes(session: Session, admin: User, research: ScriptedResearch) -> None:
    def write_then_fail(db: Session, request: object) -> ResearchResult:
        db.add(
            CollectionChange(
                job_id=job.job_id, entity_type="builder", entity_id=job.entity_id, field_name="phone",
                old_value='"(713) 555-0100"', new_value='"(713) 555-0199"', change_type="modified",
            )
        )  # fmt: skip
        db.flush()
        raise PermanentResearchError("structured output did not validate")

    research.then(write_then_fail)
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert job.status == JobStatus.failed
    assert _change_count(session, job) == 0
    assert job.items_found == 0 and job.changes_detected == 0


def test_sweeper_sends_unsent_and_long_lost_jobs_again_and_leaves_queued_ones(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    unsent = _builder_job(session, admin)
    unsent.enqueued_at = None  # the send failed
    lost = _builder_job(session, admin)
    lost.enqueued_at = utcnow() - timedelta(minutes=get_settings().job_running_timeout_minutes + 5)
    queued = _builder_job(session, admin)
    queued.enqueued_at = utcnow() - timedelta(minutes=10)  # a busy queue: its message is still on the way
    backing_off = _builder_job(session, admin)
    backing_off.enqueued_at = utcnow() + timedelta(seconds=8)  # a retry waiting out its countdown
    session.flush()

    counts = sweep.apply().get()

    assert counts == {"requeued": 2, "restarted": 0, "timed_out": 0}
    for job in (unsent, lost):
        assert _reload(session, job).status == JobStatus.completed  # the worker ran it (tasks run in-process here)
        assert _events(session, job, "sweep")
    for job in (queued, backing_off):
        assert _reload(session, job).status == JobStatus.pending
        assert not _events(session, job, "sweep")
    assert len(research.requests) == 2


def test_a_sweep_whose_send_fails_leaves_the_job_for_the_next_sweep(
    session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _builder_job(session, admin)
    job.enqueued_at = None
    session.flush()
    # Nothing listens on port 1: every send fails.
    down = create_celery(Settings(broker_url="redis://127.0.0.1:1/0", run_tasks_eagerly=False))
    down.conf.broker_transport_options = {"max_retries": 0}
    monkeypatch.setattr(app.core.queue, "celery_app", down)

    counts = sweep.apply().get()

    assert counts["requeued"] == 1
    job = _reload(session, job)
    assert job.status == JobStatus.pending and job.enqueued_at is None


def test_a_duplicate_delivery_does_not_skip_a_retrys_backoff(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    job = _builder_job(session, admin)
    job.enqueued_at = utcnow() + timedelta(seconds=8)  # a retry waiting out its countdown
    session.flush()

    assert run_collection_job.apply(args=[job.job_id]).get() == "skipped"
    job = _reload(session, job)
    assert job.status == JobStatus.pending and job.attempts == 0 and research.requests == []

    job.enqueued_at = utcnow()  # the countdown is over: the retry's own message claims it
    session.flush()
    assert run_collection_job.apply(args=[job.job_id]).get() == "completed"


@pytest.mark.parametrize(
    "error",
    [errors.DeadlockDetected("deadlock detected"), errors.SerializationFailure("could not serialize access"),
     errors.LockNotAvailable("could not obtain lock on row")],
)  # fmt: skip
def test_a_database_deadlock_is_retried_like_any_transient_failure(
    session: Session, admin: User, research: ScriptedResearch, error: Exception
) -> None:
    research.then(OperationalError("UPDATE collection_changes SET ...", {}, error), ResearchResult())
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert job.status == JobStatus.completed and job.attempts == 2
    [retry] = _events(session, job, "retry")
    assert "database conflict" in retry.message


def test_sweeper_runs_a_job_whose_attempt_is_stuck_running_again(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    stuck = _builder_job(session, admin)
    recent = _builder_job(session, admin)
    repository.claim(session, stuck.job_id)  # attempt 1, its worker killed: the job is left running
    repository.claim(session, recent.job_id)
    stuck_row = _reload(session, stuck)
    stuck_row.started_at = utcnow() - timedelta(hours=2)
    session.flush()

    counts = sweep.apply().get()

    assert counts == {"requeued": 0, "restarted": 1, "timed_out": 0}
    stuck_row = _reload(session, stuck)
    assert stuck_row.status == JobStatus.completed and stuck_row.attempts == 2  # run again (in-process here)
    [retry] = _events(session, stuck_row, "retry")
    assert "attempt 1 still running after" in retry.message and "abandoned" in retry.message
    assert retry.data is not None and retry.data["abandoned_attempt"] == 1
    assert len(research.requests) == 1
    assert _reload(session, recent).status == JobStatus.running


def test_sweeper_fails_a_job_stuck_on_its_last_allowed_attempt(session: Session, admin: User) -> None:
    stuck = _builder_job(session, admin)
    repository.claim(session, stuck.job_id)
    stuck_row = _reload(session, stuck)
    stuck_row.attempts = get_settings().job_max_retries + 1
    stuck_row.started_at = utcnow() - timedelta(hours=2)
    session.flush()

    counts = sweep.apply().get()

    assert counts == {"requeued": 0, "restarted": 0, "timed_out": 1}
    stuck_row = _reload(session, stuck)
    assert stuck_row.status == JobStatus.failed
    assert stuck_row.error_message is not None and "timed out" in stuck_row.error_message
    assert "the last allowed" in stuck_row.error_message


def test_an_abandoned_attempt_that_finishes_late_writes_nothing(committed_db: None, research: ScriptedResearch) -> None:
    from app.core.db import session_scope

    def taken_over_then_find(_session: Session, request: ResearchRequest) -> ResearchResult:
        # While this attempt hangs, the sweeper gives the job to a new attempt, which a worker claims.
        with session_scope() as other:
            other.execute(
                update(CollectionJob)
                .where(CollectionJob.job_id == request.job_id)
                .values(attempts=CollectionJob.attempts + 1)
            )
        url = "https://builder.example.com/"
        return page_result(url, "Call (713) 555-0199", finding("builder", url, phone="(713) 555-0199"))

    research.then(taken_over_then_find)
    with session_scope() as session:  # the job runs (eagerly) as this commits
        job_id = _builder_job(session, make_admin(session)).job_id

    with session_scope() as session:
        job = repository.get_job(session, job_id)
        assert job is not None and job.status == JobStatus.running and job.attempts == 2  # the new attempt's
        assert _change_count(session, job) == 0
        last = repository.events(session, job_id)[-1].message
        assert last == "results of attempt 1 discarded: the attempt was taken for lost and the job run again"


def test_completed_auto_apply_job_applies_what_policy_allows(session: Session, research: ScriptedResearch) -> None:
    from tests.factories import make_admin

    admin = make_admin(session, can_auto_apply=True)
    url = "https://builder.example.com/"
    research.then(
        page_result(url, "Perry Homes. Call (713) 555-0199 today.", finding("builder", url, phone="(713) 555-0199"))
    )
    job = _builder_job(session, admin, auto_apply=True)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    [event] = _events(session, job, "auto_apply")
    assert event.data is not None and event.data["applied"] == _applied_count(session, job) >= 1
    assert job.status == JobStatus.completed


def _applied_count(session: Session, job: CollectionJob) -> int:
    return (
        session.scalar(
            select(func.count()).where(CollectionChange.job_id == job.job_id, CollectionChange.status == "applied")
        )
        or 0
    )


def test_job_cancelled_while_running_discards_its_results(committed_db: None, research: ScriptedResearch) -> None:
    from app.core.db import session_scope

    def cancel_then_find(_session: Session, request: ResearchRequest) -> ResearchResult:
        # The admin's cancel commits in its own transaction while the collector is still working.
        with session_scope() as other:
            repository.set_status(other, request.job_id, expected=["running"], new_status=JobStatus.cancelled)
        url = "https://builder.example.com/"
        builder = finding("builder", url, name="Perry Homes", phone="(713) 555-0199")
        return page_result(url, "Call (713) 555-0199", builder)

    research.then(cancel_then_find)
    with session_scope() as session:  # the job runs (eagerly) as this commits
        job_id = _builder_job(session, make_admin(session)).job_id

    with session_scope() as session:
        job = repository.get_job(session, job_id)
        assert job is not None and job.status == JobStatus.cancelled
        assert _change_count(session, job) == 0
        last = repository.events(session, job_id)[-1].message
        assert last == "results of attempt 1 discarded: the job was cancelled while it ran"
    assert research.requests and research.requests[0].job_id == job_id


def test_every_log_line_of_a_run_carries_the_job_id(
    session: Session, admin: User, research: ScriptedResearch, caplog: pytest.LogCaptureFixture
) -> None:
    research.then(PermanentResearchError("the site refused us"))
    job = _builder_job(session, admin)

    with caplog.at_level("INFO", logger="app.pipeline.tasks"):
        run_collection_job.apply(args=[job.job_id])

    run_records = [r for r in caplog.records if r.name == "app.pipeline.tasks"]
    assert run_records, "the run logged nothing"
    assert {getattr(r, "job_id", None) for r in run_records} == {job.job_id}


def _unreachable_database_error() -> OperationalError:
    """A real error of a database that does not answer: a connection refused on a closed port."""
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://root@127.0.0.1:1/none?connect_timeout=2")
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("port 1 answered")


def test_unreachable_database_errors_are_told_apart_from_other_database_errors() -> None:
    deadlock = OperationalError("UPDATE ...", {}, errors.DeadlockDetected("deadlock detected"))
    shutdown = OperationalError("SELECT 1", {}, errors.AdminShutdown("terminating connection"))

    assert database_unreachable(_unreachable_database_error())
    assert database_unreachable(shutdown)
    assert not database_unreachable(deadlock)
    assert not database_unreachable(ValueError("not a database error"))


def test_a_database_outage_during_collection_is_retried_and_named(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    research.then(_unreachable_database_error(), ResearchResult())
    job = _builder_job(session, admin)

    run_collection_job.apply(args=[job.job_id])

    job = _reload(session, job)
    assert job.status == JobStatus.completed and job.attempts == 2
    [retry] = _events(session, job, "retry")
    assert "database unavailable (OperationalError" in retry.message


def test_an_attempt_stranded_by_a_database_outage_is_settled_once_the_database_answers(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    job = _builder_job(session, admin)
    assert repository.claim(session, job.job_id)  # attempt 1 ran, then nothing could be recorded
    outage = "database unavailable (OperationalError: connection refused)"

    run_collection_job.apply(args=[job.job_id], kwargs={"stranded_attempt": 1, "outage": outage})

    job = _reload(session, job)
    assert job.status == JobStatus.completed and job.attempts == 2
    [retry] = _events(session, job, "retry")
    assert outage in retry.message and "during attempt 1" in retry.message


def test_a_stranded_attempt_that_used_up_the_retries_fails_naming_the_outage(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    job = _builder_job(session, admin)
    session.execute(
        update(CollectionJob).where(CollectionJob.job_id == job.job_id).values(status="running", attempts=4)
    )
    outage = "database unavailable (OperationalError: connection refused)"

    run_collection_job.apply(args=[job.job_id], kwargs={"stranded_attempt": 4, "outage": outage})

    job = _reload(session, job)
    assert job.status == JobStatus.failed and job.error_message is not None
    assert "gave up after 4 attempts" in job.error_message and outage in job.error_message
    assert research.requests == []


def test_a_stranded_message_for_a_job_that_moved_on_changes_nothing(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    job = _builder_job(session, admin)
    assert repository.claim(session, job.job_id)

    result = run_collection_job.apply(args=[job.job_id], kwargs={"stranded_attempt": 7, "outage": "database gone"})

    assert result.get() == "skipped"
    job = _reload(session, job)
    assert job.status == JobStatus.running and job.attempts == 1 and research.requests == []


def test_a_manual_retry_keeps_counting_attempts_with_a_fresh_retry_budget(
    session: Session, admin: User, research: ScriptedResearch
) -> None:
    research.then(*[TransientResearchError("Anthropic API overloaded (529)") for _ in range(8)])
    job = _builder_job(session, admin)
    run_collection_job.apply(args=[job.job_id])
    assert _reload(session, job).attempts == 4

    retry_job(session, admin, _reload(session, job), get_settings())
    session.commit()  # the retry is sent once it is committed (and runs in-process here)

    job = _reload(session, job)
    assert len(research.requests) == 8
    assert job.status == JobStatus.failed and job.attempts == 8
    assert job.error_message is not None and "gave up after 4 attempts" in job.error_message
