"""The communities list filtered by state and city: whole values, any case, combined with each other."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.db import utcnow
from tests.factories import auth_headers, make_admin, make_community

URL = "/api/v1/admin/communities"


def _names(client: TestClient, headers: dict[str, str], **params: str) -> list[str]:
    response = client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["communities"])
    return [c["name"] for c in body["communities"]]


def test_state_filter_matches_the_whole_code_in_any_case(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    make_community(session, name="Cinco Ranch", city="Katy", state="TX")
    make_community(session, name="Aliana", city="Richmond", state="tx")  # stored lower-case by an older import
    make_community(session, name="Old Ranch", city="Katy", state="TX", archived_at=utcnow())
    make_community(session, name="Summerlin", city="Las Vegas", state="NV")
    make_community(session, name="Nowhere Estates", city="Katy", state=None)

    assert _names(client, headers, state="TX") == ["Aliana", "Cinco Ranch"]
    assert _names(client, headers, state="tx") == ["Aliana", "Cinco Ranch"]
    assert _names(client, headers, state="Nv") == ["Summerlin"]
    assert _names(client, headers, state="T") == []  # a code, not a part of one
    assert _names(client, headers, state="ZZ") == []
    assert _names(client, headers, state="TX", include_archived="true") == ["Aliana", "Cinco Ranch", "Old Ranch"]


def test_city_and_state_filters_combine(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    make_community(session, name="Lakeside Springfield", city="Springfield", state="IL")
    make_community(session, name="Ozark Springfield", city="springfield", state="MO")
    make_community(session, name="West Springfield Park", city="West Springfield", state="MA")

    assert _names(client, headers, city="SPRINGFIELD") == ["Lakeside Springfield", "Ozark Springfield"]
    assert _names(client, headers, city="Springfield", state="mo") == ["Ozark Springfield"]
    assert _names(client, headers, city="springfield", state="MA") == []  # the city is matched whole
    assert _names(client, headers, city="Springfield", state="IL", name="lakeside") == ["Lakeside Springfield"]
