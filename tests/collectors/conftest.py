"""Fixtures of the collector tests: the bundled sample sites on localhost, and the seeded sample records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.builders.models import BuilderProfile
from app.communities.models import Community
from app.core.config import get_settings
from app.research.sample_sites import start_sample_sites_server
from app.sample_data import seed_sample
from tests.factories import make_admin


@pytest.fixture(scope="session")
def sample_sites() -> Iterator[str]:
    server, base_url = start_sample_sites_server()
    yield base_url
    server.shutdown()


@pytest.fixture
def allow_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the fetch guard reach the local sample sites (the allow-list only tests and the demo use)."""
    monkeypatch.setattr(get_settings(), "fetch_allowed_hosts", ["127.0.0.1", "localhost"])


@pytest.fixture
def seeded(session: Session, sample_sites: str, allow_localhost: None) -> str:
    seed_sample(session, sample_sites)
    session.flush()
    return sample_sites


@pytest.fixture
def admin(session: Session) -> User:
    return make_admin(session)


def builder_named(session: Session, name: str) -> BuilderProfile:
    builder = session.scalar(select(BuilderProfile).where(BuilderProfile.name == name))
    assert builder is not None, name
    return builder


def community_named(session: Session, name: str) -> Community:
    community = session.scalar(select(Community).where(Community.name == name))
    assert community is not None, name
    return community
