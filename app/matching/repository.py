"""Queries of the matching domain: candidate retrieval by blocking keys, and entity_matches listing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from app.builders.models import BuilderProfile
from app.communities.models import Community
from app.matching.models import EntityMatch
from app.matching.scorer import MatchRecord, prepare
from app.properties.models import Property

ENTITY_MODELS: dict[str, Any] = {"builder": BuilderProfile, "community": Community, "property": Property}
# The API speaks in plural paths (/builders/merge); the tables' entity_type columns in singular.
PLURAL_TO_ENTITY = {"builders": "builder", "communities": "community", "properties": "property"}
CANDIDATE_LIMIT = 2000

_COLUMNS: dict[str, tuple[str, ...]] = {
    "builder": ("id", "name", "website", "phone", "address", "city", "state", "postal_code"),
    "community": (
        "id", "name", "community_website_url", "hoa_contact_phone", "address", "city", "state", "postal_code",
        "latitude", "longitude",
    ),
    "property": ("id", "title", "address1", "address2", "city", "state", "postal_code", "latitude", "longitude"),
}  # fmt: skip


def _like_any(column: Any, patterns: list[str]) -> list[ColumnElement[bool]]:
    return [func.lower(column).like(p) for p in patterns]


def _name_patterns(query: MatchRecord) -> list[str]:
    # Word prefixes, so "Bridgland" still finds "Bridgeland"; the most distinctive (longest) words first.
    words = sorted({w for w in query.name_norm.core.split() if len(w) >= 3}, key=len, reverse=True)[:3]
    return [f"%{w[:4]}%" for w in words]


def candidate_query(entity_type: str, query: MatchRecord) -> Select[Any]:
    """Existing, unarchived records sharing a blocking key with the query."""
    model = ENTITY_MODELS[entity_type]
    columns = [getattr(model, c) for c in _COLUMNS[entity_type]]
    keys: list[ColumnElement[bool]] = []
    if entity_type == "property":
        address = query.address
        if address is not None and address.number:
            starts = func.lower(model.address1).like(f"{address.number} %")
            if query.postal_code:
                keys.append(starts & (model.postal_code.like(f"{query.postal_code}%")))
            elif query.city:
                keys.append(starts & (func.lower(model.city) == query.city))
            else:
                keys.append(starts)
    else:
        name_column = model.name
        keys.extend(_like_any(name_column, _name_patterns(query)))
        website_column = model.website if entity_type == "builder" else model.community_website_url
        phone_column = model.phone if entity_type == "builder" else model.hoa_contact_phone
        if query.website:
            keys.append(func.lower(website_column).like(f"%{query.website.split('/')[0]}%"))
        if query.phone and len(query.phone) >= 4:
            keys.append(phone_column.like(f"%{query.phone[-4:]}"))
        if entity_type == "community" and query.city:
            keys.append(func.lower(model.city) == query.city)
    if not keys:
        return select(*columns).where(false())
    return select(*columns).where(model.archived_at.is_(None), or_(*keys)).limit(CANDIDATE_LIMIT)


def load_candidates(session: Session, entity_type: str, query: MatchRecord) -> list[MatchRecord]:
    """Candidates from the database, prepared for scoring."""
    names = _COLUMNS[entity_type]
    rows = session.execute(candidate_query(entity_type, query)).all()
    return [prepare(entity_type, dict(zip(names, row, strict=True))) for row in rows]


def load_all(session: Session, entity_type: str) -> list[MatchRecord]:
    """Every unarchived record of a type, prepared for scoring (the CSV tool's --against-db)."""
    model = ENTITY_MODELS[entity_type]
    names = _COLUMNS[entity_type]
    columns = [getattr(model, c) for c in names]
    rows = session.execute(select(*columns).where(model.archived_at.is_(None)).order_by(model.id)).all()
    return [prepare(entity_type, dict(zip(names, row, strict=True))) for row in rows]


def list_matches(
    session: Session,
    *,
    status: str | None,
    entity_type: str | None,
    job_id: str | None,
    page: int,
    per_page: int,
) -> tuple[list[EntityMatch], int]:
    """A page of entity matches, newest first, and the total under the filters."""
    filters = []
    if status:
        filters.append(EntityMatch.match_status == status)
    if entity_type:
        filters.append(EntityMatch.discovered_entity_type == entity_type)
    if job_id:
        filters.append(EntityMatch.job_id == job_id)
    total = session.scalar(select(func.count()).select_from(EntityMatch).where(*filters)) or 0
    rows = session.scalars(
        select(EntityMatch)
        .where(*filters)
        .order_by(EntityMatch.created_at.desc(), EntityMatch.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total
