"""End to end through a real Celery worker on Redis: POST collect -> pending -> running -> completed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth.models import Role, User
from app.builders.models import BuilderProfile
from app.core.db import session_scope
from app.sample_data import seed_sample
from tests.factories import auth_headers

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1/admin"


def _poll(client: TestClient, job_id: str, headers: dict[str, str], timeout: float = 180.0) -> list[dict[str, Any]]:
    """Every distinct state the job was seen in, until it finishes (or the timeout)."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"{API}/collection-jobs/{job_id}", headers=headers).json()
        if not seen or seen[-1]["status"] != body["status"]:
            seen.append(body)
        if body["status"] in ("completed", "failed", "cancelled"):
            return seen
        time.sleep(0.1)
    return seen


def test_a_job_runs_on_a_real_worker_and_shows_evidence_backed_changes(
    committed_db: None, sample_sites: str, worker_queue: str
) -> None:
    with session_scope() as session:
        seed_sample(session, sample_sites)
        admin = User(email="e2e-admin@example.com", role=Role.admin)
        session.add(admin)
        session.flush()
        headers = auth_headers(admin)
        perry_id = session.scalar(select(BuilderProfile.id).where(BuilderProfile.name == "Perry Homes"))
    from app.main import app

    with TestClient(app) as client:
        accepted = client.post(f"{API}/builders/{perry_id}/collect", json={"researcher": "web"}, headers=headers)
        assert accepted.status_code == 202 and accepted.json()["status"] == "pending"
        job_id = accepted.json()["job_id"]

        seen = _poll(client, job_id, headers)
        pending = client.get(f"{API}/builders/{perry_id}/pending-changes", headers=headers)

    final = seen[-1]
    assert final["status"] == "completed", final.get("error_message")
    statuses = [e["data"]["status"] for e in final["timeline"] if e["kind"] == "status"]
    assert statuses == ["pending", "running", "completed"]
    assert final["results"]["changes_detected"] >= 1
    phone = [c for c in final["changes_summary"] if c.get("field") == "phone"]
    assert phone and phone[0]["evidence"][0]["source_url"].startswith(f"{sample_sites}/perry-homes/")
    assert "555-0199" in phone[0]["evidence"][0]["quote"]
    assert pending.status_code == 200
    assert "phone" in pending.text and job_id in pending.text
