"""Merge and undo edge cases: pending changes on the same field, chained merges, rows moved since."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.builders.models import BuilderAward, BuilderProfile
from app.changes.models import CollectionChange
from app.core.audit import AuditEvent
from app.properties.models import Property
from tests.factories import auth_headers, make_admin, make_builder, make_property
from tests.matching.conftest import make_job

API = "/api/v1/admin"


def _pending(session: Session, builder_id: int, field: str, value: str) -> CollectionChange:
    job = make_job(session, entity_type="builder")
    change = CollectionChange(
        job_id=job.job_id, entity_type="builder", entity_id=builder_id, field_name=field,
        change_type="modified", new_value=value,
    )  # fmt: skip
    session.add(change)
    session.flush()
    return change


def _merge(client: TestClient, headers: dict[str, str], keep_id: int, merge_id: int) -> int:
    response = client.post(f"{API}/builders/merge", json={"keep_id": keep_id, "merge_id": merge_id}, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.json()["audit_event_id"])


def test_merge_supersedes_a_pending_change_on_a_field_keep_also_has_pending_and_undo_reopens_it(
    client: TestClient, session: Session
) -> None:
    keep, dup = make_builder(session, name="Perry Homes"), make_builder(session, name="Perry Homes LLC")
    kept_phone = _pending(session, keep.id, "phone", '"+17135550100"')
    dup_phone = _pending(session, dup.id, "phone", '"+17135550199"')
    dup_email = _pending(session, dup.id, "email", '"info@perry.example"')
    headers = auth_headers(make_admin(session))

    event_id = _merge(client, headers, keep.id, dup.id)

    session.expire_all()
    assert (dup_phone.status, dup_phone.superseded_by, dup_phone.entity_id) == ("superseded", kept_phone.id, keep.id)
    assert (kept_phone.status, kept_phone.entity_id) == ("pending", keep.id)
    assert (dup_email.status, dup_email.entity_id) == ("pending", keep.id)  # no collision: it simply moves
    event = session.get(AuditEvent, event_id)
    assert event is not None and event.before is not None
    assert event.before["superseded"] == {str(dup_phone.id): kept_phone.id}

    undo = client.post(f"{API}/merges/{event_id}/undo", headers=headers)

    assert undo.status_code == 200, undo.text
    session.expire_all()
    assert (dup_phone.status, dup_phone.superseded_by, dup_phone.entity_id) == ("pending", None, dup.id)
    assert (kept_phone.status, kept_phone.entity_id) == ("pending", keep.id)
    assert (dup_email.status, dup_email.entity_id) == ("pending", dup.id)


def test_undo_of_a_merge_whose_kept_record_was_merged_on_is_refused_until_the_later_one_is_undone(
    client: TestClient, session: Session
) -> None:
    a, b, c = make_builder(session), make_builder(session), make_builder(session)
    award = BuilderAward(builder_id=a.id, title="Builder of the Year")
    session.add(award)
    session.flush()
    headers = auth_headers(make_admin(session))
    a_into_b = _merge(client, headers, b.id, a.id)
    b_into_c = _merge(client, headers, c.id, b.id)
    session.expire_all()
    assert award.builder_id == c.id

    refused = client.post(f"{API}/merges/{a_into_b}/undo", headers=headers)

    assert refused.status_code == 409
    assert f"undo merge {b_into_c} first" in refused.json()["detail"]
    session.expire_all()
    assert award.builder_id == c.id
    assert session.get(BuilderProfile, a.id).archived_at is not None  # type: ignore[union-attr]

    assert client.post(f"{API}/merges/{b_into_c}/undo", headers=headers).status_code == 200
    assert client.post(f"{API}/merges/{a_into_b}/undo", headers=headers).status_code == 200
    session.expire_all()
    assert award.builder_id == a.id
    assert session.get(BuilderProfile, a.id).archived_at is None  # type: ignore[union-attr]


def test_undo_refuses_and_changes_nothing_when_a_moved_row_is_no_longer_on_the_kept_record(
    client: TestClient, session: Session
) -> None:
    keep, dup, elsewhere = make_builder(session), make_builder(session), make_builder(session)
    home = make_property(session, builder_id=dup.id)
    award = BuilderAward(builder_id=dup.id, title="Builder of the Year")
    session.add(award)
    session.flush()
    headers = auth_headers(make_admin(session))
    event_id = _merge(client, headers, keep.id, dup.id)
    session.expire_all()
    # An admin re-assigned the home since; the award (moved back first) must stay too.
    session.get(Property, home.id).builder_id = elsewhere.id  # type: ignore[union-attr]
    session.flush()

    refused = client.post(f"{API}/merges/{event_id}/undo", headers=headers)

    assert refused.status_code == 409
    assert "nothing was changed" in refused.json()["detail"]
    session.expire_all()
    assert award.builder_id == keep.id
    assert session.get(Property, home.id).builder_id == elsewhere.id  # type: ignore[union-attr]
    assert session.get(BuilderProfile, dup.id).archived_at is not None  # type: ignore[union-attr]
