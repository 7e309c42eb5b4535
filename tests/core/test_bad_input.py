"""Input the database cannot hold is a 422 naming where it is, never a 500."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import auth_headers, make_admin, make_builder

TOO_BIG = 2**63  # one past the largest BIGINT


def test_nul_character_in_a_body_field_is_refused_naming_the_field(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    response = client.post("/api/v1/admin/builders", json={"name": "Perry\u0000Homes"}, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_unpaired_surrogate_in_a_nested_body_value_is_refused(client: TestClient, session: Session) -> None:
    headers = {**auth_headers(make_admin(session)), "Content-Type": "application/json"}
    body = '{"name": "Perry Homes", "service_areas": ["Houston", "\\ud893"]}'

    response = client.post("/api/v1/admin/builders", content=body, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "service_areas", 1]


def test_nul_character_in_a_query_or_path_is_refused(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    by_query = client.get("/api/v1/admin/builders", params={"name": "a\u0000b"}, headers=headers)
    by_path = client.get("/api/v1/admin/collection-jobs/JOB-%00", headers=headers)

    assert (by_query.status_code, by_query.json()["detail"][0]["loc"]) == (422, ["query", "name"])
    assert (by_path.status_code, by_path.json()["detail"][0]["loc"]) == (422, ["path"])


def test_ids_beyond_bigint_are_refused_in_paths_and_bodies(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    in_path = client.get(f"/api/v1/admin/builders/{TOO_BIG}", headers=headers)
    in_body = client.post("/api/v1/admin/communities/merge", json={"keep_id": TOO_BIG, "merge_id": 1}, headers=headers)

    assert in_path.status_code == 422 and in_path.json()["detail"][0]["loc"] == ["path", "builder_id"]
    assert in_body.status_code == 422 and in_body.json()["detail"][0]["loc"] == ["body", "keep_id"]


def test_a_page_past_any_list_is_refused(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    response = client.get("/api/v1/admin/sources", params={"page": 4609127043621130752}, headers=headers)

    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "page"]


def test_null_for_a_required_column_in_an_edit_is_a_422_naming_it(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)

    response = client.patch(f"/api/v1/admin/builders/{builder.id}", json={"review_count": None}, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"].startswith("review_count")


def test_id_filters_beyond_bigint_are_refused(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))

    response = client.get("/api/v1/admin/properties", params={"community_id": TOO_BIG}, headers=headers)

    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "community_id"]
