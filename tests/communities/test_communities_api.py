"""The communities admin API: paging and filters, detail with children, create, audited edits that lock fields."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity
from app.communities.models import CommunityAmenity, CommunityAward, CommunityEvent
from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.core.locks import FieldLock
from tests.factories import auth_headers, make_admin, make_builder, make_community

URL = "/api/v1/admin/communities"


def test_list_filters_pages_and_hides_archived(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    make_community(session, name="Cinco Ranch", city="Katy", state="TX")
    make_community(session, name="Cinco Ranch Lakes", city="Katy", state="TX")
    make_community(session, name="Cinco Ranch Old", city="Katy", state="TX", archived_at=utcnow())
    make_community(session, name="Cinco Ranch", city="Austin", state="TX")

    page1 = client.get(URL, params={"name": "cinco", "city": "KATY", "per_page": 1}, headers=headers).json()
    page2 = client.get(URL, params={"name": "cinco", "city": "KATY", "per_page": 1, "page": 2}, headers=headers)
    archived = client.get(URL, params={"name": "cinco", "city": "katy", "include_archived": "true"}, headers=headers)

    assert page1["total"] == 2 and page1["per_page"] == 1
    assert [c["name"] for c in page1["communities"]] == ["Cinco Ranch"]
    assert [c["name"] for c in page2.json()["communities"]] == ["Cinco Ranch Lakes"]
    assert archived.json()["total"] == 3


def test_detail_includes_amenities_events_awards_and_builders(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, name="Cinco Ranch", hoa_fee_amount=Decimal("115"), hoa_fee_frequency="monthly")
    session.add_all(
        [
            CommunityAmenity(community_id=community.id, name="Swimming Pool"),
            CommunityAmenity(community_id=community.id, name="Old Pond", archived_at=utcnow()),
            CommunityEvent(community_id=community.id, title="Fall Festival"),
            CommunityAward(community_id=community.id, title="Community of the Year", year=2023),
        ]
    )
    builder = make_builder(session, name="Perry Homes")
    session.add(BuilderCommunity(builder_id=builder.id, community_id=community.id))
    session.flush()

    body = client.get(f"{URL}/{community.id}", headers=headers).json()

    assert body["community_id"].startswith("CMY-")
    assert body["hoa_fee_amount"] == "115.00" and body["hoa_fee_frequency"] == "monthly"
    assert [a["name"] for a in body["amenities"]] == ["Swimming Pool"]
    assert [e["title"] for e in body["events"]] == ["Fall Festival"]
    assert [a["title"] for a in body["awards"]] == ["Community of the Year"]
    assert [b["name"] for b in body["builders"]] == ["Perry Homes"]


def test_unknown_community_is_404(client: TestClient, session: Session) -> None:
    response = client.get(f"{URL}/987654321", headers=auth_headers(make_admin(session)))

    assert response.status_code == 404
    assert response.json() == {"detail": "community 987654321 not found"}


def test_create_community_and_conflict_on_duplicate(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    body = {
        "name": "Cinco Ranch",
        "city": "Katy",
        "state": "TX",
        "hoa_fee_amount": "115.00",
        "hoa_fee_frequency": "monthly",
        "homes": 8200,
        "hoa_contact_phone": "(281) 555-0110",
        "community_website_url": "https://cincoranch.com",
    }

    created = client.post(URL, json=body, headers=headers)
    again = client.post(URL, json=body, headers=headers)

    assert created.status_code == 201
    assert created.json()["homes"] == 8200 and created.json()["hoa_fee_amount"] == "115.00"
    assert again.status_code == 409


def test_edit_locks_changed_fields_and_audits(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    community = make_community(session, hoa_fee_amount=Decimal("115.00"), hoa_fee_frequency="monthly", homes=8200)

    response = client.patch(
        f"{URL}/{community.id}",
        json={"hoa_fee_amount": "125", "hoa_fee_frequency": "monthly", "homes": 8500},
        headers=auth_headers(admin),
    )

    assert response.status_code == 200
    assert response.json()["homes"] == 8500
    locks = session.scalars(
        select(FieldLock.field_name).where(FieldLock.entity_type == "community", FieldLock.entity_id == community.id)
    ).all()
    assert sorted(locks) == ["hoa_fee_amount", "homes"]
    audit = session.scalar(select(AuditEvent).where(AuditEvent.target_type == "community"))
    assert audit is not None and audit.actor == admin.user_id
    assert audit.before == {"hoa_fee_amount": "115.00", "homes": 8200}
    assert audit.after == {"hoa_fee_amount": "125", "homes": 8500}


def test_invalid_values_are_422_naming_the_field(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session)
    cases = {
        "hoa_contact_phone": "12",
        "hoa_contact_email": "nobody@",
        "community_website_url": "ftp://cincoranch.com",
        "state": "T1",
        "hoa_fee_amount": "1000000",
        "hoa_fee_frequency": "weekly",
        "homes": -1,
        "latitude": 91,
        "is_verified": None,
    }
    for field, value in cases.items():
        response = client.patch(f"{URL}/{community.id}", json={field: value}, headers=headers)
        assert response.status_code == 422, field
        assert [error["loc"][-1] for error in response.json()["detail"]] == [field]
