"""The polite fetcher: robots.txt, opt-outs, source limits and back-off, conditional GET, politeness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.research.fetch import Fetcher
from app.research.models import FetchedPage
from app.sources.models import CollectionOptOut, CollectionSource
from tests.research.conftest import Route, ScriptedSite


def test_robots_disallow_is_honoured_and_the_page_never_requested(
    session: Session, settings: Settings, sites: str
) -> None:
    with Fetcher(session, settings) as fetcher:
        result = fetcher.fetch(f"{sites}/private/")
        allowed = fetcher.fetch(f"{sites}/perry-homes/")
    assert result.outcome == "robots_disallowed"
    assert result.page is None
    assert allowed.outcome == "fetched"


def test_robots_is_read_under_our_user_agent_once_per_job(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/robots.txt"] = Route(
        200, "User-agent: ArtitecCollector\nDisallow: /no/\n", {"Content-Type": "text/plain"}
    )
    site.routes["/yes/"] = Route(200, "<p>hello</p>")
    site.routes["/no/"] = Route(200, "<p>secret</p>")
    with Fetcher(session, settings) as fetcher:
        assert fetcher.fetch(f"{site.base_url}/yes/").outcome == "fetched"
        assert fetcher.fetch(f"{site.base_url}/no/").outcome == "robots_disallowed"
    assert site.paths() == ["/robots.txt", "/yes/"]
    assert all(r.headers["User-Agent"] == settings.user_agent for r in site.requests)


def test_private_address_is_refused_without_the_allow_list(session: Session, sites: str) -> None:
    with Fetcher(session, Settings(per_host_delay_seconds=0)) as fetcher:
        result = fetcher.fetch(f"{sites}/perry-homes/")
    assert result.outcome == "refused"
    assert "loopback" in (result.detail or "")


def test_conditional_get_reports_an_unchanged_page_and_force_refresh_skips_it(
    session: Session, settings: Settings, sites: str
) -> None:
    url = f"{sites}/perry-homes/"
    with Fetcher(session, settings) as fetcher:
        first = fetcher.fetch(url)
        assert first.outcome == "fetched" and first.page is not None
        fetcher.keep(first.page, [], 0)  # what the researcher stores after extracting
        second = fetcher.fetch(url)
        forced = fetcher.fetch(url, force_refresh=True)
    record = session.scalar(select(FetchedPage).where(FetchedPage.url == url))
    assert record is not None and record.etag and record.content_hash == first.page.content_hash
    assert second.outcome == "not_modified" and second.status_code == 304
    assert second.page is not None and second.page.unchanged
    assert forced.outcome == "fetched" and forced.status_code == 200 and forced.page is not None
    assert not forced.page.unchanged


def test_same_content_hash_counts_as_unchanged_without_etag(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/p"] = Route(200, "<p>Same body</p>")
    with Fetcher(session, settings) as fetcher:
        first = fetcher.fetch(f"{site.base_url}/p")
        assert first.page is not None
        fetcher.keep(first.page, [], 0)
        second = fetcher.fetch(f"{site.base_url}/p")
        site.routes["/p"] = Route(200, "<p>New body</p>")
        third = fetcher.fetch(f"{site.base_url}/p")
    assert second.outcome == "not_modified" and second.status_code == 200
    assert third.outcome == "fetched"


def test_daily_limit_of_a_source_stops_fetching(session: Session, settings: Settings, site: ScriptedSite) -> None:
    site.routes["/a"] = Route(200, "<p>a</p>")
    site.routes["/b"] = Route(200, "<p>b</p>")
    site.routes["/c"] = Route(200, "<p>c</p>")
    with Fetcher(session, settings) as fetcher:
        fetcher.fetch(f"{site.base_url}/a")
        source = session.scalar(select(CollectionSource).where(CollectionSource.domain == "127.0.0.1"))
        assert source is not None and source.access_count_today == 1
        source.rate_limit_per_day = 2
        session.flush()
        assert fetcher.fetch(f"{site.base_url}/b").outcome == "fetched"
        limited = fetcher.fetch(f"{site.base_url}/c")
    assert limited.outcome == "rate_limited"
    assert "daily limit of 2 requests to 127.0.0.1 reached" in (limited.detail or "")
    assert "/c" not in site.paths()


def test_429_blocks_the_source_until_retry_after(session: Session, settings: Settings, site: ScriptedSite) -> None:
    site.routes["/busy"] = Route(429, "slow down", {"Retry-After": "120"})
    site.routes["/later"] = Route(200, "<p>ok</p>")
    before = datetime.now(UTC)
    with Fetcher(session, settings) as fetcher:
        busy = fetcher.fetch(f"{site.base_url}/busy")
        later = fetcher.fetch(f"{site.base_url}/later")
    source = session.scalar(select(CollectionSource).where(CollectionSource.domain == "127.0.0.1"))
    assert busy.outcome == "rate_limited" and busy.status_code == 429
    assert source is not None and source.blocked_until is not None
    assert before + timedelta(seconds=110) < source.blocked_until < before + timedelta(seconds=200)
    assert "HTTP 429" in (source.blocked_reason or "")
    assert later.outcome == "rate_limited" and "blocked until" in (later.detail or "")
    assert "/later" not in site.paths()


def test_opted_out_domain_is_not_fetched(session: Session, settings: Settings, site: ScriptedSite) -> None:
    session.add(CollectionOptOut(domain="127.0.0.1", reason="asked by e-mail"))
    session.flush()
    site.routes["/a"] = Route(200, "<p>a</p>")
    with Fetcher(session, settings) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/a")
    assert result.outcome == "opted_out"
    assert site.paths() == []


def test_per_host_delay_waits_between_requests(session: Session, site: ScriptedSite) -> None:
    site.routes["/a"] = Route(200, "<p>a</p>")
    site.routes["/b"] = Route(200, "<p>b</p>")
    now = [1_800_000_000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    settings = Settings(fetch_allowed_hosts=["127.0.0.1"], per_host_delay_seconds=2.0)
    with Fetcher(session, settings, clock=lambda: now[0], sleep=sleep) as fetcher:
        fetcher.fetch(f"{site.base_url}/a")  # robots.txt then /a: one wait between them
        now[0] += 0.5
        fetcher.fetch(f"{site.base_url}/b")
    assert waits == [2.0, 1.5]


def test_needs_javascript_is_flagged(session: Session, settings: Settings, sites: str) -> None:
    with Fetcher(session, settings) as fetcher:
        result = fetcher.fetch(f"{sites}/spa-builder/")
        plain = fetcher.fetch(f"{sites}/highland-homes/")
    assert result.page is not None and result.page.needs_javascript
    assert plain.page is not None and not plain.page.needs_javascript
    assert "Highland Homes" in plain.page.text and "<p>" not in plain.page.text


def test_a_redirect_to_a_path_robots_disallows_is_not_followed(
    session: Session, settings: Settings, site: ScriptedSite
) -> None:
    site.routes["/robots.txt"] = Route(200, "User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
    site.routes["/open"] = Route(302, "", {"Location": "/private/page"})
    site.routes["/private/page"] = Route(200, "<p>secret</p>")
    with Fetcher(session, settings) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/open")
    assert result.outcome == "robots_disallowed" and result.page is None
    assert "/private/page" in (result.detail or "")
    assert site.paths() == ["/robots.txt", "/open"]


def test_a_redirect_to_an_opted_out_site_is_not_followed(session: Session, site: ScriptedSite) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    session.add(CollectionOptOut(domain="localhost", reason="asked by e-mail"))
    session.flush()
    site.routes["/moved"] = Route(301, "", {"Location": f"http://localhost:{port}/page"})
    site.routes["/page"] = Route(200, "<p>theirs</p>")
    settings = Settings(fetch_allowed_hosts=["127.0.0.1", "localhost"], per_host_delay_seconds=0)
    with Fetcher(session, settings, resolver=lambda host, port: ["127.0.0.1"]) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/moved")
    assert result.outcome == "opted_out" and result.page is None
    assert site.paths() == ["/robots.txt", "/moved"]


def test_a_redirect_to_another_host_reads_that_hosts_robots(session: Session, site: ScriptedSite) -> None:
    port = site.base_url.rsplit(":", 1)[1]
    site.routes["/moved"] = Route(301, "", {"Location": f"http://localhost:{port}/page"})
    site.routes["/page"] = Route(200, "<p>theirs</p>")
    settings = Settings(fetch_allowed_hosts=["127.0.0.1", "localhost"], per_host_delay_seconds=0)
    with Fetcher(session, settings, resolver=lambda host, port: ["127.0.0.1"]) as fetcher:
        result = fetcher.fetch(f"{site.base_url}/moved")
    assert result.outcome == "fetched" and result.page is not None
    assert result.page.url == f"http://localhost:{port}/page"
    assert [(r.headers["Host"].split(":")[0], r.path) for r in site.requests] == [
        ("127.0.0.1", "/robots.txt"),
        ("127.0.0.1", "/moved"),
        ("localhost", "/robots.txt"),
        ("localhost", "/page"),
    ]
