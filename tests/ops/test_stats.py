"""Every success metric against values computed by hand on a known data set."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.core.db import utcnow
from app.ops.schemas import CollectionStats
from app.ops.stats import collection_stats
from tests.factories import auth_headers, make_admin, make_builder, make_community, make_property
from tests.ops.jobdata import make_change, make_job

API = "/api/v1/admin"


@pytest.fixture
def now() -> datetime:
    return utcnow()


@pytest.fixture
def dataset(session: Session, now: datetime) -> None:
    """Records, jobs and changes whose metrics are worked out in the comments below."""

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    # Records: builders 2 of 4 synced (50%), communities 1 of 2 (50%).
    # Recent (<= 90 days): b1 10, c1 30, p1 5 -> 3 of 8 records = 37.5%.
    # Staleness over the 5 synced records: (10 + 100 + 30 + 5 + 200) / 5 = 69 days.
    b1 = make_builder(session, last_data_sync=ago(10))
    b2 = make_builder(session, last_data_sync=ago(100))
    b3 = make_builder(session, last_data_sync=None)
    b4 = make_builder(session, last_data_sync=None)
    archived = make_builder(session, last_data_sync=ago(1), archived_at=now)  # archived: not counted anywhere
    c1 = make_community(session, last_data_sync=ago(30))
    make_community(session, last_data_sync=None)
    p1 = make_property(session, last_data_sync=ago(5))
    make_property(session, last_data_sync=ago(200))

    # Jobs: all time 2 of 8 finished failed (25%), cost 1.45; last 30 days 1 of 7 (14.29%), cost 0.45.
    j1 = make_job(session, status="completed", cost_usd=Decimal("0.30"), created_ago=timedelta(days=3))
    make_job(session, status="completed", cost_usd=Decimal("0.10"), created_ago=timedelta(days=3))
    make_job(session, status="failed", cost_usd=Decimal("0.05"), created_ago=timedelta(days=2))
    make_job(session, status="running", created_ago=timedelta(hours=1))
    make_job(session, status="cancelled", created_ago=timedelta(hours=1))
    make_job(session, status="failed", cost_usd=Decimal("1.00"), created_ago=timedelta(days=40))

    # Property inventory: of the 4 builders only b1 had its inventory job complete within 7 days -> 25%.
    # b2's is 10 days old, b3's was cancelled, b4 had a discovery job (not its inventory).
    def inventory(builder_id: int, completed_days_ago: float, **overrides: str) -> None:
        values = {"status": "completed", "job_type": "property_discovery"} | overrides
        make_job(
            session, entity_type="property", parent_entity_type="builder", parent_entity_id=builder_id,
            created_ago=timedelta(days=completed_days_ago + 1), completed_at=ago(completed_days_ago), **values,
        )  # fmt: skip

    inventory(b1.id, 2)
    inventory(b2.id, 10)
    inventory(b3.id, 1, status="cancelled")
    inventory(b4.id, 1, job_type="discovery")
    inventory(archived.id, 1)

    detected = ago(3)

    def reviewed(hours: float) -> datetime:
        return detected + timedelta(hours=hours)

    # Accuracy: approved = 4 applied + 1 approved + 1 rolled back after being applied = 6; detected = all 9
    # changes but the superseded one = 8 -> 75%. Approval rate of reviewed: 6 / (6 + 1 rejected) = 85.71%.
    # Confidence of applied: (0.95 + 0.85 + 0.80 + 0.90) / 4 = 0.875. Automation: 1 of 4 applied = 25%.
    # Time to review (admin-reviewed only): (24 + 12 + 36 + 6 + 2) / 5 = 16 hours.
    # Entities updated: builder b1 (twice), builder b2 (through an award), home p1 (created) = 3.
    make_change(session, j1, at=detected, entity_id=b1.id, status="applied", applied_by="auto", confidence=0.95)
    make_change(
        session, j1, at=detected, entity_id=b1.id, field_name="email", status="applied",
        applied_by="USR-1", reviewed_by="USR-1", reviewed_at=reviewed(24), confidence=0.85,
    )  # fmt: skip
    make_change(
        session, j1, at=detected, entity_type="award", entity_id=None, field_name=None, change_type="added",
        parent_entity_type="builder", parent_entity_id=b2.id, status="applied", applied_by="USR-1",
        reviewed_by="USR-1", reviewed_at=reviewed(12), confidence=0.80,
    )  # fmt: skip
    make_change(
        session, j1, at=detected, entity_id=b3.id, status="rejected", reviewed_by="USR-1",
        reviewed_at=reviewed(36), confidence=0.5,
    )  # fmt: skip
    make_change(
        session, j1, at=detected, entity_type="community", entity_id=c1.id, status="approved",
        reviewed_by="USR-1", reviewed_at=reviewed(6), confidence=0.7,
    )  # fmt: skip
    make_change(session, j1, at=detected, entity_id=b3.id, field_name="website", status="pending", confidence=0.6)
    make_change(session, j1, at=detected, entity_id=b3.id, field_name="name", status="superseded", confidence=0.9)
    make_change(
        session, j1, at=detected, entity_type="property", entity_id=None, field_name=None, is_new_entity=True,
        change_type="added", created_entity_id=p1.id, status="applied", applied_by="USR-1", reviewed_by="USR-1",
        reviewed_at=reviewed(2), confidence=0.9,
    )  # fmt: skip
    make_change(
        session, j1, at=detected, entity_id=b2.id, field_name="website", status="rolled_back", applied_by="auto",
        applied_at=detected, rolled_back_at=reviewed(1), rolled_back_by="USR-1", confidence=0.9,
    )  # fmt: skip


def _values(stats: CollectionStats) -> dict[str, float | None]:
    return {
        "accuracy": stats.accuracy.value,
        "approval_rate": stats.approval_rate.value,
        "confidence": stats.confidence.value,
        "error_rate": stats.error_rate.value,
        "coverage.builder": stats.coverage.builder.value,
        "coverage.community": stats.coverage.community.value,
        "coverage.property": stats.coverage.property.value,
        "automation_rate": stats.automation_rate.value,
        "time_to_review": stats.time_to_review.value,
        "cost_per_entity": stats.cost_per_entity.value,
        "recency": stats.recency.value,
        "staleness": stats.staleness.value,
    }


EXPECTED_ALL_TIME = {
    "accuracy": 75.0,
    "approval_rate": 85.7143,
    "confidence": 0.875,
    "error_rate": 25.0,
    "coverage.builder": 50.0,
    "coverage.community": 50.0,
    "coverage.property": 25.0,
    "automation_rate": 25.0,
    "time_to_review": 16.0,
    "cost_per_entity": 0.4833,
    "recency": 37.5,
    "staleness": 69.0,
}


def test_every_metric_matches_the_hand_computed_value(session: Session, dataset: None, now: datetime) -> None:
    stats = collection_stats(session, get_settings(), now=now)
    assert _values(stats) == pytest.approx(EXPECTED_ALL_TIME, abs=1e-4)
    assert (stats.accuracy.numerator, stats.accuracy.denominator) == (6, 8)
    assert (stats.approval_rate.numerator, stats.approval_rate.denominator) == (6, 7)
    assert (stats.coverage.property.numerator, stats.coverage.property.denominator) == (1, 4)
    assert (stats.error_rate.numerator, stats.error_rate.denominator) == (2, 8)
    assert (stats.cost_per_entity.numerator, stats.cost_per_entity.denominator) == (pytest.approx(1.45), 3)


def test_targets_are_the_plans_and_say_whether_they_are_met(session: Session, dataset: None, now: datetime) -> None:
    stats = collection_stats(session, get_settings(), now=now)
    summary = {
        "accuracy": (stats.accuracy.target, stats.accuracy.direction, stats.accuracy.meets_target),
        "confidence": (stats.confidence.target, stats.confidence.direction, stats.confidence.meets_target),
        "error_rate": (stats.error_rate.target, stats.error_rate.direction, stats.error_rate.meets_target),
        "builder": (stats.coverage.builder.target, "above", stats.coverage.builder.meets_target),
        "community": (stats.coverage.community.target, "above", stats.coverage.community.meets_target),
        "property": (stats.coverage.property.target, "above", stats.coverage.property.meets_target),
        "automation": (
            stats.automation_rate.target,
            stats.automation_rate.direction,
            stats.automation_rate.meets_target,
        ),
        "review": (stats.time_to_review.target, stats.time_to_review.direction, stats.time_to_review.meets_target),
        "cost": (stats.cost_per_entity.target, stats.cost_per_entity.direction, stats.cost_per_entity.meets_target),
        "recency": (stats.recency.target, stats.recency.direction, stats.recency.meets_target),
        "staleness": (stats.staleness.target, stats.staleness.direction, stats.staleness.meets_target),
    }
    assert summary == {
        "accuracy": (85.0, "above", False),
        "confidence": (0.85, "above", True),
        "error_rate": (5.0, "below", False),
        "builder": (70.0, "above", False),
        "community": (60.0, "above", False),
        "property": (50.0, "above", False),
        "automation": (40.0, "above", False),
        "review": (48.0, "below", True),
        "cost": (0.10, "below", False),
        "recency": (50.0, "above", False),
        "staleness": (120.0, "below", True),
    }


def test_a_window_limits_job_and_change_metrics_but_not_record_metrics(
    session: Session, dataset: None, now: datetime
) -> None:
    values = _values(collection_stats(session, get_settings(), days=30, now=now))
    assert values == pytest.approx(EXPECTED_ALL_TIME | {"error_rate": 14.2857, "cost_per_entity": 0.15}, abs=1e-4)


def test_metrics_without_data_are_null_not_zero(session: Session) -> None:
    stats = collection_stats(session, get_settings())
    assert stats.accuracy.value is None and stats.accuracy.meets_target is None
    assert stats.staleness.value is None
    assert stats.coverage.builder.value is None
    assert stats.coverage.property.value is None
    assert (stats.approval_rate.value, stats.approval_rate.denominator) == (None, 0)


def test_collection_stats_endpoint_answers_the_metrics(client: TestClient, session: Session, dataset: None) -> None:
    response = client.get(f"{API}/collection-stats", headers=auth_headers(make_admin(session)))
    assert response.status_code == 200
    body = response.json()
    assert body["accuracy"]["value"] == 75.0
    assert body["approval_rate"] == {
        "value": pytest.approx(85.7143, abs=1e-4),
        "unit": "percent",
        "numerator": 6,
        "denominator": 7,
    }
    assert body["coverage"]["community"]["value"] == 50.0
    assert body["staleness"]["value"] == pytest.approx(69.0, abs=1e-3)
    assert body["window_days"] is None
    assert (
        client.get(f"{API}/collection-stats", headers=auth_headers(make_admin(session)), params={"days": 0}).status_code
        == 422
    )


def test_every_metric_is_defined_with_its_target_in_the_openapi_description(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    fields = schemas["CollectionStats"]["properties"] | schemas["Coverage"]["properties"]
    metrics = [name for name in fields if name not in ("window_days", "coverage", "approval_rate")]
    assert len(metrics) == 11  # eight metrics plus coverage of three entity types
    for name in metrics:
        description = fields[name].get("description", "")
        assert "Target:" in description, name
