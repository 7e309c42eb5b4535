"""The builders admin API: paging and filters, detail with children, create, audited edits that lock fields."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderAward, BuilderCommunity, BuilderCredential
from app.builders.schemas import DETAIL_LIST_LIMIT
from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.core.locks import FieldLock
from tests.factories import auth_headers, make_admin, make_builder, make_community, make_plan

URL = "/api/v1/admin/builders"


def test_list_pages_and_reports_total(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    for n in range(5):
        make_builder(session, name=f"Paging Test Builder {n}")

    first = client.get(URL, params={"name": "paging test", "per_page": 2}, headers=auth_headers(admin)).json()
    third = client.get(URL, params={"name": "paging test", "per_page": 2, "page": 3}, headers=auth_headers(admin))

    assert first["total"] == 5 and first["page"] == 1 and first["per_page"] == 2
    assert [b["name"] for b in first["builders"]] == ["Paging Test Builder 0", "Paging Test Builder 1"]
    assert [b["name"] for b in third.json()["builders"]] == ["Paging Test Builder 4"]


def test_list_filters_by_name_city_and_state(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    make_builder(session, name="Perry Homes", city="Houston", state="TX")
    make_builder(session, name="Perry Homes", city="Austin", state="TX")
    make_builder(session, name="Toll Brothers", city="Houston", state="TX")
    make_builder(session, name="Perry Homes", city="Houston", state="LA")

    body = client.get(URL, params={"name": "PERRY", "city": "houston", "state": "TX"}, headers=auth_headers(admin))

    assert body.status_code == 200
    assert [(b["name"], b["city"], b["state"]) for b in body.json()["builders"]] == [("Perry Homes", "Houston", "TX")]


def test_list_name_filter_treats_wildcards_literally(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    make_builder(session, name="Wildcard Homes")

    body = client.get(URL, params={"name": "%"}, headers=auth_headers(admin)).json()

    assert body["total"] == 0


def test_list_hides_archived_unless_asked(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    make_builder(session, name="Archived Example Homes", archived_at=utcnow())
    make_builder(session, name="Active Example Homes")

    default = client.get(URL, params={"name": "example homes"}, headers=auth_headers(admin)).json()
    everything = client.get(
        URL, params={"name": "example homes", "include_archived": True}, headers=auth_headers(admin)
    ).json()

    assert [b["name"] for b in default["builders"]] == ["Active Example Homes"]
    assert everything["total"] == 2


def test_list_refuses_per_page_over_100(client: TestClient, session: Session) -> None:
    response = client.get(URL, params={"per_page": 101}, headers=auth_headers(make_admin(session)))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "per_page"]


def test_detail_includes_children(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session, name="Perry Homes")
    make_plan(session, builder, name="The Oakmont")
    make_plan(session, builder, name="Retired Plan", archived_at=utcnow())
    session.add(BuilderAward(builder_id=builder.id, title="Best Builder 2024", year=2024))
    session.add(BuilderCredential(builder_id=builder.id, name="TX License", credential_type="license"))
    community = make_community(session, name="Cinco Ranch")
    session.add(BuilderCommunity(builder_id=builder.id, community_id=community.id))
    session.flush()

    body = client.get(f"{URL}/{builder.id}", headers=auth_headers(admin)).json()

    assert body["name"] == "Perry Homes"
    assert body["builder_id"].startswith("BLD-")
    assert [p["name"] for p in body["home_plans"]] == ["The Oakmont"]
    assert [a["title"] for a in body["awards"]] == ["Best Builder 2024"]
    assert [c["name"] for c in body["credentials"]] == ["TX License"]
    assert [c["name"] for c in body["communities"]] == ["Cinco Ranch"]
    assert (body["home_plans_total"], body["communities_total"]) == (1, 1)


def test_a_builder_with_thousands_of_plans_and_communities_is_read_a_page_at_a_time(
    client: TestClient, session: Session
) -> None:
    admin = make_admin(session)
    builder = make_builder(session, name="National Homes")
    other = make_builder(session, name="Other Homes")
    for n in range(DETAIL_LIST_LIMIT + 30):
        make_plan(session, builder, name=f"Plan {n:04d}")
    make_plan(session, builder, name="Plan 0000 retired", archived_at=utcnow())
    make_plan(session, other, name="Plan 0000 of another builder")
    for n in range(DETAIL_LIST_LIMIT + 5):
        community = make_community(session, name=f"Community {n:04d}")
        session.add(BuilderCommunity(builder_id=builder.id, community_id=community.id))
    session.flush()
    headers = auth_headers(admin)

    detail = client.get(f"{URL}/{builder.id}", headers=headers).json()

    # The detail holds the first plans and communities by name, and says how many there are.
    assert [p["name"] for p in detail["home_plans"]] == [f"Plan {n:04d}" for n in range(DETAIL_LIST_LIMIT)]
    assert detail["home_plans_total"] == DETAIL_LIST_LIMIT + 30
    assert len(detail["communities"]) == DETAIL_LIST_LIMIT and detail["communities_total"] == DETAIL_LIST_LIMIT + 5
    # The child lists page through them all, by cursor as every list does.
    names, cursor = [], None
    while True:
        params = {"per_page": 40, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{URL}/{builder.id}/home-plans", params=params, headers=headers).json()
        names += [p["name"] for p in page["home_plans"]]
        assert page["total"] == DETAIL_LIST_LIMIT + 30
        if not (cursor := page["next_cursor"]):
            break
    assert names == [f"Plan {n:04d}" for n in range(DETAIL_LIST_LIMIT + 30)]
    last = client.get(f"{URL}/{builder.id}/communities", params={"per_page": 100, "page": 2}, headers=headers)
    assert [c["name"] for c in last.json()["communities"]] == [
        f"Community {n:04d}" for n in range(100, DETAIL_LIST_LIMIT + 5)
    ]


def test_a_child_list_of_an_unknown_builder_is_404_and_a_bad_page_is_422(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)

    for child in ("home-plans", "communities"):
        missing = client.get(f"{URL}/987654321/{child}", headers=headers)
        assert missing.status_code == 404 and missing.json() == {"detail": "builder 987654321 not found"}
        too_many = client.get(f"{URL}/{builder.id}/{child}", params={"per_page": 101}, headers=headers)
        assert too_many.status_code == 422 and "per_page" in too_many.text
        bad_cursor = client.get(f"{URL}/{builder.id}/{child}", params={"cursor": "not-a-cursor"}, headers=headers)
        assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.text


def test_unknown_builder_is_404_naming_it(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    read = client.get(f"{URL}/987654321", headers=headers)
    edit = client.patch(f"{URL}/987654321", json={"phone": "(713) 555-0100"}, headers=headers)

    assert read.status_code == 404 and read.json() == {"detail": "builder 987654321 not found"}
    assert edit.status_code == 404


def test_create_builder(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    body = {
        "name": "Perry Homes",
        "website": "https://perryhomes.com",
        "phone": "(713) 555-0100",
        "email": "Info@PerryHomes.com",
        "city": "Houston",
        "state": "tx",
        "founded_year": 1967,
    }

    response = client.post(URL, json=body, headers=auth_headers(admin))

    assert response.status_code == 201
    created = response.json()
    assert created["phone"] == "(713) 555-0100"  # stored as entered
    assert created["state"] == "TX"
    assert created["email"] == "info@perryhomes.com"
    assert created["data_source"] == "manual"
    audit = session.scalar(select(AuditEvent).where(AuditEvent.target_id == created["id"]))
    assert audit is not None and audit.action == "record.create" and audit.actor == admin.user_id


def test_create_same_builder_twice_is_conflict(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    body = {"name": "Duplicate Homes", "city": "Houston", "state": "TX"}

    assert client.post(URL, json=body, headers=headers).status_code == 201
    second = client.post(URL, json={**body, "name": "duplicate homes"}, headers=headers)

    assert second.status_code == 409
    assert "already exists" in second.json()["detail"]


def test_edit_locks_changed_fields_and_audits(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", city="Houston")

    response = client.patch(
        f"{URL}/{builder.id}",
        json={"phone": "(713) 555-0199", "city": "Houston", "founded_year": 1967},
        headers=auth_headers(admin),
    )

    assert response.status_code == 200
    assert response.json()["phone"] == "(713) 555-0199"
    locks = session.scalars(
        select(FieldLock).where(FieldLock.entity_type == "builder", FieldLock.entity_id == builder.id)
    ).all()
    assert sorted(lock.field_name for lock in locks) == ["founded_year", "phone"]  # city did not change
    assert {lock.locked_by for lock in locks} == {admin.user_id}
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.target_type == "builder", AuditEvent.target_id == builder.id)
    )
    assert audit is not None and audit.action == "record.edit" and audit.actor == admin.user_id
    assert audit.before == {"phone": "(713) 555-0100", "founded_year": None}
    assert audit.after == {"phone": "(713) 555-0199", "founded_year": 1967}


def test_edit_with_same_values_changes_nothing(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session, name="Same Homes", city="Houston")

    response = client.patch(f"{URL}/{builder.id}", json={"city": "Houston"}, headers=auth_headers(admin))

    assert response.status_code == 200
    assert session.scalars(select(FieldLock).where(FieldLock.entity_id == builder.id)).all() == []
    assert session.scalars(select(AuditEvent).where(AuditEvent.target_id == builder.id)).all() == []


def test_edit_of_a_locked_field_keeps_one_lock(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    headers = auth_headers(admin)

    client.patch(f"{URL}/{builder.id}", json={"phone": "(713) 555-0101"}, headers=headers)
    client.patch(f"{URL}/{builder.id}", json={"phone": "(713) 555-0102"}, headers=headers)

    locks = session.scalars(select(FieldLock).where(FieldLock.entity_id == builder.id)).all()
    assert [lock.field_name for lock in locks] == ["phone"]
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.target_id == builder.id)).all()) == 2


def _error_fields(response_json: dict[str, list[dict[str, list[str]]]]) -> list[str]:
    return [str(error["loc"][-1]) for error in response_json["detail"]]


def test_invalid_values_are_422_naming_the_field(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    headers = auth_headers(admin)
    cases = {
        "phone": "555-01",
        "email": "not-an-email",
        "website": "javascript:alert(1)",
        "state": "Texas",
        "rating": 7,
        "founded_year": 1066,
        "postal_code": "ABCDE",
    }
    for field, value in cases.items():
        response = client.patch(f"{URL}/{builder.id}", json={field: value}, headers=headers)
        assert response.status_code == 422, field
        assert _error_fields(response.json()) == [field]


def test_create_without_name_and_edit_to_null_name_are_422(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)

    create = client.post(URL, json={"city": "Houston"}, headers=headers)
    edit = client.patch(f"{URL}/{builder.id}", json={"name": None}, headers=headers)
    unknown = client.patch(f"{URL}/{builder.id}", json={"colour": "blue"}, headers=headers)

    assert create.status_code == 422 and _error_fields(create.json()) == ["name"]
    assert edit.status_code == 422 and _error_fields(edit.json()) == ["name"]
    assert unknown.status_code == 422 and _error_fields(unknown.json()) == ["colour"]
