"""Scheduled refreshes: which records are stale, in what order, and how many jobs the budgets allow."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from app.builders.models import BuilderProfile
from app.communities.models import Community
from app.core.config import Settings
from app.core.db import aware, utcnow
from app.core.entities import EntityType
from app.core.errors import Conflict, RateLimited
from app.jobs.limits import llm_budget_remaining, system_jobs_remaining
from app.jobs.models import CollectionJob, JobStatus, JobType
from app.jobs.service import create_job
from app.properties.models import Property, PropertyStatus
from app.sources.models import CollectionOptOut
from app.sources.optouts import OptOuts

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "system"
OPEN_STATUSES = (JobStatus.pending.value, JobStatus.running.value)
# Sorts never-synced records before every synced one.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
FAILED_RETRY_AFTER = timedelta(days=1)
# Homes worth a weekly look; sold and off-market homes change no more.
LIVE_HOME_STATUSES = (PropertyStatus.available, PropertyStatus.pending, PropertyStatus.model)


@dataclass(frozen=True)
class RefreshTarget:
    """One job the refresh would create: a record's update, or a builder's inventory."""

    entity_type: str
    job_type: str
    entity_id: int | None
    last_data_sync: datetime | None
    url: str | None = None
    parent_entity_type: str | None = None
    parent_entity_id: int | None = None

    @property
    def record(self) -> tuple[str, int]:
        if self.parent_entity_type is not None and self.parent_entity_id is not None:
            return self.parent_entity_type, self.parent_entity_id
        assert self.entity_id is not None
        return self.entity_type, self.entity_id

    @property
    def sort_key(self) -> tuple[datetime, str, int]:
        return (aware(self.last_data_sync) or NEVER, self.entity_type, self.record[1])


@dataclass
class RefreshResult:
    """What one refresh run did."""

    created: list[str] = field(default_factory=list)
    web_only: int = 0
    skipped_opted_out: int = 0
    job_budget: int = 0
    stale_found: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "web_only": self.web_only,
            "skipped_opted_out": self.skipped_opted_out,
            "job_budget": self.job_budget,
            "stale_found": self.stale_found,
        }


def _entity_opted_out(entity_type: str, id_column: Any) -> Any:
    return exists().where(CollectionOptOut.entity_type == entity_type, CollectionOptOut.entity_id == id_column)


def _open_job(entity_type: str, id_column: Any) -> Any:
    return exists().where(
        CollectionJob.entity_type == entity_type,
        CollectionJob.entity_id == id_column,
        CollectionJob.status.in_(OPEN_STATUSES),
    )


def _recently_checked(job_match: Any, cutoff: datetime, now: datetime) -> Any:
    """A job already looked within the cadence (or failed or was cancelled within the day): no new job yet.

    last_data_sync moves only when a change is applied, so a record whose page did not change would
    otherwise be refreshed on every run. A failure, or an admin's cancel, waits a day.
    """
    given_up = CollectionJob.status.in_((JobStatus.failed, JobStatus.cancelled))
    # A job completed during a provider outage read the structured data only: it is no full check.
    checked = (CollectionJob.status == JobStatus.completed) & ~CollectionJob.llm_outage
    return exists().where(
        job_match,
        (checked & (CollectionJob.completed_at >= cutoff))
        | (given_up & (CollectionJob.completed_at >= now - FAILED_RETRY_AFTER)),
    )


def _model_owed(entity_type: str, id_column: Any) -> Any:
    """The record's last completed update job got no model answer (a provider outage): ask again, stale or not.

    Its structured findings may have been applied, which makes the record look fresh."""
    later = aliased(CollectionJob)
    return exists().where(
        CollectionJob.entity_type == entity_type,
        CollectionJob.entity_id == id_column,
        CollectionJob.job_type == JobType.update,
        CollectionJob.status == JobStatus.completed,
        CollectionJob.llm_outage,
        ~exists().where(
            later.entity_type == CollectionJob.entity_type,
            later.entity_id == CollectionJob.entity_id,
            later.job_type == JobType.update,
            later.status == JobStatus.completed,
            later.completed_at > CollectionJob.completed_at,
        ),
    )


def _stale_records(
    session: Session, model: Any, entity_type: str, url_column: Any, cutoff: datetime, now: datetime, limit: int
) -> list[RefreshTarget]:
    same_record = (CollectionJob.entity_type == entity_type) & (CollectionJob.entity_id == model.id)
    rows = session.execute(
        select(model.id, model.last_data_sync, url_column)
        .where(
            model.archived_at.is_(None),
            (model.last_data_sync.is_(None)) | (model.last_data_sync < cutoff) | _model_owed(entity_type, model.id),
            ~_entity_opted_out(entity_type, model.id),
            ~_open_job(entity_type, model.id),
            ~_recently_checked(same_record & (CollectionJob.job_type == JobType.update), cutoff, now),
        )
        .order_by(model.last_data_sync.asc().nulls_first(), model.id)
        .limit(limit)
    ).all()
    return [RefreshTarget(entity_type, JobType.update, row[0], row[1], row[2]) for row in rows]


def _stale_inventories(session: Session, cutoff: datetime, now: datetime, limit: int) -> list[RefreshTarget]:
    """Builders whose live homes are stale: one inventory job per builder refreshes all of them."""
    inventory_of_builder = (
        (CollectionJob.job_type == JobType.property_discovery)
        & (CollectionJob.parent_entity_type == EntityType.builder)
        & (CollectionJob.parent_entity_id == BuilderProfile.id)
    )
    stalest = func.min(func.coalesce(Property.last_data_sync, literal(NEVER)))
    open_inventory_job = exists().where(
        CollectionJob.job_type == JobType.property_discovery,
        CollectionJob.parent_entity_type == EntityType.builder,
        CollectionJob.parent_entity_id == BuilderProfile.id,
        CollectionJob.status.in_(OPEN_STATUSES),
    )
    rows = session.execute(
        select(BuilderProfile.id, stalest, BuilderProfile.website)
        .join(Property, Property.builder_id == BuilderProfile.id)
        .where(
            BuilderProfile.archived_at.is_(None),
            Property.archived_at.is_(None),
            Property.property_status.in_(LIVE_HOME_STATUSES),
            (Property.last_data_sync.is_(None)) | (Property.last_data_sync < cutoff),
            ~_entity_opted_out(EntityType.builder, BuilderProfile.id),
            ~open_inventory_job,
            ~_recently_checked(inventory_of_builder, cutoff, now),
        )
        .group_by(BuilderProfile.id, BuilderProfile.website)
        .order_by(stalest, BuilderProfile.id)
        .limit(limit)
    ).all()
    return [
        RefreshTarget(
            "property",
            JobType.property_discovery,
            None,
            None if aware(row[1]) == NEVER else aware(row[1]),
            row[2],
            parent_entity_type=EntityType.builder,
            parent_entity_id=row[0],
        )
        for row in rows
    ]


def stale_targets(session: Session, settings: Settings, now: datetime, limit: int) -> list[RefreshTarget]:
    """Stale builders, communities and builder inventories, stalest first (never synced before all)."""
    targets = (
        _stale_records(
            session,
            BuilderProfile,
            "builder",
            BuilderProfile.website,
            now - timedelta(days=settings.builder_refresh_days),
            now,
            limit,
        )
        + _stale_records(
            session,
            Community,
            "community",
            Community.community_website_url,
            now - timedelta(days=settings.community_refresh_days),
            now,
            limit,
        )
        + _stale_inventories(session, now - timedelta(days=settings.property_refresh_days), now, limit)
    )
    return sorted(targets, key=lambda target: target.sort_key)


def _llm_job_slots(session: Session, settings: Settings) -> int | None:
    """How many jobs the month's remaining LLM budget pays for; None when refreshes use no LLM."""
    if settings.refresh_researcher == "web":
        return None
    remaining = llm_budget_remaining(session, settings)
    if remaining <= 0:
        return 0
    estimate = settings.refresh_job_cost_estimate_usd
    if estimate <= 0:
        return None
    return int(remaining / max(estimate, Decimal("0.000001")))


def create_refresh_job(session: Session, target: RefreshTarget, researcher: str, settings: Settings) -> CollectionJob:
    """Create one scheduled job; it is sent to the worker when the session commits."""
    job = create_job(
        session,
        None,
        settings=settings,
        entity_type=target.entity_type,
        job_type=target.job_type,
        entity_id=target.entity_id,
        parent_entity_type=target.parent_entity_type,
        parent_entity_id=target.parent_entity_id,
        researcher=researcher,
        auto_apply=settings.refresh_auto_apply,
        scheduled=True,
    )
    job.initiated_by = SYSTEM_ACTOR
    session.flush()
    return job


def refresh_stale_records(session: Session, settings: Settings, now: datetime | None = None) -> RefreshResult:
    """Create update jobs for the stalest records within the daily job budget and the monthly cost budget."""
    now = now or utcnow()
    result = RefreshResult()
    result.job_budget = min(settings.refresh_max_jobs_per_run, system_jobs_remaining(session, settings, now))
    if result.job_budget <= 0:
        log.info("scheduled refresh skipped: the daily job limit is used up")
        return result
    llm_slots = _llm_job_slots(session, settings)
    # Room for opted-out records that are skipped without using the budget.
    targets = stale_targets(session, settings, now, limit=result.job_budget * 2 + 20)
    result.stale_found = len(targets)
    opt_outs = OptOuts.load(session)  # once for the run; record opt-outs were already left out by the query
    for target in targets:
        if len(result.created) >= result.job_budget:
            break
        if opt_outs.covers(url=target.url, entity_type=target.record[0], entity_id=target.record[1]):
            result.skipped_opted_out += 1
            continue
        researcher = settings.refresh_researcher
        if researcher == "claude" and not settings.has_llm_key:
            researcher = "web"  # no key: a claude job could only fail
        if llm_slots is not None and len(result.created) >= llm_slots:
            # The month's LLM budget is spent: collection goes on from structured data alone.
            researcher = "web"
            result.web_only += 1
        try:
            job = create_refresh_job(session, target, researcher, settings)
        except RateLimited:
            log.info("scheduled refresh stopped by the system-wide job limit")
            break
        except Conflict:
            # Opted out between the query and the insert.
            result.skipped_opted_out += 1
            continue
        result.created.append(job.job_id)
    log.info("scheduled refresh: %s", result.summary())
    return result
