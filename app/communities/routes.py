"""HTTP routes of the communities domain: list, read, create and edit communities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.deps import CurrentAdmin
from app.communities import service
from app.communities.schemas import CommunityCreate, CommunityDetail, CommunityList, CommunityUpdate
from app.core.body import StrictJSONRoute
from app.core.crud import IncludeArchived
from app.core.deps import RecordId, SessionDep
from app.core.errors import RESPONSES_404, RESPONSES_409
from app.core.pagination import PageDep

router = APIRouter(prefix="/communities", tags=["communities"], route_class=StrictJSONRoute)


@router.get("", summary="List communities", response_model=CommunityList)
def list_communities(
    session: SessionDep,
    paging: PageDep,
    name: Annotated[str | None, Query(description="part of the name, any case", examples=["cinco"])] = None,
    city: Annotated[str | None, Query(examples=["Katy"])] = None,
    state: Annotated[str | None, Query(examples=["TX"])] = None,
    include_archived: IncludeArchived = False,
) -> CommunityList:
    return service.list_communities(
        session, paging, name=name, city=city, state=state, include_archived=include_archived
    )


@router.get(
    "/{community_id}",
    summary="A community with its amenities, events, awards and active builders",
    response_model=CommunityDetail,
    responses=RESPONSES_404,
)
def get_community(session: SessionDep, community_id: RecordId) -> CommunityDetail:
    return service.community_detail(service.get_community_or_404(session, community_id))


@router.post(
    "",
    summary="Create a community",
    status_code=status.HTTP_201_CREATED,
    response_model=CommunityDetail,
    responses=RESPONSES_409,
)
def create_community(session: SessionDep, admin: CurrentAdmin, body: CommunityCreate) -> CommunityDetail:
    return service.community_detail(service.create_community(session, body, admin))


@router.patch(
    "/{community_id}",
    summary="Edit a community; edited fields become human verified",
    description="Only the fields sent change. Each field whose value changes is locked: collection may still "
    "propose a new value for it, but never applies one automatically. The edit is audited.",
    response_model=CommunityDetail,
    responses=RESPONSES_404,
)
def update_community(
    session: SessionDep, admin: CurrentAdmin, community_id: RecordId, body: CommunityUpdate
) -> CommunityDetail:
    return service.community_detail(service.update_community(session, community_id, body, admin))
