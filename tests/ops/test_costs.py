"""The cost report by day and entity type, and the month's spend against the cap."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import utcnow
from app.jobs.limits import llm_budget_remaining
from tests.factories import auth_headers, make_admin
from tests.ops.jobdata import make_job

API = "/api/v1/admin"


def _noon(day_offset: int) -> datetime:
    return datetime.combine(utcnow().date() - timedelta(days=day_offset), time(12), tzinfo=UTC)


def test_cost_report_sums_jobs_tokens_searches_and_usd_by_day_and_entity_type(
    client: TestClient, session: Session
) -> None:
    usage = {"llm_calls": 1, "input_tokens": 800, "output_tokens": 1500, "web_search_requests": 1}
    make_job(session, created_at=_noon(3), cost_usd=Decimal("0.03"), **usage)
    make_job(session, created_at=_noon(3), cost_usd=Decimal("0.02"), **usage | {"cache_read_input_tokens": 100})
    make_job(session, created_at=_noon(3), entity_type="community", cost_usd=Decimal("0.05"), **usage)
    make_job(session, created_at=_noon(2), cost_usd=Decimal("0.01"))
    make_job(session, created_at=_noon(10), cost_usd=Decimal("9.99"))  # before the range

    first, last = _noon(3).date(), _noon(2).date()
    response = client.get(
        f"{API}/costs", headers=auth_headers(make_admin(session)), params={"from": str(first), "to": str(last)}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"]) == (str(first), str(last))
    rows = [
        (r["day"], r["entity_type"], r["jobs"], r["tokens"], r["web_searches"], r["cost_usd"]) for r in body["rows"]
    ]
    assert rows == [
        (str(first), "builder", 2, 4700, 2, pytest.approx(0.05)),
        (str(first), "community", 1, 2300, 1, pytest.approx(0.05)),
        (str(last), "builder", 1, 0, 0, pytest.approx(0.01)),
    ]
    assert [(t["entity_type"], t["jobs"], t["cost_usd"]) for t in body["by_entity_type"]] == [
        ("builder", 3, pytest.approx(0.06)),
        ("community", 1, pytest.approx(0.05)),
    ]
    totals = body["totals"]
    assert (totals["jobs"], totals["input_tokens"], totals["output_tokens"], totals["llm_calls"]) == (4, 2400, 4500, 3)
    assert totals["cost_usd"] == pytest.approx(0.11)


def test_month_section_shows_spend_against_budget_and_the_cap(
    client: TestClient, session: Session, api_settings: Callable[..., Settings]
) -> None:
    settings = api_settings(monthly_llm_budget_usd=Decimal("0.10"))
    make_job(session, cost_usd=Decimal("0.04"))
    headers = auth_headers(make_admin(session))

    month = client.get(f"{API}/costs", headers=headers).json()["month"]
    assert month["month"] == f"{utcnow():%Y-%m}"
    assert (month["spend_usd"], month["budget_usd"], month["cap_reached"]) == (0.04, 0.10, False)
    assert month["remaining_usd"] == pytest.approx(0.06)
    assert llm_budget_remaining(session, settings) > 0

    make_job(session, cost_usd=Decimal("0.06"))
    month = client.get(f"{API}/costs", headers=headers).json()["month"]
    assert month["cap_reached"] is True
    assert month["remaining_usd"] == pytest.approx(0.0)
    # What the researchers check before any LLM call.
    assert llm_budget_remaining(session, settings) <= 0


def test_cost_report_refuses_a_reversed_or_malformed_range(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    reversed_range = client.get(f"{API}/costs", headers=headers, params={"from": "2025-11-30", "to": "2025-11-01"})
    assert reversed_range.status_code == 422
    assert "from" in reversed_range.json()["detail"]
    malformed = client.get(f"{API}/costs", headers=headers, params={"from": "yesterday"})
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["loc"] == ["query", "from"]
    too_long = client.get(f"{API}/costs", headers=headers, params={"from": "2020-01-01", "to": "2025-01-01"})
    assert too_long.status_code == 422
