"""HTTP routes of the review inbox: every change across all records, decided one by one or many at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from app.auth.deps import CurrentAdmin
from app.changes import inbox
from app.changes.inbox import MAX_DECISION_CHANGES, InboxQuery
from app.changes.schemas import DecisionRequest, DecisionResponse, InboxRead, InboxSummary
from app.core.body import StrictJSONRoute
from app.core.deps import SessionDep
from app.core.errors import RESPONSES_404, RESPONSES_409

router = APIRouter(prefix="/changes", tags=["review inbox"], route_class=StrictJSONRoute)

_DECISION_ERRORS = {
    **RESPONSES_404,
    **RESPONSES_409,
    422: {"description": "change_ids and filter both given or neither, or a bad filter (the field is named)"},
}


class InboxParams(InboxQuery):
    """The inbox's filter and order, with its page (unknown parameters are refused, not ignored)."""

    cursor: str | None = Field(None, max_length=2000, description="`next_cursor` of the previous page")
    limit: int = Field(50, ge=1, le=100, description="changes per page, at most 100")


@router.get(
    "",
    response_model=InboxRead,
    responses={422: {"description": "a bad filter, order or cursor (the parameter is named)"}},
    summary="Every change across all records: filtered, ordered, a page at a time",
)
def get_changes(params: Annotated[InboxParams, Query()], session: SessionDep) -> InboxRead:
    return InboxRead.model_validate(inbox.list_changes(session, params, cursor=params.cursor, limit=params.limit))


@router.get(
    "/summary",
    response_model=InboxSummary,
    summary="Counts for badges: pending changes by entity type, field and job; the oldest one's age",
)
def get_summary(session: SessionDep) -> InboxSummary:
    return InboxSummary.model_validate(inbox.summary(session))


_DECISION_HELP = (
    f"Either `change_ids` or `filter` (the inbox's, at most {MAX_DECISION_CHANGES:,} matching changes, else 409). "
    "Unknown ids: 404 naming them, nothing decided. `dry_run` reports exactly what the request would do."
)


@router.post(
    "/apply",
    response_model=DecisionResponse,
    responses=_DECISION_ERRORS,
    summary="Apply many changes: each at most once, stale ones become conflicts, locked fields are skipped",
    description=_DECISION_HELP,
)
def post_apply(body: DecisionRequest, session: SessionDep, admin: CurrentAdmin) -> DecisionResponse:
    return _decision("apply", body, session, admin.user_id)


@router.post(
    "/reject",
    response_model=DecisionResponse,
    responses=_DECISION_ERRORS,
    summary="Reject many changes; each rejection lowers its source's reliability",
    description=_DECISION_HELP,
)
def post_reject(body: DecisionRequest, session: SessionDep, admin: CurrentAdmin) -> DecisionResponse:
    return _decision("reject", body, session, admin.user_id)


def _decision(action: inbox.Action, body: DecisionRequest, session: SessionDep, reviewer: str) -> DecisionResponse:
    result = inbox.decide(
        session,
        action=action,
        change_ids=body.change_ids,
        flt=body.filter,
        dry_run=body.dry_run,
        reviewer=reviewer,
        review_notes=body.review_notes,
    )
    return DecisionResponse.model_validate(result)
