"""Celery beat: what is scheduled, the refresh task end to end, and beat itself sending a task."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from celery.schedules import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.jobs.models import CollectionJob
from app.ops.schedules import beat_schedule
from app.ops.tasks import refresh_stale
from app.worker import celery_app
from tests.factories import make_builder, make_community

ROOT = Path(__file__).resolve().parents[2]


def test_beat_schedule_runs_the_sweeper_the_refresh_and_the_digest() -> None:
    schedule = beat_schedule(Settings())
    assert {name: entry["task"] for name, entry in schedule.items()} == {
        "sweep-jobs": "jobs.sweep",
        "refresh-stale-records": "ops.refresh_stale",
        "compact-rollups": "ops.compact_rollups",
        "notification-digest": "ops.send_digest",
    }
    assert schedule["compact-rollups"]["schedule"] == crontab(minute="*/10")
    assert schedule["sweep-jobs"]["schedule"] == 60.0
    assert schedule["refresh-stale-records"]["schedule"] == crontab(minute=15)
    assert schedule["notification-digest"]["schedule"] == crontab(minute=0, hour=13)


def test_beat_schedule_follows_the_settings() -> None:
    schedule = beat_schedule(Settings(sweep_interval_seconds=5, refresh_minute=40, digest_hour_utc=7))
    assert schedule["sweep-jobs"]["schedule"] == 5
    assert schedule["refresh-stale-records"]["schedule"] == crontab(minute=40)
    assert schedule["notification-digest"]["schedule"] == crontab(minute=0, hour=7)


def test_the_worker_knows_the_scheduled_ops_tasks() -> None:
    celery_app.loader.import_default_modules()
    assert {"ops.refresh_stale", "ops.send_digest", "ops.compact_rollups"} <= set(celery_app.tasks)
    assert celery_app.conf.beat_schedule.keys() == beat_schedule(Settings()).keys()


def test_refresh_task_commits_jobs_and_sends_them_after_commit(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, tuple[Any, ...]]] = []
    # The broker is outside this test: record what would be sent instead of running collections.
    monkeypatch.setattr("app.core.queue.send_task", lambda name, *args, **_options: sent.append((name, args)))
    builder = make_builder(session, last_data_sync=None)
    community = make_community(session, last_data_sync=None)
    session.commit()

    summary = refresh_stale.apply().get()

    assert summary["created"] == 2
    jobs = session.scalars(select(CollectionJob).order_by(CollectionJob.id)).all()
    assert [(job.entity_type, job.entity_id) for job in jobs] == [("builder", builder.id), ("community", community.id)]
    assert sent == [("jobs.run_collection_job", (job.job_id,)) for job in jobs]


def test_celery_beat_starts_ticks_and_sends_the_sweeper(tmp_path: Path) -> None:
    log_file = tmp_path / "beat.log"
    env = {
        **os.environ,
        "ARTITEC_BROKER_URL": "redis://127.0.0.1:6379/13",
        "ARTITEC_RUN_TASKS_EAGERLY": "false",
        "ARTITEC_SWEEP_INTERVAL_SECONDS": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "app.worker", "beat", "--loglevel=INFO"]
    command += ["-s", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid")]
    with log_file.open("w") as log:
        beat = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            # Two sends of the one-second sweeper: beat started, published, and keeps ticking.
            while time.monotonic() < deadline and log_file.read_text().count("Sending due task sweep-jobs") < 2:
                assert beat.poll() is None, log_file.read_text()
                time.sleep(0.3)
        finally:
            beat.terminate()
            beat.wait(timeout=15)
            # What beat sent is not for any worker.
            redis.Redis.from_url(env["ARTITEC_BROKER_URL"]).delete("celery")
    output = log_file.read_text()
    assert output.count("Sending due task sweep-jobs (jobs.sweep)") >= 2, output
    assert "Traceback" not in output and "Message Error" not in output, output
