"""What was fetched from each page last time, so an unchanged page costs nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Identity, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, BigIntPK, JSONType, TimestampMixin


class FetchedPage(TimestampMixin, Base):
    __tablename__ = "fetched_pages"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    status_code: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime | None]
    needs_javascript: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # The findings this content yielded, reused while the page is unchanged.
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    finding_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
