"""Confirming a match to a record that opted out links it but proposes no changes to it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.changes import match_review
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from app.matching import service
from app.sources.models import CollectionOptOut
from tests.factories import make_community
from tests.matching.conftest import make_finding


def test_confirming_a_match_to_an_opted_out_record_proposes_nothing(session: Session, job: CollectionJob) -> None:
    aliana = make_community(session, name="Aliana", city="Richmond", state="TX", homes=4000)
    finding = make_finding("community", name="Alianna", homes=4500)
    match = service.resolve_discovered(session, job, "community", finding, get_settings()).match
    assert match is not None
    session.add(CollectionOptOut(entity_type="community", entity_id=aliana.id, reason="HOA board request"))
    session.flush()

    outcome = match_review.confirm_match(session, match.id, "USR-1", settings=get_settings())

    assert outcome.match.match_status == "confirmed"
    assert outcome.change_ids == []  # without the opt-out, confirming proposes the homes change
