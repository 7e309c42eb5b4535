"""The review inbox: every change across records, its filters, orders and paging, and bulk decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.changes import inbox
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import propose_new_entity, propose_updates
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.core.db import session_scope
from app.core.locks import FieldLock
from app.jobs.models import CollectionJob
from app.properties.models import Property
from tests.changes.conftest import OFFICIAL, finding, make_job
from tests.factories import auth_headers, make_admin, make_builder, make_property, make_user

API = "/api/v1/admin/changes"
LISTING = "https://www.har.com/homes/oak-street"


class World:
    """Two builders with pending phone and founding-year changes, a home with a price change, a new home."""

    def __init__(self, session: Session, client: TestClient) -> None:
        self.session = session
        self.client = client
        self.admin = make_admin(session)
        self.headers = auth_headers(self.admin)
        self.job = make_job(session)
        self.other_job = make_job(session, entity_type="property")
        self.perry = make_builder(session, name="Perry Homes", phone="(713) 555-0100", founded_year=None)
        self.david = make_builder(session, name="David Weekley Homes", phone="(713) 555-0200")
        self.home = make_property(session, title="The Oakmont", price=485000.0)
        self.perry_phone, self.perry_year = self._propose(
            self.job, "builder", self.perry.id, finding("builder", phone="(713) 555-0199", founded_year="1968")
        )
        [self.david_phone] = self._propose(
            self.job, "builder", self.david.id, finding("builder", phone="(713) 555-0299")
        )
        [self.home_price] = self._propose(
            self.other_job, "property", self.home.id, finding("property", url=LISTING, price="$474,900")
        )
        self.new_home = propose_new_entity(
            session,
            self.job,
            finding("property", title="The Pecan - Model Home", address1="9 Pecan Lane", price="$399,000"),
            {},
            parent_entity_type="builder",
            parent_entity_id=self.perry.id,
            settings=get_settings(),
        ).changes[0]

    def _propose(self, job: CollectionJob, entity_type: str, entity_id: int, found: Any) -> list[CollectionChange]:
        changes = propose_updates(self.session, job, entity_type, entity_id, found, {}, settings=get_settings()).changes
        return sorted(changes, key=lambda c: c.field_name or "", reverse=True)

    def ids(self, **params: Any) -> list[int]:
        response = self.get(**params)
        assert response.status_code == 200, response.text
        return [row["change_id"] for row in response.json()["changes"]]

    def get(self, **params: Any) -> Any:
        return self.client.get(API, params=params, headers=self.headers)


@pytest.fixture
def world(session: Session, client: TestClient) -> World:
    return World(session, client)


def test_the_inbox_lists_every_pending_change_with_its_record(world: World) -> None:
    body = world.get().json()
    rows = {row["change_id"]: row for row in body["changes"]}
    everything = {world.perry_phone.id, world.perry_year.id, world.david_phone.id, world.home_price.id}
    assert set(rows) == everything | {world.new_home.id}
    assert body["total"] == 5 and body["total_is_estimate"] is False and body["next_cursor"] is None
    phone = rows[world.perry_phone.id]
    assert (phone["field"], phone["current"], phone["proposed"]) == ("phone", "(713) 555-0100", "+17135550199")
    assert phone["record"] == {
        "entity_type": "builder",
        "entity_id": world.perry.id,
        "name": "Perry Homes",
        "link": f"/api/v1/admin/builders/{world.perry.id}",
    }
    assert phone["source"] == OFFICIAL and phone["evidence"][0]["source_url"] == OFFICIAL
    assert phone["confidence"] > 0 and phone["confidence_components"]
    new = rows[world.new_home.id]
    assert new["is_new_entity"] is True and new["proposed"]["title"] == "The Pecan - Model Home"
    assert new["record"]["name"] == "Perry Homes"  # reviewed under the builder that lists it
    price = rows[world.home_price.id]
    assert price["record"]["name"] == "The Oakmont" and price["proposed"] == 474900


def test_every_filter_narrows_the_list(world: World, session: Session) -> None:
    w = world
    assert set(w.ids(entity_type="property")) == {w.home_price.id, w.new_home.id}
    assert w.ids(entity_type="builder", entity_id=w.david.id) == [w.david_phone.id]
    assert set(w.ids(field="phone")) == {w.perry_phone.id, w.david_phone.id}
    assert w.ids(change_type="added", field="founded_year") == [w.perry_year.id]
    assert w.ids(job_id=w.other_job.job_id) == [w.home_price.id]
    assert set(w.ids(source_domain="har.com")) == {w.home_price.id}
    perry_site = {w.perry_phone.id, w.perry_year.id, w.david_phone.id, w.new_home.id}
    assert set(w.ids(source_domain="www.perryhomes.com")) == perry_site
    assert set(w.ids(q="perry")) == {w.perry_phone.id, w.perry_year.id, w.new_home.id}
    assert w.ids(q="oakmont") == [w.home_price.id]
    assert w.ids(q="100%") == []  # a LIKE wildcard in the name is a plain character
    # Confidence bounds.
    w.perry_phone.confidence, w.david_phone.confidence = 0.95, 0.4
    session.flush()
    assert w.perry_phone.id in w.ids(min_confidence=0.9) and w.david_phone.id not in w.ids(min_confidence=0.9)
    assert w.david_phone.id in w.ids(max_confidence=0.5) and w.perry_phone.id not in w.ids(max_confidence=0.5)
    # Created range: [from, to).
    old = datetime(2026, 1, 1, tzinfo=UTC)
    w.perry_year.created_at = old
    session.flush()
    assert w.ids(created_to="2026-01-02T00:00:00Z") == [w.perry_year.id]
    assert w.perry_year.id not in w.ids(created_from="2026-01-01T00:00:01+00:00")
    # Conflicts only: the changes sources disagree on.
    w.david_phone.alternatives = [{"value": "+17135550000", "confidence": 0.5, "status": "pending"}]
    session.flush()
    assert w.ids(conflicts_only="true") == [w.david_phone.id]
    # Status: other states are listed when asked for.
    w.home_price.status = ChangeStatus.rejected
    session.flush()
    assert w.ids(status="rejected") == [w.home_price.id]
    assert w.home_price.id not in w.ids()


def test_sort_orders(world: World, session: Session) -> None:
    w = world
    changes = [w.perry_phone, w.perry_year, w.david_phone, w.home_price, w.new_home]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for hours, (change, confidence) in enumerate(zip(changes, (0.5, 0.9, 0.7, 0.6, 0.8), strict=True)):
        change.created_at, change.confidence = start + timedelta(hours=hours), confidence
    session.flush()
    newest = [c.id for c in reversed(changes)]
    assert w.ids() == newest and w.ids(sort="newest") == newest
    assert w.ids(sort="age") == newest[::-1]
    assert w.ids(sort="confidence") == [
        w.perry_year.id,
        w.new_home.id,
        w.david_phone.id,
        w.home_price.id,
        w.perry_phone.id,
    ]
    # Each record's changes together (a new home with the builder listing it), in id order; builders first.
    perry = sorted([w.perry_phone.id, w.perry_year.id, w.new_home.id])
    assert w.ids(sort="record") == [*perry, w.david_phone.id, w.home_price.id]


def test_cursor_paging_returns_each_row_once_while_changes_arrive(world: World, session: Session) -> None:
    w = world
    seen: list[int] = []
    first = w.get(limit=2).json()
    seen += [row["change_id"] for row in first["changes"]]
    assert first["total"] == 5 and first["next_cursor"]
    # A new proposal arrives between pages: newest first, it sorts before the cursor and is not repeated.
    late = make_builder(session, name="Late Homes", phone="(713) 555-0300")
    propose_updates(
        session, w.job, "builder", late.id, finding("builder", phone="(713) 555-0399"), {}, settings=get_settings()
    )
    cursor = first["next_cursor"]
    while cursor:
        page = w.get(limit=2, cursor=cursor).json()
        seen += [row["change_id"] for row in page["changes"]]
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted({w.perry_phone.id, w.perry_year.id, w.david_phone.id, w.home_price.id, w.new_home.id})
    assert len(seen) == len(set(seen))
    assert w.get(cursor="not-a-cursor").status_code == 422
    other_order = w.get(limit=2, sort="age", cursor=first["next_cursor"])
    assert other_order.status_code == 422 and "sort=age" in other_order.text


def test_apply_by_ids_applies_once_and_audits_the_reviewer(world: World, client: TestClient, session: Session) -> None:
    w = world
    body = {"change_ids": [w.perry_phone.id, w.david_phone.id], "review_notes": "called both offices"}
    first = client.post(f"{API}/apply", json=body, headers=w.headers)
    assert first.status_code == 200, first.text
    result = first.json()
    assert (result["action"], result["matched"], result["applied"], result["skipped"]) == ("apply", 2, 2, 0)
    assert {o["outcome"] for o in result["outcomes"]} == {"applied"}
    session.expire_all()
    assert session.get(BuilderProfile, w.perry.id).phone == "+17135550199"  # type: ignore[union-attr]
    audit = session.scalar(select(AuditEvent).where(AuditEvent.change_id == w.perry_phone.id))
    assert audit is not None and audit.actor == w.admin.user_id and audit.notes == "called both offices"
    # The same click again: nothing applies twice.
    again = client.post(f"{API}/apply", json=body, headers=w.headers).json()
    assert (again["applied"], again["skipped"]) == (0, 2)
    assert {o["reason"] for o in again["outcomes"]} == {"already applied"}


def test_apply_by_filter_rejects_the_alternatives_and_creates_new_records(
    world: World, client: TestClient, session: Session
) -> None:
    w = world
    w.perry_phone.alternatives = [{"value": "+17135550000", "confidence": 0.4, "status": "pending"}]
    session.flush()
    result = client.post(f"{API}/apply", json={"filter": {"q": "perry"}}, headers=w.headers).json()
    assert (result["matched"], result["applied"], result["created_entities"]) == (3, 2, 1)
    session.expire_all()
    phone = session.get(CollectionChange, w.perry_phone.id)
    assert phone is not None and phone.status == ChangeStatus.applied and phone.reviewed_by == w.admin.user_id
    assert [a["status"] for a in phone.alternatives or []] == ["rejected"]
    assert session.scalar(select(Property).where(Property.title == "The Pecan - Model Home")) is not None
    assert session.get(CollectionChange, w.david_phone.id).status == ChangeStatus.pending  # type: ignore[union-attr]


def test_reject_by_filter(world: World, client: TestClient, session: Session) -> None:
    w = world
    response = client.post(
        f"{API}/reject", json={"filter": {"field": "phone"}, "review_notes": "sales office numbers"}, headers=w.headers
    )
    result = response.json()
    assert (result["action"], result["matched"], result["rejected"]) == ("reject", 2, 2), response.text
    session.expire_all()
    for change_id in (w.perry_phone.id, w.david_phone.id):
        change = session.get(CollectionChange, change_id)
        assert change is not None and change.status == ChangeStatus.rejected
        assert change.review_notes == "sales office numbers" and change.reviewed_by == w.admin.user_id
    assert session.get(CollectionChange, w.perry_year.id).status == ChangeStatus.pending  # type: ignore[union-attr]


def test_dry_run_counts_equal_a_real_run_and_change_nothing(world: World, client: TestClient, session: Session) -> None:
    w = world
    # One field locked as verified, one value changed since detection (stale), one already applied.
    session.add(FieldLock(entity_type="builder", entity_id=w.david.id, field_name="phone", locked_by="USR-1"))
    w.perry.founded_year = 1970
    w.home_price.status = ChangeStatus.applied
    session.flush()
    ids = [w.perry_phone.id, w.perry_year.id, w.david_phone.id, w.home_price.id]
    dry = client.post(f"{API}/apply", json={"change_ids": ids, "dry_run": True}, headers=w.headers).json()
    assert dry["dry_run"] is True
    assert (dry["applied"], dry["conflicts"], dry["skipped_locked"], dry["skipped"]) == (1, 1, 1, 1)
    session.expire_all()
    assert session.get(BuilderProfile, w.perry.id).phone == "(713) 555-0100"  # type: ignore[union-attr]
    assert session.get(CollectionChange, w.perry_year.id).status == ChangeStatus.pending  # type: ignore[union-attr]
    assert session.scalar(select(AuditEvent).where(AuditEvent.change_id.in_(ids))) is None
    real = client.post(f"{API}/apply", json={"change_ids": ids}, headers=w.headers).json()
    assert {k: v for k, v in real.items() if k != "dry_run"} == {k: v for k, v in dry.items() if k != "dry_run"}
    session.expire_all()
    assert session.get(CollectionChange, w.perry_year.id).status == ChangeStatus.conflict  # type: ignore[union-attr]
    assert session.get(CollectionChange, w.david_phone.id).status == ChangeStatus.pending  # type: ignore[union-attr]
    assert session.get(BuilderProfile, w.david.id).phone == "(713) 555-0200"  # type: ignore[union-attr]
    # Reject's dry run too.
    dry_reject = client.post(
        f"{API}/reject", json={"filter": {"status": "pending"}, "dry_run": True}, headers=w.headers
    ).json()
    real_reject = client.post(f"{API}/reject", json={"filter": {"status": "pending"}}, headers=w.headers).json()
    assert dry_reject["rejected"] == real_reject["rejected"] == 2  # the locked phone and the new home


def test_unknown_ids_answer_404_and_decide_nothing(world: World, client: TestClient, session: Session) -> None:
    w = world
    missing = w.new_home.id + 1000
    response = client.post(f"{API}/reject", json={"change_ids": [w.perry_phone.id, missing]}, headers=w.headers)
    assert response.status_code == 404 and str(missing) in response.json()["detail"]
    session.expire_all()
    assert session.get(CollectionChange, w.perry_phone.id).status == ChangeStatus.pending  # type: ignore[union-attr]


def test_a_filter_matching_too_many_is_refused(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch, session: Session
) -> None:
    monkeypatch.setattr(inbox, "MAX_DECISION_CHANGES", 2)
    response = client.post(f"{API}/apply", json={"filter": {"entity_type": "builder"}}, headers=world.headers)
    assert response.status_code == 409 and "narrow the filter" in response.json()["detail"]
    session.expire_all()
    assert session.get(CollectionChange, world.perry_phone.id).status == ChangeStatus.pending  # type: ignore[union-attr]
    fits = client.post(f"{API}/apply", json={"filter": {"field": "phone"}, "dry_run": True}, headers=world.headers)
    assert fits.status_code == 200 and fits.json()["matched"] == 2


def test_summary_counts_the_pending_changes(world: World, client: TestClient, session: Session) -> None:
    w = world
    w.perry_year.created_at = datetime.now(UTC) - timedelta(days=2)
    session.flush()
    body = client.get(f"{API}/summary", headers=w.headers).json()
    assert body["pending"] == 5
    assert body["by_entity_type"] == {"builder": 3, "property": 2}
    assert body["by_field"] == {"(new record)": 1, "founded_year": 1, "phone": 2, "price": 1}
    assert body["by_job"] == [{"job_id": w.job.job_id, "pending": 4}, {"job_id": w.other_job.job_id, "pending": 1}]
    assert body["oldest_pending_age_seconds"] >= 2 * 86400 - 60


def test_non_admins_are_refused(world: World, client: TestClient, session: Session) -> None:
    headers = auth_headers(make_user(session))
    assert client.get(API, headers=headers).status_code == 403
    assert client.get(f"{API}/summary", headers=headers).status_code == 403
    body = {"change_ids": [world.perry_phone.id]}
    assert client.post(f"{API}/apply", json=body, headers=headers).status_code == 403
    assert client.post(f"{API}/reject", json=body, headers=headers).status_code == 403
    assert client.get(API).status_code == 401


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"min_confidence": 0.9, "max_confidence": 0.2}, "min_confidence"),
        ({"min_confidence": 2}, "min_confidence"),
        ({"created_from": "2026-01-01T00:00:00"}, "created_from"),  # no time zone
        ({"created_from": "2026-02-01T00:00:00Z", "created_to": "2026-01-01T00:00:00Z"}, "created_from"),
        ({"status": "done"}, "status"),
        ({"entity_type": "planet"}, "entity_type"),
        ({"sort": "price"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"source_domain": "perry homes.com"}, "source_domain"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(world: World, params: dict[str, Any], named: str) -> None:
    response = world.get(**params)
    assert response.status_code == 422 and named in response.text


def test_a_decision_takes_ids_or_a_filter(world: World, client: TestClient) -> None:
    both = {"change_ids": [world.perry_phone.id], "filter": {"field": "phone"}}
    for body in (both, {}, {"dry_run": True}, {"change_ids": []}, {"filter": {"max_confidence": -1}}):
        response = client.post(f"{API}/apply", json=body, headers=world.headers)
        assert response.status_code == 422, body
    assert "change_ids" in client.post(f"{API}/reject", json=both, headers=world.headers).text


def test_the_inbox_works_on_the_quickstarts_sqlite(sqlite_db: None) -> None:
    with session_scope() as session:
        builder = make_builder(session, name="Perry Homes", phone="(713) 555-0100", founded_year=None)
        other = make_builder(session, name="Other Homes", phone="(713) 555-0200")
        job = make_job(session)
        found = finding("builder", phone="(713) 555-0199", founded_year="1968")
        changes = propose_updates(session, job, "builder", builder.id, found, {}, settings=get_settings()).changes
        newer = finding("builder", phone="(713) 555-0299")
        [stale] = propose_updates(session, job, "builder", other.id, newer, {}, settings=get_settings()).changes
        other.phone = "(713) 555-0222"
        changes[0].alternatives = [{"value": "+17135550000", "confidence": 0.4, "status": "pending"}]
        session.flush()
        page = inbox.list_changes(session, inbox.InboxQuery(q="perry", sort="record"), limit=1)
        assert page["total"] == 2 and page["changes"][0]["record"]["name"] == "Perry Homes"
        rest = inbox.list_changes(session, inbox.InboxQuery(q="perry", sort="record"), cursor=page["next_cursor"])
        assert {page["changes"][0]["change_id"], rest["changes"][0]["change_id"]} == {c.id for c in changes}
        flagged = inbox.list_changes(session, inbox.ChangeFilter(conflicts_only=True))
        assert [row["change_id"] for row in flagged["changes"]] == [changes[0].id]
        everything = inbox.ChangeFilter(entity_type="builder")
        dry = inbox.decide(session, action="apply", flt=everything, dry_run=True, reviewer="USR-1")
        real = inbox.decide(session, action="apply", flt=everything, reviewer="USR-1")
        assert (dry["applied"], dry["conflicts"]) == (real["applied"], real["conflicts"]) == (2, 1)
        assert session.get(CollectionChange, stale.id).status == ChangeStatus.conflict  # type: ignore[union-attr]
        assert inbox.summary(session)["pending"] == 0
