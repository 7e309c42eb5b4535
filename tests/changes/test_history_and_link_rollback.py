"""A community's HOA fee history through the API, and rolling back an applied builder-community link."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity
from app.changes.models import ChangeStatus
from app.changes.proposals import propose_updates
from app.communities.models import Community
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import auth_headers, make_admin, make_builder, make_community


def _propose_and_apply_fee(
    session: Session, client: TestClient, community: Community, fee: str, headers: dict[str, str]
) -> list[int]:
    session.expire(community)  # the previous request applied its changes in its own session
    changes = propose_updates(
        session,
        make_job(session),
        "community",
        community.id,
        finding("community", hoa_fee=fee),
        {OFFICIAL: fee},
        settings=get_settings(),
    ).changes
    ids = [c.id for c in changes]
    result = client.post(
        f"/api/v1/admin/communities/{community.id}/apply-changes", json={"change_ids": ids}, headers=headers
    ).json()
    assert (result["applied_changes"], result["failed"]) == (len(ids), 0), result
    return ids


def _history(client: TestClient, community: Community, field: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/admin/communities/{community.id}/history", params={"field": field}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["entity_type"], body["entity_id"], body["field"]) == ("community", community.id, field)
    history: list[dict[str, Any]] = body["history"]
    return history


def test_hoa_fee_history_keeps_amount_and_frequency(session: Session, client: TestClient) -> None:
    admin = make_admin(session)
    headers = auth_headers(admin)
    community = make_community(session, name="Cinco Ranch", hoa_fee_amount=Decimal("115"), hoa_fee_frequency="monthly")

    # $115/month -> $125/month: the amount changes, the frequency (monthly) does not.
    (raise_id,) = _propose_and_apply_fee(session, client, community, "$125/month", headers)
    history = _history(client, community, "hoa_fee", headers)
    assert [(h["change_id"], h["field"], h["old_value"], h["new_value"]) for h in history] == [
        (raise_id, "hoa_fee_amount", 115, 125)
    ]
    assert history[0]["status"] == "applied" and history[0]["applied_by"] == admin.user_id
    assert history[0]["source"] == OFFICIAL and history[0]["rolled_back_at"] is None
    assert _history(client, community, "hoa_fee_frequency", headers) == []

    # Billed yearly from now on: amount and frequency both change, and both are in the fee's history.
    _propose_and_apply_fee(session, client, community, "$1,500 per year", headers)
    session.expire(community)
    assert (community.hoa_fee_amount, community.hoa_fee_frequency) == (Decimal("1500.00"), "annual")
    history = _history(client, community, "hoa_fee", headers)
    assert [(h["field"], h["old_value"], h["new_value"]) for h in history] == [
        ("hoa_fee_amount", 115, 125),
        ("hoa_fee_amount", 125, 1500),
        ("hoa_fee_frequency", "monthly", "annual"),
    ]
    assert [(h["old_value"], h["new_value"]) for h in _history(client, community, "hoa_fee_amount", headers)] == [
        (115, 125),
        (125, 1500),
    ]
    assert [(h["old_value"], h["new_value"]) for h in _history(client, community, "hoa_fee_frequency", headers)] == [
        ("monthly", "annual")
    ]


def test_rolled_back_fee_change_stays_in_history_marked(session: Session, client: TestClient) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, hoa_fee_amount=Decimal("115"), hoa_fee_frequency="monthly")
    (change_id,) = _propose_and_apply_fee(session, client, community, "$125/month", headers)
    assert client.post(f"/api/v1/admin/changes/{change_id}/rollback", headers=headers).status_code == 200
    session.expire(community)
    assert community.hoa_fee_amount == Decimal("115.00")
    (entry,) = _history(client, community, "hoa_fee", headers)
    assert (entry["change_id"], entry["status"]) == (change_id, "rolled_back")
    assert entry["rolled_back_at"] is not None


def test_rollback_of_an_applied_builder_link(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    headers = auth_headers(admin)
    community = make_community(session, name="Cinco Ranch")
    perry = make_builder(session, name="Perry Homes")
    toll = make_builder(session, name="Toll Brothers")
    session.add(BuilderCommunity(builder_id=toll.id, community_id=community.id))  # linked before; must stay
    session.flush()
    (link,) = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding("community", children=[finding("builder", name="Perry Homes")]),
        {OFFICIAL: "Builders: Perry Homes"},
        settings=get_settings(),
    ).changes
    assert link.entity_type == "builder_community"
    applied = client.post(
        f"/api/v1/admin/communities/{community.id}/apply-changes", json={"change_ids": [link.id]}, headers=headers
    ).json()
    assert applied["created_entities"] == 1
    assert session.get(BuilderCommunity, (perry.id, community.id)) is not None

    response = client.post(f"/api/v1/admin/changes/{link.id}/rollback", headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rolled_back"
    session.expire_all()
    assert session.get(BuilderCommunity, (perry.id, community.id)) is None
    assert session.get(BuilderCommunity, (toll.id, community.id)) is not None
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "change.rollback", AuditEvent.change_id == link.id)
    )
    assert audit is not None and audit.actor == admin.user_id
    assert (audit.target_type, audit.target_id) == ("builder_community", community.id)
    assert audit.before == {"builder_id": perry.id}
    session.refresh(link)
    assert link.status == ChangeStatus.rolled_back and link.rolled_back_by == admin.user_id
    detail = client.get(f"/api/v1/admin/communities/{community.id}", headers=headers).json()
    assert [b["name"] for b in detail["builders"]] == ["Toll Brothers"]

    again = client.post(f"/api/v1/admin/changes/{link.id}/rollback", headers=headers)
    assert again.status_code == 409
    assert "rolled_back" in again.json()["detail"]
    assert session.get(BuilderCommunity, (toll.id, community.id)) is not None


def test_a_link_that_already_exists_is_skipped_and_survives_a_rollback(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    headers = auth_headers(make_admin(session))
    community = make_community(session, name="Cinco Ranch")
    perry = make_builder(session, name="Perry Homes")
    (link,) = propose_updates(
        session,
        job,
        "community",
        community.id,
        finding("community", children=[finding("builder", name="Perry Homes")]),
        {OFFICIAL: "Builders: Perry Homes"},
        settings=get_settings(),
    ).changes
    session.add(BuilderCommunity(builder_id=perry.id, community_id=community.id))  # linked meanwhile by hand
    session.flush()

    applied = client.post(
        f"/api/v1/admin/communities/{community.id}/apply-changes", json={"change_ids": [link.id]}, headers=headers
    ).json()

    assert applied["created_entities"] == 0 and applied["skipped"] == 1, applied
    assert applied["details"]["skipped"] == [{"change_id": link.id, "reason": "link already exists"}]
    rollback = client.post(f"/api/v1/admin/changes/{link.id}/rollback", headers=headers)
    assert rollback.status_code == 409
    session.expire_all()
    assert session.get(BuilderCommunity, (perry.id, community.id)) is not None
