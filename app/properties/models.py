"""Homes on lots (specs): a builder's available inventory, linked to its plan and community."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Identity, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.columns import CollectedRecordMixin
from app.core.db import Base, BigIntPK, JSONType, TimestampMixin

if TYPE_CHECKING:
    from app.builders.models import BuilderHomePlan, BuilderProfile
    from app.communities.models import Community


class PropertyStatus:
    available = "available"
    pending = "pending"
    sold = "sold"
    model = "model"
    off_market = "off_market"  # the builder's own inventory no longer lists it

    ALL = (available, pending, sold, model, off_market)


# The columns the homes list filters on (besides the title), carried by its indexes.
_FILTERS = ("archived_at", "city", "state", "property_status", "builder_id", "community_id")


def _listing(name: str, *keys: str) -> Index:
    """An index in the list's order under ``keys``, carrying the filter columns it does not lead with."""
    return Index(name, *keys, postgresql_include=[c for c in _FILTERS if c not in keys])


class Property(CollectedRecordMixin, TimestampMixin, Base):
    __tablename__ = "properties"
    __table_args__ = (
        Index("ix_properties_city_state", "city", "state"),
        Index("ix_properties_postal_code_address1", "postal_code", "address1"),
        Index("ix_properties_builder_id_property_status", "builder_id", "property_status"),
        # The list's order (title, id), alone and under each equality filter it offers, carrying every column
        # the list filters on: a page's keys are read from the index alone, whatever the other filters are
        # (app/core/pagination.py). Migration 0004 adds the same to the city and state indexes.
        _listing("ix_properties_title", "title", "id"),
        _listing("ix_properties_builder_id_title", "builder_id", "title", "id"),
        _listing("ix_properties_community_id_title", "community_id", "title", "id"),
        _listing("ix_properties_property_status_title", "property_status", "title", "id"),
        # A title search lists the newest homes first (properties/repository.py).
        Index("ix_properties_newest", "id", postgresql_include=["title", *_FILTERS]),
    )

    id: Mapped[int] = mapped_column(BigIntPK, Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    description: Mapped[str | None] = mapped_column(String(5000))

    address1: Mapped[str | None] = mapped_column(String(255))
    address2: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str | None] = mapped_column(String(64))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    price: Mapped[float | None] = mapped_column(Float)
    bedrooms: Mapped[int | None] = mapped_column(Integer)
    bathrooms: Mapped[float | None] = mapped_column(Float)
    sqft: Mapped[int | None] = mapped_column(Integer)
    lot_sqft: Mapped[int | None] = mapped_column(Integer)
    year_built: Mapped[int | None] = mapped_column(Integer)
    has_pool: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")

    property_status: Mapped[str] = mapped_column(String(50), default="available", server_default="available")
    move_in_ready: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    move_in_date: Mapped[date | None]
    model_name: Mapped[str | None] = mapped_column(String(255))
    lot_number: Mapped[str | None] = mapped_column(String(50))

    builder_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("builder_profiles.id", ondelete="SET NULL"))
    community_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("communities.id", ondelete="SET NULL"))
    plan_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("builder_home_plans.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="SET NULL"))

    media_urls: Mapped[list[str] | None] = mapped_column(JSONType)
    listed_at: Mapped[datetime | None]

    builder: Mapped[BuilderProfile | None] = relationship(foreign_keys=[builder_id])
    community: Mapped[Community | None] = relationship()
    plan: Mapped[BuilderHomePlan | None] = relationship()
