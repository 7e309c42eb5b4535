"""HTTP routes of the builders domain: list, read, create and edit builder profiles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.auth.deps import CurrentAdmin
from app.builders import service
from app.builders.schemas import (
    BuilderCommunityList,
    BuilderCreate,
    BuilderDetail,
    BuilderList,
    BuilderUpdate,
    HomePlanList,
)
from app.core.body import StrictJSONRoute
from app.core.crud import IncludeArchived
from app.core.deps import RecordId, SessionDep
from app.core.errors import RESPONSES_404, RESPONSES_409
from app.core.pagination import PageDep

router = APIRouter(prefix="/builders", tags=["builders"], route_class=StrictJSONRoute)


@router.get("", summary="List builders", response_model=BuilderList)
def list_builders(
    session: SessionDep,
    paging: PageDep,
    name: Annotated[str | None, Query(description="part of the name, any case", examples=["perry"])] = None,
    city: Annotated[str | None, Query(examples=["Houston"])] = None,
    state: Annotated[str | None, Query(examples=["TX"])] = None,
    include_archived: IncludeArchived = False,
) -> BuilderList:
    return service.list_builders(session, paging, name=name, city=city, state=state, include_archived=include_archived)


@router.get(
    "/{builder_id}",
    summary="A builder with its awards, credentials, and its first plans and communities with their totals",
    response_model=BuilderDetail,
    responses=RESPONSES_404,
)
def get_builder(session: SessionDep, builder_id: RecordId) -> BuilderDetail:
    return service.builder_detail(session, service.get_builder_or_404(session, builder_id))


@router.get(
    "/{builder_id}/home-plans",
    summary="A builder's current home plans, a page at a time, by name",
    response_model=HomePlanList,
    responses=RESPONSES_404,
)
def list_home_plans(session: SessionDep, builder_id: RecordId, paging: PageDep) -> HomePlanList:
    return service.list_home_plans(session, builder_id, paging)


@router.get(
    "/{builder_id}/communities",
    summary="The current communities a builder is active in, a page at a time, by name",
    response_model=BuilderCommunityList,
    responses=RESPONSES_404,
)
def list_builder_communities(session: SessionDep, builder_id: RecordId, paging: PageDep) -> BuilderCommunityList:
    return service.list_communities(session, builder_id, paging)


@router.post(
    "",
    summary="Create a builder",
    status_code=status.HTTP_201_CREATED,
    response_model=BuilderDetail,
    responses=RESPONSES_409,
)
def create_builder(session: SessionDep, admin: CurrentAdmin, body: BuilderCreate) -> BuilderDetail:
    return service.builder_detail(session, service.create_builder(session, body, admin))


@router.patch(
    "/{builder_id}",
    summary="Edit a builder; edited fields become human verified",
    description="Only the fields sent change. Each field whose value changes is locked: collection may still "
    "propose a new value for it, but never applies one automatically. The edit is audited.",
    response_model=BuilderDetail,
    responses=RESPONSES_404,
)
def update_builder(
    session: SessionDep, admin: CurrentAdmin, builder_id: RecordId, body: BuilderUpdate
) -> BuilderDetail:
    return service.builder_detail(session, service.update_builder(session, builder_id, body, admin))
