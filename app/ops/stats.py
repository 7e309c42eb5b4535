"""The plan's success metrics computed from the tables, and the cost report by day and entity type."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Date, case, cast, exists, func, select
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.changes.models import ChangeStatus, CollectionChange
from app.core.config import get_settings
from app.core.db import utcnow
from app.core.entities import RECORD_MODELS
from app.jobs.limits import llm_spend_this_month, month_start
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.ops.schemas import (
    CollectionStats,
    CostReport,
    CostRow,
    CostTotals,
    Coverage,
    Metric,
    MonthBudget,
    Rate,
)

RECENT_DAYS = 90

# The plan's "Success Metrics" targets.
TARGETS: dict[str, tuple[float, Literal["above", "below"]]] = {
    "accuracy": (85.0, "above"),
    "confidence": (0.85, "above"),
    "error_rate": (5.0, "below"),
    "coverage.builder": (70.0, "above"),
    "coverage.community": (60.0, "above"),
    "coverage.property": (50.0, "above"),
    "automation_rate": (40.0, "above"),
    "time_to_review": (48.0, "below"),
    "cost_per_entity": (0.10, "below"),
    "recency": (50.0, "above"),
    "staleness": (120.0, "below"),
}


def _metric(
    name: str,
    value: float | None,
    unit: Literal["percent", "score", "hours", "usd", "days"],
    numerator: float | None = None,
    denominator: float | None = None,
) -> Metric:
    target, direction = TARGETS[name]
    meets = None if value is None else (value > target if direction == "above" else value < target)
    return Metric(
        value=None if value is None else round(value, 4),
        target=target,
        direction=direction,
        meets_target=meets,
        unit=unit,
        numerator=numerator,
        denominator=denominator,
    )


def _percent(name: str, part: float, whole: float) -> Metric:
    return _metric(name, 100.0 * part / whole if whole else None, "percent", part, whole)


def _epoch_seconds(session: Session, column: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return func.extract("epoch", column)


def _changes_since(since: datetime | None) -> list[ColumnElement[bool]]:
    return [CollectionChange.created_at >= since] if since is not None else []


def _jobs_since(since: datetime | None) -> list[ColumnElement[bool]]:
    return [CollectionJob.created_at >= since] if since is not None else []


def _accuracy_and_approval_rate(session: Session, since: datetime | None) -> tuple[Metric, Rate]:
    # A rolled-back change had been accepted: it was applied (applied_at set) before an admin undid it.
    accepted = CollectionChange.status.in_([ChangeStatus.approved, ChangeStatus.applied]) | (
        (CollectionChange.status == ChangeStatus.rolled_back) & CollectionChange.applied_at.is_not(None)
    )
    # A superseded change was replaced by a newer proposal for the same field: that one is the detection.
    # A withdrawn one went with a wrong match (the matcher's mistake, taken back): no detection, no review.
    detected = CollectionChange.status.not_in([ChangeStatus.superseded, ChangeStatus.withdrawn])
    part, whole, rejected = session.execute(
        select(
            func.count().filter(accepted),
            func.count().filter(detected),
            func.count().filter(CollectionChange.status == ChangeStatus.rejected),
        ).where(*_changes_since(since))
    ).one()
    reviewed = part + rejected
    approval = Rate(value=round(100.0 * part / reviewed, 4) if reviewed else None, numerator=part, denominator=reviewed)
    return _percent("accuracy", part, whole), approval


def _applied_confidence_and_automation(session: Session, since: datetime | None) -> tuple[Metric, Metric]:
    applied, average, automatic = session.execute(
        select(
            func.count(),
            func.avg(CollectionChange.confidence),
            func.count().filter(CollectionChange.applied_by == "auto"),
        ).where(CollectionChange.status == ChangeStatus.applied, *_changes_since(since))
    ).one()
    confidence = _metric("confidence", float(average) if average is not None else None, "score", None, applied)
    return confidence, _percent("automation_rate", automatic, applied)


def _error_rate(session: Session, since: datetime | None) -> Metric:
    failed, finished = session.execute(
        select(
            func.count().filter(CollectionJob.status == JobStatus.failed),
            func.count().filter(CollectionJob.status.in_([JobStatus.failed, JobStatus.completed])),
        ).where(*_jobs_since(since))
    ).one()
    return _percent("error_rate", failed, finished)


def _time_to_review(session: Session, since: datetime | None) -> Metric:
    seconds = _epoch_seconds(session, CollectionChange.reviewed_at) - _epoch_seconds(
        session, CollectionChange.created_at
    )
    count, average = session.execute(
        select(func.count(), func.avg(seconds)).where(
            CollectionChange.reviewed_at.is_not(None),
            CollectionChange.status != ChangeStatus.withdrawn,
            *_changes_since(since),
        )
    ).one()
    hours = float(average) / 3600.0 if average is not None else None
    return _metric("time_to_review", hours, "hours", None, count)


def _cost_per_entity(session: Session, since: datetime | None) -> Metric:
    cost = session.scalar(select(func.coalesce(func.sum(CollectionJob.cost_usd), 0)).where(*_jobs_since(since)))
    is_record = CollectionChange.entity_type.in_(list(RECORD_MODELS))
    # A child's change (an award, an amenity) updates the record it belongs to.
    record_type = case((is_record, CollectionChange.entity_type), else_=CollectionChange.parent_entity_type)
    record_id = case(
        (is_record, func.coalesce(CollectionChange.entity_id, CollectionChange.created_entity_id)),
        else_=CollectionChange.parent_entity_id,
    )
    updated_records = (
        select(record_type.label("record_type"), record_id.label("record_id"))
        .where(CollectionChange.status == ChangeStatus.applied, record_id.is_not(None), *_changes_since(since))
        .distinct()
        .subquery()
    )
    updated = session.scalar(select(func.count()).select_from(updated_records))
    total = float(cost or 0)
    return _metric("cost_per_entity", total / updated if updated else None, "usd", total, updated or 0)


def _records(session: Session, now: datetime) -> tuple[Coverage, Metric, Metric]:
    coverage: dict[str, Metric] = {}
    records = synced = recent = 0
    age_seconds = 0.0
    recent_since = now - timedelta(days=RECENT_DAYS)
    now_epoch = now.timestamp()
    for entity_type, model in RECORD_MODELS.items():
        count, with_sync, in_window, average_epoch = session.execute(
            select(
                func.count(),
                func.count(model.last_data_sync),
                func.count().filter(model.last_data_sync >= recent_since),
                func.avg(_epoch_seconds(session, model.last_data_sync)),
            ).where(model.archived_at.is_(None))
        ).one()
        if entity_type != "property":
            coverage[entity_type] = _percent(f"coverage.{entity_type}", with_sync, count)
        records += count
        synced += with_sync
        recent += in_window
        if with_sync:
            age_seconds += (now_epoch - float(average_epoch)) * with_sync
    recency = _percent("recency", recent, records)
    staleness = _metric("staleness", age_seconds / synced / 86400.0 if synced else None, "days", None, synced)
    coverage["property"] = _property_inventory(session, now)
    return Coverage(**coverage), recency, staleness


def _property_inventory(session: Session, now: datetime) -> Metric:
    """Builders (not archived) with a completed inventory job within property_refresh_days."""
    since = now - timedelta(days=get_settings().property_refresh_days)
    refreshed = exists().where(
        CollectionJob.job_type == JobType.property_discovery,
        CollectionJob.parent_entity_type == "builder",
        CollectionJob.parent_entity_id == BuilderProfile.id,
        CollectionJob.status == JobStatus.completed,
        CollectionJob.completed_at >= since,
    )
    part, whole = session.execute(
        select(func.count().filter(refreshed), func.count()).where(BuilderProfile.archived_at.is_(None))
    ).one()
    return _percent("coverage.property", part, whole)


def collection_stats(session: Session, *, days: int | None = None, now: datetime | None = None) -> CollectionStats:
    """Every success metric of the plan, from the tables; job and change metrics over the last ``days``."""
    now = now or utcnow()
    since = now - timedelta(days=days) if days is not None else None
    confidence, automation = _applied_confidence_and_automation(session, since)
    accuracy, approval_rate = _accuracy_and_approval_rate(session, since)
    coverage, recency, staleness = _records(session, now)
    return CollectionStats(
        window_days=days,
        accuracy=accuracy,
        approval_rate=approval_rate,
        confidence=confidence,
        error_rate=_error_rate(session, since),
        coverage=coverage,
        automation_rate=automation,
        time_to_review=_time_to_review(session, since),
        cost_per_entity=_cost_per_entity(session, since),
        recency=recency,
        staleness=staleness,
    )


def _usage_columns() -> list[Any]:
    return [
        func.count().label("jobs"),
        func.coalesce(func.sum(CollectionJob.llm_calls), 0).label("llm_calls"),
        func.coalesce(func.sum(CollectionJob.input_tokens), 0).label("input_tokens"),
        func.coalesce(func.sum(CollectionJob.output_tokens), 0).label("output_tokens"),
        func.coalesce(func.sum(CollectionJob.cache_read_input_tokens), 0).label("cache_read_input_tokens"),
        func.coalesce(func.sum(CollectionJob.cache_creation_input_tokens), 0).label("cache_creation_input_tokens"),
        func.coalesce(func.sum(CollectionJob.web_search_requests), 0).label("web_searches"),
        func.coalesce(func.sum(CollectionJob.cost_usd), 0).label("cost_usd"),
    ]


def _usage(row: Any) -> dict[str, Any]:
    tokens = row.input_tokens + row.output_tokens + row.cache_read_input_tokens + row.cache_creation_input_tokens
    return {
        "jobs": row.jobs,
        "llm_calls": row.llm_calls,
        "input_tokens": row.input_tokens,
        "output_tokens": row.output_tokens,
        "cache_read_input_tokens": row.cache_read_input_tokens,
        "cache_creation_input_tokens": row.cache_creation_input_tokens,
        "tokens": tokens,
        "web_searches": row.web_searches,
        "cost_usd": round(float(Decimal(row.cost_usd)), 6),
    }


def _utc_day(session: Session) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(CollectionJob.created_at)
    return cast(func.timezone("UTC", CollectionJob.created_at), Date)


def cost_report(session: Session, from_date: date, to_date: date, now: datetime | None = None) -> CostReport:
    """Jobs, tokens, web searches and USD by day and entity type, with this month's spend against the budget."""
    now = now or utcnow()
    window = (
        CollectionJob.created_at >= datetime.combine(from_date, time.min, tzinfo=UTC),
        CollectionJob.created_at < datetime.combine(to_date + timedelta(days=1), time.min, tzinfo=UTC),
    )
    day = _utc_day(session).label("day")
    rows = session.execute(
        select(day, CollectionJob.entity_type, *_usage_columns())
        .where(*window)
        .group_by(day, CollectionJob.entity_type)
        .order_by(day, CollectionJob.entity_type)
    ).all()
    by_type = session.execute(
        select(CollectionJob.entity_type, *_usage_columns())
        .where(*window)
        .group_by(CollectionJob.entity_type)
        .order_by(CollectionJob.entity_type)
    ).all()
    totals = session.execute(select(*_usage_columns()).where(*window)).one()
    settings = get_settings()
    spend = llm_spend_this_month(session, now)
    return CostReport(
        from_date=from_date,
        to_date=to_date,
        rows=[
            CostRow(
                day=row.day if isinstance(row.day, date) else date.fromisoformat(row.day),
                entity_type=row.entity_type,
                **_usage(row),
            )
            for row in rows
        ],
        by_entity_type=[CostTotals(entity_type=row.entity_type, **_usage(row)) for row in by_type],
        totals=CostTotals(**_usage(totals)),
        month=MonthBudget(
            month=f"{month_start(now):%Y-%m}",
            spend_usd=float(spend),
            budget_usd=float(settings.monthly_llm_budget_usd),
            remaining_usd=float(settings.monthly_llm_budget_usd - spend),
            cap_reached=spend >= settings.monthly_llm_budget_usd,
        ),
    )
