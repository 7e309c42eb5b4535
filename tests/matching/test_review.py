"""Match review: overriding a rejection withdraws its new-entity proposal; reviews lock the match row."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.changes import match_review
from app.changes.models import CollectionChange
from app.changes.proposals import propose_new_entity
from app.core.audit import AuditEvent
from app.core.config import get_settings
from app.core.db import SessionFactory, session_scope
from app.core.errors import Conflict
from app.jobs.models import CollectionJob
from app.matching import service
from app.matching.models import EntityMatch
from tests.factories import make_community
from tests.matching.conftest import make_finding, make_job


def _rejected_match(session: Session, job: CollectionJob) -> tuple[EntityMatch, CollectionChange]:
    make_community(session, name="Aliana", city="Richmond", state="TX")
    finding = make_finding("community", name="Alianna", homes=4500)
    match = service.resolve_discovered(session, job, "community", finding, get_settings()).match
    assert match is not None and match.match_status == "pending"
    outcome = match_review.reject_match(session, match.id, "USR-1", settings=get_settings())
    new = session.get(CollectionChange, outcome.change_ids[0])
    assert new is not None and new.is_new_entity and new.status == "pending"
    return match, new


def test_overriding_a_rejection_withdraws_the_new_entity_it_proposed(session: Session, job: CollectionJob) -> None:
    match, new = _rejected_match(session, job)
    target = make_community(session, name="Aliana Lakes", city="Richmond", state="TX")

    outcome = match_review.override_match(session, match.id, target.id, "USR-2", settings=get_settings())

    assert outcome.match.match_status == "confirmed" and outcome.match.matched_entity_id == target.id
    session.refresh(new)
    assert new.status == "withdrawn"
    assert new.reviewed_by == "USR-2"
    assert new.review_notes is not None and f"entity match {match.id}" in new.review_notes
    audit = session.scalars(select(AuditEvent).where(AuditEvent.change_id == new.id)).one()
    assert audit.action == "change.withdraw" and audit.after == {"status": "withdrawn", "entity_match_id": match.id}


def test_overriding_a_rejection_withdraws_the_proposal_that_superseded_its_own(
    session: Session, job: CollectionJob
) -> None:
    match, first = _rejected_match(session, job)
    # Another discovery found the same new community again: its proposal replaced the first one.
    later = propose_new_entity(
        session, make_job(session), make_finding("community", name="Alianna"), {},
        parent_entity_type=None, parent_entity_id=None,
        settings=get_settings(),
    ).changes[0]  # fmt: skip
    session.refresh(first)
    assert first.status == "superseded" and first.superseded_by == later.id

    match_review.override_match(session, match.id, int(match.matched_entity_id or 0), "USR-2", settings=get_settings())

    session.refresh(later)
    assert later.status == "withdrawn"


def _waiting_on_a_lock(session: Session) -> bool:
    query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    return bool(session.execute(text(query)).scalar())


def test_two_admins_reviewing_one_match_at_once_one_gets_a_conflict(committed_db: None) -> None:
    with session_scope() as setup:
        match = EntityMatch(
            discovered_entity_type="community", discovered_name="Alianna", match_status="pending", match_confidence=0.8
        )
        setup.add(match)
        setup.flush()
        match_id = match.id

    first = SessionFactory()
    errors: list[BaseException] = []

    def second_admin() -> None:
        try:
            with session_scope() as session:
                match_review.confirm_match(session, match_id, "USR-B", settings=get_settings())
        except BaseException as exc:  # reported below
            errors.append(exc)

    try:
        match_review.confirm_match(
            first, match_id, "USR-A", settings=get_settings()
        )  # holds the match row until it commits
        thread = threading.Thread(target=second_admin)
        thread.start()
        with session_scope() as watcher:
            # The second review must be waiting on the first one's lock before the first commits.
            for _ in range(500):
                if _waiting_on_a_lock(watcher) or not thread.is_alive():
                    break
                time.sleep(0.02)
                watcher.rollback()
        first.commit()
        thread.join(timeout=30)
    finally:
        first.close()

    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    assert "confirmed" in str(errors[0])
    with session_scope() as session:
        final = session.get(EntityMatch, match_id)
        assert final is not None and (final.match_status, final.matched_by) == ("confirmed", "USR-A")
