"""Queries of the communities domain."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.communities.models import Community
from app.core.crud import name_contains
from app.core.pagination import SortKey

# Lists are in name order; the id makes the key unique for keyset paging.
ORDER = SortKey((Community.name, Community.id))
# A name search keeps this order, and the planner chooses how to serve it from its estimate of the matches:
# a common word walks the name index (which carries the filter columns) and stops at the page's last row,
# testing each entry without reading the table; a rare one finds its few matches through the trigram index
# and sorts them.


def communities_query(
    *, name: str | None = None, city: str | None = None, state: str | None = None, include_archived: bool = False
) -> Select[Community]:
    """Communities filtered by name (case-insensitive contains), city and state (case-insensitive); ORDER sorts them."""
    stmt = select(Community)
    if not include_archived:
        stmt = stmt.where(Community.archived_at.is_(None))
    if name:
        stmt = stmt.where(name_contains(Community.name, name))
    if city:
        stmt = stmt.where(func.lower(Community.city) == city.lower())
    if state:
        stmt = stmt.where(func.lower(Community.state) == state.lower())
    return stmt


def get_community(session: Session, community_id: int, *, with_children: bool = False) -> Community | None:
    """One community by internal id, optionally with its children loaded."""
    stmt = select(Community).where(Community.id == community_id)
    if with_children:
        stmt = stmt.options(
            selectinload(Community.amenities),
            selectinload(Community.events),
            selectinload(Community.awards),
            selectinload(Community.builders),
        )
    return session.scalar(stmt)


def find_same_community(session: Session, name: str, city: str | None, state: str | None) -> Community | None:
    """An active community with the same name (case-insensitive) in the same city and state."""
    stmt = select(Community).where(func.lower(Community.name) == name.lower(), Community.archived_at.is_(None))
    stmt = stmt.where(func.lower(Community.city) == city.lower() if city else Community.city.is_(None))
    stmt = stmt.where(Community.state == state if state else Community.state.is_(None))
    return session.scalar(stmt.limit(1))
