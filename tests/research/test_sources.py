"""Sources by registered domain, their refusals and back-off, and opt-outs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.sources.bookkeeping import (
    SourceRef,
    record_access,
    registered_domain,
    reserve_request_slot,
    source_for_url,
    source_refusal,
)
from app.sources.models import CollectionOptOut, CollectionSource
from app.sources.optouts import is_opted_out
from app.sources.reliability import prior, record_review


def test_registered_domain_groups_subdomains_and_keeps_ips() -> None:
    assert registered_domain("https://www.perryhomes.com/homes/") == "perryhomes.com"
    assert registered_domain("https://shop.example.co.uk/x") == "example.co.uk"
    assert registered_domain("http://127.0.0.1:8765/perry-homes/") == "127.0.0.1"


def _row(session: Session, source_id: int) -> CollectionSource:
    source = session.get(CollectionSource, source_id)
    assert source is not None
    session.refresh(source)  # written by the bookkeeping's own transaction
    return source


def test_source_for_url_gets_or_creates_one_source_per_domain(session: Session) -> None:
    first = source_for_url(session, "https://www.perryhomes.com/")
    again = source_for_url(session, "https://perryhomes.com/homes/?page=2")
    assert first == again == SourceRef(first.id, "perryhomes.com")
    source = _row(session, first.id)
    assert (source.domain, source.source_type, source.source_url) == (
        "perryhomes.com",
        "official_website",
        "https://www.perryhomes.com/",
    )


def test_a_new_source_starts_at_the_prior_mean_of_its_type(session: Session) -> None:
    source = _row(session, source_for_url(session, "https://www.newbuilder.com/").id)
    alpha, beta = prior("official_website")
    assert source.reliability_score == alpha / (alpha + beta) == 0.9
    # A first review moves on from that prior, not from a flat 0.5.
    record_review(session, source.id, approved=False)
    assert source.reliability_score == 9 / 11


def test_refusals_name_their_reason(session: Session) -> None:
    ref = source_for_url(session, "https://www.tollbrothers.com/")
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    assert source_refusal(session, ref.id, now) is None
    source = _row(session, ref.id)
    source.is_active = False
    session.flush()
    assert source_refusal(session, ref.id, now) == "source tollbrothers.com is inactive"
    source.is_active = True
    session.flush()
    record_access(session, ref.id, 403, now=now)
    refusal = source_refusal(session, ref.id, now + timedelta(hours=1)) or ""
    assert "blocked until" in refusal and "HTTP 403" in refusal
    assert source_refusal(session, ref.id, now + timedelta(hours=25)) is None


def test_daily_count_rolls_over_at_midnight(session: Session) -> None:
    ref = source_for_url(session, "https://highlandhomes.com/")
    source = _row(session, ref.id)
    source.rate_limit_per_day = 1
    session.flush()
    day = datetime(2026, 11, 2, 23, 0, tzinfo=UTC)
    record_access(session, ref.id, 200, now=day)
    assert source_refusal(session, ref.id, day) == "daily limit of 1 requests to highlandhomes.com reached"
    assert source_refusal(session, ref.id, day + timedelta(hours=2)) is None
    record_access(session, ref.id, 200, now=day + timedelta(hours=2))
    assert _row(session, ref.id).access_count_today == 1


def test_request_slots_of_a_source_are_spaced_by_the_delay(session: Session) -> None:
    ref = source_for_url(session, "https://www.perryhomes.com/")
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    slots = [reserve_request_slot(session, ref.id, 2.0, now) for _ in range(3)]
    assert slots == [now, now + timedelta(seconds=2), now + timedelta(seconds=4)]
    # A longer delay (a robots.txt crawl-delay) pushes the next slot further; a quiet source starts at once.
    assert reserve_request_slot(session, ref.id, 10.0, now) == now + timedelta(seconds=6)
    assert reserve_request_slot(session, ref.id, 1.0, now) == now + timedelta(seconds=16)
    later = now + timedelta(minutes=5)
    assert reserve_request_slot(session, ref.id, 1.0, later) == later


def test_opt_outs_by_domain_and_by_entity(session: Session) -> None:
    session.add_all(
        [
            CollectionOptOut(domain="perryhomes.com", reason="request"),
            CollectionOptOut(entity_type="community", entity_id=42, reason="request"),
        ]
    )
    session.flush()
    assert is_opted_out(session, url="https://www.perryhomes.com/homes/")
    assert not is_opted_out(session, url="https://www.tollbrothers.com/")
    assert is_opted_out(session, entity_type="community", entity_id=42)
    assert not is_opted_out(session, entity_type="community", entity_id=43)
    assert not is_opted_out(session)
