"""Collection jobs: one request to collect or discover, its lifecycle, usage and timeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Identity, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, CreatedAtMixin, JSONType, TimestampMixin, utcnow
from app.core.ids import new_job_id


class JobStatus(StrEnum):
    pending = "pending"
    running = "running"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"


class JobType(StrEnum):
    update = "update"
    discovery = "discovery"
    property_discovery = "property_discovery"


class CollectionJob(TimestampMixin, Base):
    __tablename__ = "collection_jobs"
    __table_args__ = (
        Index("idx_entity", "entity_type", "entity_id"),
        # The list is newest first, keyset on (created_at, id): each filter it offers leads an index in that order.
        Index("idx_status", "status", "created_at", "id"),
        Index("idx_job_type", "job_type", "created_at", "id"),
        Index("ix_collection_jobs_entity_type_created_at", "entity_type", "created_at", "id"),
        Index("idx_parent", "parent_entity_type", "parent_entity_id"),
        Index("ix_collection_jobs_created_at", "created_at", "id"),
        # Builders whose inventory was refreshed lately (a coverage metric): recent completed jobs of a type.
        Index("ix_collection_jobs_type_status_completed_at", "job_type", "status", "completed_at"),
        Index("ix_collection_jobs_initiated_by_created_at", "initiated_by", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(50), unique=True, default=new_job_id)

    entity_type: Mapped[str] = mapped_column(String(50))  # builder, community, property
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    job_type: Mapped[str] = mapped_column(String(50))  # update, discovery, property_discovery
    parent_entity_type: Mapped[str | None] = mapped_column(String(50))
    parent_entity_id: Mapped[int | None] = mapped_column(BigInteger)

    status: Mapped[str] = mapped_column(String(50), default=JobStatus.pending, server_default="pending")
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    researcher: Mapped[str] = mapped_column(String(20), default="auto", server_default="auto")
    auto_apply: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    search_query: Mapped[str | None] = mapped_column(Text)
    target_url: Mapped[str | None] = mapped_column(String(1024))
    search_filters: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    items_found: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    changes_detected: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    new_entities_found: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error_message: Mapped[str | None] = mapped_column(Text)
    # Values refused by validation or sanity bounds, and warnings such as "page needs JavaScript".
    rejected_inputs: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    warnings: Mapped[list[str] | None] = mapped_column(JSONType)
    # Completed without the model's answer because the provider was down: not a full check of the record,
    # so the scheduled refresh asks the model again.
    llm_outage: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # attempts when an admin last retried the job: automatic retries of transient errors count from here.
    attempts_before_retry: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    initiated_by: Mapped[str | None] = mapped_column(String(50))
    enqueued_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    # LLM usage and its price, from the provider's usage blocks.
    llm_calls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    output_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cache_creation_input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cache_read_input_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    web_search_requests: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Seconds pages spent rendering in headless Chromium (each rendered page also counts as a page fetched).
    render_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(12, 6), default=Decimal("0"), server_default="0")


class JobEvent(CreatedAtMixin, Base):
    """The job's timeline: status changes, provider calls, counts, cost."""

    __tablename__ = "collection_job_events"
    # A job's timeline in order, read through the index however many events other jobs have.
    __table_args__ = (Index("ix_collection_job_events_job_id", "job_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(50), ForeignKey("collection_jobs.job_id", ondelete="CASCADE"))
    # status, research, fetch, llm_call, warning, counts, cost, retry, auto_apply, sweep, and final (the last)
    kind: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class JobRetry(Base):
    """A manual retry of a failed or cancelled job: new work, counted against the job limits beside the jobs
    created (app/jobs/limits.py), so retrying cannot run more work an hour than creating jobs could."""

    __tablename__ = "collection_job_retries"
    __table_args__ = (Index("ix_collection_job_retries_retried_at", "retried_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(50), ForeignKey("collection_jobs.job_id", ondelete="CASCADE"))
    retried_by: Mapped[str | None] = mapped_column(String(50))  # the user's user_id
    retried_at: Mapped[datetime] = mapped_column(default=utcnow)


# The rollup's measures: what each day and entity type adds up.
DAILY_MEASURES = (
    "jobs", "failed", "finished", "llm_calls", "input_tokens", "output_tokens", "cache_read_input_tokens",
    "cache_creation_input_tokens", "web_search_requests", "cost_usd",
)  # fmt: skip


class JobDailyRollup(Base):
    """Jobs by UTC day of creation and entity type: counts, outcomes and LLM usage. Kept by PostgreSQL
    triggers (migration 0003) as the other rollups of app/ops/models.py; the month's LLM spend and the cost
    report read it."""

    __tablename__ = "rollup_jobs_daily"
    # The ranges of days the reports sum are read from the index alone, in group order (migration 0009).
    __table_args__ = (Index("ix_rollup_jobs_daily_day", "day", "entity_type", postgresql_include=list(DAILY_MEASURES)),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    entity_type: Mapped[str] = mapped_column(String(50))
    jobs: Mapped[int] = mapped_column(BigInteger)
    failed: Mapped[int] = mapped_column(BigInteger)
    finished: Mapped[int] = mapped_column(BigInteger)  # failed or completed
    llm_calls: Mapped[int] = mapped_column(BigInteger)
    input_tokens: Mapped[int] = mapped_column(BigInteger)
    output_tokens: Mapped[int] = mapped_column(BigInteger)
    cache_read_input_tokens: Mapped[int] = mapped_column(BigInteger)
    cache_creation_input_tokens: Mapped[int] = mapped_column(BigInteger)
    web_search_requests: Mapped[int] = mapped_column(BigInteger)
    cost_usd: Mapped[Decimal] = mapped_column(Numeric(20, 6))
