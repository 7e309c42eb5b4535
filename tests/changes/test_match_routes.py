"""The matching API: review of entity matches, merge of duplicates and its undo."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderAward, BuilderCommunity, BuilderPortfolio, BuilderProfile
from app.changes.models import CollectionChange
from app.communities.models import Community, CommunityAmenity
from app.core.audit import AuditEvent
from app.jobs.models import CollectionJob
from app.matching.models import EntityMatch
from app.properties.models import Property
from tests.factories import auth_headers, make_admin, make_builder, make_community, make_property
from tests.matching.conftest import make_job

API = "/api/v1/admin"


def _headers(session: Session) -> dict[str, str]:
    return auth_headers(make_admin(session))


def _match(session: Session, job: CollectionJob | None = None, **overrides: Any) -> EntityMatch:
    values: dict[str, Any] = {
        "discovered_entity_type": "community",
        "discovered_name": "Alianna",
        "match_status": "pending",
        "match_confidence": 0.8,
        "match_method": "name_fuzzy",
        "job_id": job.job_id if job else None,
    }
    values.update(overrides)
    match = EntityMatch(**values)
    session.add(match)
    session.flush()
    return match


def test_list_filters_by_status_type_and_job_and_pages(client: TestClient, session: Session) -> None:
    job = make_job(session)
    for _ in range(3):
        _match(session, job)
    _match(session, job, match_status="confirmed")
    _match(session, None, discovered_entity_type="builder")
    headers = _headers(session)

    body = client.get(
        f"{API}/entity-matches", params={"status": "pending", "job_id": job.job_id, "per_page": 2}, headers=headers
    ).json()
    assert (body["total"], body["page"], body["per_page"], len(body["matches"])) == (3, 1, 2, 2)
    page2 = client.get(
        f"{API}/entity-matches",
        params={"status": "pending", "job_id": job.job_id, "per_page": 2, "page": 2},
        headers=headers,
    ).json()
    assert len(page2["matches"]) == 1
    builders = client.get(f"{API}/entity-matches", params={"entity_type": "builder"}, headers=headers).json()
    assert [m["discovered_entity_type"] for m in builders["matches"]] == ["builder"]
    bad = client.get(f"{API}/entity-matches", params={"status": "maybe"}, headers=headers)
    assert bad.status_code == 422 and "status" in str(bad.json()["detail"])


def test_get_one_and_404(client: TestClient, session: Session) -> None:
    match = _match(session)
    headers = _headers(session)
    assert client.get(f"{API}/entity-matches/{match.id}", headers=headers).json()["discovered_name"] == "Alianna"
    missing = client.get(f"{API}/entity-matches/999999999", headers=headers)
    assert missing.status_code == 404 and "999999999" in missing.json()["detail"]


def test_confirm_reject_and_override_endpoints(client: TestClient, session: Session) -> None:
    job = make_job(session)
    aliana = make_community(session, name="Aliana", city="Richmond", state="TX")
    data = {
        "kind": "community",
        "fields": {
            "name": {"value": "Alianna", "evidence": {"source_url": "https://x.example.com/", "extractor": "json_ld"}}
        },
    }
    first = _match(session, job, matched_entity_type="community", matched_entity_id=aliana.id, discovered_data=data)
    second = _match(session, job, matched_entity_type="community", matched_entity_id=aliana.id, discovered_data=data)
    third = _match(session, job, matched_entity_type="community", matched_entity_id=aliana.id, discovered_data=data)
    headers = _headers(session)

    confirmed = client.post(f"{API}/entity-matches/{first.id}/confirm", json={"notes": "ok"}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["match"]["match_status"] == "confirmed"
    again = client.post(f"{API}/entity-matches/{first.id}/confirm", headers=headers)
    assert again.status_code == 409

    rejected = client.post(f"{API}/entity-matches/{second.id}/reject", headers=headers)
    assert rejected.status_code == 200
    new_ids = rejected.json()["change_ids"]
    assert new_ids and session.get(CollectionChange, new_ids[0]).is_new_entity  # type: ignore[union-attr]

    other = make_community(session, name="Aliana Lakes", city="Richmond", state="TX")
    missing = client.post(
        f"{API}/entity-matches/{third.id}/override", json={"matched_entity_id": 999999999}, headers=headers
    )
    assert missing.status_code == 404 and "999999999" in missing.json()["detail"]
    no_id = client.post(f"{API}/entity-matches/{third.id}/override", json={}, headers=headers)
    assert no_id.status_code == 422 and "matched_entity_id" in str(no_id.json()["detail"])
    overridden = client.post(
        f"{API}/entity-matches/{third.id}/override", json={"matched_entity_id": other.id}, headers=headers
    )
    assert overridden.status_code == 200
    assert overridden.json()["match"]["matched_entity_id"] == other.id
    assert overridden.json()["match"]["match_method"] == "manual"


def test_merge_builders_repoints_everything_and_undo_restores_it(client: TestClient, session: Session) -> None:
    keep = make_builder(session, name="Perry Homes")
    dup = make_builder(session, name="Perry Homes LLC")
    award = BuilderAward(builder_id=dup.id, title="Builder of the Year")
    home = make_property(session, builder_id=dup.id)
    shared_home = make_property(session, builder_id=keep.id)
    community = make_community(session)
    other_community = make_community(session)
    session.add_all(
        [
            award,
            BuilderPortfolio(builder_id=dup.id, property_id=home.id),
            BuilderPortfolio(builder_id=dup.id, property_id=shared_home.id),
            BuilderPortfolio(builder_id=keep.id, property_id=shared_home.id),
            BuilderCommunity(builder_id=dup.id, community_id=community.id),
            BuilderCommunity(builder_id=dup.id, community_id=other_community.id),
            BuilderCommunity(builder_id=keep.id, community_id=community.id),
        ]
    )
    job = make_job(session, entity_type="builder")
    change = CollectionChange(
        job_id=job.job_id,
        entity_type="builder",
        entity_id=dup.id,
        field_name="phone",
        change_type="modified",
        new_value='"x"',
    )
    session.add(change)
    match = _match(
        session, job, discovered_entity_type="builder", matched_entity_type="builder", matched_entity_id=dup.id
    )
    session.flush()
    headers = _headers(session)

    response = client.post(f"{API}/builders/merge", json={"keep_id": keep.id, "merge_id": dup.id}, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    session.expire_all()
    assert session.get(BuilderProfile, dup.id).archived_at is not None  # type: ignore[union-attr]
    assert session.get(BuilderAward, award.id).builder_id == keep.id  # type: ignore[union-attr]
    assert session.get(Property, home.id).builder_id == keep.id  # type: ignore[union-attr]
    assert session.get(CollectionChange, change.id).entity_id == keep.id  # type: ignore[union-attr]
    assert session.get(EntityMatch, match.id).matched_entity_id == keep.id  # type: ignore[union-attr]
    portfolio = {tuple(r) for r in session.execute(select(BuilderPortfolio.builder_id, BuilderPortfolio.property_id))}
    assert portfolio >= {(keep.id, home.id), (keep.id, shared_home.id)}
    assert not any(b == dup.id for b, _ in portfolio)
    links = set(session.scalars(select(BuilderCommunity.community_id).where(BuilderCommunity.builder_id == keep.id)))
    assert links == {community.id, other_community.id}
    event = session.get(AuditEvent, body["audit_event_id"])
    assert event is not None and event.action == "record.merge" and event.before is not None
    assert event.before["dropped_links"] == {
        "builder_portfolio.builder_id": [shared_home.id],
        "builder_communities.builder_id": [community.id],
    }
    merged_rows = session.scalars(select(EntityMatch).where(EntityMatch.match_status == "merged")).all()
    assert [(m.matched_entity_id, m.matched_by) for m in merged_rows] == [(keep.id, event.actor)]

    undo = client.post(f"{API}/merges/{body['audit_event_id']}/undo", headers=headers)

    assert undo.status_code == 200, undo.text
    session.expire_all()
    assert session.get(BuilderProfile, dup.id).archived_at is None  # type: ignore[union-attr]
    assert session.get(BuilderAward, award.id).builder_id == dup.id  # type: ignore[union-attr]
    assert session.get(Property, home.id).builder_id == dup.id  # type: ignore[union-attr]
    assert session.get(Property, shared_home.id).builder_id == keep.id  # type: ignore[union-attr]
    assert session.get(CollectionChange, change.id).entity_id == dup.id  # type: ignore[union-attr]
    assert session.get(EntityMatch, match.id).matched_entity_id == dup.id  # type: ignore[union-attr]
    restored = {tuple(r) for r in session.execute(select(BuilderPortfolio.builder_id, BuilderPortfolio.property_id))}
    assert {(dup.id, home.id), (dup.id, shared_home.id), (keep.id, shared_home.id)} <= restored
    assert (keep.id, home.id) not in restored
    dup_links = set(session.scalars(select(BuilderCommunity.community_id).where(BuilderCommunity.builder_id == dup.id)))
    assert dup_links == {community.id, other_community.id}
    assert session.scalars(select(EntityMatch).where(EntityMatch.match_status == "merged")).all() == []
    twice = client.post(f"{API}/merges/{body['audit_event_id']}/undo", headers=headers)
    assert twice.status_code == 409


def test_merge_communities_moves_amenities_and_homes(client: TestClient, session: Session) -> None:
    keep = make_community(session, name="Cinco Ranch")
    dup = make_community(session, name="Cinco Ranch Community")
    amenity = CommunityAmenity(community_id=dup.id, name="Dog Park")
    session.add(amenity)
    home = make_property(session, community_id=dup.id)
    headers = _headers(session)

    response = client.post(f"{API}/communities/merge", json={"keep_id": keep.id, "merge_id": dup.id}, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["moved"]["community_amenities.community_id"] == 1
    session.expire_all()
    assert session.get(CommunityAmenity, amenity.id).community_id == keep.id  # type: ignore[union-attr]
    assert session.get(Property, home.id).community_id == keep.id  # type: ignore[union-attr]
    assert session.get(Community, dup.id).archived_at is not None  # type: ignore[union-attr]


def test_merge_properties_moves_portfolio_links(client: TestClient, session: Session) -> None:
    builder = make_builder(session)
    keep, dup = make_property(session), make_property(session)
    session.add(BuilderPortfolio(builder_id=builder.id, property_id=dup.id))
    session.flush()
    response = client.post(
        f"{API}/properties/merge", json={"keep_id": keep.id, "merge_id": dup.id}, headers=_headers(session)
    )
    assert response.status_code == 200, response.text
    assert set(session.scalars(select(BuilderPortfolio.property_id))) == {keep.id}


def test_merge_refuses_itself_archived_missing_and_unknown_types(client: TestClient, session: Session) -> None:
    keep = make_builder(session)
    dup = make_builder(session)
    headers = _headers(session)
    itself = client.post(f"{API}/builders/merge", json={"keep_id": keep.id, "merge_id": keep.id}, headers=headers)
    assert itself.status_code == 409
    first = client.post(f"{API}/builders/merge", json={"keep_id": keep.id, "merge_id": dup.id}, headers=headers)
    assert first.status_code == 200
    archived = client.post(f"{API}/builders/merge", json={"keep_id": keep.id, "merge_id": dup.id}, headers=headers)
    assert archived.status_code == 409 and "archived" in archived.json()["detail"]
    missing = client.post(f"{API}/builders/merge", json={"keep_id": keep.id, "merge_id": 999999999}, headers=headers)
    assert missing.status_code == 404
    unknown = client.post(f"{API}/plans/merge", json={"keep_id": 1, "merge_id": 2}, headers=headers)
    assert unknown.status_code in (404, 422)
    assert client.post(f"{API}/merges/999999999/undo", headers=headers).status_code == 404
