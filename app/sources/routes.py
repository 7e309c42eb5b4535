"""HTTP routes of the sources domain: collection sources and opt-outs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from app.auth.deps import CurrentAdmin
from app.core.body import StrictJSONRoute
from app.core.deps import RecordId, SessionDep
from app.core.errors import RESPONSES_404, RESPONSES_409
from app.core.pagination import PageDep
from app.sources import admin, repository
from app.sources.schemas import (
    OptOutCreate,
    OptOutEntityType,
    OptOutList,
    OptOutRead,
    SourceCreate,
    SourceList,
    SourceRead,
    SourceTypeName,
    SourceUpdate,
)

router = APIRouter(tags=["sources"], route_class=StrictJSONRoute)


SourceId = Annotated[str, Path(description="the source's public id", examples=["SRC-1699564234-XYZ123"])]


@router.get("/sources", summary="List collection sources", response_model=SourceList)
def list_sources(
    session: SessionDep,
    paging: PageDep,
    source_type: Annotated[SourceTypeName | None, Query(description="only sources of this type")] = None,
    is_active: Annotated[bool | None, Query(description="only active (true) or inactive (false) sources")] = None,
) -> SourceList:
    result = repository.list_sources(session, paging, source_type=source_type, is_active=is_active)
    return SourceList(sources=[admin.source_read(s) for s in result.rows], **result.paging())


@router.post(
    "/sources",
    summary="Add a source (a directory, say) that discovery jobs visit",
    status_code=status.HTTP_201_CREATED,
    response_model=SourceRead,
    responses=RESPONSES_409,
)
def create_source(session: SessionDep, user: CurrentAdmin, body: SourceCreate) -> SourceRead:
    return admin.source_read(admin.create_source(session, body, user))


@router.get(
    "/sources/{source_id}",
    summary="A collection source with its reliability and rate-limit state",
    response_model=SourceRead,
    responses=RESPONSES_404,
)
def get_source(session: SessionDep, source_id: SourceId) -> SourceRead:
    return admin.source_read(admin.get_source_or_404(session, source_id))


@router.patch(
    "/sources/{source_id}",
    summary="Edit a source: type, active, approved, rendering, daily limit, or lift its back-off",
    description="Only the fields sent change. `blocked_until: null` lifts a back-off a 429 or 403 set; "
    "`is_active: false` stops all collection from the source; `approved: true` lets discovery jobs revisit it "
    "(a source only seen on the way is never revisited); `render: true` renders its pages in headless "
    "Chromium (a site that needs JavaScript). The edit is audited.",
    response_model=SourceRead,
    responses=RESPONSES_404,
)
def update_source(session: SessionDep, user: CurrentAdmin, source_id: SourceId, body: SourceUpdate) -> SourceRead:
    return admin.source_read(admin.update_source(session, source_id, body, user))


@router.post(
    "/opt-outs",
    summary="Opt a site (domain) or a record out of collection",
    description="Every researcher and discovery skips an opted-out domain or record, and no job is created "
    "for an opted-out record.",
    status_code=status.HTTP_201_CREATED,
    response_model=OptOutRead,
    responses={**RESPONSES_404, **RESPONSES_409},
)
def create_opt_out(session: SessionDep, user: CurrentAdmin, body: OptOutCreate) -> OptOutRead:
    return OptOutRead.model_validate(admin.create_opt_out(session, body, user))


@router.get("/opt-outs", summary="List opt-outs", response_model=OptOutList)
def list_opt_outs(
    session: SessionDep,
    paging: PageDep,
    domain: Annotated[str | None, Query(description="only this registered domain", examples=["perryhomes.com"])] = None,
    entity_type: Annotated[OptOutEntityType | None, Query(description="only opt-outs of this record type")] = None,
) -> OptOutList:
    result = repository.list_opt_outs(session, paging, domain=domain, entity_type=entity_type)
    return OptOutList(opt_outs=[OptOutRead.model_validate(o) for o in result.rows], **result.paging())


@router.delete(
    "/opt-outs/{opt_out_id}",
    summary="Remove an opt-out: collection may resume",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=RESPONSES_404,
)
def delete_opt_out(session: SessionDep, user: CurrentAdmin, opt_out_id: RecordId) -> Response:
    admin.delete_opt_out(session, opt_out_id, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
