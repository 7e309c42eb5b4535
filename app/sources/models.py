"""Where findings come from, how reliable each source has proved, and who opted out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Float, Identity, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, CreatedAtMixin, JSONType, TimestampMixin
from app.core.ids import new_source_id


class SourceType:
    official_website = "official_website"
    directory = "directory"
    mls = "mls"
    review_site = "review_site"
    search = "search"

    ALL = (official_website, directory, mls, review_site, search)


class CollectionSource(TimestampMixin, Base):
    __tablename__ = "collection_sources"
    __table_args__ = (
        # The list is by domain: under each filter it offers too.
        Index("idx_source_type", "source_type", "domain"),
        Index("ix_collection_sources_is_active_domain", "is_active", "domain"),
        Index("idx_reliability", "reliability_score"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(50), unique=True, default=new_source_id)

    source_name: Mapped[str] = mapped_column(String(255))
    source_url: Mapped[str] = mapped_column(String(1024))
    # Registered domain (tldextract), the key researchers look sources up by.
    domain: Mapped[str] = mapped_column(String(255), unique=True)
    source_type: Mapped[str] = mapped_column(String(50))
    entity_types: Mapped[list[str] | None] = mapped_column(JSONType)

    reliability_score: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")
    # Review outcomes of this source's changes: the Beta posterior behind reliability_score.
    approved_changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rejected_changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Jobs that read from this source, and how many of them got a page from it.
    total_collections: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    successful_collections: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_collections: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_collected_at: Mapped[datetime | None]
    # Added or approved by an admin: discovery revisits only such sources (and each record's own site).
    approved: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    last_accessed: Mapped[datetime | None]
    access_count_today: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    access_count_date: Mapped[date | None]
    rate_limit_per_day: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    # The earliest moment the next request to this source may go, shared by every worker: each request
    # reserves its slot by moving this on by the per-host delay.
    next_request_at: Mapped[datetime | None]

    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # An admin marks a single-page-app site: its pages are rendered in headless Chromium, not only fetched.
    render: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    blocked_until: Mapped[datetime | None]
    blocked_reason: Mapped[str | None] = mapped_column(Text)


class CollectionOptOut(CreatedAtMixin, Base):
    """A builder, community or site that asked not to be collected: by domain or by record."""

    __tablename__ = "collection_opt_outs"
    __table_args__ = (
        CheckConstraint("domain IS NOT NULL OR (entity_type IS NOT NULL AND entity_id IS NOT NULL)", name="target"),
        # The list is newest first (id): under each filter it offers too.
        Index("ix_collection_opt_outs_domain", "domain", "id"),
        Index("ix_collection_opt_outs_entity", "entity_type", "entity_id"),
        Index("ix_collection_opt_outs_entity_type_id", "entity_type", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    domain: Mapped[str | None] = mapped_column(String(255))
    entity_type: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(50))
