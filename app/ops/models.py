"""Rollups behind /collection-stats and /costs, so their cost does not grow with history (the jobs' own,
JobDailyRollup, is in app/jobs/models.py).

PostgreSQL triggers (migration 0003) append one signed delta row per statement that touches jobs, changes or
records, inside that statement's transaction: a rollup is always exactly what the tables say, and concurrent
writers never wait on a shared counter row. Several rows per key simply add up; ``compact_rollups``
(a beat task) folds them into one row per key. The SQLite quickstart has no triggers: stats read the tables.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Identity, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK


class ChangeDailyRollup(Base):
    """Changes by UTC day of creation: the counts and sums the quality metrics divide."""

    __tablename__ = "rollup_changes_daily"
    __table_args__ = (Index("ix_rollup_changes_daily_day", "day"),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    accepted: Mapped[int] = mapped_column(BigInteger)
    detected: Mapped[int] = mapped_column(BigInteger)
    rejected: Mapped[int] = mapped_column(BigInteger)
    applied: Mapped[int] = mapped_column(BigInteger)
    applied_auto: Mapped[int] = mapped_column(BigInteger)
    applied_confidence: Mapped[Decimal] = mapped_column(Numeric)  # sum over applied changes
    reviewed: Mapped[int] = mapped_column(BigInteger)
    review_seconds: Mapped[Decimal] = mapped_column(Numeric)  # sum of reviewed_at - created_at


class RecordLatestApplied(Base):
    """Per record: when its newest applied change was proposed (records updated since a time, counted once)."""

    __tablename__ = "rollup_record_latest_applied"
    __table_args__ = (Index("ix_rollup_record_latest_applied_at", "latest_at"),)

    record_type: Mapped[str] = mapped_column(String(50), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    latest_at: Mapped[datetime | None]  # None: no applied change any more


class RecordLatestDailyRollup(Base):
    """How many records have their newest applied change on each UTC day."""

    __tablename__ = "rollup_record_latest_daily"
    __table_args__ = (Index("ix_rollup_record_latest_daily_day", "day"),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    records: Mapped[int] = mapped_column(BigInteger)


class RecordSyncRollup(Base):
    """Records not archived, by type and UTC day of last_data_sync (None: never synced), with their sync times."""

    __tablename__ = "rollup_record_sync"
    __table_args__ = (Index("ix_rollup_record_sync_type_day", "entity_type", "day"),)

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    day: Mapped[date | None] = mapped_column(Date)
    records: Mapped[int] = mapped_column(BigInteger)
    sync_epoch_sum: Mapped[Decimal] = mapped_column(Numeric)  # sum of epoch(last_data_sync) of synced records
