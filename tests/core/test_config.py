"""Production settings refuse what is only safe in development."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import Settings

STRONG = SecretStr("k" * 48)


def test_production_refuses_the_placeholder_token_key() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_JWT_SECRET"):
        Settings(environment="production")


def test_production_refuses_a_short_token_key() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_JWT_SECRET"):
        Settings(environment="production", jwt_secret=SecretStr("short"))


def test_production_refuses_the_fetch_guard_allow_list() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_FETCH_ALLOWED_HOSTS"):
        Settings(environment="production", jwt_secret=STRONG, fetch_allowed_hosts=["127.0.0.1"])


def test_production_starts_with_a_real_secret() -> None:
    assert Settings(environment="production", jwt_secret=STRONG).environment == "production"


def test_development_keeps_the_demo_defaults() -> None:
    assert Settings(environment="development", fetch_allowed_hosts=["127.0.0.1"]).fetch_allowed_hosts == ["127.0.0.1"]
