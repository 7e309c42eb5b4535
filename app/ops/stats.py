"""The plan's success metrics and the cost report by day and entity type.

On PostgreSQL both read the rollups the triggers of migration 0003 keep (app/ops/models.py), plus at most a
window's first, partial day of rows, so their cost does not grow with history; elsewhere they read the rows.
The row queries here are the metrics' definitions; the rollups sum the same expressions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import BigInteger, ColumnElement, Date, case, cast, func, select, text
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.changes.models import ChangeStatus, CollectionChange, PendingChangeRollup, PendingJobRollup
from app.core.config import Settings
from app.core.db import rollups_kept, utcnow
from app.core.entities import RECORD_MODELS, EntityType
from app.jobs.limits import llm_spend_this_month, month_start
from app.jobs.models import CollectionJob, JobDailyRollup, JobStatus, JobType
from app.ops.models import (
    ChangeDailyRollup,
    RecordLatestApplied,
    RecordLatestDailyRollup,
    RecordSyncRollup,
)
from app.ops.schemas import (
    CollectionStats,
    CostReport,
    Coverage,
    Metric,
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


# Each delta rollup and its key columns; every other column but the id is a measure that adds up.
DELTA_ROLLUPS: dict[Any, tuple[str, ...]] = {
    JobDailyRollup: ("day", "entity_type"),
    ChangeDailyRollup: ("day",),
    RecordLatestDailyRollup: ("day",),
    RecordSyncRollup: ("entity_type", "day"),
    PendingChangeRollup: ("entity_type", "field_name"),
}

# Compactions take turns: two at once could each fold one job's deltas into a folded row of their own.
COMPACTION_LOCK = "compact_rollups"


def compact_rollups(session: Session) -> int:
    """Fold each rollup's delta rows into one row per key (dropping keys that sum to nothing); rows removed.

    One statement per rollup: rows other transactions have not committed yet are not seen, so they stay."""
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext(COMPACTION_LOCK))))
    removed = 0
    for model, keys in DELTA_ROLLUPS.items():
        table = model.__table__
        measures = [c.name for c in table.columns if c.name not in keys and c.name != "id"]
        key_list, measure_list = ", ".join(keys), ", ".join(measures)
        before = session.scalar(select(func.count()).select_from(table)) or 0
        session.execute(
            text(
                f"WITH moved AS (DELETE FROM {table.name} RETURNING *) "
                f"INSERT INTO {table.name} ({key_list}, {measure_list}) "
                f"SELECT {key_list}, {', '.join(f'sum({m})' for m in measures)} FROM moved GROUP BY {key_list} "
                f"HAVING {' OR '.join(f'sum({m}) <> 0' for m in measures)}"
            )
        )
        removed += before - (session.scalar(select(func.count()).select_from(table)) or 0)
    return removed + _fold_pending_jobs(session)


def _fold_pending_jobs(session: Session) -> int:
    """Fold the pending-by-job deltas into the one folded row of each job they touch; rows removed.

    Only jobs with deltas are rewritten, not every job with pending changes, and the rows removed are counted
    from the statement itself rather than by counting the table (one row per job with pending changes)."""
    table = PendingJobRollup.__tablename__
    removed = session.scalar(
        text(
            f"WITH moved AS (DELETE FROM {table} WHERE job_id IN (SELECT job_id FROM {table} WHERE NOT folded) "
            f"RETURNING job_id, pending), folded AS (INSERT INTO {table} (job_id, pending, folded) "
            "SELECT job_id, sum(pending), true FROM moved GROUP BY job_id HAVING sum(pending) <> 0 RETURNING 1) "
            "SELECT (SELECT count(*) FROM moved) - (SELECT count(*) FROM folded)"
        )
    )
    return int(removed or 0)


@dataclass
class ChangeTotals:
    """The counts and sums the change metrics divide; rows of a window and rollup days add up."""

    accepted: int = 0
    detected: int = 0
    rejected: int = 0
    applied: int = 0
    applied_auto: int = 0
    applied_confidence: float = 0.0
    reviewed: int = 0
    review_seconds: float = 0.0

    def __add__(self, other: ChangeTotals) -> ChangeTotals:
        return ChangeTotals(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass
class JobTotals:
    failed: int = 0
    finished: int = 0
    cost_usd: Decimal = Decimal(0)

    def __add__(self, other: JobTotals) -> JobTotals:
        return JobTotals(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class Window:
    """Which rows a metric covers: created at or after ``since`` (all when None), split for the rollups.

    With rollups (PostgreSQL) the whole UTC days from ``rollup_from`` on come from the rollups and only the
    rows before it, at most the first partial day, are read; without, every row in the window is read.
    """

    since: datetime | None
    rollup_from: date | None
    use_rollups: bool

    @classmethod
    def starting(cls, session: Session, since: datetime | None) -> Window:
        if not rollups_kept(session):
            return cls(since, None, use_rollups=False)
        if since is None:
            return cls(None, None, use_rollups=True)
        day = since.astimezone(UTC).date()
        whole = day if since == datetime.combine(day, time.min, tzinfo=UTC) else day + timedelta(days=1)
        return cls(since, whole, use_rollups=True)

    def rows(self, column: Any) -> list[ColumnElement[bool]] | None:
        """Conditions on ``column`` for the rows read directly; None when no row is."""
        if not self.use_rollups:
            return [column >= self.since] if self.since is not None else []
        if self.since is None or self.rollup_from is None:
            return None
        midnight = datetime.combine(self.rollup_from, time.min, tzinfo=UTC)
        return [column >= self.since, column < midnight] if self.since < midnight else None

    def days(self, column: Any) -> list[ColumnElement[bool]]:
        return [column >= self.rollup_from] if self.rollup_from is not None else []


# The definitions of the change metrics, over rows.
_ACCEPTED = CollectionChange.status.in_([ChangeStatus.approved, ChangeStatus.applied]) | (
    # A rolled-back change had been accepted: it was applied (applied_at set) before an admin undid it.
    (CollectionChange.status == ChangeStatus.rolled_back) & CollectionChange.applied_at.is_not(None)
)
# A superseded change was replaced by a newer proposal for the same field: that one is the detection.
# A withdrawn one went with a wrong match (the matcher's mistake, taken back): no detection, no review.
_DETECTED = CollectionChange.status.not_in([ChangeStatus.superseded, ChangeStatus.withdrawn])
_APPLIED = CollectionChange.status == ChangeStatus.applied
_REVIEWED = CollectionChange.reviewed_at.is_not(None) & (CollectionChange.status != ChangeStatus.withdrawn)


def _change_totals(session: Session, window: Window) -> ChangeTotals:
    totals = ChangeTotals()
    conditions = window.rows(CollectionChange.created_at)
    if conditions is not None:
        seconds = _epoch_seconds(session, CollectionChange.reviewed_at) - _epoch_seconds(
            session, CollectionChange.created_at
        )
        row = session.execute(
            select(
                func.count().filter(_ACCEPTED),
                func.count().filter(_DETECTED),
                func.count().filter(CollectionChange.status == ChangeStatus.rejected),
                func.count().filter(_APPLIED),
                func.count().filter(_APPLIED & (CollectionChange.applied_by == "auto")),
                func.coalesce(func.sum(CollectionChange.confidence).filter(_APPLIED), 0),
                func.count().filter(_REVIEWED),
                func.coalesce(func.sum(seconds).filter(_REVIEWED), 0),
            ).where(*conditions)
        ).one()
        totals += _change_totals_of(row)
    if window.use_rollups:
        r = ChangeDailyRollup
        row = session.execute(
            select(
                *(
                    func.coalesce(func.sum(c), 0)
                    for c in (
                        r.accepted,
                        r.detected,
                        r.rejected,
                        r.applied,
                        r.applied_auto,
                        r.applied_confidence,
                        r.reviewed,
                        r.review_seconds,
                    )
                )
            ).where(*window.days(r.day))
        ).one()
        totals += _change_totals_of(row)
    return totals


def _change_totals_of(row: Any) -> ChangeTotals:
    accepted, detected, rejected, applied, applied_auto, confidence, reviewed, seconds = row
    return ChangeTotals(
        accepted=int(accepted),
        detected=int(detected),
        rejected=int(rejected),
        applied=int(applied),
        applied_auto=int(applied_auto),
        applied_confidence=float(confidence),
        reviewed=int(reviewed),
        review_seconds=float(seconds),
    )


def _job_totals(session: Session, window: Window) -> JobTotals:
    totals = JobTotals()
    conditions = window.rows(CollectionJob.created_at)
    if conditions is not None:
        failed, finished, cost = session.execute(
            select(
                func.count().filter(CollectionJob.status == JobStatus.failed),
                func.count().filter(CollectionJob.status.in_([JobStatus.failed, JobStatus.completed])),
                func.coalesce(func.sum(CollectionJob.cost_usd), 0),
            ).where(*conditions)
        ).one()
        totals += JobTotals(failed, finished, Decimal(cost))
    if window.use_rollups:
        r = JobDailyRollup
        failed, finished, cost = session.execute(
            select(
                func.coalesce(func.sum(r.failed), 0),
                func.coalesce(func.sum(r.finished), 0),
                func.coalesce(func.sum(r.cost_usd), 0),
            ).where(*window.days(r.day))
        ).one()
        totals += JobTotals(int(failed), int(finished), Decimal(cost))
    return totals


def _quality(changes: ChangeTotals) -> dict[str, Any]:
    """Accuracy, approval rate, confidence, automation and time to review from the change totals."""
    reviewed = changes.accepted + changes.rejected
    average = changes.applied_confidence / changes.applied if changes.applied else None
    hours = changes.review_seconds / changes.reviewed / 3600.0 if changes.reviewed else None
    return {
        "accuracy": _percent("accuracy", changes.accepted, changes.detected),
        "approval_rate": Rate(
            value=round(100.0 * changes.accepted / reviewed, 4) if reviewed else None,
            numerator=changes.accepted,
            denominator=reviewed,
        ),
        "confidence": _metric("confidence", average, "score", None, changes.applied),
        "automation_rate": _percent("automation_rate", changes.applied_auto, changes.applied),
        "time_to_review": _metric("time_to_review", hours, "hours", None, changes.reviewed),
    }


# The record a change updates: the record itself, or for a child's change (an award, an amenity) its parent.
_IS_RECORD = CollectionChange.entity_type.in_(list(RECORD_MODELS))
_RECORD_TYPE = case((_IS_RECORD, CollectionChange.entity_type), else_=CollectionChange.parent_entity_type)
_RECORD_ID = case(
    (_IS_RECORD, func.coalesce(CollectionChange.entity_id, CollectionChange.created_entity_id)),
    else_=CollectionChange.parent_entity_id,
)


def _updated_records(session: Session, window: Window) -> int:
    """Distinct records with an applied change created in the window."""
    if not window.use_rollups:
        updated_records = (
            select(_RECORD_TYPE.label("record_type"), _RECORD_ID.label("record_id"))
            .where(_APPLIED, _RECORD_ID.is_not(None), *(window.rows(CollectionChange.created_at) or []))
            .distinct()
            .subquery()
        )
        return session.scalar(select(func.count()).select_from(updated_records)) or 0
    # A record counts when its newest applied change is in the window: whole days from the day histogram,
    # the first partial day from the per-record table.
    updated = int(
        session.scalar(
            select(func.coalesce(func.sum(RecordLatestDailyRollup.records), 0)).where(
                *window.days(RecordLatestDailyRollup.day)
            )
        )
        or 0
    )
    partial = window.rows(RecordLatestApplied.latest_at)
    if partial is not None:
        updated += session.scalar(select(func.count()).where(*partial)) or 0
    return updated


def _cost_per_entity(cost: Decimal, updated: int) -> Metric:
    total = float(cost)
    return _metric("cost_per_entity", total / updated if updated else None, "usd", total, updated)


def _record_counts(session: Session, entity_type: str, model: Any, recent_since: datetime) -> tuple[int, int, int, Any]:
    """Of the type's records not archived: how many, how many ever synced, synced since ``recent_since``,
    and the sum of their sync times (epoch seconds)."""
    window = Window.starting(session, recent_since)
    if not window.use_rollups:
        count, synced, recent, epoch_sum = session.execute(
            select(
                func.count(),
                func.count(model.last_data_sync),
                func.count().filter(model.last_data_sync >= recent_since),
                func.sum(_epoch_seconds(session, model.last_data_sync)),
            ).where(model.archived_at.is_(None))
        ).one()
        return count, synced, recent, epoch_sum
    r = RecordSyncRollup
    count, synced, recent, epoch_sum = session.execute(
        select(
            func.coalesce(func.sum(r.records), 0),
            func.coalesce(func.sum(r.records).filter(r.day.is_not(None)), 0),
            func.coalesce(func.sum(r.records).filter(*window.days(r.day)), 0),
            func.sum(r.sync_epoch_sum),
        ).where(r.entity_type == entity_type)
    ).one()
    partial = window.rows(model.last_data_sync)
    if partial is not None:
        recent += session.scalar(select(func.count()).where(model.archived_at.is_(None), *partial)) or 0
    return int(count), int(synced), int(recent), epoch_sum


def _records(session: Session, now: datetime, property_refresh_days: int) -> tuple[Coverage, Metric, Metric]:
    coverage: dict[str, Metric] = {}
    records = synced = recent = 0
    age_seconds = 0.0
    recent_since = now - timedelta(days=RECENT_DAYS)
    now_epoch = now.timestamp()
    builders = 0
    for entity_type, model in RECORD_MODELS.items():
        count, with_sync, in_window, epoch_sum = _record_counts(session, entity_type, model, recent_since)
        if entity_type != EntityType.property:
            coverage[entity_type] = _percent(f"coverage.{entity_type}", with_sync, count)
        if entity_type == EntityType.builder:
            builders = count
        records += count
        synced += with_sync
        recent += in_window
        if with_sync:
            age_seconds += now_epoch * with_sync - float(epoch_sum)
    recency = _percent("recency", recent, records)
    staleness = _metric("staleness", age_seconds / synced / 86400.0 if synced else None, "days", None, synced)
    coverage["property"] = _property_inventory(session, now, builders, property_refresh_days)
    return Coverage(**coverage), recency, staleness


def _property_inventory(session: Session, now: datetime, builders: int, refresh_days: int) -> Metric:
    """Of the ``builders`` not archived, those with a completed inventory job within property_refresh_days.

    Read from the window's jobs (index on job type, status, completion time), never builder by builder."""
    since = now - timedelta(days=refresh_days)
    refreshed = select(CollectionJob.parent_entity_id).where(
        CollectionJob.job_type == JobType.property_discovery,
        CollectionJob.status == JobStatus.completed,
        CollectionJob.completed_at >= since,
        CollectionJob.parent_entity_type == EntityType.builder,
    )
    part = session.scalar(
        select(func.count()).where(BuilderProfile.archived_at.is_(None), BuilderProfile.id.in_(refreshed))
    )
    return _percent("coverage.property", part or 0, builders)


def collection_stats(
    session: Session, settings: Settings, *, days: int | None = None, now: datetime | None = None
) -> CollectionStats:
    """Every success metric of the plan; job and change metrics over the last ``days``.

    On PostgreSQL they come from the rollups plus the rows of the window's first, partial day, so their cost
    does not grow with history; the result is the same as computing them from every row."""
    now = now or utcnow()
    window = Window.starting(session, now - timedelta(days=days) if days is not None else None)
    jobs = _job_totals(session, window)
    coverage, recency, staleness = _records(session, now, settings.property_refresh_days)
    return CollectionStats(
        window_days=days,
        **_quality(_change_totals(session, window)),
        error_rate=_percent("error_rate", jobs.failed, jobs.finished),
        coverage=coverage,
        cost_per_entity=_cost_per_entity(jobs.cost_usd, _updated_records(session, window)),
        recency=recency,
        staleness=staleness,
    )


# A cost report's measures, in the order its query selects them after the day and the entity type.
MEASURES = (
    "jobs",
    "llm_calls",
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
    "web_searches",
    "cost_usd",
    "tokens",
)
ROW_FIELDS = ("day", "entity_type", *MEASURES)


def _usage_columns(use_rollups: bool) -> list[Any]:
    """The MEASURES: from the daily rollup, or from the job rows. Counts come back as Python ints (the
    sum of a bigint is a numeric in PostgreSQL) and the token total is added up by the database, so a
    year of rows reaches the report without Decimal arithmetic; the cost stays exact until the answer rounds it."""
    source: Any = JobDailyRollup if use_rollups else CollectionJob
    counts = [
        cast(func.coalesce(c, 0), BigInteger)
        for c in (
            func.sum(source.jobs) if use_rollups else func.count(),
            func.sum(source.llm_calls),
            func.sum(source.input_tokens),
            func.sum(source.output_tokens),
            func.sum(source.cache_read_input_tokens),
            func.sum(source.cache_creation_input_tokens),
            func.sum(source.web_search_requests),
        )
    ]
    tokens = counts[2] + counts[3] + counts[4] + counts[5]
    return [*counts, func.coalesce(func.sum(source.cost_usd), 0), tokens]


def _totals(rows: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The MEASURES of day rows (day and entity type first) added up, column by column."""
    sums = [sum(column, start=0) for column in zip(*(row[2:] for row in rows), strict=True)] or [0] * len(MEASURES)
    return dict(zip(MEASURES, sums, strict=True))


def _utc_day(session: Session) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(CollectionJob.created_at)
    return cast(func.timezone("UTC", CollectionJob.created_at), Date)


def cost_report(
    session: Session, settings: Settings, from_date: date, to_date: date, now: datetime | None = None
) -> CostReport:
    """Jobs, tokens, web searches and USD by day and entity type, with this month's spend against the budget."""
    now = now or utcnow()
    use_rollups = rollups_kept(session)
    day: Any
    if use_rollups:
        day, entity_type = JobDailyRollup.day, JobDailyRollup.entity_type
        window: tuple[ColumnElement[bool], ...] = (day >= from_date, day <= to_date)
    else:
        day, entity_type = _utc_day(session).label("day"), CollectionJob.entity_type
        window = (
            CollectionJob.created_at >= datetime.combine(from_date, time.min, tzinfo=UTC),
            CollectionJob.created_at < datetime.combine(to_date + timedelta(days=1), time.min, tzinfo=UTC),
        )
    # Rollup rows whose deltas cancel out (a job created and deleted) leave a day with no jobs: not a row.
    having = [func.coalesce(func.sum(JobDailyRollup.jobs), 0) != 0] if use_rollups else []
    rows = session.execute(
        select(day, entity_type, *_usage_columns(use_rollups))
        .where(*window)
        .group_by(day, entity_type)
        .having(*having)
        .order_by(day, entity_type)
    ).all()
    # The by-type and grand totals are sums of the window's day rows (at most a few a day), added up here
    # rather than by two more queries; the report is validated once, as a whole, rather than row by row.
    by_type: dict[str, list[Any]] = {}
    for row in rows:
        by_type.setdefault(row[1], []).append(row)
    spend = llm_spend_this_month(session, now)
    return CostReport.model_validate(
        {
            "from": from_date,
            "to": to_date,
            "rows": [dict(zip(ROW_FIELDS, row, strict=True)) for row in rows],
            "by_entity_type": [{"entity_type": kind, **_totals(group)} for kind, group in sorted(by_type.items())],
            "totals": _totals(rows),
            "month": {
                "month": f"{month_start(now):%Y-%m}",
                "spend_usd": float(spend),
                "budget_usd": float(settings.monthly_llm_budget_usd),
                "remaining_usd": float(settings.monthly_llm_budget_usd - spend),
                "cap_reached": spend >= settings.monthly_llm_budget_usd,
            },
        }
    )
