"""HTTP routes of the ops domain: the cost report and the collection stats."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from app.core.body import StrictJSONRoute
from app.core.db import utcnow
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import InvalidInput
from app.ops import stats
from app.ops.schemas import CollectionStats, CostReport

router = APIRouter(tags=["operations"], route_class=StrictJSONRoute)

MAX_REPORT_DAYS = 366


@router.get(
    "/costs",
    summary="LLM cost by day and entity type, with the month's spend against the budget",
    description="Jobs, tokens, web searches and USD of the jobs created each day (UTC) between `from` and `to` "
    "(inclusive; default: the last 30 days), by entity type, with totals. `month` compares this calendar "
    "month's spend with `monthly_llm_budget_usd`: once the cap is reached new LLM work is refused and "
    "collection goes on web-only.",
    response_model=CostReport,
    response_model_by_alias=True,
)
def costs(
    session: SessionDep,
    settings: SettingsDep,
    from_date: Annotated[
        date | None, Query(alias="from", description="first day (UTC)", examples=["2025-11-01"])
    ] = None,
    to_date: Annotated[date | None, Query(alias="to", description="last day (UTC)", examples=["2025-11-30"])] = None,
) -> CostReport:
    to_date = to_date or utcnow().date()
    from_date = from_date or to_date - timedelta(days=29)
    if from_date > to_date:
        raise InvalidInput(f"from ({from_date}) must not be after to ({to_date})")
    if (to_date - from_date).days >= MAX_REPORT_DAYS:
        raise InvalidInput(f"the report covers at most {MAX_REPORT_DAYS} days; narrow from/to")
    return stats.cost_report(session, settings, from_date, to_date)


@router.get(
    "/collection-stats",
    summary="The plan's success metrics: quality, coverage, efficiency and freshness",
    description="Each metric has its value, the plan's target, whether it is met, and the counts behind it; "
    "the schema below defines every metric.",
    response_model=CollectionStats,
)
def collection_stats(
    session: SessionDep,
    settings: SettingsDep,
    days: Annotated[
        int | None, Query(ge=1, le=3650, description="job and change metrics over the last N days; default all time")
    ] = None,
) -> CollectionStats:
    return stats.collection_stats(session, settings, days=days)
