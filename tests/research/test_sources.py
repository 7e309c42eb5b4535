"""Sources by registered domain, their refusals and back-off, and opt-outs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.sources.models import CollectionOptOut
from app.sources.optouts import is_opted_out
from app.sources.reliability import prior, record_review
from app.sources.service import record_access, registered_domain, source_for_url, source_refusal


def test_registered_domain_groups_subdomains_and_keeps_ips() -> None:
    assert registered_domain("https://www.perryhomes.com/homes/") == "perryhomes.com"
    assert registered_domain("https://shop.example.co.uk/x") == "example.co.uk"
    assert registered_domain("http://127.0.0.1:8765/perry-homes/") == "127.0.0.1"


def test_source_for_url_gets_or_creates_one_source_per_domain(session: Session) -> None:
    first = source_for_url(session, "https://www.perryhomes.com/")
    again = source_for_url(session, "https://perryhomes.com/homes/?page=2")
    assert first.id == again.id
    assert (first.domain, first.source_type, first.source_url) == (
        "perryhomes.com",
        "official_website",
        "https://www.perryhomes.com/",
    )


def test_a_new_source_starts_at_the_prior_mean_of_its_type(session: Session) -> None:
    source = source_for_url(session, "https://www.newbuilder.com/")
    alpha, beta = prior("official_website")
    assert source.reliability_score == alpha / (alpha + beta) == 0.9
    # A first review moves on from that prior, not from a flat 0.5.
    record_review(session, source.id, approved=False)
    assert source.reliability_score == 9 / 11


def test_refusals_name_their_reason(session: Session) -> None:
    source = source_for_url(session, "https://www.tollbrothers.com/")
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    assert source_refusal(session, source, now) is None
    source.is_active = False
    assert source_refusal(session, source, now) == "source tollbrothers.com is inactive"
    source.is_active = True
    record_access(session, source, 403, now=now)
    refusal = source_refusal(session, source, now + timedelta(hours=1)) or ""
    assert "blocked until" in refusal and "HTTP 403" in refusal
    assert source_refusal(session, source, now + timedelta(hours=25)) is None


def test_daily_count_rolls_over_at_midnight(session: Session) -> None:
    source = source_for_url(session, "https://highlandhomes.com/")
    source.rate_limit_per_day = 1
    day = datetime(2026, 11, 2, 23, 0, tzinfo=UTC)
    record_access(session, source, 200, now=day)
    assert source_refusal(session, source, day) == "daily limit of 1 requests to highlandhomes.com reached"
    assert source_refusal(session, source, day + timedelta(hours=2)) is None
    assert source.access_count_today == 0


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
