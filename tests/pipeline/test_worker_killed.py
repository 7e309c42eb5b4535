"""A worker's pool process killed mid-job, as the kernel kills one out of memory: the job runs again, once."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.core.config import get_settings
from app.core.db import session_scope, utcnow
from app.jobs import repository
from app.jobs.limits import llm_spend_this_month
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.pipeline.tasks import sweep
from tests.factories import make_admin, make_builder
from tests.fakes.anthropic_server import FakeAnthropic, Reply, answer, message, web_search_call, web_search_results
from tests.pipeline.conftest import RealWorker, sending_to
from tests.research.conftest import Route, ScriptedSite

PAGE = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "HomeAndConstructionBusiness", "name": "Perry Homes",
 "telephone": "(713) 555-0199"}</script></head>
<body><h1>Perry Homes</h1><p>Call (713) 555-0199 today.</p></body></html>"""


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds}s for {what}")
        time.sleep(0.1)


def _job(job_id: str) -> CollectionJob:
    with session_scope() as session:
        job = repository.get_job(session, job_id)
        assert job is not None
        session.expunge(job)
        return job


def test_a_job_whose_worker_is_killed_mid_job_runs_again_and_completes_once(
    committed_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = ScriptedSite()
    first_visit = threading.Event()
    never = threading.Event()

    def home(_headers: dict[str, str]) -> Route:
        if not first_visit.is_set():
            first_visit.set()
            never.wait(30)  # the first attempt hangs on the page until its process is killed
        return Route(200, PAGE)

    site.routes["/"] = home
    worker = RealWorker(pool="prefork", concurrency=1)
    try:
        with sending_to(worker, monkeypatch):
            with session_scope() as session:
                builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", website=f"{site.base_url}/")
                job_id = create_job(
                    session, make_admin(session), settings=get_settings(), entity_type="builder",
                    entity_id=builder.id, job_type=JobType.update, researcher="web",
                ).job_id  # fmt: skip
            _wait_for(first_visit.is_set, 60, "the first attempt to fetch the builder's page")
            assert _job(job_id).status == JobStatus.running

            (pool_process,) = worker.pool_processes()
            os.kill(pool_process, signal.SIGKILL)
            # The worker gives the message back; its new pool process finds the job running and skips it.
            _wait_for(lambda: worker.pool_processes() not in ([], [pool_process]), 30, "a new pool process")
            time.sleep(2)
            assert _job(job_id).status == JobStatus.running and _job(job_id).attempts == 1

            # The running timeout passes; the sweeper takes the attempt for lost and runs the job again.
            with session_scope() as session:
                session.execute(
                    update(CollectionJob)
                    .where(CollectionJob.job_id == job_id)
                    .values(started_at=utcnow() - timedelta(minutes=get_settings().job_running_timeout_minutes + 1))
                )
            assert sweep.apply().get()["restarted"] == 1
            _wait_for(lambda: _job(job_id).status not in (JobStatus.pending, JobStatus.running), 60, "the job to end")
    finally:
        never.set()
        worker.stop()
        site.close()

    job = _job(job_id)
    assert job.status == JobStatus.completed and job.attempts == 2, job.error_message
    with session_scope() as session:
        events = repository.events(session, job_id)
        [retry] = [e for e in events if e.kind == "retry"]
        completed = [e for e in events if e.kind == "status" and e.message == "completed"]
    assert "attempt 1 still running after" in retry.message and "abandoned" in retry.message
    assert len(completed) == 1
    assert job.changes_detected >= 1  # the phone on the page, proposed once


def test_the_llm_calls_a_killed_worker_made_are_on_the_job_and_in_the_months_spend(
    committed_db: None, fake: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first call is a web search the model pauses after; the second is never answered before the kill.
    site = "https://www.highlandhomes.example/"
    search = web_search_call("Highland Homes", "srvtoolu_01")
    fake.script(
        message([search, web_search_results("srvtoolu_01", [(site, "Highland Homes")])], stop_reason="pause_turn")
    )
    never = threading.Event()

    def hang(_body: dict[str, object]) -> Reply:
        never.wait(30)
        return answer([])

    fake.default = hang
    monkeypatch.setenv("ARTITEC_ANTHROPIC_API_KEY", "test-key")  # the worker's own settings
    monkeypatch.setenv("ARTITEC_ANTHROPIC_BASE_URL", fake.base_url)
    worker = RealWorker(pool="prefork", concurrency=1)
    try:
        with sending_to(worker, monkeypatch):
            with session_scope() as session:
                builder = make_builder(session, name="Highland Homes", website=site)
                job_id = create_job(
                    session, make_admin(session), settings=get_settings(), entity_type="builder",
                    entity_id=builder.id, job_type=JobType.update, researcher="claude",
                ).job_id  # fmt: skip
            _wait_for(lambda: len(fake.requests) >= 2, 60, "the model's second call")
            (pool_process,) = worker.pool_processes()
            os.kill(pool_process, signal.SIGKILL)  # no end of the attempt records anything now

            job = _job(job_id)
            assert job.status == JobStatus.running  # until the sweeper takes the attempt for lost
            assert (job.llm_calls, job.input_tokens, job.output_tokens) == (1, 1200, 300)
            assert job.cost_usd == Decimal("0.0027")
            with session_scope() as session:
                assert llm_spend_this_month(session) == Decimal("0.0027")
    finally:
        never.set()
        worker.stop()
