"""Columns shared by the collected domain records (builders, communities, homes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column


class CollectedRecordMixin:
    """The plan's extension columns: when and how a record was last synced, and a soft archive."""

    # Indexed: stats count the records synced since a time of day (a window's first, partial day).
    last_data_sync: Mapped[datetime | None] = mapped_column(index=True)
    data_source: Mapped[str] = mapped_column(String(50), default="manual", server_default="manual")
    data_confidence: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")
    # Rollback of a created record archives it instead of deleting it.
    archived_at: Mapped[datetime | None]
