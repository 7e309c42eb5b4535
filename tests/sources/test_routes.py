"""The sources and opt-outs admin API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.sources.bookkeeping import record_access, source_for_url
from app.sources.models import CollectionOptOut, CollectionSource
from app.sources.optouts import is_opted_out
from tests.factories import auth_headers, make_admin, make_builder

API = "/api/v1/admin"


def _source(session: Session, domain: str, **overrides: object) -> CollectionSource:
    values: dict[str, object] = {
        "source_name": domain,
        "source_url": f"https://{domain}/",
        "domain": domain,
        "source_type": "official_website",
    }
    values.update(overrides)
    source = CollectionSource(**values)
    session.add(source)
    session.flush()
    return source


def test_sources_list_pages_and_filters(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    _source(session, "a-homes.com")
    _source(session, "b-directory.com", source_type="directory")
    _source(session, "c-homes.com", is_active=False)

    body = client.get(f"{API}/sources", headers=headers, params={"per_page": 2}).json()
    assert (body["total"], body["page"], body["per_page"]) == (3, 1, 2)
    assert [s["domain"] for s in body["sources"]] == ["a-homes.com", "b-directory.com"]
    second = client.get(f"{API}/sources", headers=headers, params={"per_page": 2, "page": 2}).json()
    assert [s["domain"] for s in second["sources"]] == ["c-homes.com"]

    directories = client.get(f"{API}/sources", headers=headers, params={"source_type": "directory"}).json()
    assert [s["domain"] for s in directories["sources"]] == ["b-directory.com"]
    inactive = client.get(f"{API}/sources", headers=headers, params={"is_active": "false"}).json()
    assert [s["domain"] for s in inactive["sources"]] == ["c-homes.com"]
    bad = client.get(f"{API}/sources", headers=headers, params={"source_type": "blog"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "source_type"]


def test_a_source_that_answered_429_shows_its_back_off_and_can_be_unblocked(
    client: TestClient, session: Session
) -> None:
    headers = auth_headers(make_admin(session))
    ref = source_for_url(session, "https://www.perryhomes.com/homes/")
    record_access(session, ref.id, 200)
    record_access(session, ref.id, 429, retry_after_seconds=3600)
    source = session.get(CollectionSource, ref.id)
    assert source is not None
    source.approved_changes, source.rejected_changes, source.reliability_score = 14, 2, 0.82
    session.flush()

    shown = client.get(f"{API}/sources/{source.source_id}", headers=headers).json()
    assert shown["domain"] == "perryhomes.com"
    assert shown["access_count_today"] == 2
    assert shown["is_blocked"] is True
    assert shown["blocked_until"] is not None
    assert "429" in shown["blocked_reason"]
    assert (shown["approved_changes"], shown["rejected_changes"], shown["reliability_score"]) == (14, 2, 0.82)

    unblocked = client.patch(f"{API}/sources/{source.source_id}", headers=headers, json={"blocked_until": None})
    assert unblocked.status_code == 200
    assert unblocked.json()["is_blocked"] is False
    assert unblocked.json()["blocked_until"] is None
    assert unblocked.json()["blocked_reason"] is None
    session.refresh(source)
    assert source.blocked_until is None


def test_patch_source_changes_type_activity_and_daily_limit_and_is_audited(
    client: TestClient, session: Session
) -> None:
    admin = make_admin(session)
    source = _source(session, "homes-directory.com")
    response = client.patch(
        f"{API}/sources/{source.source_id}",
        headers=auth_headers(admin),
        json={"source_type": "directory", "is_active": False, "rate_limit_per_day": 50},
    )
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("source_type", "is_active", "rate_limit_per_day")} == {
        "source_type": "directory",
        "is_active": False,
        "rate_limit_per_day": 50,
    }
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "source.edit"))
    assert audit is not None and audit.actor == admin.user_id
    assert audit.before == {"source_type": "official_website", "is_active": True, "rate_limit_per_day": 100}


def test_sources_list_shows_the_type_prior_before_any_review_and_a_new_type_moves_it(
    client: TestClient, session: Session
) -> None:
    headers = auth_headers(make_admin(session))
    source = session.get(CollectionSource, source_for_url(session, "https://www.firstseen-homes.com/").id)
    assert source is not None
    listed = client.get(f"{API}/sources", headers=headers).json()["sources"]
    assert [s["reliability_score"] for s in listed if s["domain"] == "firstseen-homes.com"] == [0.9]
    response = client.patch(f"{API}/sources/{source.source_id}", headers=headers, json={"source_type": "directory"})
    assert response.json()["reliability_score"] == 0.6


def test_patch_source_refuses_bad_values_naming_the_field(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    source = _source(session, "x-homes.com")
    for body, field in (
        ({"rate_limit_per_day": -1}, "rate_limit_per_day"),
        ({"source_type": "blog"}, "source_type"),
        ({"reliability_score": 1.0}, "reliability_score"),
    ):
        response = client.patch(f"{API}/sources/{source.source_id}", headers=headers, json=body)
        assert response.status_code == 422, body
        assert field in str(response.json()["detail"])
    null_active = client.patch(f"{API}/sources/{source.source_id}", headers=headers, json={"is_active": None})
    assert null_active.status_code == 422
    assert "is_active" in str(null_active.json()["detail"])


def test_unknown_source_is_404_naming_it(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    for response in (
        client.get(f"{API}/sources/SRC-1-NOPE00", headers=headers),
        client.patch(f"{API}/sources/SRC-1-NOPE00", headers=headers, json={"is_active": False}),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "collection source SRC-1-NOPE00 not found"}


def test_daily_count_shows_zero_once_the_day_rolled_over(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    yesterday = (utcnow() - timedelta(days=1)).date()
    source = _source(session, "y-homes.com", access_count_today=99, access_count_date=yesterday)
    assert client.get(f"{API}/sources/{source.source_id}", headers=headers).json()["access_count_today"] == 0


def test_opt_out_by_domain_is_recorded_normalized_and_honoured(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    response = client.post(
        f"{API}/opt-outs",
        headers=auth_headers(admin),
        json={"domain": "https://www.PerryHomes.com/contact", "reason": "asked by e-mail"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["domain"], body["entity_type"], body["reason"], body["created_by"]) == (
        "perryhomes.com",
        None,
        "asked by e-mail",
        admin.user_id,
    )
    assert is_opted_out(session, url="https://perryhomes.com/homes/?page=2")
    assert is_opted_out(session, url="https://shop.perryhomes.com/")
    assert not is_opted_out(session, url="https://tollbrothers.com/")
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "opt_out.create")) is not None


def test_opt_out_by_record_is_honoured_and_deleting_it_resumes_collection(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    builder = make_builder(session)
    assert not is_opted_out(session, entity_type="builder", entity_id=builder.id)
    created = client.post(f"{API}/opt-outs", headers=headers, json={"entity_type": "builder", "entity_id": builder.id})
    assert created.status_code == 201
    assert is_opted_out(session, entity_type="builder", entity_id=builder.id)

    listed = client.get(f"{API}/opt-outs", headers=headers, params={"entity_type": "builder"}).json()
    assert listed["total"] == 1 and listed["opt_outs"][0]["entity_id"] == builder.id

    assert client.delete(f"{API}/opt-outs/{created.json()['id']}", headers=headers).status_code == 204
    assert not is_opted_out(session, entity_type="builder", entity_id=builder.id)
    assert client.delete(f"{API}/opt-outs/{created.json()['id']}", headers=headers).status_code == 404


def test_opt_out_needs_a_domain_or_a_record(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    for body in ({}, {"reason": "no target"}, {"entity_type": "builder"}, {"entity_id": 3}, {"domain": "not a domain"}):
        response = client.post(f"{API}/opt-outs", headers=headers, json=body)
        assert response.status_code == 422, body
    neither = client.post(f"{API}/opt-outs", headers=headers, json={})
    assert "domain" in str(neither.json()["detail"])
    assert session.scalar(select(CollectionOptOut)) is None


def test_opt_out_of_an_unknown_record_is_404_and_a_duplicate_is_409(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    missing = client.post(f"{API}/opt-outs", headers=headers, json={"entity_type": "community", "entity_id": 999999})
    assert missing.status_code == 404
    assert missing.json() == {"detail": "community 999999 not found"}
    assert client.post(f"{API}/opt-outs", headers=headers, json={"domain": "quiet.com"}).status_code == 201
    duplicate = client.post(f"{API}/opt-outs", headers=headers, json={"domain": "www.quiet.com"})
    assert duplicate.status_code == 409


def test_an_admin_adds_a_source_which_is_approved_for_discovery(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    body = {
        "source_url": "https://www.houstonnewhomes.com/communities/",
        "source_type": "directory",
        "entity_types": ["community"],
    }
    response = client.post(f"{API}/sources", headers=headers, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["domain"], created["approved"], created["source_type"]) == (
        "houstonnewhomes.com",
        True,
        "directory",
    )
    assert created["total_collections"] == 0 and created["last_collected_at"] is None
    again = client.post(f"{API}/sources", headers=headers, json=body)
    assert again.status_code == 409 and created["source_id"] in again.json()["detail"]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "source.create")).all()
    assert len(events) == 1


@pytest.mark.parametrize(
    "url", ["http://10.1.2.3/", "http://169.254.169.254/latest/", "file:///etc/passwd", "https://user:pw@example.com/"]
)
def test_a_source_the_fetch_guard_would_refuse_is_not_added(client: TestClient, session: Session, url: str) -> None:
    headers = auth_headers(make_admin(session))
    response = client.post(f"{API}/sources", headers=headers, json={"source_url": url})
    assert response.status_code == 422 and "source_url" in response.text
    assert session.scalars(select(CollectionSource)).all() == []


def test_a_source_seen_on_the_way_is_approved_by_an_edit(client: TestClient, session: Session) -> None:
    headers = auth_headers(make_admin(session))
    source = _source(session, "seen-once.com", source_type="directory")
    assert source.approved is False
    response = client.patch(f"{API}/sources/{source.source_id}", headers=headers, json={"approved": True})
    assert response.status_code == 200 and response.json()["approved"] is True
    refused = client.patch(f"{API}/sources/{source.source_id}", headers=headers, json={"approved": None})
    assert refused.status_code == 422


def test_an_admin_marks_a_source_to_render_its_pages(client: TestClient, session: Session) -> None:
    admin = make_admin(session)
    source = _source(session, "spa-homes.com")
    url = f"{API}/sources/{source.source_id}"
    assert client.get(url, headers=auth_headers(admin)).json()["render"] is False
    response = client.patch(url, headers=auth_headers(admin), json={"render": True})
    assert response.status_code == 200 and response.json()["render"] is True
    session.refresh(source)
    assert source.render is True
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "source.edit"))
    assert audit is not None and audit.before == {"render": False} and audit.after == {"render": True}
    for body in ({"render": None}, {"render": "sometimes"}):
        refused = client.patch(url, headers=auth_headers(admin), json=body)
        assert refused.status_code == 422 and "render" in str(refused.json()["detail"])
