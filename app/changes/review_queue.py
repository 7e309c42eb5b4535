"""The change review screens: what waits under a record, applying it, a field's history, a job's changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from app.changes.apply import ApplyResult, apply_changes
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.normalize import loads
from app.changes.schemas import ApplyChangesRequest
from app.core.entities import ENTITY_MODELS, NAME_FIELD, PATH_TYPES, RECORD_TYPES
from app.core.errors import NotFound

# A field asked for by its collected name that is kept as more than one column.
FIELD_ALIASES = {"hoa_fee": ("hoa_fee_amount", "hoa_fee_frequency")}
CHANGES_SUMMARY_LIMIT = 200


def resolve_record(session: Session, path_type: str, entity_id: int) -> tuple[str, Any]:
    """The entity type and record behind ``/{path_type}/{entity_id}``; NotFound when there is none."""
    entity_type = PATH_TYPES[path_type]
    record = session.get(ENTITY_MODELS[entity_type], entity_id)
    if record is None:
        raise NotFound(f"{entity_type} {entity_id} not found")
    return entity_type, record


def _under(entity_type: str, entity_id: int) -> Any:
    """Changes reviewed under a record: its own fields, its children, its new homes and links."""
    return or_(
        and_(CollectionChange.parent_entity_type == entity_type, CollectionChange.parent_entity_id == entity_id),
        and_(CollectionChange.entity_type == entity_type, CollectionChange.entity_id == entity_id),
    )


def pending_query(entity_type: str, entity_id: int) -> Select[CollectionChange]:
    """Pending changes under a record: served by the parent/status and entity indexes."""
    return (
        select(CollectionChange)
        .where(_under(entity_type, entity_id), CollectionChange.status == ChangeStatus.pending)
        .order_by(CollectionChange.id)
    )


def pending_changes(session: Session, path_type: str, entity_id: int) -> dict[str, Any]:
    """The plan's pending-changes view of one builder, community or home."""
    entity_type, record = resolve_record(session, path_type, entity_id)
    changes = session.scalars(pending_query(entity_type, entity_id)).all()
    fields: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    for change in changes:
        common = {
            "change_id": change.id,
            "entity_type": change.entity_type,
            "confidence": change.confidence,
            "confidence_components": change.confidence_components,
            "source": change.source_url,
            "evidence": change.evidence or [],
            "job_id": change.job_id,
            "created_at": change.created_at,
        }
        if change.is_new_entity:
            new.append({**common, "data": change.entity_data or {}})
        else:
            fields.append(
                {
                    **common,
                    "entity_id": change.entity_id,
                    "field": change.field_name,
                    "current": loads(change.old_value),
                    "proposed": loads(change.new_value),
                    "change_type": change.change_type,
                }
            )
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "entity_name": getattr(record, NAME_FIELD[entity_type], None),
        "pending_changes": fields,
        "pending_new_entities": new,
    }


def apply_for_record(
    session: Session, path_type: str, entity_id: int, request: ApplyChangesRequest, *, actor: str
) -> ApplyResult:
    """Apply the requested changes of one record (or all pending ones under it)."""
    entity_type, _record = resolve_record(session, path_type, entity_id)
    if request.apply_all:
        ids = list(
            session.scalars(
                select(CollectionChange.id).where(
                    _under(entity_type, entity_id),
                    CollectionChange.status.in_((ChangeStatus.pending, ChangeStatus.approved)),
                )
            )
        )
    else:
        requested = set(request.change_ids)
        ids = list(
            session.scalars(
                select(CollectionChange.id).where(CollectionChange.id.in_(requested), _under(entity_type, entity_id))
            )
        )
        missing = sorted(requested - set(ids))
        if missing:
            raise NotFound(f"changes {missing} not found under {entity_type} {entity_id}")
    return apply_changes(
        session,
        ids,
        actor=actor,
        review_notes=request.review_notes,
        create_new_entities=request.create_new_entities,
        min_confidence=request.min_confidence,
    )


def field_history(session: Session, path_type: str, entity_id: int, field_name: str | None) -> dict[str, Any]:
    """Applied changes of a record over time (rolled-back ones marked): price history, fee history."""
    entity_type, _record = resolve_record(session, path_type, entity_id)
    query = select(CollectionChange).where(
        CollectionChange.entity_type == entity_type,
        CollectionChange.entity_id == entity_id,
        CollectionChange.status.in_((ChangeStatus.applied, ChangeStatus.rolled_back)),
    )
    if field_name is not None:
        query = query.where(CollectionChange.field_name.in_(FIELD_ALIASES.get(field_name, (field_name,))))
    changes = session.scalars(query.order_by(CollectionChange.applied_at, CollectionChange.id)).all()
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "field": field_name,
        "history": [
            {
                "change_id": c.id,
                "field": c.field_name,
                "old_value": loads(c.old_value),
                "new_value": loads(c.new_value),
                "status": c.status,
                "applied_at": c.applied_at,
                "applied_by": c.applied_by,
                "rolled_back_at": c.rolled_back_at,
                "confidence": c.confidence,
                "source": c.source_url,
                "job_id": c.job_id,
            }
            for c in changes
        ],
    }


def change_summary(change: CollectionChange) -> dict[str, Any]:
    """One change as the plan's job status shows it: a field change, or a child / new record."""
    summary: dict[str, Any] = {"change_id": change.id}
    if change.field_name and not change.is_new_entity:
        summary.update(
            field=change.field_name,
            old=loads(change.old_value),
            new=loads(change.new_value),
        )
        if change.entity_type not in RECORD_TYPES:
            summary["entity_type"] = change.entity_type
    else:
        summary.update(
            entity_type=change.entity_type,
            change_type=change.change_type,
            data=change.entity_data if change.proposed_entity_data is not None else loads(change.new_value),
        )
        if change.is_new_entity:
            summary["is_new_entity"] = True
    summary.update(
        confidence=change.confidence,
        status=change.status,
        entity_id=change.entity_id,
        source_url=change.source_url,
        evidence=change.evidence or [],
    )
    return summary


def job_changes_summary(session: Session, job_id: str) -> list[dict[str, Any]]:
    """The first changes a job proposed, as its status body lists them."""
    changes = session.scalars(
        select(CollectionChange)
        .where(CollectionChange.job_id == job_id)
        .order_by(CollectionChange.id)
        .limit(CHANGES_SUMMARY_LIMIT)
    )
    return [change_summary(c) for c in changes]
