"""Rules of the builders admin API: lookups that 404, duplicate checks, audited edits that lock fields."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.auth.models import User
from app.builders import repository
from app.builders.models import BuilderProfile
from app.builders.schemas import (
    DETAIL_LIST_LIMIT,
    AwardRead,
    BuilderCommunityList,
    BuilderCreate,
    BuilderDetail,
    BuilderList,
    BuilderRead,
    BuilderUpdate,
    CommunityBrief,
    CredentialRead,
    HomePlanList,
    HomePlanRead,
)
from app.core.crud import apply_admin_edit, record_created
from app.core.errors import Conflict, NotFound
from app.core.pagination import PageRequest, paginate

ENTITY_TYPE = "builder"


def list_builders(
    session: Session,
    paging: PageRequest,
    *,
    name: str | None,
    city: str | None,
    state: str | None,
    include_archived: bool = False,
) -> BuilderList:
    """One page of builders matching the filters."""
    stmt = repository.builders_query(name=name, city=city, state=state, include_archived=include_archived)
    result = paginate(session, stmt, repository.ORDER, paging)
    return BuilderList(builders=[BuilderRead.model_validate(row) for row in result.rows], **result.paging())


def get_builder_or_404(session: Session, builder_id: int, *, with_children: bool = True) -> BuilderProfile:
    """The builder with this internal id (its awards and credentials loaded unless told not to), or NotFound."""
    builder = repository.get_builder(session, builder_id, with_children=with_children)
    if builder is None:
        raise NotFound(f"builder {builder_id} not found")
    return builder


def builder_detail(session: Session, builder: BuilderProfile) -> BuilderDetail:
    """The builder with its current (not archived) awards and credentials, and the first DETAIL_LIST_LIMIT of its
    plans and communities with how many there are."""
    plans = repository.home_plans_query(builder.id)
    communities = repository.communities_query(builder.id)
    first_plans = repository.first_rows(session, plans, repository.PLAN_ORDER, DETAIL_LIST_LIMIT)
    first_communities = repository.first_rows(session, communities, repository.COMMUNITY_ORDER, DETAIL_LIST_LIMIT)
    return BuilderDetail(
        **BuilderRead.model_validate(builder).model_dump(),
        awards=[AwardRead.model_validate(a) for a in builder.awards if a.archived_at is None],
        home_plans=[HomePlanRead.model_validate(p) for p in first_plans],
        home_plans_total=repository.count(session, plans),
        credentials=[CredentialRead.model_validate(c) for c in builder.credentials if c.archived_at is None],
        communities=[CommunityBrief.model_validate(c) for c in first_communities],
        communities_total=repository.count(session, communities),
    )


def list_home_plans(session: Session, builder_id: int, paging: PageRequest) -> HomePlanList:
    """One page of a builder's current home plans, by name; NotFound for an unknown builder."""
    builder = get_builder_or_404(session, builder_id, with_children=False)
    result = paginate(session, repository.home_plans_query(builder.id), repository.PLAN_ORDER, paging)
    return HomePlanList(home_plans=[HomePlanRead.model_validate(p) for p in result.rows], **result.paging())


def list_communities(session: Session, builder_id: int, paging: PageRequest) -> BuilderCommunityList:
    """One page of the current communities a builder is active in, by name; NotFound for an unknown builder."""
    builder = get_builder_or_404(session, builder_id, with_children=False)
    result = paginate(session, repository.communities_query(builder.id), repository.COMMUNITY_ORDER, paging)
    return BuilderCommunityList(communities=[CommunityBrief.model_validate(c) for c in result.rows], **result.paging())


def create_builder(session: Session, data: BuilderCreate, admin: User) -> BuilderProfile:
    """Create a builder by hand; a second active one with the same name in the same city is a conflict."""
    same = repository.find_same_builder(session, data.name, data.city, data.state)
    if same is not None:
        raise Conflict(f"builder {same.id} ({same.name}, {same.city or '-'}, {same.state or '-'}) already exists")
    values = data.model_dump(exclude_none=True)
    builder = BuilderProfile(**values, data_source="manual")
    session.add(builder)
    session.flush()
    record_created(session, builder, ENTITY_TYPE, values, actor=admin.user_id)
    return get_builder_or_404(session, builder.id)


def update_builder(session: Session, builder_id: int, data: BuilderUpdate, admin: User) -> BuilderProfile:
    """Apply an admin's edit: changed fields are written, locked as human verified and audited."""
    builder = get_builder_or_404(session, builder_id)
    apply_admin_edit(session, builder, ENTITY_TYPE, data.model_dump(exclude_unset=True), actor=admin.user_id)
    return builder
