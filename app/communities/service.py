"""Rules of the communities admin API: lookups that 404, duplicate checks, audited edits that lock fields."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.auth.models import User
from app.communities import repository
from app.communities.models import Community
from app.communities.schemas import (
    AmenityRead,
    BuilderBrief,
    CommunityAwardRead,
    CommunityCreate,
    CommunityDetail,
    CommunityList,
    CommunityRead,
    CommunityUpdate,
    EventRead,
)
from app.core.crud import apply_admin_edit, record_created
from app.core.errors import Conflict, NotFound
from app.core.pagination import PageRequest, paginate

ENTITY_TYPE = "community"


def list_communities(
    session: Session,
    paging: PageRequest,
    *,
    name: str | None,
    city: str | None,
    state: str | None,
    include_archived: bool = False,
) -> CommunityList:
    """One page of communities matching the filters."""
    stmt = repository.communities_query(name=name, city=city, state=state, include_archived=include_archived)
    result = paginate(session, stmt, repository.ORDER, paging)
    return CommunityList(communities=[CommunityRead.model_validate(row) for row in result.rows], **result.paging())


def get_community_or_404(session: Session, community_id: int) -> Community:
    """The community with this internal id, or NotFound."""
    community = repository.get_community(session, community_id, with_children=True)
    if community is None:
        raise NotFound(f"community {community_id} not found")
    return community


def community_detail(community: Community) -> CommunityDetail:
    """The community with its current (not archived) amenities, events, awards and active builders."""
    return CommunityDetail(
        **CommunityRead.model_validate(community).model_dump(),
        amenities=[AmenityRead.model_validate(a) for a in community.amenities if a.archived_at is None],
        events=[EventRead.model_validate(e) for e in community.events if e.archived_at is None],
        awards=[CommunityAwardRead.model_validate(a) for a in community.awards if a.archived_at is None],
        builders=[BuilderBrief.model_validate(b) for b in community.builders if b.archived_at is None],
    )


def create_community(session: Session, data: CommunityCreate, admin: User) -> Community:
    """Create a community by hand; a second active one with the same name in the same city is a conflict."""
    same = repository.find_same_community(session, data.name, data.city, data.state)
    if same is not None:
        raise Conflict(f"community {same.id} ({same.name}, {same.city or '-'}, {same.state or '-'}) already exists")
    values = data.model_dump(exclude_none=True)
    community = Community(**values, data_source="manual")
    session.add(community)
    session.flush()
    record_created(session, community, ENTITY_TYPE, values, actor=admin.user_id)
    return get_community_or_404(session, community.id)


def update_community(session: Session, community_id: int, data: CommunityUpdate, admin: User) -> Community:
    """Apply an admin's edit: changed fields are written, locked as human verified and audited."""
    community = get_community_or_404(session, community_id)
    apply_admin_edit(session, community, ENTITY_TYPE, data.model_dump(exclude_unset=True), actor=admin.user_id)
    return community
