"""HTTP routes of the changes domain: pending changes, apply, history, rollback (the inbox: inbox_routes)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from app.auth.deps import CurrentAdmin
from app.changes import review_queue
from app.changes.rollback import rollback_change, rollback_job
from app.changes.schemas import (
    ApplyChangesRequest,
    ApplyChangesResponse,
    ApplyDetails,
    CreatedEntity,
    FieldHistoryRead,
    PendingChangesRead,
    RollbackChangeResponse,
    RollbackJobResponse,
)
from app.core.body import StrictJSONRoute
from app.core.deps import RecordId, SessionDep
from app.core.errors import RESPONSES_404, RESPONSES_409
from app.core.pagination import CursorParam, PageDep, PageNumber, PageRequest

router = APIRouter(tags=["changes"], route_class=StrictJSONRoute)

EntityPath = Annotated[
    Literal["builders", "communities", "properties"],
    Path(description="builders, communities or properties"),
]


@router.get(
    "/{entity_type}/{entity_id}/pending-changes",
    response_model=PendingChangesRead,
    responses=RESPONSES_404,
    summary="Changes waiting for review under a builder, community or home",
)
def get_pending_changes(
    entity_type: EntityPath,
    entity_id: RecordId,
    session: SessionDep,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=100, description="changes per page, at most 100")] = 100,
    cursor: CursorParam = None,
) -> PendingChangesRead:
    paging = PageRequest(page=page, per_page=per_page, cursor=cursor)
    return PendingChangesRead.model_validate(review_queue.pending_changes(session, entity_type, entity_id, paging))


@router.post(
    "/{entity_type}/{entity_id}/apply-changes",
    response_model=ApplyChangesResponse,
    responses={**RESPONSES_404, **RESPONSES_409},
    summary="Apply reviewed changes (each at most once; stale ones become conflicts)",
)
def post_apply_changes(
    entity_type: EntityPath,
    entity_id: RecordId,
    body: ApplyChangesRequest,
    session: SessionDep,
    admin: CurrentAdmin,
) -> ApplyChangesResponse:
    result = review_queue.apply_for_record(session, entity_type, entity_id, body, actor=admin.user_id)
    return ApplyChangesResponse(
        applied_changes=result.applied_changes,
        created_entities=result.created_entities,
        skipped=result.skipped,
        failed=result.failed,
        details=ApplyDetails(
            updated_fields=result.updated_fields,
            created_entities=[CreatedEntity(**c) for c in result.created],
            conflicts=result.conflicts,
            skipped=result.skipped_changes,
            failures=result.failures,
        ),
    )


@router.get(
    "/{entity_type}/{entity_id}/history",
    response_model=FieldHistoryRead,
    responses=RESPONSES_404,
    summary="A record's applied changes over time, its plans', awards', amenities', events' and links' included",
)
def get_history(
    entity_type: EntityPath,
    entity_id: RecordId,
    session: SessionDep,
    paging: PageDep,
    field: Annotated[str | None, Query(max_length=100, description="e.g. price, hoa_fee, base_price")] = None,
) -> FieldHistoryRead:
    return FieldHistoryRead.model_validate(review_queue.field_history(session, entity_type, entity_id, field, paging))


@router.post(
    "/changes/{change_id}/rollback",
    response_model=RollbackChangeResponse,
    responses={**RESPONSES_404, **RESPONSES_409},
    summary="Undo one applied change (409 when the value changed since)",
)
def post_rollback_change(change_id: RecordId, session: SessionDep, admin: CurrentAdmin) -> RollbackChangeResponse:
    change = rollback_change(session, change_id, actor=admin.user_id)
    return RollbackChangeResponse(change_id=change.id, status=change.status, rolled_back_at=change.rolled_back_at)


@router.post(
    "/collection-jobs/{job_id}/rollback",
    response_model=RollbackJobResponse,
    responses={**RESPONSES_404, **RESPONSES_409},
    summary="Undo every applied change of a job, or none (409 names what changed since)",
)
def post_rollback_job(
    job_id: Annotated[str, Path(max_length=50)], session: SessionDep, admin: CurrentAdmin
) -> RollbackJobResponse:
    changes = rollback_job(session, job_id, actor=admin.user_id)
    return RollbackJobResponse(job_id=job_id, rolled_back_changes=len(changes), change_ids=[c.id for c in changes])
