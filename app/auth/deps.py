"""Who is calling: CurrentUser for any valid token, CurrentAdmin for the admin API.

A token comes in the Authorization header; for GET and HEAD it may instead come in the dashboard's session
cookie, so a browser's EventSource (which cannot send headers) can follow a job. Never for a write: a
cookie is sent by the browser on its own, so a write needs the header a cross-site page cannot set.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.tokens import InvalidToken, decode_token
from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep

bearer = HTTPBearer(auto_error=False, description="A token from `artitec-collector issue-token EMAIL`")

SESSION_COOKIE = "artitec_session"
SAFE_METHODS = frozenset({"GET", "HEAD"})

NOT_AUTHENTICATED = "Not authenticated: send 'Authorization: Bearer <token>'"


def presented_token(request: Request) -> str | None:
    """The bearer token of the Authorization header; without one, for GET and HEAD, the session cookie's."""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return token.strip() or None
    if request.method in SAFE_METHODS:
        return request.cookies.get(SESSION_COOKIE) or None
    return None


def token_problem(request: Request, settings: Settings) -> str | None:
    """Why a request carries no valid token (None if it does); signature and claims only.

    Checked before a request's body is read, so a caller without a token cannot make the API read one."""
    token = presented_token(request)
    if token is None:
        return NOT_AUTHENTICATED
    try:
        decode_token(token, settings)
    except InvalidToken as exc:
        return str(exc)
    return None


def user_of_claims(session: Session, claims: dict[str, Any]) -> User:
    """The active user a decoded token names; raises InvalidToken when there is none."""
    user = session.scalar(select(User).where(User.user_id == claims["sub"]))
    if user is None or not user.is_active:
        raise InvalidToken("token's user does not exist or is inactive")
    return user


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def get_current_user(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    # Declared so Swagger UI offers "Authorize"; the token itself is read by presented_token.
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    token = presented_token(request)
    if token is None:
        raise _unauthorized(NOT_AUTHENTICATED)
    try:
        return user_of_claims(session, decode_token(token, settings))
    except InvalidToken as exc:
        raise _unauthorized(str(exc)) from exc


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_current_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="admin role required")
    return user


CurrentAdmin = Annotated[User, Depends(get_current_admin)]
