"""Rolling back a created record: its own rows go with it, and never under later applied changes."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity, BuilderPortfolio, BuilderProfile
from app.changes.apply import apply_changes
from app.changes.proposals import propose_new_entity, propose_updates
from app.communities.models import Community, CommunityAmenity
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from app.properties.models import Property
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import auth_headers, make_admin, make_builder


def _rollback_audit(session: Session, change_id: int) -> AuditEvent:
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "change.rollback", AuditEvent.change_id == change_id)
    )
    assert audit is not None
    return audit


def test_rollback_of_a_created_community_archives_its_children_and_removes_its_links(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    headers = auth_headers(make_admin(session))
    perry = make_builder(session, name="Perry Homes")
    (change,) = propose_new_entity(
        session,
        job,
        finding(
            "community",
            name="Bridgeland",
            city="Cypress",
            children=[finding("amenity", name="Lakeland Village"), finding("builder", name="Perry Homes")],
        ),
        {},
        parent_entity_type=None,
        parent_entity_id=None,
        settings=get_settings(),
    ).changes
    community_id = apply_changes(session, [change.id], actor="admin").created[0]["entity_id"]
    amenity = session.scalar(select(CommunityAmenity).where(CommunityAmenity.community_id == community_id))
    assert amenity is not None and session.get(BuilderCommunity, (perry.id, community_id)) is not None

    response = client.post(f"/api/v1/admin/changes/{change.id}/rollback", headers=headers)

    assert response.status_code == 200, response.text
    session.expire_all()
    community = session.get(Community, community_id)
    assert community is not None and community.archived_at is not None
    assert session.get(CommunityAmenity, amenity.id).archived_at is not None  # type: ignore[union-attr]
    assert session.get(BuilderCommunity, (perry.id, community_id)) is None
    audit = _rollback_audit(session, change.id)
    assert audit.before == {"archived_at": None}
    assert audit.after == {
        "archived": True,
        "archived_children": [{"entity_type": "amenity", "entity_id": amenity.id}],
        "removed_builder_links": [perry.id],
    }


def test_rollback_of_a_created_home_waits_for_its_later_changes_and_removes_its_portfolio_row(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)
    (created,) = propose_new_entity(
        session,
        job,
        finding("property", title="Lot 7", address1="7 Elm Street", price="$400,000"),
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    ).changes
    home_id = apply_changes(session, [created.id], actor="admin").created[0]["entity_id"]
    assert session.get(BuilderPortfolio, (builder.id, home_id)) is not None
    home = session.get(Property, home_id)
    assert home is not None
    (price,) = propose_updates(
        session,
        make_job(session),
        "property",
        home_id,
        finding("property", price="$425,000"),
        {OFFICIAL: "$425,000"},
        settings=get_settings(),
    ).changes
    apply_changes(session, [price.id], actor="admin")

    refused = client.post(f"/api/v1/admin/changes/{created.id}/rollback", headers=headers)

    assert refused.status_code == 409
    assert str(price.id) in refused.json()["detail"]
    session.expire_all()
    assert session.get(Property, home_id).archived_at is None  # type: ignore[union-attr]
    assert session.get(BuilderPortfolio, (builder.id, home_id)) is not None

    assert client.post(f"/api/v1/admin/changes/{price.id}/rollback", headers=headers).status_code == 200
    assert client.post(f"/api/v1/admin/changes/{created.id}/rollback", headers=headers).status_code == 200
    session.expire_all()
    assert session.get(Property, home_id).archived_at is not None  # type: ignore[union-attr]
    assert session.get(BuilderPortfolio, (builder.id, home_id)) is None
    assert _rollback_audit(session, created.id).after == {
        "archived": True,
        "removed_portfolio": {"builder_id": builder.id, "property_id": home_id},
    }


def test_rollback_of_a_created_record_archived_since_is_refused(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    headers = auth_headers(make_admin(session))
    (created,) = propose_new_entity(
        session,
        job,
        finding("builder", name="Newcomer Homes"),
        {},
        parent_entity_type=None,
        parent_entity_id=None,
        settings=get_settings(),
    ).changes
    builder_id = apply_changes(session, [created.id], actor="admin").created[0]["entity_id"]
    builder = session.get(BuilderProfile, builder_id)
    assert builder is not None
    builder.archived_at = datetime.now(UTC)  # archived meanwhile by an admin
    session.flush()

    response = client.post(f"/api/v1/admin/changes/{created.id}/rollback", headers=headers)

    assert response.status_code == 409
    assert "archived already" in response.json()["detail"]
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "change.rollback")) is None
