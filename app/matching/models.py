"""Links between what discovery found and the records that already exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Identity, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, JSONType, TimestampMixin


class EntityMatch(TimestampMixin, Base):
    __tablename__ = "entity_matches"
    __table_args__ = (
        Index("idx_discovered", "discovered_entity_type", "discovered_name"),
        Index("idx_matched", "matched_entity_type", "matched_entity_id"),
        # The list is newest first, keyset on (created_at, id): alone and under each filter it offers.
        Index("idx_match_status", "match_status", "created_at", "id"),
        Index("ix_entity_matches_job_id", "job_id", "created_at", "id"),
        Index("ix_entity_matches_type_created_at", "discovered_entity_type", "created_at", "id"),
        Index("ix_entity_matches_created_at", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)

    discovered_entity_type: Mapped[str] = mapped_column(String(50))
    discovered_name: Mapped[str] = mapped_column(String(255))
    discovered_location: Mapped[str | None] = mapped_column(String(255))
    discovered_data: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    matched_entity_type: Mapped[str | None] = mapped_column(String(50))
    matched_entity_id: Mapped[int | None] = mapped_column(BigInteger)
    match_confidence: Mapped[float | None] = mapped_column(Float)
    match_status: Mapped[str] = mapped_column(String(50), default="pending", server_default="pending")

    matched_by: Mapped[str | None] = mapped_column(String(50))
    match_method: Mapped[str | None] = mapped_column(String(50))
    match_notes: Mapped[str | None] = mapped_column(Text)
    # Why: the linkage model's prior and each field's comparison level and weight, summing to the match weight.
    match_details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    reviewed_at: Mapped[datetime | None]

    job_id: Mapped[str | None] = mapped_column(String(50), ForeignKey("collection_jobs.job_id", ondelete="SET NULL"))
