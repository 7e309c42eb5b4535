"""Queries of the sources domain: sources and opt-outs as the admin API lists them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from app.core.entities import RECORD_MODELS
from app.sources.models import CollectionOptOut, CollectionSource

T = TypeVar("T")


def page_of(session: Session, stmt: Select[T], page: int, per_page: int) -> tuple[Sequence[T], int]:
    """One page of ``stmt``'s rows and the count of all of them."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)).all()
    return rows, total


def list_sources(
    session: Session, *, page: int, per_page: int, source_type: str | None = None, is_active: bool | None = None
) -> tuple[Sequence[CollectionSource], int]:
    stmt = select(CollectionSource).order_by(CollectionSource.domain)
    if source_type is not None:
        stmt = stmt.where(CollectionSource.source_type == source_type)
    if is_active is not None:
        stmt = stmt.where(CollectionSource.is_active.is_(is_active))
    return page_of(session, stmt, page, per_page)


def get_source(session: Session, source_id: str) -> CollectionSource | None:
    return session.scalar(select(CollectionSource).where(CollectionSource.source_id == source_id))


def list_opt_outs(
    session: Session, *, page: int, per_page: int, domain: str | None = None, entity_type: str | None = None
) -> tuple[Sequence[CollectionOptOut], int]:
    stmt = select(CollectionOptOut).order_by(CollectionOptOut.id.desc())
    if domain is not None:
        stmt = stmt.where(CollectionOptOut.domain == domain.lower())
    if entity_type is not None:
        stmt = stmt.where(CollectionOptOut.entity_type == entity_type)
    return page_of(session, stmt, page, per_page)


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
