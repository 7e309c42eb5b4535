"""/healthz answers while the process is up; /readyz only while the database and the broker are reachable."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.db import make_engine
from app.ops import health
from app.worker import celery_app

CLOSED_PORT_DATABASE = "postgresql+psycopg://root@127.0.0.1:1/artitec?connect_timeout=2"


def test_healthz_is_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_database_and_real_redis(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # Check the real broker (Redis in tests) instead of the eager shortcut.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}


def test_readyz_is_503_when_the_database_is_unreachable(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(CLOSED_PORT_DATABASE)
    monkeypatch.setattr(health, "get_engine", lambda: engine)

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"].startswith("database unreachable")
    engine.dispose()


def test_readyz_is_503_when_the_broker_is_unreachable(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("broker unreachable")
    assert response.json()["checks"]["database"] == "ok"
