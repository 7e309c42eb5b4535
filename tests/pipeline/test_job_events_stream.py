"""Live job updates over Server-Sent Events, read with httpx from real uvicorn servers.

The timeline is written as the worker writes it (add_event in committed transactions); one test runs a
real job on the real Celery worker and follows it from two API processes at once.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth.models import Role, User
from app.builders.models import BuilderProfile
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.rejection import reject_changes
from app.core.bus import channel, job_topic
from app.core.config import Settings, get_settings
from app.core.db import get_engine, session_scope
from app.jobs.models import CollectionJob, JobStatus
from app.jobs.service import add_event, add_final_event
from app.sample_data import seed_sample
from tests.factories import auth_headers, make_admin, make_builder, make_user
from tests.pipeline.conftest import ROOT

API = "/api/v1/admin"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"no server at {base}")


@pytest.fixture
def live_api(committed_db: None) -> Iterator[str]:
    """This process's app on a real uvicorn (its own thread and event loop), on the committed test database."""
    from app.main import app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Heartbeats and polls in fractions of a second, so tests see them without waiting."""
    settings = get_settings()
    monkeypatch.setattr(settings, "event_heartbeat_seconds", 0.3)
    monkeypatch.setattr(settings, "event_poll_seconds", 0.1)
    return settings


@dataclass
class Event:
    kind: str
    data: dict[str, Any]
    id: str | None


@dataclass
class Stream:
    """What one client read from a stream: events, heartbeat comments, the retry hint."""

    events: list[Event] = field(default_factory=list)
    heartbeats: int = 0
    retry: int | None = None
    ids: list[str] = field(default_factory=list)  # id-only blocks too
    ended: bool = False


def _read_stream(
    url: str, headers: dict[str, str], stream: Stream, *, until: Any = None, seconds: float = 60
) -> httpx.Response:
    """Reads the SSE stream at ``url`` into ``stream`` until it ends, ``until(stream)`` holds or time runs out."""
    with httpx.stream("GET", url, headers=headers, timeout=httpx.Timeout(seconds, connect=5)) as response:
        if response.status_code != 200:
            response.read()
            return response
        deadline = time.monotonic() + seconds
        block: dict[str, str] = {}
        for line in response.iter_lines():
            if line.startswith(":"):
                stream.heartbeats += 1
            elif line.startswith("retry: "):
                stream.retry = int(line[len("retry: ") :])
            elif line:
                name, _, value = line.partition(": ")
                block[name] = value
            elif block:
                if "id" in block:
                    stream.ids.append(block["id"])
                if "event" in block:
                    stream.events.append(Event(block["event"], json.loads(block["data"]), block.get("id")))
                block = {}
            if (until is not None and until(stream)) or time.monotonic() > deadline:
                return response
        stream.ended = True
        return response


def _job(admin: User | None = None) -> str:
    """A pending job with the first entry of its timeline, committed, as the API creates it."""
    with session_scope() as session:
        builder = make_builder(session)
        job = CollectionJob(entity_type="builder", entity_id=builder.id, job_type="update", status=JobStatus.pending)
        session.add(job)
        session.flush()
        add_event(session, job.job_id, "status", "pending: created", {"status": "pending"})
        return job.job_id


def _write(job_id: str, kind: str, message: str, data: dict[str, Any] | None = None, status: str | None = None) -> None:
    """One committed step of a run, as the worker writes it."""
    with session_scope() as session:
        if status is not None:
            job = session.scalars(select(CollectionJob).where(CollectionJob.job_id == job_id)).one()
            job.status = status
        add_event(session, job_id, kind, message, data)


def _finish(job_id: str, status: str = JobStatus.completed) -> None:
    _write(job_id, "status", status, {"status": status}, status=status)
    with session_scope() as session:
        add_final_event(session, session.scalars(select(CollectionJob).where(CollectionJob.job_id == job_id)).one())


def _admin_headers() -> dict[str, str]:
    with session_scope() as session:
        return auth_headers(make_admin(session))


def _in_thread(target: Any, *args: Any, **kwargs: Any) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, kwargs=kwargs, daemon=True)
    thread.start()
    return thread


def _wait_for(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def _kinds(stream: Stream) -> list[tuple[str, str]]:
    return [(e.kind, e.data["message"]) for e in stream.events]


def test_a_job_stream_replays_the_timeline_then_streams_live_and_ends_with_final(live_api: str, fast: Settings) -> None:
    job_id = _job()
    headers = _admin_headers()
    stream = Stream()
    reader = _in_thread(_read_stream, f"{live_api}{API}/collection-jobs/{job_id}/events", headers, stream)
    deadline = time.monotonic() + 30
    while not stream.events and time.monotonic() < deadline:
        time.sleep(0.02)
    _write(job_id, "status", "running (attempt 1)", {"status": "running"}, status=JobStatus.running)
    _write(job_id, "fetch", "2 page(s) visited, 2 read", {"pages": []})
    time.sleep(0.5)  # quiet longer than a heartbeat
    _write(job_id, "counts", "1 found, 1 change(s)", {"changes_detected": 1})
    _finish(job_id)
    reader.join(timeout=30)

    assert stream.ended, "the stream ends after the final event"
    assert _kinds(stream) == [
        ("status", "pending: created"),
        ("status", "running (attempt 1)"),
        ("fetch", "2 page(s) visited, 2 read"),
        ("counts", "1 found, 1 change(s)"),
        ("status", "completed"),
        ("final", "finished: completed"),
    ]
    ids = [int(e.id or 0) for e in stream.events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [e.data["id"] for e in stream.events] == ids
    assert stream.events[-1].data["data"]["status"] == "completed"
    assert stream.heartbeats >= 1 and stream.retry == get_settings().event_retry_ms


def test_resuming_with_last_event_id_sends_exactly_the_missed_events(live_api: str, fast: Settings) -> None:
    job_id = _job()
    headers = _admin_headers()
    _write(job_id, "status", "running (attempt 1)", {"status": "running"}, status=JobStatus.running)
    first = Stream()
    _read_stream(f"{live_api}{API}/collection-jobs/{job_id}/events", headers, first, until=lambda s: len(s.events) == 2)
    seen = first.events[-1].id
    assert seen is not None and not first.ended

    _write(job_id, "warning", "page needs JavaScript")  # while the client is away
    _finish(job_id, JobStatus.failed)
    resumed = Stream()
    _read_stream(f"{live_api}{API}/collection-jobs/{job_id}/events", {**headers, "Last-Event-ID": seen}, resumed)
    by_query = Stream()
    _read_stream(f"{live_api}{API}/collection-jobs/{job_id}/events?last_event_id={seen}", headers, by_query)

    assert _kinds(resumed) == [
        ("warning", "page needs JavaScript"),
        ("status", "failed"),
        ("final", "finished: failed"),
    ]
    assert all(int(e.id or 0) > int(seen) for e in resumed.events)
    assert _kinds(by_query) == _kinds(resumed) and resumed.ended


def test_a_finished_job_replays_and_ends_at_once_and_a_retried_one_streams_on(live_api: str, fast: Settings) -> None:
    job_id = _job()
    headers = _admin_headers()
    _finish(job_id, JobStatus.failed)
    done = Stream()
    _read_stream(f"{live_api}{API}/collection-jobs/{job_id}/events", headers, done, seconds=20)
    assert done.ended and [e.kind for e in done.events] == ["status", "status", "final"]

    # Retried: the earlier final no longer ends the stream; the new run's does.
    _write(job_id, "status", "pending: retry requested", {"status": "pending"}, status=JobStatus.pending)
    again = Stream()
    reader = _in_thread(_read_stream, f"{live_api}{API}/collection-jobs/{job_id}/events", headers, again)
    _wait_for(lambda: len(again.events) == 4)
    time.sleep(0.5)  # the stream stays open: the final event before the retry does not end it
    assert not again.ended and again.events[-1].data["message"] == "pending: retry requested"
    _finish(job_id)
    reader.join(timeout=30)
    assert again.ended and again.events[-1].kind == "final" and again.events[-1].data["data"]["status"] == "completed"


def test_unknown_job_is_404_bad_last_event_id_is_422_and_a_non_admin_is_refused(live_api: str) -> None:
    headers = _admin_headers()
    with session_scope() as session:
        user_headers = auth_headers(make_user(session, role=Role.user))
    job_id = _job()
    stream = Stream()

    missing = _read_stream(f"{live_api}{API}/collection-jobs/JOB-0-nothing/events", headers, stream)
    bad_id = _read_stream(f"{live_api}{API}/collection-jobs/{job_id}/events", {**headers, "Last-Event-ID": "x"}, stream)
    bad_cursor = _read_stream(f"{live_api}{API}/events?last_event_id=12", headers, stream)
    too_big = _read_stream(f"{live_api}{API}/events?last_event_id=1-{2**63}", headers, stream)
    not_ascii = _read_stream(f"{live_api}{API}/collection-jobs/{job_id}/events?last_event_id=%C2%B2", headers, stream)
    for path in (f"/collection-jobs/{job_id}/events", "/events"):
        assert _read_stream(f"{live_api}{API}{path}", user_headers, stream).status_code == 403
        assert _read_stream(f"{live_api}{API}{path}", {}, stream).status_code == 401

    assert missing.status_code == 404 and "JOB-0-nothing" in missing.json()["detail"]
    assert bad_id.status_code == 422 and "last_event_id" in bad_id.json()["detail"]
    assert bad_cursor.status_code == 422 and "'12'" in bad_cursor.json()["detail"]
    assert too_big.status_code == 422 and not_ascii.status_code == 422


def test_the_activity_stream_shows_status_changes_and_review_decisions_and_resumes(
    live_api: str, fast: Settings
) -> None:
    headers = _admin_headers()
    old_job = _job()  # before the stream opened: not shown
    stream = Stream()
    reader = _in_thread(
        _read_stream, f"{live_api}{API}/events", headers, stream, until=lambda s: len(s.events) >= 5, seconds=30
    )
    deadline = time.monotonic() + 30
    while not stream.ids and time.monotonic() < deadline:
        time.sleep(0.02)
    job_id = _job()
    _write(job_id, "fetch", "1 page(s) visited")  # not a status change: not on the activity stream
    _write(job_id, "status", "running", {"status": "running"}, status=JobStatus.running)
    with session_scope() as session:
        builder = make_builder(session, phone="+17135550100")
        change = CollectionChange(
            job_id=job_id,
            entity_type="builder",
            entity_id=builder.id,
            field_name="phone",
            old_value='"+17135550100"',
            new_value='"+17135550199"',
            change_type="modified",
            confidence=0.9,
            status=ChangeStatus.pending,
        )
        session.add(change)
        session.flush()
        change_id = change.id
    with session_scope() as session:  # the service the per-record and the bulk reject both use
        reject_changes(session, [change_id], actor="USR-REVIEWER", review_notes="wrong number")
    _finish(job_id)
    reader.join(timeout=30)

    assert [(e.kind, e.data.get("job_id")) for e in stream.events] == [
        ("status", job_id),
        ("status", job_id),
        ("review", job_id),
        ("status", job_id),
        ("final", job_id),
    ]
    assert old_job not in {e.data.get("job_id") for e in stream.events}
    review = next(e for e in stream.events if e.kind == "review")
    assert review.data["action"] == "change.reject" and review.data["change_id"] == change_id
    assert review.data["notes"] == "wrong number"

    # Resuming after the review gets the rest: the completed status and the final outcome.
    resumed = Stream()
    _read_stream(
        f"{live_api}{API}/events",
        {**headers, "Last-Event-ID": review.id or ""},
        resumed,
        until=lambda s: len(s.events) >= 2,
        seconds=10,
    )
    assert [(e.kind, e.data["message"]) for e in resumed.events] == [
        ("status", "completed"),
        ("final", "finished: completed"),
    ]


@pytest.mark.parametrize(
    "broker_url",
    ["memory://", "redis://127.0.0.1:1/4"],
    ids=["no Redis (the quickstart)", "Redis down"],
)
def test_without_redis_the_stream_polls_the_database(
    live_api: str, fast: Settings, monkeypatch: Any, broker_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fast, "broker_url", broker_url)
    job_id = _job()
    headers = _admin_headers()
    stream = Stream()
    reader = _in_thread(_read_stream, f"{live_api}{API}/collection-jobs/{job_id}/events", headers, stream)
    time.sleep(0.3)
    _write(job_id, "status", "running (attempt 1)", {"status": "running"}, status=JobStatus.running)
    _finish(job_id)
    reader.join(timeout=30)

    assert stream.ended
    if broker_url.startswith("redis"):  # every write went through; only the note was lost, and said so
        assert "not published" in caplog.text
    assert [e.data["message"] for e in stream.events] == [
        "pending: created",
        "running (attempt 1)",
        "completed",
        "finished: completed",
    ]


def test_streams_hold_no_connection_while_idle_are_capped_and_free_their_place_on_disconnect(
    live_api: str, fast: Settings, monkeypatch: Any
) -> None:
    monkeypatch.setattr(fast, "event_streams_max", 3)
    headers = _admin_headers()
    job_id = _job()
    url = f"{live_api}{API}/collection-jobs/{job_id}/events"
    streams = [Stream() for _ in range(3)]
    readers = [_in_thread(_read_stream, url, headers, s, seconds=6) for s in streams]
    deadline = time.monotonic() + 20
    while not all(s.events for s in streams) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)

    # Streams read the timeline for a moment at each heartbeat; between reads none holds a connection.
    checked_out = []
    for _ in range(10):
        checked_out.append(get_engine().pool.checkedout())  # type: ignore[attr-defined]
        time.sleep(0.03)
    listening_while_open = _subscribers(fast.broker_url, job_id)
    one_too_many = httpx.get(url, headers=headers, timeout=10)
    other_requests = httpx.get(f"{live_api}{API}/collection-jobs/{job_id}", headers=headers, timeout=10)
    for reader in readers:
        reader.join(timeout=15)  # each client hangs up after 6 s
    time.sleep(0.5)
    listening = _subscribers(fast.broker_url, job_id)
    after_hang_up = Stream()
    _read_stream(url, headers, after_hang_up, until=lambda s: bool(s.events), seconds=10)

    assert min(checked_out) == 0, f"idle streams hold no database connection (seen {checked_out})"
    assert one_too_many.status_code == 503 and int(one_too_many.headers["Retry-After"]) >= 1
    assert "3 event streams" in one_too_many.json()["detail"]
    assert other_requests.status_code == 200
    assert listening_while_open == 3
    assert listening == 0, "the streams whose client went away stopped and closed their subscriptions"
    assert after_hang_up.events, "streams whose client went away gave their places back"


def _subscribers(url: str, job_id: str) -> int:
    """How many streams listen for the job's events on Redis pub/sub."""
    bus = redis.Redis.from_url(url)
    try:
        [(_, count)] = bus.pubsub_numsub(channel(url, job_topic(job_id)))
        return int(count)
    finally:
        bus.close()


def _uvicorn_process(port: int) -> subprocess.Popen[bytes]:
    # Heartbeats (and the reads that come with them) far apart: only the worker's notes on Redis wake the streams.
    env = {**os.environ, "ARTITEC_EVENT_HEARTBEAT_SECONDS": "300", "ARTITEC_RUN_TASKS_EAGERLY": "false"}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_two_api_processes_stream_a_job_run_by_the_real_worker(
    committed_db: None, sample_sites: str, worker_queue: str
) -> None:
    with session_scope() as session:
        seed_sample(session, sample_sites)
        admin = User(email="events-admin@example.com", role=Role.admin)
        session.add(admin)
        session.flush()
        headers = auth_headers(admin)
        perry_id = session.scalar(select(BuilderProfile.id).where(BuilderProfile.name == "Perry Homes"))
    ports = [_free_port(), _free_port()]
    servers = [_uvicorn_process(port) for port in ports]
    try:
        for port in ports:
            _wait_until_up(f"http://127.0.0.1:{port}")
        from app.main import app

        with TestClient(app) as client:
            accepted = client.post(f"{API}/builders/{perry_id}/collect", json={"researcher": "web"}, headers=headers)
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["job_id"]
        streams = [Stream(), Stream()]
        readers = [
            _in_thread(
                _read_stream, f"http://127.0.0.1:{port}{API}/collection-jobs/{job_id}/events", headers, s, seconds=120
            )
            for port, s in zip(ports, streams, strict=True)
        ]
        started = time.monotonic()
        for reader in readers:
            reader.join(timeout=150)
        print(f"streams ended {time.monotonic() - started:.1f} s after the job was accepted")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)

    for stream in streams:
        assert stream.ended, "each API process ends its stream with the final event"
        statuses = [e.data["data"]["status"] for e in stream.events if e.kind == "status"]
        assert statuses == ["pending", "running", "completed"]
        kinds = [e.kind for e in stream.events]
        assert kinds[-1] == "final" and "counts" in kinds and "fetch" in kinds
        assert stream.events[-1].data["data"]["changes_detected"] >= 1
    assert [e.id for e in streams[0].events] == [e.id for e in streams[1].events]


def test_cancelling_a_job_ends_its_stream_with_the_final_event(live_api: str, fast: Settings) -> None:
    job_id = _job()
    headers = _admin_headers()
    stream = Stream()
    reader = _in_thread(_read_stream, f"{live_api}{API}/collection-jobs/{job_id}/events", headers, stream)
    time.sleep(0.3)
    cancelled = httpx.post(f"{live_api}{API}/collection-jobs/{job_id}/cancel", headers=headers, timeout=10)
    reader.join(timeout=30)

    assert cancelled.status_code == 200, cancelled.text
    assert stream.ended
    assert [(e.kind, e.data["data"]["status"]) for e in stream.events] == [
        ("status", "pending"),
        ("status", "cancelled"),
        ("final", "cancelled"),
    ]


def test_fifty_open_streams_leave_the_api_answering(live_api: str, fast: Settings, monkeypatch: Any) -> None:
    monkeypatch.setattr(fast, "event_heartbeat_seconds", 1.0)
    headers = _admin_headers()
    job_id = _job()
    streams = [Stream() for _ in range(50)]
    url = f"{live_api}{API}/collection-jobs/{job_id}/events"
    readers = [_in_thread(_read_stream, url, headers, s, seconds=8) for s in streams]
    deadline = time.monotonic() + 30
    while sum(bool(s.events) for s in streams) < 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    opened = sum(bool(s.events) for s in streams)

    answers = [httpx.get(f"{live_api}{API}/collection-jobs/{job_id}", headers=headers, timeout=10) for _ in range(5)]
    listed = httpx.get(f"{live_api}{API}/builders", headers=headers, timeout=10)
    _finish(job_id)
    for reader in readers:
        reader.join(timeout=30)

    assert opened == 50
    assert [a.status_code for a in answers] == [200] * 5 and listed.status_code == 200
    assert all(s.ended and s.events[-1].kind == "final" for s in streams), "every stream saw the job finish"
