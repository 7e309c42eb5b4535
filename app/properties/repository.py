"""Queries of the homes (properties) domain."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.core.crud import name_contains
from app.core.pagination import SortKey
from app.properties.models import Property

# Lists are in title order; the id makes the key unique for keyset paging.
ORDER = SortKey((Property.title, Property.id))
# A title search lists the newest matches first. Home titles start with their plan's name ("The Oakmont -
# Lot 12"), so in title order the homes matching a plan name sit in one block that can be far down the list,
# and reaching it costs a walk past every home before it. In the order homes were added a plan's homes are
# spread out: the planner walks the newest-first index (which carries the title and the filter columns) and
# stops at the page's last match; a rare title is found through the trigram index and its few matches sorted.
SEARCH_ORDER = SortKey((Property.id,), descending=True)


def properties_query(
    *,
    name: str | None = None,
    city: str | None = None,
    state: str | None = None,
    builder_id: int | None = None,
    community_id: int | None = None,
    status: str | None = None,
    include_archived: bool = False,
) -> Select[Property]:
    """Homes filtered by title (case-insensitive contains), city, state, builder, community and status."""
    stmt = select(Property)
    if not include_archived:
        stmt = stmt.where(Property.archived_at.is_(None))
    if name:
        stmt = stmt.where(name_contains(Property.title, name))
    if city:
        stmt = stmt.where(func.lower(Property.city) == city.lower())
    if state:
        stmt = stmt.where(func.lower(Property.state) == state.lower())
    if builder_id is not None:
        stmt = stmt.where(Property.builder_id == builder_id)
    if community_id is not None:
        stmt = stmt.where(Property.community_id == community_id)
    if status:
        stmt = stmt.where(Property.property_status == status)
    return stmt


def get_property(session: Session, property_id: int) -> Property | None:
    """One home by internal id, with its builder, community and plan loaded."""
    return session.scalar(
        select(Property)
        .where(Property.id == property_id)
        .options(selectinload(Property.builder), selectinload(Property.community), selectinload(Property.plan))
    )


def find_same_address(session: Session, address1: str, postal_code: str | None, city: str | None) -> Property | None:
    """An active home at the same street address (case-insensitive) in the same postal code or city."""
    stmt = select(Property).where(func.lower(Property.address1) == address1.lower(), Property.archived_at.is_(None))
    if postal_code:
        stmt = stmt.where(Property.postal_code == postal_code)
    elif city:
        stmt = stmt.where(func.lower(Property.city) == city.lower())
    return session.scalar(stmt.limit(1))
