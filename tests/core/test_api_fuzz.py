"""Every admin operation, fed inputs generated from its own OpenAPI schema, never answers 5xx.

Bad input must get a clear 4xx (422 naming the field, 404, 409); a 500 means some input reached
the database or the code unchecked.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session

from app.main import app
from tests.factories import auth_headers, make_admin

# Event streams answer until their job ends, or forever: their bad input (a Last-Event-ID that is no id,
# an unknown job) is tested on a live server in tests/pipeline/test_job_events_stream.py.
schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex=r"/events$")


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    return auth_headers(make_admin(session, can_auto_apply=True))


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_input_causes_a_server_error(case: schemathesis.Case, admin_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=admin_headers, checks=[not_a_server_error])
