"""The homes admin API: filters, detail with links, create with checked links, audited locking edits."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.core.locks import FieldLock
from tests.factories import auth_headers, make_admin, make_builder, make_community, make_plan, make_property

URL = "/api/v1/admin/properties"


def test_list_filters_by_title_city_builder_and_status(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    perry = make_builder(session, name="Perry Homes")
    other = make_builder(session)
    make_property(session, title="The Oakmont - Lot 1", builder_id=perry.id, city="Katy")
    make_property(session, title="The Oakmont - Lot 2", builder_id=perry.id, city="Katy", property_status="sold")
    make_property(session, title="The Oakmont - Lot 3", builder_id=other.id, city="Katy")
    make_property(session, title="The Oakmont - Lot 4", builder_id=perry.id, city="Katy", archived_at=utcnow())

    body = client.get(
        URL, params={"name": "oakmont", "city": "katy", "builder_id": perry.id, "status": "available"}, headers=headers
    ).json()
    with_archived = client.get(
        URL, params={"builder_id": perry.id, "include_archived": True, "per_page": 2}, headers=headers
    ).json()

    assert [p["title"] for p in body["properties"]] == ["The Oakmont - Lot 1"]
    assert body["total"] == 1
    assert with_archived["total"] == 3 and len(with_archived["properties"]) == 2


def test_a_title_search_lists_the_newest_homes_first_page_by_page(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    added = [make_property(session, title=title).id for title in ("B Oakmont", "A Oakmont", "C Sabine", "D Oakmont")]

    first = client.get(URL, params={"name": "OAKMONT", "per_page": 2}, headers=headers).json()
    second = client.get(URL, params={"name": "OAKMONT", "cursor": first["next_cursor"]}, headers=headers).json()
    in_title_order = client.get(URL, params={"per_page": 3}, headers=headers).json()

    assert [p["id"] for p in first["properties"] + second["properties"]] == [added[3], added[1], added[0]]
    assert second["next_cursor"] is None and second["page"] == 2
    assert [p["title"] for p in in_title_order["properties"]] == ["A Oakmont", "B Oakmont", "C Sabine"]


def test_detail_names_builder_community_and_plan(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session, name="Perry Homes")
    community = make_community(session, name="Cinco Ranch")
    plan = make_plan(session, builder, name="The Oakmont")
    home = make_property(session, builder_id=builder.id, community_id=community.id, plan_id=plan.id)

    body = client.get(f"{URL}/{home.id}", headers=headers).json()

    assert (body["builder_id"], body["community_id"], body["plan_id"]) == (builder.id, community.id, plan.id)
    assert body["builder"]["name"] == "Perry Homes"
    assert body["community"]["name"] == "Cinco Ranch"
    assert body["plan"]["name"] == "The Oakmont"


def test_unknown_property_is_404(client: TestClient, session: Session) -> None:
    response = client.get(f"{URL}/987654321", headers=auth_headers(make_admin(session)))

    assert response.status_code == 404
    assert response.json() == {"detail": "property 987654321 not found"}


def test_create_home_with_links(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session, name="Perry Homes")
    community = make_community(session, name="Cinco Ranch")
    body = {
        "title": "The Oakmont - Model Home",
        "address1": "123 Oak Street",
        "city": "Houston",
        "state": "TX",
        "postal_code": "77001",
        "price": 485000,
        "bedrooms": 4,
        "bathrooms": 3.5,
        "property_status": "model",
        "builder_id": builder.id,
        "community_id": community.id,
    }

    created = client.post(URL, json=body, headers=headers)
    duplicate = client.post(URL, json={**body, "title": "Same lot again"}, headers=headers)

    assert created.status_code == 201
    assert created.json()["builder"]["name"] == "Perry Homes"
    assert created.json()["property_status"] == "model"
    assert duplicate.status_code == 409


def test_links_to_missing_records_are_422_naming_the_field(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)
    other_builder = make_builder(session)
    plan = make_plan(session, other_builder)

    missing = client.post(URL, json={"title": "A home", "community_id": 987654321}, headers=headers)
    foreign_plan = client.post(
        URL, json={"title": "A home", "builder_id": builder.id, "plan_id": plan.id}, headers=headers
    )

    assert missing.status_code == 422 and missing.json()["detail"].startswith("community_id:")
    assert foreign_plan.status_code == 422 and foreign_plan.json()["detail"].startswith("plan_id:")


def test_edit_locks_changed_fields_audits_and_relinks(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    plan = make_plan(session, builder, name="The Madison")
    home = make_property(session, builder_id=builder.id, price=485000.0)

    response = client.patch(f"{URL}/{home.id}", json={"price": 479000, "plan_id": plan.id}, headers=auth_headers(admin))

    assert response.status_code == 200
    assert response.json()["price"] == 479000 and response.json()["plan"]["name"] == "The Madison"
    locks = session.scalars(
        select(FieldLock.field_name).where(FieldLock.entity_type == "property", FieldLock.entity_id == home.id)
    ).all()
    assert sorted(locks) == ["plan_id", "price"]
    audit = session.scalar(select(AuditEvent).where(AuditEvent.target_type == "property"))
    assert audit is not None and audit.before == {"price": 485000.0, "plan_id": None}


def test_invalid_values_are_422_naming_the_field(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    home = make_property(session)
    cases = {
        "price": 5,
        "bedrooms": 90,
        "bathrooms": 2.3,
        "property_status": "demolished",
        "state": "Texas",
        "media_urls": ["file:///etc/passwd"],
        "title": None,
    }
    for field, value in cases.items():
        response = client.patch(f"{URL}/{home.id}", json={field: value}, headers=headers)
        assert response.status_code == 422, field
        assert field in response.json()["detail"][0]["loc"]
