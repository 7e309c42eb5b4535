"""Queries of the sources domain: sources and opt-outs as the admin API lists them."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.core.entities import RECORD_MODELS
from app.core.pagination import PageRequest, PageResult, SortKey, paginate
from app.sources.models import CollectionOptOut, CollectionSource

# Sources by domain (unique); opt-outs newest first.
SOURCE_ORDER = SortKey((CollectionSource.domain,))
OPT_OUT_ORDER = SortKey((CollectionOptOut.id,), descending=True)


def list_sources(
    session: Session, paging: PageRequest, *, source_type: str | None = None, is_active: bool | None = None
) -> PageResult[CollectionSource]:
    stmt = select(CollectionSource)
    if source_type is not None:
        stmt = stmt.where(CollectionSource.source_type == source_type)
    if is_active is not None:
        stmt = stmt.where(CollectionSource.is_active.is_(is_active))
    return paginate(session, stmt, SOURCE_ORDER, paging)


def get_source(session: Session, source_id: str) -> CollectionSource | None:
    return session.scalar(select(CollectionSource).where(CollectionSource.source_id == source_id))


def list_opt_outs(
    session: Session, paging: PageRequest, *, domain: str | None = None, entity_type: str | None = None
) -> PageResult[CollectionOptOut]:
    stmt = select(CollectionOptOut)
    if domain is not None:
        stmt = stmt.where(CollectionOptOut.domain == domain.lower())
    if entity_type is not None:
        stmt = stmt.where(CollectionOptOut.entity_type == entity_type)
    return paginate(session, stmt, OPT_OUT_ORDER, paging)


def find_opt_out(
    session: Session, *, domain: str | None, entity_type: str | None, entity_id: int | None
) -> CollectionOptOut | None:
    """An existing opt-out with exactly this target."""
    condition = (
        CollectionOptOut.domain == domain
        if domain is not None
        else and_(
            CollectionOptOut.domain.is_(None),
            CollectionOptOut.entity_type == entity_type,
            CollectionOptOut.entity_id == entity_id,
        )
    )
    if domain is not None:
        condition = and_(
            condition,
            CollectionOptOut.entity_type.is_(None)
            if entity_type is None
            else CollectionOptOut.entity_type == entity_type,
            CollectionOptOut.entity_id.is_(None) if entity_id is None else CollectionOptOut.entity_id == entity_id,
        )
    return session.scalar(select(CollectionOptOut).where(condition).limit(1))


def entity_exists(session: Session, entity_type: str, entity_id: int) -> bool:
    model = RECORD_MODELS[entity_type]
    return session.scalar(select(model.id).where(model.id == entity_id)) is not None
