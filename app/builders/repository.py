"""Queries of the builders domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.builders.models import BuilderCommunity, BuilderHomePlan, BuilderProfile
from app.communities.models import Community
from app.core.crud import name_contains
from app.core.pagination import SortKey

# Lists are in name order; the id makes the key unique for keyset paging.
ORDER = SortKey((BuilderProfile.name, BuilderProfile.id))
PLAN_ORDER = SortKey((BuilderHomePlan.name, BuilderHomePlan.id))
COMMUNITY_ORDER = SortKey((Community.name, Community.id))
# A name search keeps this order, and the planner chooses how to serve it from its estimate of the matches:
# a common word walks the name index (which carries the filter columns) and stops at the page's last row,
# testing each entry without reading the table; a rare one finds its few matches through the trigram index
# and sorts them.


def builders_query(
    *, name: str | None = None, city: str | None = None, state: str | None = None, include_archived: bool = False
) -> Select[BuilderProfile]:
    """Builders filtered by name (case-insensitive contains), city and state (case-insensitive); ORDER sorts them."""
    stmt = select(BuilderProfile)
    if not include_archived:
        stmt = stmt.where(BuilderProfile.archived_at.is_(None))
    if name:
        stmt = stmt.where(name_contains(BuilderProfile.name, name))
    if city:
        stmt = stmt.where(func.lower(BuilderProfile.city) == city.lower())
    if state:
        stmt = stmt.where(func.lower(BuilderProfile.state) == state.lower())
    return stmt


def get_builder(session: Session, builder_id: int, *, with_children: bool = False) -> BuilderProfile | None:
    """One builder by internal id, optionally with its awards and credentials loaded (a few each; its plans and
    communities, which may run to thousands, are read a page at a time)."""
    stmt = select(BuilderProfile).where(BuilderProfile.id == builder_id)
    if with_children:
        stmt = stmt.options(selectinload(BuilderProfile.awards), selectinload(BuilderProfile.credentials))
    return session.scalar(stmt)


def home_plans_query(builder_id: int) -> Select[BuilderHomePlan]:
    """The builder's current (not archived) home plans; PLAN_ORDER sorts them."""
    return select(BuilderHomePlan).where(
        BuilderHomePlan.builder_id == builder_id, BuilderHomePlan.archived_at.is_(None)
    )


def communities_query(builder_id: int) -> Select[Community]:
    """The current communities the builder is active in; COMMUNITY_ORDER sorts them."""
    return (
        select(Community)
        .join(BuilderCommunity, BuilderCommunity.community_id == Community.id)
        .where(BuilderCommunity.builder_id == builder_id, Community.archived_at.is_(None))
    )


def first_rows(session: Session, stmt: Select[Any], order: SortKey, limit: int) -> list[Any]:
    """The first ``limit`` rows of a query of one builder's children, in ``order`` (a detail's lists)."""
    return list(session.scalars(stmt.order_by(*order.order_by()).limit(limit)))


def count(session: Session, stmt: Select[Any]) -> int:
    """How many rows a query of one builder's children yields (they are found through its builder_id index)."""
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def find_same_builder(session: Session, name: str, city: str | None, state: str | None) -> BuilderProfile | None:
    """An active builder with the same name (case-insensitive) in the same city and state."""
    stmt = select(BuilderProfile).where(
        func.lower(BuilderProfile.name) == name.lower(), BuilderProfile.archived_at.is_(None)
    )
    stmt = stmt.where(func.lower(BuilderProfile.city) == city.lower() if city else BuilderProfile.city.is_(None))
    stmt = stmt.where(BuilderProfile.state == state if state else BuilderProfile.state.is_(None))
    return session.scalar(stmt.limit(1))
