"""Fixtures of the dashboard tests: a browser-like client that keeps cookies over HTTPS, and a sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.tokens import issue_token
from app.core.config import get_settings


@pytest.fixture
def browser(session: Session) -> Iterator[TestClient]:
    """A client on https://, so it keeps and sends the Secure session cookie as a browser would; no redirects."""
    from app.main import app

    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def form_csrf(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, user: User, **token_options: object) -> str:
    """Sign ``user`` in through the sign-in form; returns the CSRF token of the signed-in pages."""
    page = client.get("/dashboard/sign-in")
    answer = client.post(
        "/dashboard/sign-in",
        data={"token": issue_token(user, get_settings(), **token_options), "csrf_token": form_csrf(page.text)},
    )
    assert answer.status_code == 303, answer.text
    return form_csrf(client.get("/dashboard").text)
