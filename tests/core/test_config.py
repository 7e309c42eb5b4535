"""Production settings refuse what is only safe in development."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import Settings

STRONG = SecretStr("k" * 48)
METRICS = SecretStr("m" * 24)


def test_production_refuses_the_placeholder_token_key() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_JWT_SECRET"):
        Settings(environment="production")


def test_production_refuses_a_short_token_key() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_JWT_SECRET"):
        Settings(environment="production", jwt_secret=SecretStr("short"))


def test_production_refuses_the_fetch_guard_allow_list() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_FETCH_ALLOWED_HOSTS"):
        Settings(environment="production", jwt_secret=STRONG, metrics_token=METRICS, fetch_allowed_hosts=["127.0.0.1"])


def test_production_refuses_metrics_without_a_token() -> None:
    with pytest.raises(ValidationError, match="ARTITEC_METRICS_TOKEN"):
        Settings(environment="production", jwt_secret=STRONG)


def test_production_starts_with_a_real_secret() -> None:
    settings = Settings(environment="production", jwt_secret=STRONG, metrics_token=METRICS)
    assert settings.environment == "production"


@pytest.mark.parametrize("name", ["Production", "prod", "production ", "PRODUCTION", "staging", ""])
def test_an_unknown_environment_refuses_to_start_naming_the_setting(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTITEC_ENVIRONMENT", name)
    with pytest.raises(ValidationError, match="ARTITEC_ENVIRONMENT must be exactly one of development, test"):
        Settings()


def test_an_unknown_environment_stops_the_api_process_with_the_message() -> None:
    env = {**os.environ, "ARTITEC_ENVIRONMENT": "Production"}
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ARTITEC_ENVIRONMENT must be exactly one of" in result.stderr


def test_development_keeps_the_demo_defaults() -> None:
    assert Settings(environment="development", fetch_allowed_hosts=["127.0.0.1"]).fetch_allowed_hosts == ["127.0.0.1"]
