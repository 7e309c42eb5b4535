"""Source bookkeeping shared by every worker: committed on its own, whatever becomes of the job that fetched."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.collectors.base import BaseCollector
from app.core.config import Settings, get_settings
from app.core.db import SessionFactory, get_engine, session_scope, utcnow
from app.jobs import repository
from app.jobs.models import JobStatus, JobType
from app.jobs.service import create_job
from app.research.fetch import Fetcher, FetchResult
from app.research.findings import ResearchRequest, ResearchResult
from app.research.models import FetchedPage
from app.research.web import WebResearcher
from app.sources.bookkeeping import record_access, reserve_request_slot, source_for_url
from app.sources.models import CollectionSource
from tests.factories import make_admin, make_builder
from tests.research.conftest import Route, ScriptedSite

START = 1_800_000_000.0  # a fixed clock: every wait is then its slot's distance from START


@pytest.fixture
def lock_timeout() -> Iterator[None]:
    """A row lock that is not released turns into an error instead of a test that never ends."""

    def set_timeout(connection: Any) -> None:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '5s'")

    engine = get_engine()
    event.listen(engine, "begin", set_timeout)
    try:
        yield
    finally:
        event.remove(engine, "begin", set_timeout)


def _source(domain: str = "127.0.0.1") -> CollectionSource:
    with session_scope() as session:
        source = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
    assert source is not None
    return source


def test_a_back_off_met_by_a_job_that_then_fails_is_kept(
    committed_db: None, lock_timeout: None, site: ScriptedSite, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.routes["/ok"] = Route(200, "<p>ok</p>")
    site.routes["/busy"] = Route(429, "slow down", {"Retry-After": "120"})
    results: list[FetchResult] = []

    def research_then_crash(collector: BaseCollector, _request: ResearchRequest) -> ResearchResult:
        with Fetcher(collector.session, settings) as fetcher:
            results.extend([fetcher.fetch(f"{site.base_url}/ok"), fetcher.fetch(f"{site.base_url}/busy")])
        raise RuntimeError("the extractor crashed")

    monkeypatch.setattr(BaseCollector, "research", research_then_crash)
    before = utcnow()
    with session_scope() as session:  # the job runs (eagerly) as this commits
        builder = make_builder(session, website=f"{site.base_url}/ok")
        job = create_job(
            session,
            make_admin(session),
            entity_type="builder",
            entity_id=builder.id,
            job_type=JobType.update,
            settings=get_settings(),
        )
        job_id = job.job_id

    assert [r.outcome for r in results] == ["fetched", "rate_limited"]
    with session_scope() as session:
        failed = repository.get_job(session, job_id)
        assert failed is not None and failed.status == JobStatus.failed
        assert "the extractor crashed" in (failed.error_message or "")
        # The job's own writes rolled back ...
        assert session.scalar(select(func.count()).select_from(FetchedPage)) == 0
    # ... its source bookkeeping did not: the next job still backs off, and both requests are counted.
    source = _source()
    assert source.blocked_until is not None and source.blocked_until > before + timedelta(seconds=110)
    assert "HTTP 429" in (source.blocked_reason or "")
    assert source.access_count_today == 2
    with SessionFactory() as session, Fetcher(session, settings) as fetcher:
        later = fetcher.fetch(f"{site.base_url}/ok")
    assert later.outcome == "rate_limited" and "blocked until" in (later.detail or "")
    assert site.paths().count("/ok") == 1


def test_another_worker_fetches_from_a_source_a_running_job_uses(
    committed_db: None, lock_timeout: None, site: ScriptedSite, settings: Settings
) -> None:
    site.routes["/a"] = Route(200, "<p>a</p>")
    site.routes["/b"] = Route(200, "<p>b</p>")
    with SessionFactory() as job_a, SessionFactory() as job_b:
        with Fetcher(job_a, settings) as first:
            assert first.fetch(f"{site.base_url}/a").outcome == "fetched"
        # Job A links a change to the source, as proposals do: the foreign key holds a key-share lock on the
        # source row until A ends. A's transaction stays open while job B fetches from the same source.
        job_a.execute(select(CollectionSource.id).with_for_update(read=True, key_share=True))
        with Fetcher(job_b, settings) as second:
            assert second.fetch(f"{site.base_url}/b").outcome == "fetched"
        job_b.commit()
        job_a.rollback()
    assert _source().access_count_today == 2


def test_two_workers_on_one_host_get_request_slots_spaced_by_the_delay(committed_db: None, site: ScriptedSite) -> None:
    for path in ("/a", "/b", "/c"):
        site.routes[path] = Route(200, f"<p>{path}</p>")
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=2.0)
    waits: dict[str, list[float]] = {"one": [], "two": []}
    with SessionFactory() as session_one, SessionFactory() as session_two:
        one = Fetcher(session_one, settings, clock=lambda: START, sleep=waits["one"].append)
        two = Fetcher(session_two, settings, clock=lambda: START, sleep=waits["two"].append)
        with one, two:
            one.fetch(f"{site.base_url}/a")  # robots.txt at START, /a at +2
            two.fetch(f"{site.base_url}/b")  # its own robots.txt at +4, /b at +6
            one.fetch(f"{site.base_url}/c")  # +8
    assert waits == {"one": [2.0, 8.0], "two": [4.0, 6.0]}
    assert _source().next_request_at == datetime.fromtimestamp(START + 10, UTC)


def test_concurrent_reservations_never_share_a_slot(committed_db: None) -> None:
    session = SessionFactory()  # a job's session: on PostgreSQL each reservation commits on its own
    source_id = source_for_url(session, "https://www.perryhomes.com/").id
    now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    workers = 8
    barrier = threading.Barrier(workers)
    slots: list[datetime] = []
    errors: list[BaseException] = []

    def reserve() -> None:
        try:
            barrier.wait()
            slots.append(reserve_request_slot(session, source_id, 1.5, now))
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=reserve) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(slots) == [now + timedelta(seconds=1.5 * k) for k in range(workers)]


def test_a_request_that_waited_its_turn_is_not_sent_once_the_source_pushed_back(
    session: Session, site: ScriptedSite
) -> None:
    site.routes["/a"] = Route(200, "<p>a</p>")
    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=2.0)

    def another_worker_meets_a_429(_seconds: float) -> None:
        source_id = source_for_url(session, site.base_url).id
        record_access(session, source_id, 429, now=datetime.fromtimestamp(START, UTC))

    with Fetcher(session, settings, clock=lambda: START, sleep=another_worker_meets_a_429) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/a")
    assert result.outcome == "rate_limited"
    assert "blocked until" in (result.detail or "") and "HTTP 429" in (result.detail or "")
    assert site.paths() == ["/robots.txt"]


def test_a_robots_crawl_delay_longer_than_ours_spaces_the_requests(session: Session, site: ScriptedSite) -> None:
    site.routes["/robots.txt"] = Route(200, "User-agent: *\nCrawl-delay: 5\n", {"Content-Type": "text/plain"})
    site.routes["/a"] = Route(200, "<p>a</p>")
    site.routes["/b"] = Route(200, "<p>b</p>")
    now = [START]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=1.0)
    with Fetcher(session, settings, clock=lambda: now[0], sleep=sleep) as fetcher:
        fetcher.fetch(f"{site.base_url}/a")  # robots.txt (our 1s delay: its crawl-delay is not known yet), then /a
        fetcher.fetch(f"{site.base_url}/b")
    assert waits == [1.0, 5.0]


def test_two_jobs_reading_the_same_new_page_neither_wait_for_nor_fail_each_other(
    committed_db: None, lock_timeout: None, site: ScriptedSite, settings: Settings
) -> None:
    site.routes["/acme/"] = Route(
        200,
        """<script type="application/ld+json">{"@type": "HomeAndConstructionBusiness",
        "name": "Acme Homes", "telephone": "(713) 555-0142"}</script><p>Acme Homes</p>""",
    )
    ask = ResearchRequest(
        job_id="JOB-1-abcdef", entity_type="builder", job_type="update", target_url=f"{site.base_url}/acme/"
    )
    with SessionFactory() as job_a, SessionFactory() as job_b:
        first = WebResearcher(settings).research(job_a, ask)
        # Job A goes on (its transaction open) while job B reads the same page: B neither waits for A's
        # whole run (the lock timeout would end it) nor fails on the page's unique URL.
        second = WebResearcher(settings).research(job_b, ask)
        job_b.commit()
        job_a.commit()
    assert [p.outcome for p in first.pages] == ["fetched"]
    assert [p.outcome for p in second.pages] == ["not_modified"]  # A's reading was already kept
    assert len(first.findings) == len(second.findings) == 1
    with session_scope() as session:
        [page] = session.scalars(select(FetchedPage)).all()
    assert page.url == f"{site.base_url}/acme/" and page.finding_count == 1 and page.content_hash
