"""Prometheus /metrics: jobs by status and spend from the tables, durations and costs from observe_job."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import utcnow
from app.ops.metrics import job_counts_by_status, observe_job
from tests.ops.jobdata import make_job


def _sample(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{line_start} not in /metrics")


def test_metrics_show_jobs_by_status_and_this_months_spend(client: TestClient, session: Session) -> None:
    make_job(session, status="completed", cost_usd=Decimal("0.25"))
    make_job(session, status="completed")
    make_job(session, status="failed")
    session.commit()  # the collector reads through its own unit of work

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert _sample(text, 'artitec_collection_jobs{status="completed"}') == 2
    assert _sample(text, 'artitec_collection_jobs{status="failed"}') == 1
    assert _sample(text, 'artitec_collection_jobs{status="running"}') == 0
    assert _sample(text, "artitec_llm_spend_month_usd") == 0.25


@pytest.fixture
def statements(session: Session) -> Iterator[list[str]]:
    """Every statement the session sends meanwhile."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


def test_job_counts_read_finished_jobs_from_the_rollup_and_only_jobs_in_flight_from_the_table(
    session: Session, statements: list[str]
) -> None:
    for status, how_many in (("completed", 3), ("failed", 2), ("cancelled", 1), ("running", 2), ("pending", 1)):
        for _ in range(how_many):
            make_job(session, status=status, created_ago=timedelta(days=how_many * 40))
    statements.clear()

    counts = job_counts_by_status(session)

    assert counts == {"completed": 3, "failed": 2, "cancelled": 1, "running": 2, "pending": 1}
    on_jobs = [s for s in statements if "FROM collection_jobs" in s]
    # The only read of the jobs table is of the jobs still in flight (its status index, few rows).
    assert len(on_jobs) == 1 and "collection_jobs.status IN" in on_jobs[0]
    assert any("FROM rollup_jobs_daily" in s for s in statements)


def test_observe_job_records_status_duration_and_cost(session: Session) -> None:
    labels = {"entity_type": "community", "job_type": "update"}
    before_count = REGISTRY.get_sample_value("artitec_collection_job_duration_seconds_count", labels) or 0
    before_le_60 = (
        REGISTRY.get_sample_value("artitec_collection_job_duration_seconds_bucket", labels | {"le": "60.0"}) or 0
    )
    before_cost = REGISTRY.get_sample_value("artitec_collection_job_cost_usd_total", {"entity_type": "community"}) or 0
    finished = {**labels, "status": "completed"}
    before_done = REGISTRY.get_sample_value("artitec_collection_jobs_finished_total", finished) or 0

    started = utcnow() - timedelta(minutes=5)
    job = make_job(
        session,
        entity_type="community",
        status="completed",
        started_at=started,
        completed_at=started + timedelta(seconds=42),
        cost_usd=Decimal("0.031"),
    )
    observe_job(job)

    assert REGISTRY.get_sample_value("artitec_collection_job_duration_seconds_count", labels) == before_count + 1
    assert (
        REGISTRY.get_sample_value("artitec_collection_job_duration_seconds_bucket", labels | {"le": "60.0"})
        == before_le_60 + 1
    )
    assert (
        REGISTRY.get_sample_value("artitec_collection_job_cost_usd_total", {"entity_type": "community"})
        == before_cost + 0.031
    )
    assert REGISTRY.get_sample_value("artitec_collection_jobs_finished_total", finished) == before_done + 1


def test_observe_job_never_raises() -> None:
    observe_job(object())  # type: ignore[arg-type]


def test_a_worker_serves_its_own_metrics_when_a_port_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import httpx

    from app.core.config import get_settings
    from app.ops.tasks import _serve_worker_metrics

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    monkeypatch.setattr(get_settings(), "worker_metrics_port", port)
    _serve_worker_metrics()
    response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert response.status_code == 200
    assert "artitec_collection_job_duration_seconds" in response.text


def test_metrics_need_the_token_when_one_is_set(client: TestClient, api_settings: Callable[..., Settings]) -> None:
    from pydantic import SecretStr

    api_settings(metrics_token=SecretStr("scrape-token-0123456789"))

    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}).status_code == 200
