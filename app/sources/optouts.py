"""Opt-outs: sites and records that asked not to be collected. Every researcher and discovery checks here.

A job reads them once (``OptOuts.load``) and hands the policy down to its collector, researcher and fetcher;
``is_opted_out`` is the single check of a request that is not part of a job (creating one, confirming a match).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from app.sources.bookkeeping import registered_domain
from app.sources.models import CollectionOptOut


def _domains_of(url: str) -> set[str]:
    """The URL's registered domain, its host and every parent of the host: an opt-out covers subdomains."""
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    parents = {".".join(labels[i:]) for i in range(len(labels) - 1)} if not host.replace(".", "").isdigit() else set()
    return ({registered_domain(url), host} | parents) - {""}


def is_opted_out(
    session: Session, *, url: str | None = None, entity_type: str | None = None, entity_id: int | None = None
) -> bool:
    """True when the URL's domain (registered domain, host or a parent of it) or the record has opted out."""
    conditions: list[ColumnElement[bool]] = []
    if url:
        domains = _domains_of(url)
        if domains:
            conditions.append(CollectionOptOut.domain.in_(sorted(domains)))
    if entity_type and entity_id is not None:
        conditions.append(and_(CollectionOptOut.entity_type == entity_type, CollectionOptOut.entity_id == entity_id))
    if not conditions:
        return False
    return session.scalar(select(CollectionOptOut.id).where(or_(*conditions)).limit(1)) is not None


@dataclass(frozen=True)
class OptOuts:
    """Every opt-out, read in one query when a job starts: the sites (registered domains or exact hosts) and
    the records. One that arrives while the job runs applies from the next job on."""

    domains: frozenset[str] = frozenset()
    records: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def load(cls, session: Session) -> OptOuts:
        rows = session.execute(
            select(CollectionOptOut.domain, CollectionOptOut.entity_type, CollectionOptOut.entity_id)
        )
        domains: set[str] = set()
        records: set[tuple[str, int]] = set()
        for domain, entity_type, entity_id in rows:
            if domain:
                domains.add(domain.lower())
            if entity_type and entity_id is not None:
                records.add((entity_type, entity_id))
        return cls(frozenset(domains), frozenset(records))

    def covers_url(self, url: str | None) -> bool:
        """True when the URL's domain (registered domain, host or a parent of it) opted out; a bare domain, as a
        website field may hold it, counts too."""
        if not self.domains or not url:
            return False
        if "://" not in url:
            url = f"http://{url}"
        return bool(_domains_of(url) & self.domains)

    def covers_record(self, entity_type: str, entity_id: int | None) -> bool:
        return entity_id is not None and (entity_type, entity_id) in self.records

    def covers(self, *, url: str | None = None, entity_type: str | None = None, entity_id: int | None = None) -> bool:
        """True when the URL's site or the record opted out (what ``is_opted_out`` asks the database)."""
        return self.covers_url(url) or (entity_type is not None and self.covers_record(entity_type, entity_id))

    def record_ids(self, entity_type: str) -> set[int]:
        """The ids of every record of ``entity_type`` that opted out."""
        return {entity_id for kind, entity_id in self.records if kind == entity_type}
