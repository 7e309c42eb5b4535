"""Changes withdrawn with a wrong match are the matcher's mistakes, not admin rejections, in the stats."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes import match_review
from app.changes.models import CollectionChange
from app.changes.proposals import propose_updates
from app.core.config import get_settings
from app.jobs.models import CollectionJob
from app.matching import service
from app.ops.stats import collection_stats
from tests.factories import make_community
from tests.matching.conftest import make_finding


def test_withdrawn_changes_count_neither_as_detected_nor_as_reviewed(session: Session, job: CollectionJob) -> None:
    cinco = make_community(session, name="Cinco Ranch", city="Katy", state="TX", homes=8000)
    finding = make_finding("community", name="Cinco Ranch", city="Katy", state="TX", homes=8500, residents=30000)
    resolution = service.resolve_discovered(session, job, "community", finding, get_settings())
    assert resolution.outcome == "linked" and resolution.match is not None
    proposed = propose_updates(session, job, "community", cinco.id, finding, {}, settings=get_settings()).changes
    assert len(proposed) == 2

    outcome = match_review.reject_match(session, resolution.match.id, "USR-1", settings=get_settings())

    statuses = {row.id: row.status for row in session.execute(select(CollectionChange.id, CollectionChange.status))}
    assert [statuses[c.id] for c in proposed] == ["withdrawn", "withdrawn"]
    assert [statuses[i] for i in outcome.change_ids] == ["pending"]  # the new community it proposes instead
    stats = collection_stats(session, get_settings())
    assert (stats.accuracy.numerator, stats.accuracy.denominator) == (0, 1)
    assert (stats.approval_rate.numerator, stats.approval_rate.denominator) == (0, 0)
    assert stats.time_to_review.denominator == 0
