"""Home builders and what belongs to them: awards, home plans, credentials, portfolio, communities."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import CollectedRecordMixin
from app.core.db import Base, BigIntPK, CreatedAtMixin, JSONType, TimestampMixin
from app.core.ids import new_builder_id

if TYPE_CHECKING:
    from app.communities.models import Community
    from app.properties.models import Property


class BuilderProfile(CollectedRecordMixin, TimestampMixin, Base):
    __tablename__ = "builder_profiles"
    __table_args__ = (
        # The list's order, and its keyset position (name, id), carrying the columns the list filters on, so
        # a page's keys are read from the index alone (app/core/pagination.py).
        Index("ix_builder_profiles_name", "name", "id", postgresql_include=["archived_at", "city", "state"]),
        Index("ix_builder_profiles_city_state", "city", "state"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    builder_id: Mapped[str] = mapped_column(String(50), unique=True, default=new_builder_id)
    user_id: Mapped[str | None] = mapped_column(String(50), ForeignKey("users.user_id", ondelete="SET NULL"))

    name: Mapped[str] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(1024))
    specialties: Mapped[list[str] | None] = mapped_column(JSONType)
    rating: Mapped[float | None] = mapped_column(Float)
    review_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    communities_served: Mapped[list[str] | None] = mapped_column(JSONType)

    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str | None] = mapped_column(String(64))
    postal_code: Mapped[str | None] = mapped_column(String(20))

    about: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(255))
    socials: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    verified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    founded_year: Mapped[int | None] = mapped_column(Integer)
    employee_count: Mapped[str | None] = mapped_column(String(50))
    service_areas: Mapped[list[str] | None] = mapped_column(JSONType)

    awards: Mapped[list[BuilderAward]] = relationship(back_populates="builder", cascade="all, delete-orphan")
    home_plans: Mapped[list[BuilderHomePlan]] = relationship(back_populates="builder", cascade="all, delete-orphan")
    credentials: Mapped[list[BuilderCredential]] = relationship(back_populates="builder", cascade="all, delete-orphan")
    properties: Mapped[list[Property]] = relationship(secondary="builder_portfolio", viewonly=True)
    communities: Mapped[list[Community]] = relationship(
        secondary="builder_communities", back_populates="builders", viewonly=True
    )


class BuilderAward(CreatedAtMixin, Base):
    __tablename__ = "builder_awards"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    builder_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("builder_profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(255))
    issuer: Mapped[str | None] = mapped_column(String(255))
    year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None]

    builder: Mapped[BuilderProfile] = relationship(back_populates="awards")


class BuilderHomePlan(TimestampMixin, Base):
    """A model a builder offers (a plan), as opposed to one home on a lot (a spec, see Property)."""

    __tablename__ = "builder_home_plans"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    builder_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("builder_profiles.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    series: Mapped[str | None] = mapped_column(String(255))
    base_price: Mapped[float | None] = mapped_column(Float)
    base_sqft: Mapped[int | None] = mapped_column(Integer)
    bedrooms: Mapped[int | None] = mapped_column(Integer)
    bathrooms: Mapped[float | None] = mapped_column(Float)
    stories: Mapped[int | None] = mapped_column(Integer)
    garage_spaces: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None]

    builder: Mapped[BuilderProfile] = relationship(back_populates="home_plans")


class BuilderCredential(CreatedAtMixin, Base):
    __tablename__ = "builder_credentials"

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    builder_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("builder_profiles.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    credential_type: Mapped[str | None] = mapped_column(String(50))  # license, certification, membership
    issuer: Mapped[str | None] = mapped_column(String(255))
    number: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(64))
    expires_on: Mapped[date | None]
    archived_at: Mapped[datetime | None]

    builder: Mapped[BuilderProfile] = relationship(back_populates="credentials")


class BuilderPortfolio(CreatedAtMixin, Base):
    """Homes a builder shows in its portfolio (many-to-many)."""

    __tablename__ = "builder_portfolio"

    builder_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("builder_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    property_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("properties.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class BuilderCommunity(CreatedAtMixin, Base):
    """A builder active in a community (many-to-many)."""

    __tablename__ = "builder_communities"

    builder_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("builder_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True, index=True
    )
