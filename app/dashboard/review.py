"""The review page: the inbox with its filters, and decisions on one change, the selected ones, or all matching.

A decision on more than one change is shown first as a trial run (the inbox's dry run) with its counts; the
admin confirms that exact set of changes, so what is decided is what was counted.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.changes import inbox
from app.changes.inbox import InboxQuery, InboxSort
from app.changes.models import ChangeStatus, ChangeType
from app.core.deps import SessionDep
from app.core.entities import EntityType
from app.core.errors import DomainError
from app.dashboard.pages import PREFIX, FormDep, SignedInDep, act, back, page

router = APIRouter(prefix=f"{PREFIX}/review", include_in_schema=False)
REVIEW = f"{PREFIX}/review"
PER_PAGE = 25

# What a decision button asks for: an action on one change, the selected ones, all matching the filter, or
# (from the trial run's page) exactly the changes the trial run counted.
Choice = Literal[
    "apply-one", "reject-one", "apply-selected", "reject-selected",
    "apply-filter", "reject-filter", "apply-confirmed", "reject-confirmed",
]  # fmt: skip


DAY_FIELDS = ("created_from", "created_to")


def _inbox_query(request: Request) -> InboxQuery:
    """The inbox's filter and order from the page's query string (empty fields mean no condition).

    The page's date fields send a day; the inbox takes a moment with its zone: the day's start in UTC."""
    given = {
        name: value
        for name, value in request.query_params.items()
        if name in InboxQuery.model_fields and value.strip() != ""
    }
    for name in DAY_FIELDS:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", given.get(name, "")):
            given[name] += "T00:00:00+00:00"
    try:
        return InboxQuery.model_validate(given)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from exc


InboxQueryDep = Annotated[InboxQuery, Depends(_inbox_query)]


def _query_string(flt: InboxQuery) -> str:
    return urlencode(flt.model_dump(mode="json", exclude_defaults=True))


@router.get("")
def review_page(
    request: Request,
    session: SessionDep,
    signed: SignedInDep,
    flt: InboxQueryDep,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> HTMLResponse:
    return page(
        request,
        "review.html",
        signed,
        flt=flt,
        query=_query_string(flt),
        page=inbox.list_changes(session, flt, cursor=cursor, limit=PER_PAGE),
        summary=inbox.summary(session),
        statuses=list(ChangeStatus),
        change_types=list(ChangeType),
        entity_types=[t.value for t in EntityType],
        sorts=list(InboxSort),
    )


def _decided(outcome: dict[str, Any]) -> str:
    said = {
        "applied": "applied",
        "created_entities": "created as new records",
        "rejected": "rejected",
        "conflicts": "in conflict (the value changed since; review it again)",
        "skipped_locked": "skipped: field locked",
        "skipped": "skipped: already decided",
        "failed": "failed",
    }
    parts = [f"{outcome[key]} {words}" for key, words in said.items() if outcome.get(key)]
    return "; ".join(parts) or "Nothing to decide."


@router.post("/decide", response_model=None)
def decide(
    request: Request,
    session: SessionDep,
    signed: FormDep,
    flt: InboxQueryDep,
    choice: Annotated[Choice, Form()],
    change_ids: Annotated[list[int], Form(max_length=inbox.MAX_DECISION_CHANGES)] = [],  # noqa: B006
    review_notes: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    action: inbox.Action = "apply" if choice.startswith("apply-") else "reject"
    scope = choice.removeprefix(f"{action}-")
    back_to = f"{REVIEW}?{_query_string(flt)}"
    notes = review_notes or None
    if scope != "filter" and not change_ids:
        return back(back_to, "Select at least one change first.")
    if scope in ("one", "confirmed"):
        return act(
            session,
            back_to,
            lambda: _decided(
                inbox.decide(
                    session, action=action, change_ids=change_ids, reviewer=signed.user.user_id, review_notes=notes
                )
            ),
        )
    try:
        trial = inbox.decide(
            session,
            action=action,
            change_ids=change_ids if scope == "selected" else None,
            flt=flt if scope == "filter" else None,
            dry_run=True,
            reviewer=signed.user.user_id,
            review_notes=notes,
        )
    except DomainError as exc:  # unknown ids, or a filter matching more than one decision may touch
        session.rollback()
        return back(back_to, exc.detail)
    return page(
        request,
        "review_confirm.html",
        signed,
        action=action,
        outcome=trial,
        change_ids=[o["change_id"] for o in trial["outcomes"]],
        confirm_choice=f"{action}-confirmed",
        review_notes=notes,
        query=_query_string(flt),
    )
