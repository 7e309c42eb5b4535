"""A polite fetcher: guard, opt-outs, source limits, robots.txt, per-host delay, conditional GET, content hash.

Source bookkeeping (refusals, counts, back-off, the per-host request slot) is committed at once in its own
short transactions (app.sources.bookkeeping), so it holds across workers and survives the job failing.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import InitVar, asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from protego import Protego
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import independent_scope, utcnow
from app.research.guard import FetchRefused, Resolver, check_url, guarded_get, resolve_host
from app.research.models import FetchedPage
from app.research.text import PageText, addressed_to_machines, needs_javascript, read_page
from app.sources.bookkeeping import (
    SourceRef,
    known_source,
    record_access,
    record_collections,
    registered_domain,
    reserve_request_slot,
    source_for_url,
    source_refusal,
)
from app.sources.optouts import OptOuts

Outcome = Literal[
    "fetched", "not_modified", "robots_disallowed", "refused", "opted_out", "needs_javascript", "error", "rate_limited"
]


@dataclass(frozen=True)
class CacheEntry:
    """What the FetchedPage row keeps of a fetch; ``Fetcher.keep`` writes it together with the page's findings."""

    url: str  # as asked for: the next fetch of that URL finds it
    status_code: int | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    needs_javascript: bool
    fetched_at: datetime


@dataclass
class Page:
    """A fetched page; ``unchanged`` when the server said 304 or the body hashes as last time.

    Nothing is stored until the caller keeps the page with its findings (``Fetcher.keep``): a job that fails
    in between leaves no row saying the page was read.
    """

    url: str
    status_code: int
    html: str
    text: str
    content_hash: str | None
    unchanged: bool
    needs_javascript: bool
    content_type: str
    cache: CacheEntry
    previous_findings: list[dict[str, Any]] | None = None
    previous_finding_count: int = 0
    # Text of elements a visitor never sees (never evidence), and the hidden blocks that speak to machines.
    hidden_text: str = ""
    to_machines: list[str] = field(default_factory=list)


@dataclass
class FetchResult:
    url: str
    outcome: Outcome
    status_code: int | None = None
    detail: str | None = None
    page: Page | None = None


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _retry_after_seconds(value: str | None, now: datetime, longest: float) -> float | None:
    """Seconds the Retry-After header asks for, at most ``longest``; None when absent or not a usable number."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - now).total_seconds()
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), longest)


class _RedirectRefused(Exception):
    """A redirect led where we may not go (opted out, disallowed by robots.txt)."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome: Outcome = outcome
        self.detail = detail


class SourceRefused(Exception):
    """The source was blocked (another worker met a 429, the daily limit ran out) while this request waited."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Fetcher:
    """One per job: robots.txt is cached per host for the job's duration; request spacing is shared by all jobs.

    ``clock`` gives the time in seconds since the epoch: request slots are moments every worker agrees on.
    """

    session: Session
    settings: Settings
    client: httpx.Client = field(default_factory=lambda: httpx.Client())
    resolver: Resolver = resolve_host
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    # What kind of source a URL is (the record's own website, a directory…): a new source row gets that type.
    source_type_of: Callable[[str], str] | None = None
    # The job's opt-outs (``policy``); a fetcher made outside a job reads them when it is made.
    opt_outs: InitVar[OptOuts | None] = None
    policy: OptOuts = field(init=False)
    _robots: dict[str, Protego | None] = field(default_factory=dict)
    _sources: dict[str, SourceRef] = field(default_factory=dict)
    # Per source this job requested pages from: did any come back? (its collection counts)
    collections: dict[int, bool] = field(default_factory=dict)
    requests_made: int = 0

    def __post_init__(self, opt_outs: OptOuts | None) -> None:
        self.policy = opt_outs if opt_outs is not None else OptOuts.load(self.session)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness

    def _source(self, url: str) -> SourceRef:
        domain = registered_domain(url)
        if domain not in self._sources:
            if self.source_type_of is None:
                self._sources[domain] = source_for_url(self.session, url)
            else:
                self._sources[domain] = source_for_url(self.session, url, self.source_type_of(url))
        return self._sources[domain]

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _wait_turn(self, url: str) -> None:
        """Reserve this source's next request slot (shared by every worker) and sleep until it comes.

        SourceRefused when the turn is further off than fetch_max_wait_seconds: the worker is not held for it.
        """
        longest = self.settings.fetch_max_wait_seconds
        delay = self.settings.per_host_delay_seconds
        robots = self._robots.get(urlsplit(url).netloc.lower())
        if robots is not None:
            asked = float(robots.crawl_delay(self.settings.user_agent) or 0)
            if math.isfinite(asked):
                delay = max(delay, min(asked, longest))
        source = self._source(url)
        slot = reserve_request_slot(self.session, source.id, delay, self._now())
        remaining = (slot - self._now()).total_seconds()
        if remaining > longest:
            raise SourceRefused(f"next request to {source.domain} not before {slot.isoformat()}; not waited for")
        if remaining > 0:
            self.sleep(remaining)
            # Other workers went first; one of them may have been told to back off meanwhile.
            refusal = source_refusal(self.session, source.id, self._now())
            if refusal is not None:
                raise SourceRefused(refusal)

    def _get(
        self, url: str, headers: dict[str, str] | None = None, on_redirect: Callable[[str], None] | None = None
    ) -> Any:
        self._wait_turn(url)
        self.requests_made += 1
        merged = {"User-Agent": self.settings.user_agent, **(headers or {})}
        return guarded_get(
            self.client, url, self.settings, headers=merged, resolver=self.resolver, on_redirect=on_redirect
        )

    def _tally(self, source: SourceRef, succeeded: bool) -> None:
        self.collections[source.id] = self.collections.get(source.id, False) or succeeded

    def record_collections(self) -> None:
        """Count this job once per source it requested pages from (successful if any page came back)."""
        if self.collections:
            record_collections(self.session, self.collections, self._now())
            self.collections = {}

    def _check_redirect(self, origin: str, url: str) -> None:
        """Every hop of a redirect is held to the guard, the opt-outs and robots.txt, as the page first asked for was.

        A site reached only by a redirect is no source of its own: its requests count against the linking source.
        """
        try:
            check_url(url, self.settings, self.resolver)
        except FetchRefused as exc:
            raise FetchRefused(url, f"redirected to {url}: {exc.reason}") from exc
        domain = registered_domain(url)
        if domain not in self._sources:
            self._sources[domain] = known_source(self.session, url) or self._source(origin)
        if self.policy.covers_url(url):
            raise _RedirectRefused("opted_out", f"redirected to {url}, whose site opted out of collection")
        if not self.robots_allows(url):
            raise _RedirectRefused(
                "robots_disallowed", f"redirected to {url}: robots.txt disallows it for our user agent"
            )

    def robots_allows(self, url: str) -> bool:
        """robots.txt of the URL's host, fetched once per job; missing (4xx) allows all, unreachable allows none."""
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                response = self._get(robots_url)
                if response.status_code >= 500:
                    self._robots[host] = Protego.parse("User-agent: *\nDisallow: /")
                elif response.status_code >= 400:
                    self._robots[host] = None
                else:
                    self._robots[host] = Protego.parse(response.text)
            except (httpx.HTTPError, FetchRefused):
                self._robots[host] = Protego.parse("User-agent: *\nDisallow: /")
        robots = self._robots[host]
        return robots is None or bool(robots.can_fetch(url, self.settings.user_agent))

    # -- fetching

    def fetch(
        self,
        url: str,
        *,
        force_refresh: bool = False,
        entity_type: str | None = None,
        entity_id: int | None = None,
    ) -> FetchResult:
        """Fetch one page politely; the outcome says what happened (never raises for a web failure)."""
        if self.policy.covers(url=url, entity_type=entity_type, entity_id=entity_id):
            return FetchResult(url, "opted_out", detail="the site or record opted out of collection")
        try:
            check_url(url, self.settings, self.resolver)
        except FetchRefused as exc:
            return FetchResult(url, "refused", detail=exc.reason)
        source = self._source(url)
        refusal = source_refusal(self.session, source.id, self._now())
        if refusal is not None:
            return FetchResult(url, "rate_limited", detail=refusal)
        try:
            if not self.robots_allows(url):
                return FetchResult(url, "robots_disallowed", detail=f"robots.txt disallows {url} for our user agent")
        except SourceRefused as exc:
            return FetchResult(url, "rate_limited", detail=exc.reason)

        record = self.session.scalar(
            select(FetchedPage).where(FetchedPage.url == url).execution_options(populate_existing=True)
        )
        headers: dict[str, str] = {}
        use_cache = record is not None and record.findings is not None and not force_refresh
        if use_cache and record is not None:
            if record.etag:
                headers["If-None-Match"] = record.etag
            if record.last_modified:
                headers["If-Modified-Since"] = record.last_modified
        try:
            response = self._get(url, headers, on_redirect=lambda target: self._check_redirect(url, target))
        except _RedirectRefused as exc:
            return FetchResult(url, exc.outcome, detail=exc.detail)
        except FetchRefused as exc:
            self._tally(source, False)
            return FetchResult(url, "refused", detail=exc.reason)
        except SourceRefused as exc:
            return FetchResult(url, "rate_limited", detail=exc.reason)
        except httpx.HTTPError as exc:
            record_access(self.session, source.id, None, now=self._now())
            self._tally(source, False)
            return FetchResult(url, "error", detail=f"{type(exc).__name__}: {exc}")
        status = response.status_code
        self._tally(source, status < 400)
        retry_after = _retry_after_seconds(
            response.headers.get("retry-after"), self._now(), self.settings.fetch_max_backoff_seconds
        )
        record_access(self.session, source.id, status, retry_after, self._now())
        if status in (429, 403):
            return FetchResult(url, "rate_limited", status, detail=f"HTTP {status}; {source.domain} backs off")
        if status >= 400:
            return FetchResult(url, "error", status, detail=f"HTTP {status}")

        previous = record.findings if record is not None else None
        previous_count = (record.finding_count or 0) if record is not None else 0
        now = self._now()
        if status == 304 and record is not None and record.content_hash is not None:
            cache = CacheEntry(
                url,
                record.status_code,
                record.etag,
                record.last_modified,
                record.content_hash,
                record.needs_javascript,
                now,
            )
            page = Page(
                url=response.url,
                status_code=304,
                html="",
                text="",
                content_hash=record.content_hash,
                unchanged=True,
                needs_javascript=record.needs_javascript,
                content_type="",
                cache=cache,
                previous_findings=previous,
                previous_finding_count=previous_count,
            )
            return FetchResult(url, "not_modified", 304, page=page)

        digest = content_hash(response.body)
        unchanged = use_cache and record is not None and record.content_hash == digest
        html = response.text
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        is_html = "html" in content_type or (not content_type and html.lstrip().startswith("<"))
        read = read_page(html) if is_html else PageText(html)
        text = read.visible
        js = is_html and needs_javascript(html, text)
        cache = CacheEntry(
            url, status, response.headers.get("etag"), response.headers.get("last-modified"), digest, js, now
        )
        page = Page(
            url=response.url,
            status_code=status,
            html=html,
            text=text,
            content_hash=digest,
            unchanged=unchanged,
            needs_javascript=js,
            content_type=content_type,
            cache=cache,
            previous_findings=previous,
            previous_finding_count=previous_count,
            hidden_text=read.hidden,
            to_machines=addressed_to_machines(read),
        )
        return FetchResult(url, "not_modified" if unchanged else "fetched", status, page=page)

    def keep(self, page: Page, findings: list[dict[str, Any]], finding_count: int) -> None:
        """Store what the page was read as (validators, hash, findings), so it is reused while unchanged.

        An upsert in its own short unit of work: two jobs reading the same new page neither wait for each
        other's whole run nor fail on the unique URL; the later write wins.
        """
        values: dict[str, Any] = {**asdict(page.cache), "findings": findings, "finding_count": finding_count}
        with independent_scope(self.session) as session:
            insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            statement = insert(FetchedPage).values(**values)
            updates = {name: value for name, value in values.items() if name != "url"}
            session.execute(
                statement.on_conflict_do_update(index_elements=["url"], set_={**updates, "updated_at": utcnow()})
            )
