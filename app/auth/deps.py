"""Who is calling: CurrentUser for any valid token, CurrentAdmin for the admin API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from app.auth.models import User
from app.auth.tokens import InvalidToken, decode_token
from app.core.deps import SessionDep

bearer = HTTPBearer(auto_error=False, description="A token from `artitec-collector issue-token EMAIL`")


NOT_AUTHENTICATED = "Not authenticated: send 'Authorization: Bearer <token>'"


def token_problem(authorization: str | None) -> str | None:
    """Why an Authorization header carries no valid token (None if it does); signature and claims only.

    Checked before a request's body is read, so a caller without a token cannot make the API read one."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return NOT_AUTHENTICATED
    try:
        decode_token(token.strip())
    except InvalidToken as exc:
        return str(exc)
    return None


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def get_current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized(NOT_AUTHENTICATED)
    try:
        claims = decode_token(credentials.credentials)
    except InvalidToken as exc:
        raise _unauthorized(str(exc)) from exc
    user = session.scalar(select(User).where(User.user_id == claims["sub"]))
    if user is None or not user.is_active:
        raise _unauthorized("token's user does not exist or is inactive")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_current_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="admin role required")
    return user


CurrentAdmin = Annotated[User, Depends(get_current_admin)]
