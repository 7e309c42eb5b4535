"""The homes list filtered by state and city: whole values, any case, combined with the other filters."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.core.db import utcnow
from tests.factories import auth_headers, make_admin, make_builder, make_property

URL = "/api/v1/admin/properties"


def _titles(client: TestClient, headers: dict[str, str], **params: str | int) -> list[str]:
    response = client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["properties"])
    return [p["title"] for p in body["properties"]]


def test_state_filter_matches_the_whole_code_in_any_case(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    make_property(session, title="Lot 1 Katy", city="Katy", state="TX")
    make_property(session, title="Lot 2 Houston", city="Houston", state="tx")  # stored lower-case by an older import
    make_property(session, title="Lot 3 Archived", city="Katy", state="TX", archived_at=utcnow())
    make_property(session, title="Lot 4 Denver", city="Denver", state="CO", postal_code="80202")

    assert _titles(client, headers, state="TX") == ["Lot 1 Katy", "Lot 2 Houston"]
    assert _titles(client, headers, state="tX") == ["Lot 1 Katy", "Lot 2 Houston"]
    assert _titles(client, headers, state="co") == ["Lot 4 Denver"]
    assert _titles(client, headers, state="X") == []  # a code, not a part of one
    assert _titles(client, headers, state="tx", include_archived="true") == [
        "Lot 1 Katy",
        "Lot 2 Houston",
        "Lot 3 Archived",
    ]


def test_city_and_state_filters_combine_with_builder_and_status(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    perry = make_builder(session, name="Perry Homes")
    make_property(session, title="Lot 1 Springfield IL", city="Springfield", state="IL", builder_id=perry.id)
    make_property(session, title="Lot 2 Springfield MO", city="SPRINGFIELD", state="MO", builder_id=perry.id)
    make_property(session, title="Lot 3 Springfield MO", city="Springfield", state="MO", property_status="sold")
    make_property(session, title="Lot 4 West Springfield", city="West Springfield", state="MA")

    assert _titles(client, headers, city="springfield") == [
        "Lot 1 Springfield IL",
        "Lot 2 Springfield MO",
        "Lot 3 Springfield MO",
    ]
    assert _titles(client, headers, city="Springfield", state="mo") == ["Lot 2 Springfield MO", "Lot 3 Springfield MO"]
    assert _titles(client, headers, city="Springfield", state="MO", builder_id=perry.id) == ["Lot 2 Springfield MO"]
    assert _titles(client, headers, city="springfield", state="mo", status="sold") == ["Lot 3 Springfield MO"]
    assert _titles(client, headers, city="Springfield", state="MA") == []  # the city is matched whole
