"""Rules of the sources and opt-outs admin API: reading sources as admins see them, edits, opt-outs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.audit import record_audit
from app.core.crud import to_json
from app.core.db import aware, utcnow
from app.core.errors import Conflict, NotFound
from app.sources import repository
from app.sources.bookkeeping import registered_domain
from app.sources.models import CollectionOptOut, CollectionSource
from app.sources.reliability import prior, reliability
from app.sources.schemas import OptOutCreate, SourceCreate, SourceRead, SourceUpdate


def source_read(source: CollectionSource, now: datetime | None = None) -> SourceRead:
    """The source as admins see it: today's count is zero once the day rolled over, blocks that ended are off."""
    now = now or utcnow()
    blocked_until = aware(source.blocked_until)
    fields = {name: getattr(source, name) for name in SourceRead.model_fields if hasattr(source, name)}
    fields["access_count_today"] = source.access_count_today if source.access_count_date == now.date() else 0
    fields["is_blocked"] = blocked_until is not None and blocked_until > now
    return SourceRead(**fields)


def get_source_or_404(session: Session, source_id: str) -> CollectionSource:
    source = repository.get_source(session, source_id)
    if source is None:
        raise NotFound(f"collection source {source_id} not found")
    return source


def create_source(session: Session, body: SourceCreate, admin: User) -> CollectionSource:
    """A source an admin adds is approved: discovery visits it. 409 when its domain is already a source."""
    domain = registered_domain(body.source_url)
    existing = session.scalar(select(CollectionSource).where(CollectionSource.domain == domain))
    if existing is not None:
        raise Conflict(
            f"{domain} is already source {existing.source_id}; approve it with PATCH /sources/{existing.source_id}"
        )
    alpha, beta = prior(body.source_type)
    source = CollectionSource(
        source_name=body.source_name or domain,
        source_url=body.source_url,
        domain=domain,
        source_type=body.source_type,
        entity_types=body.entity_types,
        reliability_score=alpha / (alpha + beta),
        approved=True,
    )
    session.add(source)
    session.flush()
    record_audit(
        session,
        actor=admin.user_id,
        action="source.create",
        target_type="collection_source",
        target_id=source.id,
        after=body.model_dump(mode="json"),
    )
    return source


def update_source(session: Session, source_id: str, body: SourceUpdate, admin: User) -> CollectionSource:
    """Change the fields sent; ``blocked_until: null`` lifts a back-off. Audited."""
    source = get_source_or_404(session, source_id)
    changes = body.model_dump(exclude_unset=True)
    if "blocked_until" in changes and changes["blocked_until"] is None:
        changes.setdefault("blocked_reason", None)
    before = {name: to_json(getattr(source, name)) for name in changes}
    for name, value in changes.items():
        setattr(source, name, value)
    if "source_type" in changes:
        # The score is a posterior over the type's prior: a new type moves it.
        source.reliability_score = reliability(source)
    session.flush()
    record_audit(
        session,
        actor=admin.user_id,
        action="source.edit",
        target_type="collection_source",
        target_id=source.id,
        before=before,
        after={name: to_json(getattr(source, name)) for name in changes},
    )
    return source


def create_opt_out(session: Session, body: OptOutCreate, admin: User) -> CollectionOptOut:
    """Record an opt-out by domain or by record; 404 for an unknown record, 409 if it already exists."""
    if (
        body.entity_type is not None
        and body.entity_id is not None
        and not repository.entity_exists(session, body.entity_type, body.entity_id)
    ):
        raise NotFound(f"{body.entity_type} {body.entity_id} not found")
    existing = repository.find_opt_out(
        session, domain=body.domain, entity_type=body.entity_type, entity_id=body.entity_id
    )
    if existing is not None:
        raise Conflict(f"this opt-out already exists (id {existing.id})")
    opt_out = CollectionOptOut(
        domain=body.domain,
        entity_type=body.entity_type,
        entity_id=body.entity_id,
        reason=body.reason,
        created_by=admin.user_id,
    )
    session.add(opt_out)
    session.flush()
    record_audit(
        session,
        actor=admin.user_id,
        action="opt_out.create",
        target_type=body.entity_type or "domain",
        target_id=body.entity_id,
        after=body.model_dump(mode="json"),
        notes=body.reason,
    )
    return opt_out


def delete_opt_out(session: Session, opt_out_id: int, admin: User) -> None:
    """Remove an opt-out: collection may resume. Audited."""
    opt_out = session.get(CollectionOptOut, opt_out_id)
    if opt_out is None:
        raise NotFound(f"opt-out {opt_out_id} not found")
    record_audit(
        session,
        actor=admin.user_id,
        action="opt_out.delete",
        target_type=opt_out.entity_type or "domain",
        target_id=opt_out.entity_id,
        before={
            "domain": opt_out.domain,
            "entity_type": opt_out.entity_type,
            "entity_id": opt_out.entity_id,
            "reason": opt_out.reason,
        },
    )
    session.delete(opt_out)
    session.flush()
