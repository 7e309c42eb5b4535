"""What every dashboard page shares: templates, the signed-in admin, CSRF-checked forms, notices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from app.auth.deps import SESSION_COOKIE, user_of_claims
from app.auth.models import User
from app.auth.tokens import InvalidToken, decode_token
from app.core.db import aware, utcnow
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import DomainError
from app.dashboard import security

HERE = Path(__file__).resolve().parent
PREFIX = "/dashboard"
SIGN_IN = f"{PREFIX}/sign-in"

templates = Jinja2Templates(directory=HERE / "templates")


# Why the sign-in page is shown again. The address carries a code, never free text, so a link from elsewhere
# cannot make the page say something the dashboard did not.
SIGN_IN_REASONS = {
    "ended": "Your session ended: its token expired or is no longer valid. Sign in again.",
    "not-admin": "Your account is no longer an admin; sign in with an admin's token.",
    "signed-out": "Signed out.",
}


class SignInRequired(Exception):
    """No valid admin session: the browser goes (back) to the sign-in page, told why (a SIGN_IN_REASONS key)."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason


class FormRefused(Exception):
    """A form post the dashboard will not act on (a missing or wrong CSRF token)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SignedIn:
    user: User
    csrf: str


def _signed_in(request: Request, session: SessionDep, settings: SettingsDep) -> SignedIn:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired()
    try:
        user = user_of_claims(session, decode_token(token, settings))
    except InvalidToken as exc:
        raise SignInRequired("ended") from exc
    if not user.is_admin:
        raise SignInRequired("not-admin")
    return SignedIn(user=user, csrf=security.csrf_token(token, settings))


SignedInDep = Annotated[SignedIn, Depends(_signed_in)]


def _form_checked(signed: SignedInDep, csrf_token: Annotated[str | None, Form()] = None) -> SignedIn:
    if not security.csrf_matches(signed.csrf, csrf_token):
        raise FormRefused("This form has no valid CSRF token: reload the page and try again.")
    return signed


# A form post of a signed-in admin whose CSRF token matches the session.
FormDep = Annotated[SignedIn, Depends(_form_checked)]


# Helpers of the templates: times in UTC, ages in words, money in dollars.


def _when(moment: datetime | None) -> str:
    return aware(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _age(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    minutes = int((utcnow() - aware(moment)).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"


def _usd(value: Any) -> str:
    return f"${float(value or 0):,.2f}"


def _shown(value: Any) -> str:
    """A field's value as a reader wants it: lists joined, records as "key: value", nothing as a dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in value.items())
    return str(value)


templates.env.filters.update(when=_when, age=_age, usd=_usd, shown=_shown)


def page(request: Request, name: str, signed: SignedIn | None, **context: Any) -> HTMLResponse:
    """A rendered template, with the admin, the session's CSRF token and the notice of the last action."""
    context.update(
        admin=signed.user if signed else None,
        csrf=signed.csrf if signed else None,
        notice=request.query_params.get("notice"),
    )
    return templates.TemplateResponse(request, name, context)


def back(path: str, notice: str) -> RedirectResponse:
    """Back to a page (after a form post), saying what happened."""
    joiner = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{joiner}{urlencode({'notice': notice})}", status_code=status.HTTP_303_SEE_OTHER)


def act(session: Session, path: str, action: Callable[[], str]) -> RedirectResponse:
    """Run a button's action and go back to ``path`` saying what happened; a refusal undoes the whole action."""
    try:
        done = action()
    except DomainError as exc:
        session.rollback()
        return back(path, exc.detail)
    return back(path, done)


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: a dashboard page of this site, never another site."""
    if target and target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX


def sign_in_again(request: Request, exc: Exception) -> Response:
    """The answer to a page without a valid session: the sign-in page, then back here."""
    reason = exc.reason if isinstance(exc, SignInRequired) else None
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    query = {"next": target if request.method in ("GET", "HEAD") else PREFIX}
    if reason:
        query["reason"] = reason
    response = RedirectResponse(f"{SIGN_IN}?{urlencode(query)}", status_code=status.HTTP_303_SEE_OTHER)
    if reason:  # a session that ended is forgotten, so the browser stops sending it
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def refused(request: Request, exc: Exception) -> Response:
    """The answer to a form post without a valid CSRF token: 403, nothing done."""
    message = exc.message if isinstance(exc, FormRefused) else str(exc)
    answer = templates.TemplateResponse(request, "refused.html", {"message": message, "admin": None, "csrf": None})
    answer.status_code = status.HTTP_403_FORBIDDEN
    return answer
