"""Opt-outs: sites and records that asked not to be collected. Every researcher and discovery checks here."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from app.sources.models import CollectionOptOut
from app.sources.service import registered_domain


def is_opted_out(
    session: Session, *, url: str | None = None, entity_type: str | None = None, entity_id: int | None = None
) -> bool:
    """True when the URL's domain (registered domain or exact host) or the record has opted out."""
    conditions: list[ColumnElement[bool]] = []
    if url:
        host = (urlsplit(url).hostname or "").lower()
        domains = {registered_domain(url), host} - {""}
        if domains:
            conditions.append(CollectionOptOut.domain.in_(sorted(domains)))
    if entity_type and entity_id is not None:
        conditions.append(and_(CollectionOptOut.entity_type == entity_type, CollectionOptOut.entity_id == entity_id))
    if not conditions:
        return False
    return session.scalar(select(CollectionOptOut.id).where(or_(*conditions)).limit(1)) is not None
