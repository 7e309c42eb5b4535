"""Test fixtures: real PostgreSQL (schema built by Alembic) and real Redis.

Each test runs inside an outer transaction that is rolled back at the end; sessions the code opens
(requests, tasks) join it through savepoints. Tests that need real commits (concurrency, a real
worker) use ``committed_db``, which truncates every table afterwards.
"""

from __future__ import annotations

import os

# One database per test run, so parallel runs on one machine never share state.
os.environ.setdefault("ARTITEC_DATABASE_URL", f"postgresql+psycopg://root@127.0.0.1:5432/artitec_test_{os.getpid()}")
os.environ.setdefault("ARTITEC_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("ARTITEC_RUN_TASKS_EAGERLY", "true")
os.environ.setdefault("ARTITEC_LOG_JSON", "false")
os.environ.setdefault("ARTITEC_ENVIRONMENT", "test")
os.environ.setdefault("ARTITEC_PER_HOST_DELAY_SECONDS", "0")
# Rendering in headless Chromium is tested where it is meant (tests/research/test_render.py); elsewhere off.
os.environ.setdefault("ARTITEC_RENDER_BROWSERS", "0")
os.environ.pop("ARTITEC_ANTHROPIC_API_KEY", None)

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import psycopg  # noqa: E402
import pytest  # noqa: E402
import redis  # noqa: E402
from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

import app.models  # noqa: E402, F401  (every table mapped before the first query)
import app.worker  # noqa: E402, F401  (tasks are sent through its Celery app)
from app.core.config import Settings, get_settings  # noqa: E402
from app.core.db import Base, SessionFactory, get_engine, make_engine  # noqa: E402
from tests.fakes.anthropic_server import FakeAnthropic  # noqa: E402


def _recreate_database(url: str) -> None:
    parsed = make_url(url)
    admin_dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _drop_database(url: str) -> None:
    parsed = make_url(url)
    admin_dsn = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def alembic_config() -> Config:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    config = Config(os.path.join(root, "alembic.ini"))
    config.attributes["configure_logger"] = False
    return config


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    """A fresh database per test run, built by the migrations."""
    url = get_settings().database_url
    _recreate_database(url)
    config = alembic_config()
    config.attributes["database_url"] = url
    command.upgrade(config, "head")
    yield
    get_engine().dispose()
    _drop_database(url)


@pytest.fixture(scope="session", autouse=True)
def broker_tidied() -> Iterator[None]:
    """Leaves no binding bookkeeping of queues this run declared and deleted behind in the broker's Redis."""
    yield
    url = get_settings().broker_url
    if not url.startswith("redis"):
        return
    client = redis.Redis.from_url(url)
    try:
        for exchange in client.zrange("_kombu.binding_deadlines", 0, -1):
            if not client.exists(b"_kombu.binding." + exchange):
                client.zrem("_kombu.binding_deadlines", exchange)
    except redis.RedisError:
        pass  # a broker that is gone holds nothing
    finally:
        client.close()


@pytest.fixture
def session() -> Iterator[Session]:
    connection = get_engine().connect()
    outer = connection.begin()
    SessionFactory.maker = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    db = SessionFactory()
    try:
        yield db
    finally:
        db.close()
        SessionFactory.maker = None
        outer.rollback()
        connection.close()


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine().begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[None]:
    """SessionFactory bound to a SQLite database built by Alembic, as in the quickstart."""
    url = f"sqlite:///{tmp_path / 'quickstart.db'}"
    config = alembic_config()
    config.attributes["database_url"] = url
    command.upgrade(config, "head")
    engine = make_engine(url)
    SessionFactory.maker = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        yield
    finally:
        SessionFactory.maker = None
        engine.dispose()


@pytest.fixture
def committed_db() -> Iterator[None]:
    """Real commits on the test database, for concurrency and real-worker tests; emptied afterwards."""
    SessionFactory.maker = None
    _truncate_all()
    try:
        yield
    finally:
        SessionFactory.maker = None
        _truncate_all()


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    from app.main import app

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def api_settings() -> Iterator[Callable[..., Settings]]:
    """Hands the API's routes their settings for this test: the app's own with the given fields changed."""
    from app.main import app

    def use(**changes: Any) -> Settings:
        changed = get_settings().model_copy(update=changes)
        app.dependency_overrides[get_settings] = lambda: changed
        return changed

    yield use
    app.dependency_overrides.pop(get_settings, None)


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropic]:
    """The local fake Messages API; the real SDK talks HTTP to it."""
    with FakeAnthropic() as fake:
        yield fake


@pytest.fixture
def fake(fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> FakeAnthropic:
    """The fake Messages API as the Claude endpoint of the app's own settings, for jobs run as the worker runs them."""
    settings = get_settings()
    monkeypatch.setattr(settings, "anthropic_api_key", SecretStr("test-key"))
    monkeypatch.setattr(settings, "anthropic_base_url", fake_anthropic.base_url)
    return fake_anthropic
