"""Child records of builders and communities (credentials, events, community awards): propose, apply, roll back."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCredential
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_updates
from app.communities.models import CommunityAward, CommunityEvent
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from tests.changes.conftest import finding
from tests.factories import auth_headers, make_admin, make_builder, make_community


def _split(changes: list[CollectionChange]) -> tuple[list[CollectionChange], dict[str, CollectionChange]]:
    """Field changes of existing children, and new-child changes by the found record's name."""
    fields = [c for c in changes if not c.is_new_entity]
    new = {
        (c.proposed_entity_data or {}).get("name") or (c.proposed_entity_data or {}).get("title"): c
        for c in changes
        if c.is_new_entity
    }
    return fields, new


def _apply(client: TestClient, path: str, change_ids: list[int], headers: dict[str, str]) -> dict[str, object]:
    response = client.post(f"/api/v1/admin/{path}/apply-changes", json={"change_ids": change_ids}, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def test_builder_credentials_new_and_existing(session: Session, client: TestClient, job: CollectionJob) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session, name="Perry Homes")
    member = BuilderCredential(builder_id=builder.id, name="GHBA Member", issuer="GHBA", credential_type="membership")
    session.add(member)
    session.flush()

    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding(
            "builder",
            children=[
                finding("credential", name="ghba  member", issuer="Greater Houston Builders Association"),
                finding("credential", name="Certified Green Professional", issuer="NAHB", state="tx"),
            ],
        ),
        {},
        settings=get_settings(),
    )

    fields, new = _split(outcome.changes)
    assert [(c.entity_type, c.entity_id, c.field_name) for c in fields] == [("credential", member.id, "issuer")]
    assert json.loads(fields[0].old_value or "") == "GHBA"
    assert json.loads(fields[0].new_value or "") == "Greater Houston Builders Association"
    assert (fields[0].parent_entity_type, fields[0].parent_entity_id) == ("builder", builder.id)
    assert set(new) == {"Certified Green Professional"}
    added = new["Certified Green Professional"]
    assert (added.entity_type, added.entity_id, added.change_type) == ("credential", None, "added")
    assert (added.parent_entity_type, added.parent_entity_id) == ("builder", builder.id)
    assert added.proposed_entity_data["builder_id"] == builder.id
    assert added.proposed_entity_data["state"] == "TX"

    result = _apply(client, f"builders/{builder.id}", [fields[0].id, added.id], headers)
    assert (result["applied_changes"], result["created_entities"], result["failed"]) == (1, 1, 0)
    session.refresh(member)
    assert member.issuer == "Greater Houston Builders Association"
    session.refresh(added)
    created = session.get(BuilderCredential, added.created_entity_id)
    assert created is not None and created.archived_at is None
    assert (created.builder_id, created.name, created.issuer, created.state) == (
        builder.id,
        "Certified Green Professional",
        "NAHB",
        "TX",
    )

    rollback = client.post(f"/api/v1/admin/changes/{added.id}/rollback", headers=headers)
    assert rollback.status_code == 200, rollback.text
    session.refresh(created)
    assert created.archived_at is not None  # archived, not deleted
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "change.rollback", AuditEvent.change_id == added.id)
    )
    assert audit is not None and (audit.target_type, audit.target_id) == ("credential", created.id)


def test_community_events_new_and_existing(session: Session, client: TestClient, job: CollectionJob) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, name="Cinco Ranch")
    festival = CommunityEvent(community_id=community.id, title="Fall Festival", location="Clubhouse")
    session.add(festival)
    session.flush()

    outcome = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding(
            "community",
            children=[
                finding("event", title="FALL FESTIVAL", location="Lakeside Pavilion"),
                finding("event", title="Spring Concert", starts_at="2025-04-12T18:00:00", location="Town Green"),
            ],
        ),
        {},
        settings=get_settings(),
    )

    fields, new = _split(outcome.changes)
    assert [(c.entity_type, c.entity_id, c.field_name) for c in fields] == [("event", festival.id, "location")]
    assert json.loads(fields[0].new_value or "") == "Lakeside Pavilion"
    assert (fields[0].parent_entity_type, fields[0].parent_entity_id) == ("community", community.id)
    assert set(new) == {"Spring Concert"}
    concert = new["Spring Concert"]
    assert concert.entity_type == "event" and concert.is_new_entity
    assert (concert.parent_entity_type, concert.parent_entity_id) == ("community", community.id)
    assert concert.proposed_entity_data["community_id"] == community.id

    result = _apply(client, f"communities/{community.id}", [fields[0].id, concert.id], headers)
    assert (result["applied_changes"], result["created_entities"], result["failed"]) == (1, 1, 0)
    session.refresh(festival)
    assert festival.location == "Lakeside Pavilion"
    session.refresh(concert)
    created = session.get(CommunityEvent, concert.created_entity_id)
    assert created is not None
    assert (created.community_id, created.title, created.location) == (community.id, "Spring Concert", "Town Green")
    assert created.starts_at is not None
    assert (created.starts_at.year, created.starts_at.month, created.starts_at.day) == (2025, 4, 12)
    assert isinstance(created.starts_at, datetime)

    assert client.post(f"/api/v1/admin/changes/{concert.id}/rollback", headers=headers).status_code == 200
    session.refresh(created)
    session.refresh(concert)
    assert created.archived_at is not None
    assert concert.status == ChangeStatus.rolled_back
    # The community's detail no longer lists the archived event; the edited one stays.
    detail = client.get(f"/api/v1/admin/communities/{community.id}", headers=headers).json()
    assert [e["title"] for e in detail["events"]] == ["Fall Festival"]


def test_community_awards_new_and_existing(session: Session, client: TestClient, job: CollectionJob) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, name="Cinco Ranch")
    award = CommunityAward(community_id=community.id, title="Community of the Year", year=2023)
    session.add(award)
    session.flush()

    outcome = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding(
            "community",
            children=[
                finding("community_award", title="community of the year", year="2023", issuer="Houston Chronicle"),
                finding("community_award", title="Best Master-Planned Community", year="2024", issuer="GHBA"),
            ],
        ),
        {},
        settings=get_settings(),
    )

    fields, new = _split(outcome.changes)
    # The year is the same; only the issuer the record lacks is proposed.
    assert [(c.entity_type, c.entity_id, c.field_name, c.change_type) for c in fields] == [
        ("community_award", award.id, "issuer", "added")
    ]
    assert (fields[0].parent_entity_type, fields[0].parent_entity_id) == ("community", community.id)
    assert set(new) == {"Best Master-Planned Community"}
    best = new["Best Master-Planned Community"]
    assert best.entity_type == "community_award" and best.is_new_entity
    assert (best.parent_entity_type, best.parent_entity_id) == ("community", community.id)
    assert best.proposed_entity_data["community_id"] == community.id
    assert best.proposed_entity_data["year"] == 2024

    result = _apply(client, f"communities/{community.id}", [fields[0].id, best.id], headers)
    assert (result["applied_changes"], result["created_entities"], result["failed"]) == (1, 1, 0)
    session.refresh(award)
    assert award.issuer == "Houston Chronicle"
    session.refresh(best)
    created = session.get(CommunityAward, best.created_entity_id)
    assert created is not None
    assert (created.community_id, created.title, created.year, created.issuer) == (
        community.id,
        "Best Master-Planned Community",
        2024,
        "GHBA",
    )

    assert client.post(f"/api/v1/admin/changes/{best.id}/rollback", headers=headers).status_code == 200
    session.refresh(created)
    assert created.archived_at is not None
    # Archived, the award is no longer a match: the same finding proposes it as new again.
    again = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding("community", children=[finding("award", title="Best Master-Planned Community", year="2024")]),
        {},
        settings=get_settings(),
    )
    assert [(c.entity_type, c.is_new_entity) for c in again.changes] == [("community_award", True)]
