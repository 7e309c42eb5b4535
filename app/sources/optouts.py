"""Opt-outs: sites and records that asked not to be collected. Every researcher and discovery checks here."""

from __future__ import annotations

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


def opted_out_domains(session: Session) -> set[str]:
    """Every domain that opted out (registered domains or exact hosts), for checks of many URLs at once."""
    rows = session.scalars(select(CollectionOptOut.domain).where(CollectionOptOut.domain.is_not(None)))
    return {domain.lower() for domain in rows if domain}


def opted_out_ids(session: Session, entity_type: str) -> set[int]:
    """The ids of every record of ``entity_type`` that opted out, for checks of many records at once."""
    rows = session.scalars(select(CollectionOptOut.entity_id).where(CollectionOptOut.entity_type == entity_type))
    return {entity_id for entity_id in rows if entity_id is not None}


def url_on_domains(url: str, domains: set[str]) -> bool:
    """True when the URL's domain (as ``is_opted_out`` matches it) is one of ``domains`` (see ``opted_out_domains``)."""
    if not domains or not url:
        return False
    if "://" not in url:
        url = f"http://{url}"  # a bare domain, as a website field may hold it
    return bool(_domains_of(url) & domains)
