"""Under concurrent load every wait is bounded: one engine, a 503 with Retry-After for a stuck request, probes up."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select, text

from app.core.config import get_settings
from app.core.db import LazyEngine, SessionFactory, get_engine, make_engine, session_scope
from app.jobs import limits
from app.jobs.models import CollectionJob, JobEvent
from app.main import app
from tests.factories import auth_headers, make_admin, make_builder

API = "/api/v1/admin"
CLOSED_PORT_DATABASE = "postgresql+psycopg://root@127.0.0.1:1/artitec?connect_timeout=2"


@pytest.fixture
def engine_settings(committed_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Settings a test may change before the engine is built from them; the default engine is restored after."""
    get_engine.cache_clear()
    yield get_settings()
    monkeypatch.undo()
    get_engine.cache_clear()
    SessionFactory.maker = None


def _admin_and_builder() -> tuple[dict[str, str], int]:
    with session_scope() as session:
        admin = make_admin(session)
        return auth_headers(admin), make_builder(session).id


def _hold_job_creation_turn(engine: Engine) -> Any:
    """Another connection takes the job-creation lock and keeps it until the returned transaction ends."""
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(select(func.pg_advisory_xact_lock(limits._JOB_LIMITS_LOCK)))
    return connection, transaction


def _waiting_on_advisory_lock(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
                )
            )
            or 0
        )


def test_threads_arriving_together_build_one_engine() -> None:
    built: list[Engine] = []

    def build() -> Engine:
        engine = make_engine(get_settings().database_url)
        built.append(engine)
        return engine

    lazy = LazyEngine(build)
    barrier = threading.Barrier(50)
    seen: list[Engine] = []

    def first_use() -> None:
        barrier.wait()
        seen.append(lazy())

    threads = [threading.Thread(target=first_use) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(built) == 1
    assert len(seen) == 50 and all(engine is built[0] for engine in seen)
    lazy.cache_clear()


def test_a_lock_wait_that_times_out_is_a_503_with_retry_after(engine_settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine_settings, "db_lock_timeout_seconds", 0.3)
    headers, builder_id = _admin_and_builder()
    connection, transaction = _hold_job_creation_turn(get_engine())
    try:
        with TestClient(app) as client:
            response = client.post(f"{API}/builders/{builder_id}/collect", json={}, headers=headers)
    finally:
        transaction.rollback()
        connection.close()

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    assert "locked" in response.json()["detail"]
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(CollectionJob)) == 0


def test_no_free_connection_in_time_is_a_503_with_retry_after(engine_settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine_settings, "db_pool_size", 1)
    monkeypatch.setattr(engine_settings, "db_max_overflow", 0)
    monkeypatch.setattr(engine_settings, "db_pool_timeout_seconds", 0.3)
    headers, _ = _admin_and_builder()
    held = get_engine().connect()
    try:
        with TestClient(app) as client:
            response = client.get(f"{API}/builders", headers=headers)
    finally:
        held.close()

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    assert "no database connection" in response.json()["detail"]


def test_an_unreachable_database_is_a_503_not_a_500(engine_settings: Any, monkeypatch: Any) -> None:
    headers, _ = _admin_and_builder()
    monkeypatch.setattr(engine_settings, "database_url", CLOSED_PORT_DATABASE)
    get_engine.cache_clear()
    SessionFactory.maker = None

    with TestClient(app) as client:
        response = client.get(f"{API}/builders", headers=headers)
        health = client.get("/healthz")

    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) >= 1
    assert "database unreachable" in response.json()["detail"]
    assert health.status_code == 200


def test_fifty_simultaneous_collects_keep_the_limit_and_all_get_an_answer(
    engine_settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(engine_settings, "jobs_per_user_per_hour", 7)
    headers, builder_id = _admin_and_builder()
    statuses: list[int] = []
    with TestClient(app) as client:
        barrier = threading.Barrier(50)

        def collect() -> None:
            barrier.wait()
            response = client.post(f"{API}/builders/{builder_id}/collect", json={"researcher": "web"}, headers=headers)
            statuses.append(response.status_code)

        threads = [threading.Thread(target=collect) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        hung = sum(thread.is_alive() for thread in threads)

    assert hung == 0
    assert Counter(statuses) == {202: 7, 429: 43}
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(CollectionJob)) == 7


def test_the_job_creation_turn_covers_only_the_count_and_the_commit(engine_settings: Any) -> None:
    """Every creator waits for the turn, so each statement its holder sends is a round trip all of them wait for."""
    headers, builder_id = _admin_and_builder()
    engine = get_engine()
    sent: list[tuple[int, str]] = []  # (connection, statement or COMMIT), in order

    def statement(conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        sent.append((id(conn), sql))

    def commit(conn: Any) -> None:
        sent.append((id(conn), "COMMIT"))

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        with TestClient(app) as client:
            response = client.post(f"{API}/builders/{builder_id}/collect", json={"researcher": "web"}, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)

    assert response.status_code == 202
    turn = next(i for i, (_, sql) in enumerate(sent) if "pg_advisory_xact_lock" in sql)
    holder = sent[turn][0]
    end = next(i for i in range(turn, len(sent)) if sent[i] == (holder, "COMMIT"))
    while_held = [sql for conn, sql in sent[turn + 1 : end] if conn == holder]
    assert len(while_held) == 1 and "count(*)" in while_held[0]
    before = [sql for conn, sql in sent[:turn] if conn == holder]
    assert any(sql.startswith("INSERT INTO collection_jobs") for sql in before)
    assert any(sql.startswith("INSERT INTO collection_job_events") for sql in before)


def test_a_refused_job_leaves_no_job_and_no_event(engine_settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine_settings, "jobs_per_user_per_hour", 1)
    headers, builder_id = _admin_and_builder()
    with TestClient(app) as client:
        first = client.post(f"{API}/builders/{builder_id}/collect", json={"researcher": "web"}, headers=headers)
        second = client.post(f"{API}/builders/{builder_id}/collect", json={"researcher": "web"}, headers=headers)

    assert (first.status_code, second.status_code) == (202, 429)
    assert "1 of 1" in second.json()["detail"]
    kept = first.json()["job_id"]
    with session_scope() as session:
        assert session.scalars(select(CollectionJob.job_id)).all() == [kept]
        # Tests run the job at once, so the kept job has its whole timeline; the refused one has none.
        assert set(session.scalars(select(JobEvent.job_id))) == {kept}


def test_healthz_answers_while_requests_wait_on_a_lock(engine_settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(engine_settings, "db_lock_timeout_seconds", 60)
    monkeypatch.setattr(engine_settings, "db_pool_timeout_seconds", 60)
    monkeypatch.setattr(engine_settings, "api_queue_timeout_seconds", 120)
    monkeypatch.setattr(engine_settings, "jobs_per_user_per_hour", 100)
    headers, builder_id = _admin_and_builder()
    requests = engine_settings.api_max_concurrent_requests + 5
    # Another process, in effect: its connections are not the API's.
    other = make_engine(engine_settings.database_url)
    connection, transaction = _hold_job_creation_turn(other)
    statuses: list[int] = []
    try:
        with TestClient(app) as client:

            def collect() -> None:
                statuses.append(
                    client.post(f"{API}/builders/{builder_id}/collect", json={}, headers=headers).status_code
                )

            # More requests than the process admits: every admitted one waits on the lock, the rest on their turn.
            threads = [threading.Thread(target=collect) for _ in range(requests)]
            for thread in threads:
                thread.start()
            for _ in range(600):
                if _waiting_on_advisory_lock(other) >= 1:
                    break
                threading.Event().wait(0.1)
            blocked = _waiting_on_advisory_lock(other)
            health = client.get("/healthz")
            still_waiting = sum(thread.is_alive() for thread in threads)
            transaction.rollback()
            for thread in threads:
                thread.join(timeout=120)
    finally:
        if transaction.is_active:
            transaction.rollback()
        connection.close()
        other.dispose()

    assert blocked >= 1
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert still_waiting == requests
    assert Counter(statuses) == {202: requests}


def test_the_apps_connections_run_without_jit(engine_settings: Any) -> None:
    # The server's default is on; JIT compiling added over a second to one large stats query.
    with get_engine().connect() as connection:
        assert connection.scalar(text("SHOW jit")) == "off"
    with session_scope() as session:
        assert session.scalar(text("SHOW jit")) == "off"
