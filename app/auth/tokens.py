"""Bearer JWTs: HS256, signed, with expiry, audience and issuer checked on every request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt

from app.auth.models import User
from app.core.config import Settings
from app.core.db import utcnow

ALGORITHM = "HS256"


class InvalidToken(Exception):
    pass


def issue_token(user: User, settings: Settings, *, days: int | None = None) -> str:
    now = utcnow()
    claims = {
        "sub": user.user_id,
        "role": user.role,
        "aud": settings.jwt_audience,
        "iss": settings.jwt_issuer,
        "iat": now,
        "exp": now + timedelta(days=days if days is not None else settings.jwt_default_days),
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def decode_token(token: str, settings: Settings) -> dict[str, Any]:
    """The token's claims; raises InvalidToken for a bad signature, expiry, audience or algorithm."""
    try:
        return jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],  # never "none"
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"invalid token: {exc}") from exc
