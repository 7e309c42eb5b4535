"""Merging two existing duplicates into one, audited with enough detail to undo it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from app.builders.models import (
    BuilderAward,
    BuilderCommunity,
    BuilderCredential,
    BuilderHomePlan,
    BuilderPortfolio,
)
from app.changes.models import ChangeStatus, CollectionChange
from app.communities.models import CommunityAmenity, CommunityAward, CommunityEvent
from app.core.audit import AuditEvent, record_audit
from app.core.db import utcnow
from app.core.entities import RECORD_MODELS
from app.core.errors import Conflict, InvalidInput, NotFound
from app.jobs.models import CollectionJob
from app.matching.models import EntityMatch
from app.properties.models import Property

MERGE_ACTION = "record.merge"
UNDO_ACTION = "record.merge_undo"


@dataclass(frozen=True)
class _Pointer:
    """Rows of ``model`` whose ``column`` points at the record (optionally only where ``type_column`` = type)."""

    model: Any
    column: str
    type_column: str | None = None

    @property
    def key(self) -> str:
        return f"{self.model.__tablename__}.{self.column}"


@dataclass(frozen=True)
class _Link:
    """A many-to-many row keyed by (own column, other column); a duplicate pair is dropped, not doubled."""

    model: Any
    own: str
    other: str

    @property
    def key(self) -> str:
        return f"{self.model.__tablename__}.{self.own}"


def _shared() -> list[_Pointer]:
    # Changes, matches and jobs name their record by (type, id).
    return [
        _Pointer(CollectionChange, "entity_id", "entity_type"),
        _Pointer(CollectionChange, "parent_entity_id", "parent_entity_type"),
        _Pointer(EntityMatch, "matched_entity_id", "matched_entity_type"),
        _Pointer(CollectionJob, "entity_id", "entity_type"),
        _Pointer(CollectionJob, "parent_entity_id", "parent_entity_type"),
    ]


POINTERS: dict[str, list[_Pointer]] = {
    "builder": [
        _Pointer(BuilderAward, "builder_id"),
        _Pointer(BuilderHomePlan, "builder_id"),
        _Pointer(BuilderCredential, "builder_id"),
        _Pointer(Property, "builder_id"),
        *_shared(),
    ],
    "community": [
        _Pointer(CommunityAmenity, "community_id"),
        _Pointer(CommunityEvent, "community_id"),
        _Pointer(CommunityAward, "community_id"),
        _Pointer(Property, "community_id"),
        *_shared(),
    ],
    "property": _shared(),
}
LINKS: dict[str, list[_Link]] = {
    "builder": [
        _Link(BuilderPortfolio, "builder_id", "property_id"),
        _Link(BuilderCommunity, "builder_id", "community_id"),
    ],
    "community": [_Link(BuilderCommunity, "community_id", "builder_id")],
    "property": [_Link(BuilderPortfolio, "property_id", "builder_id")],
}
_ALL_POINTERS = {p.key + (f"[{p.type_column}]" if p.type_column else ""): p for ps in POINTERS.values() for p in ps}
_ALL_LINKS = {link.key: link for links in LINKS.values() for link in links}


def _pointer_key(pointer: _Pointer) -> str:
    return pointer.key + (f"[{pointer.type_column}]" if pointer.type_column else "")


@dataclass
class MergeOutcome:
    audit_event: AuditEvent
    keep_id: int
    merge_id: int
    moved: dict[str, int]


def _load(session: Session, entity_type: str, entity_id: int) -> Any:
    record = session.get(RECORD_MODELS[entity_type], entity_id, with_for_update=True)
    if record is None:
        raise NotFound(f"{entity_type} {entity_id} not found")
    return record


def _where(pointer: _Pointer, entity_type: str, value: int) -> list[Any]:
    conditions = [getattr(pointer.model, pointer.column) == value]
    if pointer.type_column:
        conditions.append(getattr(pointer.model, pointer.type_column) == entity_type)
    return conditions


def _supersede_colliding_changes(session: Session, entity_type: str, keep_id: int, merge_id: int) -> dict[int, int]:
    """Retire merge_id's pending field changes that keep_id also has pending: one open change per field."""
    theirs = aliased(CollectionChange)
    pairs = session.execute(
        select(CollectionChange.id, theirs.id)
        .join(
            theirs,
            (theirs.entity_type == CollectionChange.entity_type)
            & (theirs.field_name == CollectionChange.field_name)
            & (theirs.entity_id == keep_id)
            & (theirs.status == ChangeStatus.pending),
        )
        .where(
            CollectionChange.entity_type == entity_type,
            CollectionChange.entity_id == merge_id,
            CollectionChange.status == ChangeStatus.pending,
            CollectionChange.field_name.is_not(None),
        )
        .order_by(CollectionChange.id)
        .with_for_update()
    ).all()
    superseded = {int(mine): int(kept) for mine, kept in pairs}
    for mine, kept in superseded.items():
        session.execute(
            update(CollectionChange)
            .where(CollectionChange.id == mine)
            .values(status=ChangeStatus.superseded, superseded_by=kept)
        )
    return superseded


def merge_records(session: Session, entity_type: str, keep_id: int, merge_id: int, actor: str) -> MergeOutcome:
    """Re-point everything of ``merge_id`` to ``keep_id`` and archive ``merge_id``."""
    if entity_type not in RECORD_MODELS:
        raise InvalidInput(f"entity type must be builders, communities or properties, not {entity_type!r}")
    if keep_id == merge_id:
        raise Conflict("keep_id and merge_id are the same record; a record cannot be merged with itself")
    keep, merged = _load(session, entity_type, keep_id), _load(session, entity_type, merge_id)
    for record, role in ((keep, "keep_id"), (merged, "merge_id")):
        if record.archived_at is not None:
            raise Conflict(f"{entity_type} {record.id} ({role}) is archived; restore it before merging")

    superseded = _supersede_colliding_changes(session, entity_type, keep_id, merge_id)
    moved: dict[str, list[int]] = {}
    for pointer in POINTERS[entity_type]:
        model = pointer.model
        ids = list(session.scalars(select(model.id).where(*_where(pointer, entity_type, merge_id))))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values({pointer.column: keep_id}))
            moved[_pointer_key(pointer)] = ids

    moved_links: dict[str, list[int]] = {}
    dropped_links: dict[str, list[int]] = {}
    for link in LINKS[entity_type]:
        own, other = getattr(link.model, link.own), getattr(link.model, link.other)
        theirs = set(session.scalars(select(other).where(own == merge_id)))
        ours = set(session.scalars(select(other).where(own == keep_id)))
        to_move, to_drop = sorted(theirs - ours), sorted(theirs & ours)
        if to_move:
            session.execute(update(link.model).where(own == merge_id, other.in_(to_move)).values({link.own: keep_id}))
            moved_links[link.key] = to_move
        if to_drop:
            session.execute(delete(link.model).where(own == merge_id, other.in_(to_drop)))
            dropped_links[link.key] = to_drop

    merged.archived_at = utcnow()
    # The merge itself as a match row, so the review list shows what became of the duplicate.
    merge_match = EntityMatch(
        discovered_entity_type=entity_type,
        discovered_name=(getattr(merged, "name", None) or getattr(merged, "title", None) or str(merge_id))[:255],
        matched_entity_type=entity_type,
        matched_entity_id=keep_id,
        match_confidence=1.0,
        match_status="merged",
        matched_by=actor,
        match_method="manual",
        match_notes=f"{entity_type} {merge_id} merged into {keep_id}",
        reviewed_at=utcnow(),
    )
    session.add(merge_match)
    session.flush()
    event = record_audit(
        session,
        actor=actor,
        action=MERGE_ACTION,
        target_type=entity_type,
        target_id=merge_id,
        before={
            "keep_id": keep_id,
            "merge_id": merge_id,
            "archived_at": None,
            "moved": moved,
            "moved_links": moved_links,
            "dropped_links": dropped_links,
            # merge_id's pending change id -> keep_id's pending change on the same field that now stands for both
            "superseded": {str(k): v for k, v in superseded.items()},
        },
        after={"keep_id": keep_id, "archived_at": merged.archived_at.isoformat(), "merge_match_id": merge_match.id},
        notes=f"{entity_type} {merge_id} merged into {keep_id}",
    )
    session.flush()
    counts = {k: len(v) for k, v in moved.items()} | {k: len(v) for k, v in moved_links.items()}
    counts |= {f"{k} (duplicate dropped)": len(v) for k, v in dropped_links.items()}
    return MergeOutcome(event, keep_id, merge_id, counts)


def undo_merge(session: Session, audit_event_id: int, actor: str) -> AuditEvent:
    """Put back everything a merge moved, restore dropped links and un-archive the merged record."""
    event = session.get(AuditEvent, audit_event_id, with_for_update=True)
    if event is None or event.action != MERGE_ACTION:
        raise NotFound(f"merge audit event {audit_event_id} not found")
    marker = f"undoes audit event {audit_event_id}"
    if session.scalar(select(AuditEvent.id).where(AuditEvent.action == UNDO_ACTION, AuditEvent.notes == marker)):
        raise Conflict(f"merge {audit_event_id} was already undone")
    before: dict[str, Any] = event.before or {}
    entity_type = event.target_type
    keep_id, merge_id = int(before["keep_id"]), int(before["merge_id"])
    merged = _load(session, entity_type, merge_id)
    if merged.archived_at is None:
        raise Conflict(f"{entity_type} {merge_id} is no longer archived; the merge cannot be undone")
    keep = _load(session, entity_type, keep_id)
    if keep.archived_at is not None:
        # What moved to keep_id has moved on with it; undo the later merge first so it comes back.
        later = _open_merge_of(session, entity_type, keep_id)
        step = f"undo merge {later} first" if later is not None else "restore it first"
        raise Conflict(f"{entity_type} {keep_id} (kept by merge {audit_event_id}) is archived since; {step}")

    # A savepoint: when any row is no longer where the merge put it, nothing is changed.
    with session.begin_nested():
        for key, ids in before.get("moved", {}).items():
            pointer = _ALL_POINTERS[key]
            model = pointer.model
            result = session.execute(
                update(model)
                .where(model.id.in_(ids), getattr(model, pointer.column) == keep_id)
                .values({pointer.column: merge_id})
            )
            _expect(result, len(ids), f"{key} rows", audit_event_id)
        for key, others in before.get("moved_links", {}).items():
            link = _ALL_LINKS[key]
            own, other = getattr(link.model, link.own), getattr(link.model, link.other)
            result = session.execute(
                update(link.model).where(own == keep_id, other.in_(others)).values({link.own: merge_id})
            )
            _expect(result, len(others), f"{key} links", audit_event_id)
        for key, others in before.get("dropped_links", {}).items():
            link = _ALL_LINKS[key]
            session.execute(insert(link.model), [{link.own: merge_id, link.other: o} for o in others])
        superseded = {int(mine): int(kept) for mine, kept in before.get("superseded", {}).items()}
        if superseded:
            # Back on merge_id, which has no other open change on those fields, they are open again.
            result = session.execute(
                update(CollectionChange)
                .where(
                    CollectionChange.id.in_(list(superseded)),
                    CollectionChange.status == ChangeStatus.superseded,
                    CollectionChange.entity_id == merge_id,
                )
                .values(status=ChangeStatus.pending, superseded_by=None)
            )
            _expect(result, len(superseded), "superseded changes", audit_event_id)

    merged.archived_at = None
    merge_match_id = (event.after or {}).get("merge_match_id")
    if merge_match_id is not None:
        session.execute(delete(EntityMatch).where(EntityMatch.id == merge_match_id))
    undo = record_audit(
        session,
        actor=actor,
        action=UNDO_ACTION,
        target_type=entity_type,
        target_id=merge_id,
        before=event.after,
        after={"keep_id": keep_id, "merge_id": merge_id, "archived_at": None},
        notes=marker,
    )
    session.flush()
    return undo


def _expect(result: Any, expected: int, what: str, audit_event_id: int) -> None:
    if result.rowcount != expected:
        raise Conflict(
            f"merge {audit_event_id} cannot be undone: {expected - result.rowcount} of its {expected} {what} "
            "changed since (moved or deleted); nothing was changed"
        )


def _open_merge_of(session: Session, entity_type: str, merge_id: int) -> int | None:
    """The latest merge that archived ``merge_id`` and was not undone."""
    merges = session.scalars(
        select(AuditEvent.id)
        .where(
            AuditEvent.action == MERGE_ACTION, AuditEvent.target_type == entity_type, AuditEvent.target_id == merge_id
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    undone = set(session.scalars(select(AuditEvent.notes).where(AuditEvent.action == UNDO_ACTION)))
    return next((event_id for event_id in merges if f"undoes audit event {event_id}" not in undone), None)
