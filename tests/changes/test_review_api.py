"""The review API: pending changes, apply, reject, history, with audit rows and source reliability."""

from __future__ import annotations

import json
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderCommunity, BuilderPortfolio
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_new_entity, propose_updates
from app.communities.models import CommunityAmenity
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from app.properties.models import Property
from app.sources.models import CollectionSource
from app.sources.reliability import reliability
from tests.changes.conftest import OFFICIAL, finding
from tests.factories import auth_headers, make_admin, make_builder, make_community, make_plan, make_property

PAGE = "Perry Homes. Call (713) 555-0199. Founded 1968."


def _perry_changes(session: Session, job: CollectionJob) -> tuple[object, list[CollectionChange]]:
    builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", founded_year=None)
    outcome = propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding("builder", phone="(713) 555-0199", founded_year="1968"),
        {OFFICIAL: PAGE},
        settings=get_settings(),
    )
    return builder, outcome.changes


def test_pending_changes_shows_the_plans_shape(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder, changes = _perry_changes(session, job)
    propose_new_entity(
        session,
        job,
        finding("property", title="The Oakmont - Model Home", address1="123 Oak Street", price="$485,000"),
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    )
    response = client.get(f"/api/v1/admin/builders/{builder.id}/pending-changes", headers=auth_headers(admin))
    assert response.status_code == 200
    body = response.json()
    assert (body["entity_type"], body["entity_id"], body["entity_name"]) == ("builder", builder.id, "Perry Homes")
    phone = next(c for c in body["pending_changes"] if c["field"] == "phone")
    assert phone["current"] == "(713) 555-0100"
    assert phone["proposed"] == "+17135550199"
    assert phone["source"] == OFFICIAL
    assert phone["confidence"] > 0.9
    assert phone["evidence"][0]["found_in_source"] is True
    (new,) = body["pending_new_entities"]
    assert new["entity_type"] == "property"
    assert new["data"]["title"] == "The Oakmont - Model Home" and new["data"]["price"] == 485000
    assert "_identity" not in new["data"]


def test_apply_changes_updates_the_record_once(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder, changes = _perry_changes(session, job)
    ids = [c.id for c in changes]
    url = f"/api/v1/admin/builders/{builder.id}/apply-changes"
    body = {"change_ids": ids, "review_notes": "Verified against official website"}
    first = client.post(url, json=body, headers=auth_headers(admin))
    assert first.status_code == 200, first.text
    result = first.json()
    assert (result["applied_changes"], result["skipped"], result["failed"]) == (2, 0, 0)
    assert result["details"]["updated_fields"] == ["founded_year", "phone"]
    session.refresh(builder)
    assert builder.phone == "+17135550199" and builder.founded_year == 1968
    assert builder.data_source == "collected" and builder.last_data_sync is not None
    assert builder.data_confidence in {c.confidence for c in changes}  # the confidence of an applied value

    # Applying again is a no-op reported as skipped.
    again = client.post(url, json=body, headers=auth_headers(admin)).json()
    assert (again["applied_changes"], again["skipped"]) == (0, 2)
    assert {s["reason"] for s in again["details"]["skipped"]} == {"already applied"}

    audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "change.apply")).all()
    assert len(audits) == 2
    phone_audit = next(a for a in audits if a.before and "phone" in a.before)
    assert phone_audit.actor == admin.user_id
    assert phone_audit.before == {"phone": "(713) 555-0100"} and phone_audit.after == {"phone": "+17135550199"}
    for change in changes:
        session.refresh(change)
        assert change.status == ChangeStatus.applied and change.reviewed_by == admin.user_id


def test_apply_refuses_when_value_changed_since_detection(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    admin = make_admin(session)
    builder, changes = _perry_changes(session, job)
    phone = next(c for c in changes if c.field_name == "phone")
    builder.phone = "(713) 555-0177"  # an admin edited it meanwhile
    session.flush()
    response = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"change_ids": [phone.id]},
        headers=auth_headers(admin),
    )
    result = response.json()
    assert (result["applied_changes"], result["failed"]) == (0, 1)
    (conflict,) = result["details"]["conflicts"]
    assert conflict["change_id"] == phone.id and conflict["current"] == "(713) 555-0177"
    session.refresh(builder)
    session.refresh(phone)
    assert builder.phone == "(713) 555-0177"
    assert phone.status == ChangeStatus.conflict


def test_value_equal_after_normalization_is_not_a_conflict(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    admin = make_admin(session)
    builder, changes = _perry_changes(session, job)
    phone = next(c for c in changes if c.field_name == "phone")
    builder.phone = "+1 713 555 0100"  # the same number, written differently
    session.flush()
    result = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"change_ids": [phone.id]},
        headers=auth_headers(admin),
    ).json()
    assert result["applied_changes"] == 1


def test_apply_all_respects_min_confidence(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder = make_builder(session, phone="(713) 555-0100", founded_year=None)
    propose_updates(
        session,
        job,
        "builder",
        builder.id,
        finding("builder", phone="(713) 555-0199", founded_year="1968"),
        {OFFICIAL: "Call (713) 555-0199"},  # the year is not on the page: capped at 0.35
        settings=get_settings(),
    )
    result = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"apply_all": True, "min_confidence": 0.8},
        headers=auth_headers(admin),
    ).json()
    assert (result["applied_changes"], result["skipped"]) == (1, 1)
    session.refresh(builder)
    assert builder.founded_year is None


def test_new_home_is_created_with_its_links(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder = make_builder(session, name="Perry Homes")
    community = make_community(session, name="Cinco Ranch")
    plan = make_plan(session, builder, name="Oakmont")
    (change,) = propose_new_entity(
        session,
        job,
        finding(
            "property",
            title="The Oakmont - Model Home",
            address1="123 Oak Street",
            price="$485,000",
            bedrooms=4,
            plan_name="Oakmont",
            community_name="Cinco Ranch",
        ),
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    ).changes
    response = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"change_ids": [change.id], "create_new_entities": True},
        headers=auth_headers(admin),
    )
    result = response.json()
    assert result["created_entities"] == 1
    created = result["details"]["created_entities"][0]
    assert created["entity_type"] == "property" and created["title"] == "The Oakmont - Model Home"
    home = session.get(Property, created["entity_id"])
    assert home is not None
    assert (home.builder_id, home.community_id, home.plan_id) == (builder.id, community.id, plan.id)
    assert home.price == 485000.0 and home.property_status == "available"
    assert home.data_source == "collected" and home.last_data_sync is not None
    assert home.data_confidence == change.confidence
    assert session.get(BuilderPortfolio, (builder.id, home.id)) is not None
    session.refresh(change)
    assert change.created_entity_id == home.id


def test_new_entities_wait_when_not_requested(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder = make_builder(session)
    propose_new_entity(
        session,
        job,
        finding("property", title="Lot 9"),
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    )
    result = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"apply_all": True, "create_new_entities": False},
        headers=auth_headers(admin),
    ).json()
    assert (result["created_entities"], result["skipped"]) == (0, 1)


def test_community_link_amenity_and_fee_apply(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    community = make_community(session, name="Cinco Ranch", hoa_fee_amount=Decimal("115"), hoa_fee_frequency="monthly")
    perry = make_builder(session, name="Perry Homes")
    propose_updates(
        session,
        job,
        "community",
        community.id,
        finding(
            "community",
            hoa_fee="$125/month",
            children=[finding("amenity", name="Dog Park"), finding("builder", name="Perry Homes")],
        ),
        {OFFICIAL: "HOA $125/month. Dog Park. Builders: Perry Homes"},
        settings=get_settings(),
    )
    result = client.post(
        f"/api/v1/admin/communities/{community.id}/apply-changes",
        json={"apply_all": True},
        headers=auth_headers(admin),
    ).json()
    assert (result["applied_changes"], result["created_entities"], result["failed"]) == (1, 2, 0)
    session.refresh(community)
    assert community.hoa_fee_amount == Decimal("125.00")
    assert session.get(BuilderCommunity, (perry.id, community.id)) is not None
    amenity = session.scalar(select(CommunityAmenity).where(CommunityAmenity.community_id == community.id))
    assert amenity is not None and amenity.name == "Dog Park"

    history = client.get(
        f"/api/v1/admin/communities/{community.id}/history", params={"field": "hoa_fee"}, headers=auth_headers(admin)
    ).json()
    assert [(h["field"], h["old_value"], h["new_value"]) for h in history["history"]] == [("hoa_fee_amount", 115, 125)]


def test_price_history_lists_applied_changes_in_order(session: Session, client: TestClient) -> None:
    from tests.changes.conftest import make_job

    admin = make_admin(session)
    home = make_property(session, price=485000.0)
    for price in ("$479,900", "$474,900"):
        session.expire(home)  # the request applied the last change in its own session
        job = make_job(session)
        (change,) = propose_updates(
            session, job, "property", home.id, finding("property", price=price), {}, settings=get_settings()
        ).changes
        client.post(
            f"/api/v1/admin/properties/{home.id}/apply-changes",
            json={"change_ids": [change.id]},
            headers=auth_headers(admin),
        )
    response = client.get(
        f"/api/v1/admin/properties/{home.id}/history", params={"field": "price"}, headers=auth_headers(admin)
    )
    assert response.status_code == 200
    assert [(h["old_value"], h["new_value"]) for h in response.json()["history"]] == [
        (485000.0, 479900),
        (479900.0, 474900),
    ]


def test_reject_lowers_source_reliability_and_approval_raises_it(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    admin = make_admin(session)
    builder, changes = _perry_changes(session, job)
    phone, year = (
        sorted(changes, key=lambda c: c.field_name or "")[1],
        sorted(changes, key=lambda c: c.field_name or "")[0],
    )
    source = session.get(CollectionSource, phone.source_id)
    assert source is not None
    start = reliability(source)  # the prior of an official website
    response = client.post(
        "/api/v1/admin/changes/reject",
        json={"change_ids": [phone.id], "review_notes": "sales office number"},
        headers=auth_headers(admin),
    )
    result = response.json()
    assert (result["rejected"], result["skipped"], result["outcomes"]) == (
        1,
        0,
        [{"change_id": phone.id, "outcome": "rejected", "reason": None}],
    )
    session.refresh(source)
    session.refresh(phone)
    assert phone.status == ChangeStatus.rejected and phone.review_notes == "sales office number"
    assert source.rejected_changes == 1 and source.reliability_score < start
    after_reject = source.reliability_score
    client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"change_ids": [year.id]},
        headers=auth_headers(admin),
    )
    session.refresh(source)
    assert source.approved_changes == 1 and source.reliability_score > after_reject
    reject_audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "change.reject"))
    assert reject_audit is not None and reject_audit.actor == admin.user_id and reject_audit.change_id == phone.id
    # A rejected change cannot be applied afterwards.
    again = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"change_ids": [phone.id]},
        headers=auth_headers(admin),
    ).json()
    assert again["skipped"] == 1 and json.loads(phone.new_value or "") == "+17135550199"


def test_bad_paths_and_bodies(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    headers = auth_headers(admin)
    builder, changes = _perry_changes(session, job)
    other = make_builder(session)
    assert client.get("/api/v1/admin/builders/999999/pending-changes", headers=headers).status_code == 404
    assert (
        "builder 999999 not found"
        in client.get("/api/v1/admin/builders/999999/history", headers=headers).json()["detail"]
    )
    assert client.get(f"/api/v1/admin/planets/{builder.id}/pending-changes", headers=headers).status_code == 422
    assert client.get("/api/v1/admin/builders/abc/pending-changes", headers=headers).status_code == 422
    empty = client.post(f"/api/v1/admin/builders/{builder.id}/apply-changes", json={}, headers=headers)
    assert empty.status_code == 422 and "change_ids" in empty.text
    bad_conf = client.post(
        f"/api/v1/admin/builders/{builder.id}/apply-changes",
        json={"apply_all": True, "min_confidence": 2},
        headers=headers,
    )
    assert bad_conf.status_code == 422 and "min_confidence" in bad_conf.text
    # A change of another record is not applied through this one.
    wrong = client.post(
        f"/api/v1/admin/builders/{other.id}/apply-changes", json={"change_ids": [changes[0].id]}, headers=headers
    )
    assert wrong.status_code == 404 and str(changes[0].id) in wrong.json()["detail"]
    assert client.post("/api/v1/admin/changes/reject", json={"change_ids": []}, headers=headers).status_code == 422
    assert client.post("/api/v1/admin/changes/999999/rollback", headers=headers).status_code == 404
    assert client.post("/api/v1/admin/collection-jobs/JOB-0-NOPE00/rollback", headers=headers).status_code == 404
