"""The dashboard's session and CSRF tokens.

The session cookie holds the admin's bearer token itself, so every page checks it exactly as the API
checks a token (signature, expiry, active admin) and the cookie dies with the token. A form proves it came
from a dashboard page with a CSRF token: an HMAC of the session token, which a cross-site page cannot read.
Before sign-in there is no session, so the sign-in form uses a random token it also sets as a cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from app.core.config import Settings

SIGN_IN_CSRF_COOKIE = "artitec_sign_in_csrf"
CSRF_FIELD = "csrf_token"


def csrf_token(session_token: str, settings: Settings) -> str:
    """The CSRF token of forms on pages of this session."""
    key = settings.jwt_secret.get_secret_value().encode()
    return hmac.new(key, b"dashboard-csrf\x00" + session_token.encode(), hashlib.sha256).hexdigest()


def csrf_matches(expected: str | None, presented: str | None) -> bool:
    """True when a form carries the expected CSRF token (compared in constant time)."""
    return bool(expected and presented) and hmac.compare_digest(str(expected), str(presented))


def new_sign_in_csrf() -> str:
    return secrets.token_urlsafe(32)


def secure_cookies(settings: Settings) -> bool:
    """Cookies go over HTTPS only, except in development (a laptop on plain http://localhost)."""
    return bool(settings.environment != "development")
