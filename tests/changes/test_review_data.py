"""Review data that adds up: history of a record's children, rejects of unknown ids, money and timestamps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.orm import Session

from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_updates
from app.core.config import Settings, get_settings
from app.core.db import UtcDateTime
from app.jobs.models import CollectionJob
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import auth_headers, make_admin, make_builder, make_plan

API = "/api/v1/admin"
PAGE = "The Oakmont from $499,000. Builder of the Year 2024 (GHBA)."


def _apply_all(client: TestClient, headers: dict[str, str], builder_id: int) -> None:
    response = client.post(f"{API}/builders/{builder_id}/apply-changes", json={"apply_all": True}, headers=headers)
    assert response.status_code == 200 and response.json()["failed"] == 0, response.text


def _history(client: TestClient, headers: dict[str, str], builder_id: int, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"{API}/builders/{builder_id}/history", params=params, headers=headers)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["history"]
    return entries


def test_history_shows_the_changes_of_a_records_plans_and_awards(session: Session, client: TestClient) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session, name="Perry Homes")
    other = make_builder(session, name="Other Homes")
    plan = make_plan(session, builder, name="The Oakmont", base_price=485000.0)
    children = [
        finding("home_plan", name="The Oakmont", base_price="$499,000"),
        finding("award", title="Builder of the Year", year="2024", issuer="GHBA"),
    ]
    propose_updates(
        session,
        make_job(session),
        "builder",
        builder.id,
        finding("builder", children=children),
        {OFFICIAL: PAGE},
        settings=get_settings(),
    )
    _apply_all(client, headers, builder.id)

    prices = _history(client, headers, builder.id, field="base_price")
    assert [(h["entity_type"], h["entity_id"], h["field"], h["old_value"], h["new_value"]) for h in prices] == [
        ("home_plan", plan.id, "base_price", 485000, 499000)
    ]
    assert prices[0]["status"] == "applied" and prices[0]["applied_at"].endswith(("Z", "+00:00"))
    everything = _history(client, headers, builder.id)
    award = next(h for h in everything if h["entity_type"] == "award")
    assert award["field"] is None and award["new_value"]["title"] == "Builder of the Year"
    assert award["entity_id"] is not None  # the award created
    assert _history(client, headers, other.id) == []  # another builder's history holds none of it


def test_rejecting_an_unknown_change_answers_404_naming_it_and_rejects_nothing(
    session: Session, client: TestClient
) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session, phone="(713) 555-0100")
    [change] = propose_updates(
        session,
        make_job(session),
        "builder",
        builder.id,
        finding("builder", phone="(713) 555-0199"),
        {},
        settings=get_settings(),
    ).changes
    missing = change.id + 1000
    response = client.post(f"{API}/changes/reject", json={"change_ids": [change.id, missing]}, headers=headers)
    assert response.status_code == 404 and str(missing) in response.json()["detail"]
    session.expire_all()
    kept = session.get(CollectionChange, change.id)
    assert kept is not None and kept.status == ChangeStatus.pending


def test_a_claude_job_without_an_anthropic_key_is_refused_at_the_request(
    session: Session, client: TestClient, api_settings: Callable[..., Settings]
) -> None:
    api_settings(anthropic_api_key=None)
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)
    url = f"{API}/builders/{builder.id}/collect"
    response = client.post(url, json={"researcher": "claude"}, headers=headers)
    assert response.status_code == 422 and "ARTITEC_ANTHROPIC_API_KEY" in response.json()["detail"]
    assert session.scalars(select(CollectionJob).where(CollectionJob.entity_id == builder.id)).all() == []
    assert client.post(url, json={"researcher": "web"}, headers=headers).status_code == 202

    api_settings(anthropic_api_key=SecretStr("sk-ant-test"))
    assert client.post(url, json={"researcher": "claude"}, headers=headers).status_code == 202


def test_money_is_one_json_number_of_dollars_across_jobs_and_costs(session: Session, client: TestClient) -> None:
    headers = auth_headers(make_admin(session))
    job = make_job(session, cost_usd=Decimal("0.012345"), llm_calls=1)
    detail = client.get(f"{API}/collection-jobs/{job.job_id}", headers=headers).json()
    assert detail["cost_usd"] == 0.012345
    listed = client.get(f"{API}/collection-jobs", headers=headers).json()
    assert [j["cost_usd"] for j in listed["jobs"] if j["job_id"] == job.job_id] == [0.012345]
    day = job.created_at.date().isoformat()
    costs = client.get(f"{API}/costs", params={"from": day, "to": day}, headers=headers).json()
    assert isinstance(costs["month"]["spend_usd"], float) and isinstance(costs["month"]["budget_usd"], float)
    assert [r["cost_usd"] for r in costs["rows"]] == [0.012345]


def test_timestamps_read_back_with_their_offset_even_on_sqlite() -> None:
    table = Table("moments", MetaData(), Column("id", Integer, primary_key=True), Column("at", UtcDateTime()))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    moment = datetime(2025, 11, 9, 10, 30, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(insert(table).values(id=1, at=moment))
        stored = connection.scalar(select(table.c.at))
    assert stored == moment and stored.utcoffset() is not None
