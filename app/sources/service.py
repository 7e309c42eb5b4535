"""Sources as researchers use them: found by registered domain, counted, and backed off when they push back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def source_for_url(session: Session, url: str) -> CollectionSource:
    """The source of a URL, by registered domain; created (official website, its type's prior score) on first sight."""
    domain = registered_domain(url)
    found = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
    if found is not None:
        return found
    parts = urlsplit(url)
    source_type = SourceType.official_website
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
        # Another job created it meanwhile.
        existing = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
        if existing is None:
            raise
        return existing
    return source


def _roll_day(source: CollectionSource, today: date) -> None:
    if source.access_count_date != today:
        source.access_count_date = today
        source.access_count_today = 0


def source_refusal(session: Session, source: CollectionSource, now: datetime | None = None) -> str | None:
    """Why this source may not be fetched now (inactive, blocked, daily limit), or None when it may."""
    now = now or _now()
    if not source.is_active:
        return f"source {source.domain} is inactive"
    if source.blocked_until is not None and _aware(source.blocked_until) > now:
        reason = f" ({source.blocked_reason})" if source.blocked_reason else ""
        return f"source {source.domain} is blocked until {_aware(source.blocked_until).isoformat()}{reason}"
    _roll_day(source, now.date())
    if source.access_count_today >= source.rate_limit_per_day:
        return f"daily limit of {source.rate_limit_per_day} requests to {source.domain} reached"
    return None


def record_access(
    session: Session,
    source: CollectionSource,
    status_code: int | None,
    retry_after_seconds: float | None = None,
    now: datetime | None = None,
) -> None:
    """Count one request to the source; a 429 or 403 blocks it until Retry-After (or a default rest)."""
    now = now or _now()
    _roll_day(source, now.date())
    source.access_count_today += 1
    source.last_accessed = now
    if status_code in DEFAULT_BACKOFF:
        rest = timedelta(seconds=retry_after_seconds) if retry_after_seconds else DEFAULT_BACKOFF[status_code]
        source.blocked_until = now + rest
        source.blocked_reason = f"HTTP {status_code} from {source.domain}; backing off"
    session.flush()
