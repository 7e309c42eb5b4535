"""Sources as researchers use them: found by registered domain, counted, spaced, and backed off when they push back.

Every function here is its own short unit of work (``independent_scope``), committed at once and
independent of the job that calls it: a back-off or a count must survive the job failing, and no job may
hold a source row locked while it runs (other jobs on the same host would wait for it). They return plain
values, never rows of their session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.db import aware, independent_scope, utcnow
from app.sources.models import CollectionSource, SourceType
from app.sources.reliability import prior

# How long a source rests after pushing back without saying how long.
DEFAULT_BACKOFF = {429: timedelta(hours=1), 403: timedelta(hours=24)}


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The bundled public suffix list only: never a network fetch.
    return tldextract.TLDExtract(suffix_list_urls=())


def registered_domain(url: str) -> str:
    """The registered domain of a URL (``www.perryhomes.com`` -> ``perryhomes.com``); the host for IPs/localhost."""
    host = (urlsplit(url).hostname or "").lower()
    parts = _extractor()(host)
    return parts.top_domain_under_public_suffix or host


@dataclass(frozen=True)
class SourceRef:
    """A source as a fetch needs it: its row id and registered domain."""

    id: int
    domain: str


def _locked(session: Session, source_id: int) -> CollectionSource:
    # FOR NO KEY UPDATE: it waits only for other bookkeeping of this source, never for a job whose changes
    # merely reference the source (those hold the weaker key-share lock until the job commits).
    source = session.scalar(
        select(CollectionSource).where(CollectionSource.id == source_id).with_for_update(key_share=True)
    )
    if source is None:
        raise LookupError(f"collection source {source_id} does not exist")
    return source


def known_source(caller: Session, url: str) -> SourceRef | None:
    """The source of a URL's registered domain if there is one; never creates it."""
    domain = registered_domain(url)
    with independent_scope(caller) as session:
        found = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
        return SourceRef(found.id, found.domain) if found is not None else None


def record_collections(caller: Session, outcomes: dict[int, bool], now: datetime | None = None) -> None:
    """Count one collection per source a job read from: successful when a page came back, failed otherwise."""
    now = now or utcnow()
    with independent_scope(caller) as session:
        for source_id, succeeded in sorted(outcomes.items()):
            source = session.scalar(
                select(CollectionSource).where(CollectionSource.id == source_id).with_for_update(key_share=True)
            )
            if source is None:
                continue
            source.total_collections += 1
            if succeeded:
                source.successful_collections += 1
                source.last_collected_at = now
            else:
                source.failed_collections += 1


def source_for_url(caller: Session, url: str, source_type: str = SourceType.official_website) -> SourceRef:
    """The source of a URL, by registered domain; created (of ``source_type``, its prior score) on first sight.

    ``source_type`` is what the caller knows of the page (the record's own website, a directory, a
    search result); an existing row keeps its type, which an admin may have set.
    """
    if source_type not in SourceType.ALL:
        source_type = SourceType.directory  # an unknown kind of page is not trusted like the record's own site
    domain = registered_domain(url)
    with independent_scope(caller) as session:
        found = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
        if found is not None:
            return SourceRef(found.id, found.domain)
        parts = urlsplit(url)
        alpha, beta = prior(source_type)
        source = CollectionSource(
            source_name=domain,
            source_url=f"{parts.scheme}://{parts.netloc}/",
            domain=domain,
            source_type=source_type,
            # Before any review the score is the prior mean of the type, not a flat 0.5.
            reliability_score=alpha / (alpha + beta),
        )
        try:
            with session.begin_nested():
                session.add(source)
        except IntegrityError:
            # Another job created it meanwhile (and committed: this is its own short transaction too).
            existing = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
            if existing is None:
                raise
            return SourceRef(existing.id, existing.domain)
        return SourceRef(source.id, source.domain)


def source_refusal(caller: Session, source_id: int, now: datetime | None = None) -> str | None:
    """Why this source may not be fetched now (inactive, blocked, daily limit), or None when it may."""
    now = now or utcnow()
    with independent_scope(caller) as session:
        source = session.get(CollectionSource, source_id)
        if source is None:
            return f"collection source {source_id} does not exist"
        if not source.is_active:
            return f"source {source.domain} is inactive"
        if source.blocked_until is not None and aware(source.blocked_until) > now:
            reason = f" ({source.blocked_reason})" if source.blocked_reason else ""
            return f"source {source.domain} is blocked until {aware(source.blocked_until).isoformat()}{reason}"
        # Yesterday's count does not count today; the next recorded access rolls the row over.
        count = source.access_count_today if source.access_count_date == now.date() else 0
        if count >= source.rate_limit_per_day:
            return f"daily limit of {source.rate_limit_per_day} requests to {source.domain} reached"
    return None


def record_access(
    caller: Session,
    source_id: int,
    status_code: int | None,
    retry_after_seconds: float | None = None,
    now: datetime | None = None,
) -> None:
    """Count one request to the source; a 429 or 403 blocks it until Retry-After (or a default rest)."""
    now = now or utcnow()
    with independent_scope(caller) as session:
        source = _locked(session, source_id)
        if source.access_count_date != now.date():
            source.access_count_date = now.date()
            source.access_count_today = 0
        source.access_count_today += 1
        source.last_accessed = now
        if status_code in DEFAULT_BACKOFF:
            rest = timedelta(seconds=retry_after_seconds) if retry_after_seconds else DEFAULT_BACKOFF[status_code]
            source.blocked_until = now + rest
            source.blocked_reason = f"HTTP {status_code} from {source.domain}; backing off"


def reserve_request_slot(
    caller: Session, source_id: int, delay_seconds: float, now: datetime | None = None
) -> datetime:
    """The moment this worker's next request to the source may go; the one after it waits ``delay_seconds`` more.

    The slot is taken under the row lock, so workers in any process get slots spaced by the delay.
    """
    now = now or utcnow()
    with independent_scope(caller) as session:
        source = _locked(session, source_id)
        booked = source.next_request_at
        slot = now if booked is None or aware(booked) < now else aware(booked)
        source.next_request_at = slot + timedelta(seconds=max(delay_seconds, 0.0))
    return slot
