"""What a site may ask of us is bounded: Crawl-delay, Retry-After and the wait for a turn never hold a worker long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.fetch import Fetcher
from app.sources.bookkeeping import reserve_request_slot, source_for_url
from app.sources.models import CollectionSource
from tests.research.conftest import Route, ScriptedSite

START = 1_800_000_000.0


class FakeTime:
    """An injected clock and sleep: sleeping moves the clock, and every wait is recorded."""

    def __init__(self) -> None:
        self.now = START
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.mark.parametrize("crawl_delay", ["86400", "1e20"])
def test_a_huge_robots_crawl_delay_is_cut_to_the_longest_wait(
    session: Session, site: ScriptedSite, crawl_delay: str
) -> None:
    site.routes["/robots.txt"] = Route(
        200, f"User-agent: *\nCrawl-delay: {crawl_delay}\n", {"Content-Type": "text/plain"}
    )
    site.routes["/a"] = Route(200, "<p>a</p>")
    site.routes["/b"] = Route(200, "<p>b</p>")
    fake = FakeTime()
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=1.0, fetch_max_wait_seconds=60)
    with Fetcher(session, settings, clock=fake.clock, sleep=fake.sleep) as fetcher:
        first = fetcher.fetch(f"{site.base_url}/a")
        second = fetcher.fetch(f"{site.base_url}/b")
    assert (first.outcome, second.outcome) == ("fetched", "fetched")
    assert fake.waits == [1.0, 60.0]


def test_a_turn_further_off_than_the_longest_wait_is_reported_not_waited_for(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/a"] = Route(200, "<p>a</p>")
    fake = FakeTime()
    # Other workers booked this host's next ten minutes.
    source_id = source_for_url(session, site.base_url).id
    reserve_request_slot(session, source_id, 600, datetime.fromtimestamp(START, UTC))
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=0, fetch_max_wait_seconds=60)
    with Fetcher(session, settings, clock=fake.clock, sleep=fake.sleep) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/a")
    assert result.outcome == "rate_limited" and "not waited for" in (result.detail or "")
    assert fake.waits == []
    assert site.paths() == []


@pytest.mark.parametrize(
    ("retry_after", "rest"),
    [
        ("nan", timedelta(hours=1)),  # not a number: the default rest after a 429
        ("inf", timedelta(hours=1)),
        ("1e13", timedelta(days=1)),  # past the longest back-off: cut to it
        ("Fri, 01 Jan 9999 00:00:00 GMT", timedelta(days=1)),
    ],
)
def test_an_unusable_or_huge_retry_after_is_bounded(
    session: Session, site: ScriptedSite, retry_after: str, rest: timedelta
) -> None:
    site.routes["/busy"] = Route(429, "slow down", {"Retry-After": retry_after})
    fake = FakeTime()
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=0, fetch_max_backoff_seconds=86_400)
    with Fetcher(session, settings, clock=fake.clock, sleep=fake.sleep) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/busy")
    source = session.scalar(select(CollectionSource).where(CollectionSource.domain == "127.0.0.1"))
    assert result.outcome == "rate_limited" and result.status_code == 429
    assert source is not None and source.blocked_until == datetime.fromtimestamp(START, UTC) + rest
