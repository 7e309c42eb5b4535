"""HTTP routes of the homes domain: list, read, create and edit properties (homes on lots)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.deps import CurrentAdmin
from app.core.body import StrictJSONRoute
from app.core.crud import IncludeArchived
from app.core.deps import MAX_RECORD_ID, RecordId, SessionDep
from app.core.errors import RESPONSES_404, RESPONSES_409
from app.core.pagination import PageDep
from app.properties import service
from app.properties.schemas import PropertyCreate, PropertyDetail, PropertyList, PropertyUpdate, Status

router = APIRouter(prefix="/properties", tags=["properties"], route_class=StrictJSONRoute)


@router.get("", summary="List homes", response_model=PropertyList)
def list_properties(
    session: SessionDep,
    paging: PageDep,
    name: Annotated[
        str | None,
        Query(description="part of the title, any case; matches are listed newest first", examples=["oakmont"]),
    ] = None,
    city: Annotated[str | None, Query(examples=["Houston"])] = None,
    state: Annotated[str | None, Query(examples=["TX"])] = None,
    builder_id: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID, description="internal id of the builder")] = None,
    community_id: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="internal id of the community")
    ] = None,
    property_status: Annotated[Status | None, Query(alias="status")] = None,
    include_archived: IncludeArchived = False,
) -> PropertyList:
    return service.list_properties(
        session,
        paging,
        name=name,
        city=city,
        state=state,
        builder_id=builder_id,
        community_id=community_id,
        status=property_status,
        include_archived=include_archived,
    )


@router.get(
    "/{property_id}",
    summary="A home with its builder, community and plan",
    response_model=PropertyDetail,
    responses=RESPONSES_404,
)
def get_property(session: SessionDep, property_id: RecordId) -> PropertyDetail:
    return service.property_detail(service.get_property_or_404(session, property_id))


@router.post(
    "",
    summary="Create a home",
    status_code=status.HTTP_201_CREATED,
    response_model=PropertyDetail,
    responses=RESPONSES_409,
)
def create_property(session: SessionDep, admin: CurrentAdmin, body: PropertyCreate) -> PropertyDetail:
    return service.property_detail(service.create_property(session, body, admin))


@router.patch(
    "/{property_id}",
    summary="Edit a home; edited fields become human verified",
    description="Only the fields sent change. Each field whose value changes is locked: collection may still "
    "propose a new value for it, but never applies one automatically. The edit is audited.",
    response_model=PropertyDetail,
    responses=RESPONSES_404,
)
def update_property(
    session: SessionDep, admin: CurrentAdmin, property_id: RecordId, body: PropertyUpdate
) -> PropertyDetail:
    return service.property_detail(service.update_property(session, property_id, body, admin))
