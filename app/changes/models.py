"""Field-level change proposals with their evidence (the locks that protect verified fields: app.core.locks)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, CreatedAtMixin, JSONType


class ChangeStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    # Taken back by the matcher's side (a match was rejected or overridden), not judged by an admin.
    withdrawn = "withdrawn"
    applied = "applied"
    conflict = "conflict"
    superseded = "superseded"
    rolled_back = "rolled_back"


class ChangeType(StrEnum):
    added = "added"
    modified = "modified"
    removed = "removed"


class CollectionChange(CreatedAtMixin, Base):
    __tablename__ = "collection_changes"
    __table_args__ = (
        # A job's changes in id order (its detail), without walking other jobs' rows.
        Index("idx_job_id", "job_id", "id"),
        # A record's own changes by status in id order (pending changes, history).
        Index("idx_change_entity", "entity_type", "entity_id", "status", "id"),
        Index("idx_change_status", "status"),
        Index("idx_is_new", "is_new_entity"),
        # The pending-changes screen: everything waiting under one builder or community, in id order.
        Index("ix_collection_changes_parent_status", "parent_entity_type", "parent_entity_id", "status", "id"),
        # Stats over a window of days read the window's first, partial day through this.
        Index("ix_collection_changes_created_at", "created_at"),
        # The review inbox by status, newest or oldest first, and by confidence (revision 0004).
        Index("ix_collection_changes_status_created", "status", "created_at", "id"),
        Index("ix_collection_changes_status_confidence", "status", "confidence", "id"),
        # One field's changes by status, newest first (revision 0006; its record order is an expression index there).
        Index("ix_collection_changes_status_field_created", "status", "field_name", "created_at", "id"),
        # The daily digest counts the day's applied changes.
        Index(
            "ix_collection_changes_applied_at",
            "applied_at",
            postgresql_where=text("status = 'applied'"),
            sqlite_where=text("status = 'applied'"),
        ),
        # One open change per (entity, field): a newer finding supersedes the older pending one.
        Index(
            "uq_collection_changes_open_field",
            "entity_type",
            "entity_id",
            "field_name",
            unique=True,
            postgresql_where=text("status = 'pending' AND entity_id IS NOT NULL AND field_name IS NOT NULL"),
            sqlite_where=text("status = 'pending' AND entity_id IS NOT NULL AND field_name IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(50), ForeignKey("collection_jobs.job_id", ondelete="CASCADE"))

    entity_type: Mapped[str] = mapped_column(String(50))  # builder, community, property, award, amenity, …
    entity_id: Mapped[int | None] = mapped_column(BigInteger)
    # The record a change is reviewed under (a builder's award, a builder's new home).
    parent_entity_type: Mapped[str | None] = mapped_column(String(50))
    parent_entity_id: Mapped[int | None] = mapped_column(BigInteger)

    is_new_entity: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    proposed_entity_data: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    field_name: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)  # JSON text
    new_value: Mapped[str | None] = mapped_column(Text)  # JSON text
    change_type: Mapped[str] = mapped_column(String(50))

    status: Mapped[str] = mapped_column(String(50), default=ChangeStatus.pending, server_default="pending")
    confidence: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")
    # Why the score is what it is: source reliability, extractor, evidence check, agreement.
    confidence_components: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    source_url: Mapped[str | None] = mapped_column(String(1024))
    source_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("collection_sources.id", ondelete="SET NULL"))
    # Every value's evidence: [{source_url, quote, extractor, found_in_source}]
    evidence: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    # Other values other sources read for the field: [{value, confidence, source, evidence, status}]
    alternatives: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)

    reviewed_by: Mapped[str | None] = mapped_column(String(50))
    reviewed_at: Mapped[datetime | None]
    review_notes: Mapped[str | None] = mapped_column(Text)

    applied_at: Mapped[datetime | None]
    applied_by: Mapped[str | None] = mapped_column(String(50))
    created_entity_id: Mapped[int | None] = mapped_column(BigInteger)
    superseded_by: Mapped[int | None] = mapped_column(BigInteger)
    rolled_back_at: Mapped[datetime | None]
    rolled_back_by: Mapped[str | None] = mapped_column(String(50))

    @property
    def entity_data(self) -> dict[str, Any] | None:
        """The proposed record as an admin sees it: without internal bookkeeping keys ("_identity")."""
        if self.proposed_entity_data is None:
            return None
        return {k: v for k, v in self.proposed_entity_data.items() if not k.startswith("_")}


class PendingChangeRollup(Base):
    """Pending changes by entity type and field (None: a record proposed whole), behind ``GET /changes/summary``.

    As the stats rollups (app/ops/models.py): PostgreSQL triggers (migration 0007) append one signed delta row
    per key and statement on collection_changes, so writers never wait on a shared counter row; the beat's
    ``compact_rollups`` folds them into one row per key. The SQLite quickstart counts the changes instead."""

    __tablename__ = "rollup_pending_changes"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    field_name: Mapped[str | None] = mapped_column(String(100))
    pending: Mapped[int] = mapped_column(BigInteger)


class PendingJobRollup(Base):
    """Pending changes by job, kept like PendingChangeRollup, for the summary's busiest jobs.

    Compaction leaves one ``folded`` row per job (unique), so the busiest jobs are read from an index on the
    folded counts (migration 0007) and only the jobs with deltas written since are added up from their rows."""

    __tablename__ = "rollup_pending_jobs"
    __table_args__ = (
        Index(
            "uq_rollup_pending_jobs_folded",
            "job_id",
            unique=True,
            postgresql_where=text("folded"),
            sqlite_where=text("folded"),
        ),
        Index(
            "ix_rollup_pending_jobs_unfolded",
            "job_id",
            postgresql_where=text("NOT folded"),
            sqlite_where=text("NOT folded"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    job_id: Mapped[str] = mapped_column(String(50))
    pending: Mapped[int] = mapped_column(BigInteger)
    folded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
