"""Every route under /api/v1/admin, found by enumerating the application, refuses callers without a valid
admin token: 401 for a missing, badly signed, expired, unsigned (alg none), wrong-audience, wrong-issuer or
unknown-user token; 403 for a valid token of a user who is not an admin."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import timedelta

import jwt
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.deps import SESSION_COOKIE
from app.auth.models import User
from app.auth.tokens import issue_token
from app.core.config import get_settings
from app.core.db import utcnow
from app.main import app
from tests.factories import auth_headers, make_admin, make_user

ADMIN_PREFIX = "/api/v1/admin"


def admin_routes() -> list[tuple[str, str]]:
    """(method, path with every path parameter set to 1) of each admin route the application serves."""
    found = []
    # iter_route_contexts walks included routers, whose routes app.routes does not list flat.
    for context in iter_route_contexts(app.routes):
        path = context.path or ""
        if isinstance(context.original_route, APIRoute) and path.startswith(ADMIN_PREFIX):
            found.extend((method, re.sub(r"\{[^}]+\}", "1", path)) for method in sorted(context.methods or ()))
    return found


ROUTES = admin_routes()


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(user: User, **overrides: object) -> dict[str, object]:
    settings = get_settings()
    now = utcnow()
    claims: dict[str, object] = {
        "sub": user.user_id,
        "role": user.role,
        "aud": settings.jwt_audience,
        "iss": settings.jwt_issuer,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(days=1)).timestamp()),
    }
    claims.update(overrides)
    return claims


def _signed(claims: dict[str, object], secret: str | None = None) -> str:
    return jwt.encode(claims, secret or get_settings().jwt_secret.get_secret_value(), algorithm="HS256")


def _no_token(_user: User) -> dict[str, str]:
    return {}


def _bad_signature(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {_signed(_claims(user), secret='another-secret-of-at-least-32-bytes!!')}"}


def _expired(user: User) -> dict[str, str]:
    past = utcnow() - timedelta(hours=2)
    claims = _claims(user, iat=int(past.timestamp()), exp=int((past + timedelta(hours=1)).timestamp()))
    return {"Authorization": f"Bearer {_signed(claims)}"}


def _alg_none(user: User) -> dict[str, str]:
    # Crafted by hand: a library would refuse to write an unsigned token.
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims(user))}."
    return {"Authorization": f"Bearer {token}"}


def _wrong_audience(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {_signed(_claims(user, aud='someone-else'))}"}


def _wrong_issuer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {_signed(_claims(user, iss='someone-else'))}"}


def _unknown_user(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {_signed(_claims(user, sub='USR-does-not-exist'))}"}


def _not_bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Basic {base64.b64encode(b'admin:admin').decode()}"}


UNAUTHORIZED: dict[str, Callable[[User], dict[str, str]]] = {
    "no token": _no_token,
    "bad signature": _bad_signature,
    "expired": _expired,
    "alg none": _alg_none,
    "wrong audience": _wrong_audience,
    "wrong issuer": _wrong_issuer,
    "unknown user": _unknown_user,
    "not bearer": _not_bearer,
}


def test_the_enumeration_finds_the_admin_routes() -> None:
    paths = {path for _method, path in ROUTES}
    assert {"/api/v1/admin/builders", "/api/v1/admin/communities/1", "/api/v1/admin/properties"} <= paths


def test_a_valid_admin_token_is_accepted(client: TestClient, session: Session) -> None:
    # The control: the same kind of request with a good token gets past authentication.
    response = client.get(f"{ADMIN_PREFIX}/builders", headers=auth_headers(make_admin(session)))

    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_admin_route_refuses_bad_tokens_and_non_admins(
    client: TestClient, session: Session, method: str, path: str
) -> None:
    admin = make_admin(session)
    for case, headers_for in UNAUTHORIZED.items():
        response = client.request(method, path, headers=headers_for(admin), json={})
        assert response.status_code == 401, f"{case}: {response.status_code} {response.text}"
        assert response.headers.get("WWW-Authenticate") == "Bearer", case

    non_admin = make_user(session)
    response = client.request(method, path, headers=auth_headers(non_admin), json={})
    assert response.status_code == 403, response.text
    inactive_admin = make_admin(session, is_active=False)
    response = client.request(method, path, headers=auth_headers(inactive_admin), json={})
    assert response.status_code == 401, response.text


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_the_dashboards_session_cookie_reads_but_never_writes(
    client: TestClient, session: Session, method: str, path: str
) -> None:
    if path == f"{ADMIN_PREFIX}/events":
        pytest.skip("the activity stream never ends; the live jobs table in the browser tests reads it")
    admin = make_admin(session)
    client.cookies.set(SESSION_COOKIE, issue_token(admin, get_settings()))
    try:
        response = client.request(method, path, json={})
        if method in ("GET", "HEAD"):
            assert response.status_code not in (401, 403), response.text
        else:  # a browser sends cookies on its own: a write needs the header a cross-site page cannot set
            assert response.status_code == 401, response.text
        client.cookies.set(SESSION_COOKIE, issue_token(make_user(session), get_settings()))
        refused = client.request(method, path, json={})
        assert refused.status_code == (403 if method in ("GET", "HEAD") else 401), refused.text
    finally:
        client.cookies.clear()
