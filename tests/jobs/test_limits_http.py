"""Limits as an admin meets them: 429 with Retry-After and a message naming the limit."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.jobs.models import CollectionJob
from tests.factories import auth_headers, make_admin, make_builder
from tests.ops.jobdata import make_jobs

API = "/api/v1/admin"


def test_the_twenty_first_collect_of_the_hour_is_429_with_retry_after(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    make_jobs(session, 20, initiated_by=admin.user_id, created_ago=timedelta(minutes=30))

    response = client.post(f"{API}/builders/{builder.id}/collect", headers=auth_headers(admin), json={})

    assert response.status_code == 429
    assert "per-user limit" in response.json()["detail"]
    assert 29 * 60 <= int(response.headers["Retry-After"]) <= 30 * 60 + 1
    assert session.scalar(select(func.count()).select_from(CollectionJob)) == 20


def test_the_two_hundred_first_job_of_the_day_is_429_for_any_admin(client: TestClient, session: Session) -> None:
    make_jobs(session, 200, created_ago=timedelta(hours=12))
    builder = make_builder(session)

    response = client.post(f"{API}/builders/{builder.id}/collect", headers=auth_headers(make_admin(session)), json={})

    assert response.status_code == 429
    assert "system-wide limit" in response.json()["detail"]
    assert 11 * 3600 <= int(response.headers["Retry-After"]) <= 12 * 3600 + 1
