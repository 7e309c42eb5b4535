"""Master-planned communities (HOAs) with amenities, events and awards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Identity, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import CollectedRecordMixin
from app.core.db import Base, BigIntPK, CreatedAtMixin, TimestampMixin
from app.core.ids import new_community_id

if TYPE_CHECKING:
    from app.builders.models import BuilderProfile


class Community(CollectedRecordMixin, TimestampMixin, Base):
    __tablename__ = "communities"
    __table_args__ = (
        # The list's order, and its keyset position (name, id), carrying the columns the list filters on, so
        # a page's keys are read from the index alone (app/core/pagination.py).
        Index("ix_communities_name", "name", "id", postgresql_include=["archived_at", "city", "state"]),
        Index("ix_communities_city_state", "city", "state"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    community_id: Mapped[str] = mapped_column(String(50), unique=True, default=new_community_id)
    user_id: Mapped[str | None] = mapped_column(String(50), ForeignKey("users.user_id", ondelete="SET NULL"))

    name: Mapped[str] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str | None] = mapped_column(String(64))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(255))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    total_acres: Mapped[float | None] = mapped_column(Float)
    school_district: Mapped[str | None] = mapped_column(String(255))

    # The plan's free-text financials, kept for the main backend ...
    community_dues: Mapped[str | None] = mapped_column(String(255))
    tax_rate: Mapped[str | None] = mapped_column(String(64))
    monthly_fee: Mapped[str | None] = mapped_column(String(64))
    # ... and the HOA fee as amount and frequency, which collection compares and writes.
    hoa_fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    hoa_fee_frequency: Mapped[str | None] = mapped_column(String(20))  # monthly, quarterly, annual

    homes: Mapped[int | None] = mapped_column(Integer)
    residents: Mapped[int | None] = mapped_column(Integer)
    founded_year: Mapped[int | None] = mapped_column(Integer)
    member_count: Mapped[int | None] = mapped_column(Integer)
    followers: Mapped[int | None] = mapped_column(Integer)

    development_stage: Mapped[str | None] = mapped_column(String(64))
    enterprise_number_hoa: Mapped[str | None] = mapped_column(String(100))
    hoa_management_company: Mapped[str | None] = mapped_column(String(255))
    hoa_contact_phone: Mapped[str | None] = mapped_column(String(64))
    hoa_contact_email: Mapped[str | None] = mapped_column(String(255))

    intro_video_url: Mapped[str | None] = mapped_column(String(1024))
    community_website_url: Mapped[str | None] = mapped_column(String(1024))
    about: Mapped[str | None] = mapped_column(Text)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    amenities: Mapped[list[CommunityAmenity]] = relationship(back_populates="community", cascade="all, delete-orphan")
    events: Mapped[list[CommunityEvent]] = relationship(back_populates="community", cascade="all, delete-orphan")
    awards: Mapped[list[CommunityAward]] = relationship(back_populates="community", cascade="all, delete-orphan")
    builders: Mapped[list[BuilderProfile]] = relationship(
        secondary="builder_communities", back_populates="communities", viewonly=True
    )


class CommunityAmenity(CreatedAtMixin, Base):
    __tablename__ = "community_amenities"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    community_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    category: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship(back_populates="amenities")


class CommunityEvent(CreatedAtMixin, Base):
    __tablename__ = "community_events"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    community_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    location: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship(back_populates="events")


class CommunityAward(CreatedAtMixin, Base):
    __tablename__ = "community_awards"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    community_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    issuer: Mapped[str | None] = mapped_column(String(255))
    year: Mapped[int | None] = mapped_column(Integer)
    archived_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship(back_populates="awards")
