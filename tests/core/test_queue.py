"""Tasks go out only after their transaction commits, and a broker that is down never loses a job."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import app.core.queue
from app.core.config import Settings
from app.core.db import session_scope
from app.core.queue import enqueue_after_commit
from app.jobs import repository
from app.jobs.models import JobStatus
from app.worker import create_celery
from tests.factories import auth_headers, make_admin, make_builder


class _Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    def send_task(self, name: str, args: Any = None, **_options: Any) -> None:
        self.sent.append((name, args))


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    """A Celery app whose sends are recorded instead of run (not eager)."""
    recorder = _Recorder()
    celery = create_celery(Settings(broker_url="memory://", run_tasks_eagerly=False))
    monkeypatch.setattr(celery, "send_task", recorder.send_task)
    monkeypatch.setattr(app.core.queue, "celery_app", celery)
    return recorder


def test_a_task_is_sent_only_when_its_transaction_commits(committed_db: None, broker: _Recorder) -> None:
    with session_scope() as session:
        enqueue_after_commit(session, "jobs.sweep")
        assert broker.sent == []  # not before the commit

    assert broker.sent == [("jobs.sweep", ())]


def test_a_rolled_back_transaction_sends_nothing(committed_db: None, broker: _Recorder) -> None:
    with pytest.raises(RuntimeError), session_scope() as session:
        enqueue_after_commit(session, "jobs.sweep")
        raise RuntimeError("the request failed")

    with session_scope():
        pass  # a later commit must not send the dropped task either
    assert broker.sent == []


def test_broker_down_still_answers_202_and_the_job_waits_for_the_sweeper(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: every send fails.
    down = create_celery(Settings(broker_url="redis://127.0.0.1:1/0", run_tasks_eagerly=False))
    down.conf.broker_transport_options = {"max_retries": 0}
    monkeypatch.setattr(app.core.queue, "celery_app", down)
    builder = make_builder(session)

    response = client.post(
        f"/api/v1/admin/builders/{builder.id}/collect", json={}, headers=auth_headers(make_admin(session))
    )

    assert response.status_code == 202
    assert "stays pending for the sweeper" in caplog.text  # the send was tried and failed
    job = repository.get_job(session, response.json()["job_id"])
    # enqueued_at NULL records the failed send: the sweeper sends the job again.
    assert job is not None and job.status == JobStatus.pending and job.enqueued_at is None
