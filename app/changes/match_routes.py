"""HTTP routes of match review: review entity matches, merge duplicates and undo merges."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.auth.deps import CurrentAdmin
from app.changes import match_review, merge
from app.core.body import StrictJSONRoute
from app.core.deps import RecordId, SessionDep, SettingsDep
from app.core.entities import PATH_TYPES, RecordTypeName
from app.core.errors import RESPONSES_404, RESPONSES_409
from app.core.pagination import PageDep
from app.matching import repository, service
from app.matching.schemas import (
    EntityMatchList,
    EntityMatchRead,
    MatchOverride,
    MatchReview,
    MatchReviewResult,
    MergeRequest,
    MergeResult,
    MergeUndoResult,
)

router = APIRouter(tags=["matching"], route_class=StrictJSONRoute)
BOTH = {**RESPONSES_404, **RESPONSES_409}


def _result(outcome: match_review.ReviewOutcome) -> MatchReviewResult:
    return MatchReviewResult(match=EntityMatchRead.model_validate(outcome.match), change_ids=outcome.change_ids)


@router.get("/entity-matches", summary="List entity matches", response_model=EntityMatchList)
def list_matches(
    session: SessionDep,
    paging: PageDep,
    status: Annotated[
        Literal["pending", "confirmed", "rejected", "merged"] | None, Query(description="match_status")
    ] = None,
    entity_type: Annotated[RecordTypeName | None, Query()] = None,
    job_id: Annotated[str | None, Query(examples=["JOB-1699564234-ABC123"])] = None,
) -> EntityMatchList:
    result = repository.list_matches(session, paging, status=status, entity_type=entity_type, job_id=job_id)
    return EntityMatchList(matches=[EntityMatchRead.model_validate(r) for r in result.rows], **result.paging())


@router.get(
    "/entity-matches/{match_id}", summary="One entity match", response_model=EntityMatchRead, responses=RESPONSES_404
)
def get_match(session: SessionDep, match_id: RecordId) -> EntityMatchRead:
    return EntityMatchRead.model_validate(service.get_match(session, match_id))


@router.post(
    "/entity-matches/{match_id}/confirm",
    summary="Confirm a pending match: the discovered values become changes of the matched record",
    response_model=MatchReviewResult,
    responses=BOTH,
)
def confirm_match(
    session: SessionDep,
    settings: SettingsDep,
    admin: CurrentAdmin,
    match_id: RecordId,
    body: MatchReview | None = None,
) -> MatchReviewResult:
    return _result(
        match_review.confirm_match(session, match_id, admin.user_id, body.notes if body else None, settings=settings)
    )


@router.post(
    "/entity-matches/{match_id}/reject",
    summary="Reject a match: the discovered record becomes a new-entity change",
    response_model=MatchReviewResult,
    responses=BOTH,
)
def reject_match(
    session: SessionDep,
    settings: SettingsDep,
    admin: CurrentAdmin,
    match_id: RecordId,
    body: MatchReview | None = None,
) -> MatchReviewResult:
    return _result(
        match_review.reject_match(session, match_id, admin.user_id, body.notes if body else None, settings=settings)
    )


@router.post(
    "/entity-matches/{match_id}/override",
    summary="Link the discovered record to another existing record",
    response_model=MatchReviewResult,
    responses=BOTH,
)
def override_match(
    session: SessionDep, settings: SettingsDep, admin: CurrentAdmin, match_id: RecordId, body: MatchOverride
) -> MatchReviewResult:
    return _result(
        match_review.override_match(
            session, match_id, body.matched_entity_id, admin.user_id, body.notes, settings=settings
        )
    )


@router.post(
    "/{entity_type}/merge",
    summary="Merge two duplicate records",
    description="Children, links, homes, changes and matches of merge_id move to keep_id; merge_id is archived. "
    "Audited; POST /merges/{audit_event_id}/undo reverses it.",
    response_model=MergeResult,
    responses=BOTH,
)
def merge_records(
    session: SessionDep,
    admin: CurrentAdmin,
    entity_type: Literal["builders", "communities", "properties"],
    body: MergeRequest,
) -> MergeResult:
    singular = PATH_TYPES[entity_type]
    outcome = merge.merge_records(session, singular, body.keep_id, body.merge_id, admin.user_id)
    return MergeResult(
        audit_event_id=outcome.audit_event.id,
        entity_type=singular,
        keep_id=outcome.keep_id,
        merge_id=outcome.merge_id,
        moved=outcome.moved,
    )


@router.post(
    "/merges/{audit_event_id}/undo",
    summary="Undo a merge",
    response_model=MergeUndoResult,
    responses=BOTH,
)
def undo_merge(session: SessionDep, admin: CurrentAdmin, audit_event_id: RecordId) -> MergeUndoResult:
    event = merge.undo_merge(session, audit_event_id, admin.user_id)
    after = event.after or {}
    return MergeUndoResult(
        audit_event_id=event.id,
        entity_type=event.target_type,
        keep_id=int(after["keep_id"]),
        merge_id=int(after["merge_id"]),
    )
