"""The change review screens: what waits under a record, applying it, a field's history, a job's changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.changes.alternatives import choose
from app.changes.apply import ApplyResult, apply_changes, lock_changes
from app.changes.inbox import review_fields
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.schemas import ApplyChangesRequest
from app.core.entities import CHILD_TYPES, ENTITY_MODELS, NAME_FIELD, PATH_TYPES, RECORD_TYPES
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.pagination import PageRequest, SortKey, paginate, paginate_union
from app.research.normalize import loads

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
    return or_(*_under_each(entity_type, entity_id))


def _under_each(entity_type: str, entity_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The two sides of ``_under``: what names the record as parent, and what is the record's own."""
    return (
        and_(CollectionChange.parent_entity_type == entity_type, CollectionChange.parent_entity_id == entity_id),
        and_(CollectionChange.entity_type == entity_type, CollectionChange.entity_id == entity_id),
    )


# Pending changes in the order they were proposed.
PENDING_ORDER = SortKey((CollectionChange.id,))
# History in the order values were applied (a change never applied, by when it was proposed).
HISTORY_ORDER = SortKey((func.coalesce(CollectionChange.applied_at, CollectionChange.created_at), CollectionChange.id))


def pending_branches(entity_type: str, entity_id: int) -> list[Select[CollectionChange]]:
    """Pending changes under a record, one query per side of the OR, each served by its (…, status, id) index."""
    return [
        select(CollectionChange).where(side, CollectionChange.status == ChangeStatus.pending)
        for side in _under_each(entity_type, entity_id)
    ]


def pending_changes(session: Session, path_type: str, entity_id: int, paging: PageRequest) -> dict[str, Any]:
    """One page of the plan's pending-changes view of a builder, community or home."""
    entity_type, record = resolve_record(session, path_type, entity_id)
    result = paginate_union(session, pending_branches(entity_type, entity_id), PENDING_ORDER, paging)
    changes: list[CollectionChange] = result.rows
    fields: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    for change in changes:
        common = review_fields(change)
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
        **result.paging(),
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
    for choice in request.choose:
        if choice.change_id not in ids:
            raise NotFound(f"change {choice.change_id} not found under {entity_type} {entity_id}")
        choose_alternative(session, choice.change_id, choice.alternative)
    return apply_changes(
        session,
        ids,
        actor=actor,
        review_notes=request.review_notes,
        create_new_entities=request.create_new_entities,
        min_confidence=request.min_confidence,
    )


def choose_alternative(session: Session, change_id: int, index: int) -> None:
    """Make one of a pending change's alternatives its proposal, so that applying it applies that value."""
    [change] = lock_changes(session, [change_id])
    if change.status not in (ChangeStatus.pending, ChangeStatus.approved):
        raise Conflict(f"change {change_id} is {change.status}: its alternatives can no longer be chosen")
    alternatives = change.alternatives or []
    if index >= len(alternatives) or alternatives[index].get("status", "pending") != "pending":
        raise InvalidInput(f"choose: change {change_id} has no alternative {index} waiting for review")
    choose(change, index)
    session.flush()


def field_history(
    session: Session, path_type: str, entity_id: int, field_name: str | None, paging: PageRequest
) -> dict[str, Any]:
    """One page of the applied changes of a record and of its child records and links over time (rolled-back
    ones marked): a home's price history, a community's fee history, a builder's plan prices."""
    entity_type, _record = resolve_record(session, path_type, entity_id)
    children = sorted({*CHILD_TYPES.get(entity_type, {}).values(), "builder_community"})
    query = select(CollectionChange).where(
        or_(
            and_(CollectionChange.entity_type == entity_type, CollectionChange.entity_id == entity_id),
            and_(
                CollectionChange.parent_entity_type == entity_type,
                CollectionChange.parent_entity_id == entity_id,
                CollectionChange.entity_type.in_(children),
            ),
        ),
        CollectionChange.status.in_((ChangeStatus.applied, ChangeStatus.rolled_back)),
    )
    if field_name is not None:
        query = query.where(CollectionChange.field_name.in_(FIELD_ALIASES.get(field_name, (field_name,))))
    result = paginate(session, query, HISTORY_ORDER, paging)
    changes: list[CollectionChange] = result.rows
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "field": field_name,
        "history": [
            {
                "change_id": c.id,
                "entity_type": c.entity_type,
                "entity_id": c.entity_id if not c.is_new_entity else c.created_entity_id,
                "field": c.field_name,
                "old_value": loads(c.old_value),
                "new_value": c.entity_data if c.is_new_entity else loads(c.new_value),
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
        **result.paging(),
    }


def change_summary(change: CollectionChange) -> dict[str, Any]:
    """One change as the plan's job status shows it: a field change, or a child / new record."""
    summary: dict[str, Any] = {"change_id": change.id}
    if change.field_name and not change.is_new_entity:
        summary.update(
            field=change.field_name,
            old=loads(change.old_value),
            new=loads(change.new_value),
            alternatives=change.alternatives or [],
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
