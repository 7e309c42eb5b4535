"""The dashboard's pages: sign-in, overview, jobs and matches (HTML over the services the API uses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, status
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from app.auth.deps import SESSION_COOKIE, user_of_claims
from app.auth.tokens import InvalidToken, decode_token
from app.changes import match_review, review_queue
from app.changes.rollback import rollback_job
from app.core.deps import RecordId, SessionDep, SettingsDep
from app.core.pagination import PageRequest
from app.dashboard import review, security
from app.dashboard.pages import (
    HERE,
    PREFIX,
    SIGN_IN,
    SIGN_IN_REASONS,
    FormDep,
    FormRefused,
    SignedInDep,
    SignInRequired,
    act,
    page,
    refused,
    safe_next,
    sign_in_again,
)
from app.jobs import service as jobs
from app.jobs.models import JobStatus, JobType
from app.matching import repository as matches
from app.matching.scorer import HELD_BACK_REASONS
from app.ops.overview import overview

router = APIRouter(prefix=PREFIX, include_in_schema=False)

FINISHED = frozenset({JobStatus.completed, JobStatus.failed, JobStatus.cancelled})
JobIdPath = Annotated[str, PathParam(max_length=50)]


# Sign-in and sign-out


@router.get("/sign-in")
def sign_in_page(
    request: Request, settings: SettingsDep, next: str | None = None, reason: str | None = None
) -> HTMLResponse:
    csrf = security.new_sign_in_csrf()
    said = SIGN_IN_REASONS.get(reason or "")
    response = page(request, "sign_in.html", None, next=safe_next(next), reason=said, sign_in_csrf=csrf)
    response.set_cookie(
        security.SIGN_IN_CSRF_COOKIE,
        csrf,
        httponly=True,
        secure=security.secure_cookies(settings),
        samesite="strict",
        path=SIGN_IN,
    )
    return response


@router.post("/sign-in")
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str | None, Form()] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    if not security.csrf_matches(request.cookies.get(security.SIGN_IN_CSRF_COOKIE), csrf_token):
        raise FormRefused("The sign-in form has no valid CSRF token: reload the page and try again.")

    def refusal(reason: str, code: int) -> HTMLResponse:
        csrf = request.cookies.get(security.SIGN_IN_CSRF_COOKIE)
        answer = page(request, "sign_in.html", None, next=safe_next(next), reason=reason, sign_in_csrf=csrf)
        answer.status_code = code
        return answer

    token = token.strip().removeprefix("Bearer ").strip()
    if not token:
        return refusal("Paste an admin token.", status.HTTP_422_UNPROCESSABLE_CONTENT)
    try:
        claims = decode_token(token, settings)
        user = user_of_claims(session, claims)
    except InvalidToken as exc:
        return refusal(f"This token cannot sign in: {exc}.", status.HTTP_401_UNAUTHORIZED)
    if not user.is_admin:
        return refusal("This token is not an admin's: the dashboard is for admins only.", status.HTTP_403_FORBIDDEN)
    response = RedirectResponse(safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        expires=datetime.fromtimestamp(int(claims["exp"]), UTC),
        httponly=True,
        secure=security.secure_cookies(settings),
        samesite="strict",
        path="/",  # the API's event streams read it too (GET only)
    )
    response.delete_cookie(security.SIGN_IN_CSRF_COOKIE, path=SIGN_IN)
    return response


@router.post("/sign-out")
def sign_out(_signed: FormDep, settings: SettingsDep) -> RedirectResponse:
    response = RedirectResponse(f"{SIGN_IN}?reason=signed-out", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, secure=security.secure_cookies(settings), samesite="strict"
    )
    return response


# Overview


@router.get("")
def overview_page(request: Request, session: SessionDep, settings: SettingsDep, signed: SignedInDep) -> HTMLResponse:
    figures = overview(session, settings)
    top = float(max((cost for _day, cost in figures.spend_by_day), default=0))
    return page(request, "overview.html", signed, o=figures, top=top, peak=top or 1.0, statuses=list(JobStatus))


# Jobs


@dataclass(frozen=True)
class JobFilter:
    status: JobStatus | None
    entity_type: str | None
    job_type: JobType | None
    cursor: str | None

    def query(self, **changes: Any) -> str:
        values = {
            "status": self.status,
            "entity_type": self.entity_type,
            "job_type": self.job_type,
            "cursor": self.cursor,
            **changes,
        }
        return urlencode({k: v for k, v in values.items() if v})


def _job_filter(
    status: Annotated[JobStatus | None, Query()] = None,
    entity_type: Annotated[str | None, Query(pattern="^(builder|community|property)$")] = None,
    job_type: Annotated[JobType | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> JobFilter:
    return JobFilter(status=status, entity_type=entity_type, job_type=job_type, cursor=cursor)


JobFilterDep = Annotated[JobFilter, Depends(_job_filter)]


def _job_rows(session: Session, flt: JobFilter) -> dict[str, Any]:
    return jobs.list_jobs(
        session,
        entity_type=flt.entity_type,
        status=flt.status,
        job_type=flt.job_type,
        paging=PageRequest(per_page=50, cursor=flt.cursor),
    )


@router.get("/jobs")
def jobs_page(request: Request, session: SessionDep, signed: SignedInDep, flt: JobFilterDep) -> HTMLResponse:
    return page(
        request,
        "jobs.html",
        signed,
        flt=flt,
        page=_job_rows(session, flt),
        statuses=list(JobStatus),
        job_types=list(JobType),
    )


@router.get("/jobs/rows")
def job_rows(request: Request, session: SessionDep, signed: SignedInDep, flt: JobFilterDep) -> HTMLResponse:
    """The jobs table's rows alone: the live table swaps them in when an event arrives."""
    return page(request, "_job_rows.html", signed, page=_job_rows(session, flt))


def _job_context(session: Session, job_id: str) -> dict[str, Any]:
    job = jobs.get_job(session, job_id)
    detail = jobs.job_detail(session, job, review_queue.job_changes_summary(session, job.job_id))
    return {"job": detail, "finished": job.status in FINISHED}


@router.get("/jobs/{job_id}")
def job_page(request: Request, session: SessionDep, signed: SignedInDep, job_id: JobIdPath) -> HTMLResponse:
    return page(request, "job.html", signed, **_job_context(session, job_id))


@router.get("/jobs/{job_id}/live")
def job_live(request: Request, session: SessionDep, signed: SignedInDep, job_id: JobIdPath) -> HTMLResponse:
    """The job page's live part (status, counts, timeline, changes), swapped in as its events arrive."""
    return page(request, "_job_live.html", signed, **_job_context(session, job_id))


@router.post("/jobs/{job_id}/cancel")
def cancel_job(session: SessionDep, signed: FormDep, job_id: JobIdPath) -> RedirectResponse:
    def cancel() -> str:
        jobs.cancel_job(session, signed.user, jobs.get_job(session, job_id))
        return f"Job {job_id} cancelled."

    return act(session, f"{PREFIX}/jobs/{job_id}", cancel)


@router.post("/jobs/{job_id}/retry")
def retry_job(session: SessionDep, settings: SettingsDep, signed: FormDep, job_id: JobIdPath) -> RedirectResponse:
    def retry() -> str:
        jobs.retry_job(session, signed.user, jobs.get_job(session, job_id), settings)
        return f"Job {job_id} queued to run again."

    return act(session, f"{PREFIX}/jobs/{job_id}", retry)


@router.post("/jobs/{job_id}/rollback")
def rollback(session: SessionDep, signed: FormDep, job_id: JobIdPath) -> RedirectResponse:
    def undo() -> str:
        jobs.get_job(session, job_id)
        undone = rollback_job(session, job_id, actor=signed.user.user_id)
        return f"Rolled back {len(undone)} applied change(s) of job {job_id}."

    return act(session, f"{PREFIX}/jobs/{job_id}", undo)


# Matches


@router.get("/matches")
def matches_page(
    request: Request,
    session: SessionDep,
    signed: SignedInDep,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    pending = matches.list_matches(
        session, PageRequest(per_page=25, cursor=cursor), status="pending", entity_type=None, job_id=None
    )
    return page(request, "matches.html", signed, page=pending, held_back_notes=HELD_BACK_REASONS)


MATCHES = f"{PREFIX}/matches"
NotesForm = Annotated[str | None, Form(max_length=2000)]


@router.post("/matches/{match_id}/confirm")
def confirm_match(
    session: SessionDep, settings: SettingsDep, signed: FormDep, match_id: RecordId, notes: NotesForm = None
) -> Response:
    def confirm() -> str:
        outcome = match_review.confirm_match(session, match_id, signed.user.user_id, notes or None, settings=settings)
        return f"Match {match_id} confirmed: {len(outcome.change_ids)} change(s) proposed for review."

    return act(session, MATCHES, confirm)


@router.post("/matches/{match_id}/reject")
def reject_match(
    session: SessionDep, settings: SettingsDep, signed: FormDep, match_id: RecordId, notes: NotesForm = None
) -> Response:
    def reject() -> str:
        match_review.reject_match(session, match_id, signed.user.user_id, notes or None, settings=settings)
        return f"Match {match_id} rejected: the discovered record is proposed as a new one."

    return act(session, MATCHES, reject)


@router.post("/matches/{match_id}/override")
def override_match(
    session: SessionDep,
    settings: SettingsDep,
    signed: FormDep,
    match_id: RecordId,
    matched_entity_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    notes: NotesForm = None,
) -> Response:
    def override() -> str:
        match_review.override_match(
            session, match_id, matched_entity_id, signed.user.user_id, notes or None, settings=settings
        )
        return f"Match {match_id} linked to record {matched_entity_id}."

    return act(session, MATCHES, override)


def install_dashboard(app: FastAPI) -> None:
    """Serve the dashboard's pages and its static files (CSS, JavaScript) from the package."""
    app.include_router(router)
    app.include_router(review.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")
    app.add_exception_handler(SignInRequired, sign_in_again)
    app.add_exception_handler(FormRefused, refused)
