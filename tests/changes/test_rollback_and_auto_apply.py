"""Rollback of a change and of a job, and the auto-apply policy (permission, threshold, locks)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.apply import apply_changes, auto_apply_job
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_new_entity, propose_updates
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.core.locks import FieldLock
from app.jobs.models import CollectionJob
from app.properties.models import Property
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import auth_headers, make_admin, make_builder, make_property

PAGE = "Perry Homes. Call (713) 555-0199. Founded 1968. $474,900"


def _propose(session: Session, job: CollectionJob, builder_id: int, **values: Any) -> list[CollectionChange]:
    """The builder's values as the official page states them (PAGE), proposed by ``job``."""
    found = finding("builder", **values)
    return propose_updates(
        session, job, "builder", builder_id, found, {OFFICIAL: PAGE}, settings=get_settings()
    ).changes


def _applied_phone(session: Session, job: CollectionJob, actor: str) -> tuple[object, int]:
    builder = make_builder(session, phone="(713) 555-0100")
    (change,) = _propose(session, job, builder.id, phone="(713) 555-0199")
    apply_changes(session, [change.id], actor=actor)
    return builder, change.id


def test_rollback_restores_the_old_value(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder, change_id = _applied_phone(session, job, admin.user_id)
    response = client.post(f"/api/v1/admin/changes/{change_id}/rollback", headers=auth_headers(admin))
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rolled_back"
    session.refresh(builder)
    assert builder.phone == "(713) 555-0100"
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "change.rollback"))
    assert audit is not None and audit.actor == admin.user_id
    assert audit.before == {"phone": "+17135550199"} and audit.after == {"phone": "(713) 555-0100"}
    # Twice is refused: it is no longer applied.
    assert client.post(f"/api/v1/admin/changes/{change_id}/rollback", headers=auth_headers(admin)).status_code == 409


def test_rollback_refuses_when_value_changed_since(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder, change_id = _applied_phone(session, job, admin.user_id)
    builder.phone = "(713) 555-0123"
    session.flush()
    response = client.post(f"/api/v1/admin/changes/{change_id}/rollback", headers=auth_headers(admin))
    assert response.status_code == 409
    assert "changed since" in response.json()["detail"]
    session.refresh(builder)
    assert builder.phone == "(713) 555-0123"


def test_job_rollback_restores_values_and_archives_created_records(
    session: Session, client: TestClient, job: CollectionJob
) -> None:
    admin = make_admin(session)
    builder = make_builder(session, phone="(713) 555-0100", founded_year=None)
    changes = _propose(session, job, builder.id, phone="(713) 555-0199", founded_year="1968")
    changes += propose_new_entity(
        session,
        job,
        finding("property", title="Lot 7"),
        {},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    ).changes
    result = apply_changes(session, [c.id for c in changes], actor=admin.user_id)
    home_id = result.created[0]["entity_id"]
    response = client.post(f"/api/v1/admin/collection-jobs/{job.job_id}/rollback", headers=auth_headers(admin))
    assert response.status_code == 200, response.text
    assert response.json()["rolled_back_changes"] == 3
    session.refresh(builder)
    assert (builder.phone, builder.founded_year) == ("(713) 555-0100", None)
    home = session.get(Property, home_id)
    assert home is not None and home.archived_at is not None  # archived, not deleted
    job_audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "job.rollback"))
    assert job_audit is not None and job_audit.job_id == job.job_id


def test_job_rollback_is_all_or_nothing_on_conflict(session: Session, client: TestClient, job: CollectionJob) -> None:
    admin = make_admin(session)
    builder = make_builder(session, phone="(713) 555-0100", founded_year=None)
    changes = _propose(session, job, builder.id, phone="(713) 555-0199", founded_year="1968")
    apply_changes(session, [c.id for c in changes], actor=admin.user_id)
    builder.founded_year = 1970  # edited since
    session.flush()
    response = client.post(f"/api/v1/admin/collection-jobs/{job.job_id}/rollback", headers=auth_headers(admin))
    assert response.status_code == 409
    assert "founded_year" in response.json()["detail"]
    session.refresh(builder)
    assert builder.phone == "+17135550199"  # the other change was not rolled back either
    for change in changes:
        session.refresh(change)
        assert change.status == ChangeStatus.applied


def _auto_job(session: Session, **overrides: object) -> tuple[CollectionJob, object]:
    user = make_admin(session, can_auto_apply=overrides.pop("can_auto_apply", True))
    job = make_job(session, **{"auto_apply": True, "initiated_by": user.user_id, **overrides})
    return job, user


def test_auto_apply_applies_high_confidence_unlocked_fields(session: Session) -> None:
    job, _user = _auto_job(session)
    builder = make_builder(session, phone="(713) 555-0100", founded_year=None, email=None)
    # The e-mail is not on the page: 0.35, below the threshold.
    changes = _propose(
        session, job, builder.id, phone="(713) 555-0199", founded_year="1968", email="sales@perryhomes.com"
    )
    session.add(FieldLock(entity_type="builder", entity_id=builder.id, field_name="founded_year", locked_by="x"))
    session.flush()
    applied = auto_apply_job(session, job, get_settings())
    assert applied == 1
    statuses = {c.field_name: c.status for c in changes}
    for change in changes:
        session.refresh(change)
        statuses[change.field_name] = change.status
    assert statuses == {"phone": "applied", "founded_year": "pending", "email": "pending"}
    session.refresh(builder)
    assert builder.phone == "+17135550199" and builder.founded_year is None
    phone = next(c for c in changes if c.field_name == "phone")
    assert phone.applied_by == "auto" and phone.reviewed_by is None
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "change.auto_apply"))
    assert audit is not None and audit.actor == "auto"


def test_locked_field_is_auto_applied_only_when_protection_is_off(session: Session) -> None:
    job, _user = _auto_job(session)
    builder = make_builder(session, phone="(713) 555-0100")
    _propose(session, job, builder.id, phone="(713) 555-0199")
    session.add(FieldLock(entity_type="builder", entity_id=builder.id, field_name="phone", locked_by="x"))
    session.flush()
    assert auto_apply_job(session, job, get_settings()) == 0
    unprotected = get_settings().model_copy(update={"protect_verified_fields": False})
    assert auto_apply_job(session, job, unprotected) == 1


def test_auto_apply_needs_permission_and_the_jobs_flag(session: Session) -> None:
    for overrides in ({"can_auto_apply": False}, {"auto_apply": False}):
        job, _user = _auto_job(session, **overrides)
        builder = make_builder(session, phone="(713) 555-0100")
        _propose(session, job, builder.id, phone="(713) 555-0199")
        assert auto_apply_job(session, job, get_settings()) == 0


def test_scheduled_jobs_auto_apply_only_when_settings_allow(session: Session) -> None:
    job = make_job(session, auto_apply=True, scheduled=True, initiated_by="system")
    builder = make_builder(session, phone="(713) 555-0100")
    _propose(session, job, builder.id, phone="(713) 555-0199")
    assert auto_apply_job(session, job, get_settings().model_copy(update={"refresh_auto_apply": False})) == 0
    assert auto_apply_job(session, job, get_settings().model_copy(update={"refresh_auto_apply": True})) == 1


def test_auto_apply_leaves_new_homes_for_review(session: Session) -> None:
    job, _user = _auto_job(session)
    builder = make_builder(session)
    make_property(session, builder_id=builder.id)
    propose_new_entity(
        session,
        job,
        finding("property", title="Lot 7", price="$474,900"),
        {OFFICIAL: "Lot 7 $474,900"},
        parent_entity_type="builder",
        parent_entity_id=builder.id,
        settings=get_settings(),
    )
    assert auto_apply_job(session, job, get_settings()) == 0
