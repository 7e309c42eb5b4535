"""Set-based proposals for large inventories: the diff in SQL, one supersede, one insert.

A builder's inventory refresh can bring thousands of homes, most of them unchanged. Here the found
values are normalized once (repeated values only once), sent to PostgreSQL as one JSON parameter
read as rows (``db.rows_table``), and the database returns only the records where a stored value
differs from the found one. Only
those stored values are normalized and compared in Python (the same ``diff_fields`` rule as
``proposals``), so an unchanged home costs no Python comparison. Older pending changes of the same
fields are superseded with one UPDATE and the new changes go in with one INSERT … SELECT.
The rules (normalization, diff, evidence check, confidence, agreement) are those of ``proposals``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Float,
    String,
    Text,
    and_,
    bindparam,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session

from app.changes.alternatives import settle
from app.changes.diff import NormalizedValue, diff_fields, normalize_finding
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.proposals import _Proposer, alternative_note, kept_values
from app.core.config import Settings
from app.core.entities import ENTITY_MODELS
from app.core.errors import NotFound
from app.core.sql import as_column_type, id_in, insert_rows, is_postgresql, lock_records, rows_table, sql_text
from app.jobs.models import CollectionJob
from app.research.findings import Finding
from app.research.normalize import dumps

# The columns of collection_changes the insert fills, with their types in the inserted rows.
_INSERT_COLUMNS: list[tuple[str, Any]] = [
    ("job_id", String()),
    ("entity_type", String()),
    ("entity_id", BigInteger()),
    ("parent_entity_type", String()),
    ("parent_entity_id", BigInteger()),
    ("is_new_entity", Boolean()),
    ("field_name", String()),
    ("old_value", Text()),
    ("new_value", Text()),
    ("change_type", String()),
    ("status", String()),
    ("confidence", Float()),
    ("confidence_components", JSONB()),
    ("source_url", String()),
    ("source_id", BigInteger()),
    ("evidence", JSONB()),
    ("alternatives", JSONB()),
]


def _key_in(session: Session, keys: list[tuple[int, str]]) -> ColumnElement[bool]:
    pair = tuple_(CollectionChange.entity_id, CollectionChange.field_name)
    if not is_postgresql(session):
        return pair.in_(keys)
    ids = bindparam(None, [k[0] for k in keys], type_=ARRAY(BigInteger))
    fields = bindparam(None, [k[1] for k in keys], type_=ARRAY(String))
    return pair.in_(select(func.unnest(ids), func.unnest(fields)))


def _differing(
    session: Session, table: Any, fields: list[str], values: dict[int, dict[str, NormalizedValue]]
) -> list[Any]:
    """Records where some found value differs from the stored one, compared in SQL, with those stored values.

    A value equal to the stored one as the column type sees it is no change; the rest is confirmed by
    ``diff_fields`` in Python (values equal after normalization, "Houston" vs "houston", never change).
    Off PostgreSQL every given value goes to Python: SQLite's casts of text are not the column's values
    (CAST('true' AS BOOLEAN) is 0).
    """
    found = rows_table(
        session,
        "found",
        [("id", BigInteger()), *[(name, Text()) for name in fields]],
        [
            (entity_id, *[sql_text(by_field[f].value) if f in by_field else None for f in fields])
            for entity_id, by_field in values.items()
        ],
    )
    in_sql = is_postgresql(session)
    flags: list[ColumnElement[bool]] = []
    for name in fields:
        column = table.c[name]
        given = found.c[name].is_not(None)
        if isinstance(column.type, JSON) or not in_sql:
            flags.append(given)  # compared in Python only
        else:
            flags.append(and_(given, column.is_distinct_from(as_column_type(found.c[name], column))))
    labelled = [flag.label(f"differs_{i}") for i, flag in enumerate(flags)]
    query = (
        select(table.c.id, *[table.c[name] for name in fields], *labelled)
        .join(found, found.c.id == table.c.id)
        .where(or_(*flags))
    )
    return list(session.execute(query))


def _older_pending(session: Session, entity_type: str, keys: list[tuple[int, str]]) -> dict[tuple[int, str], Any]:
    """The pending changes these new ones replace, locked (one open change per entity and field)."""
    lock_records(session, entity_type, {entity_id for entity_id, _ in keys})
    rows = session.execute(
        select(
            CollectionChange.id,
            CollectionChange.entity_type,
            CollectionChange.entity_id,
            CollectionChange.field_name,
            CollectionChange.new_value,
            CollectionChange.confidence,
            CollectionChange.source_id,
            CollectionChange.evidence,
            CollectionChange.alternatives,
            CollectionChange.confidence_components,
        )
        .where(
            CollectionChange.entity_type == entity_type,
            CollectionChange.status == ChangeStatus.pending,
            _key_in(session, keys),
        )
        .order_by(CollectionChange.id)
        .with_for_update()
    )
    return {(row.entity_id, row.field_name): row for row in rows}


def _insert_changes(session: Session, rows: list[dict[str, Any]]) -> list[Any]:
    """Insert change rows in one statement; returns (id, entity_id, field_name) of each."""
    returning = (CollectionChange.id, CollectionChange.entity_id, CollectionChange.field_name)
    return insert_rows(session, CollectionChange, _INSERT_COLUMNS, rows, returning)


def propose_updates_bulk(
    session: Session,
    job: CollectionJob,
    entity_type: str,
    findings: Mapping[int, Finding],
    source_texts: dict[str, str],
    hidden_texts: dict[str, str] | None = None,
    *,
    settings: Settings,
) -> tuple[list[int], list[dict[str, Any]], list[str]]:
    """Field changes for many records of one type at once; returns the new change ids, rejected inputs and notes
    (readings kept as alternatives to a stronger pending change).

    Refused values are also recorded on ``job.rejected_inputs``.
    """
    model = ENTITY_MODELS.get(entity_type)
    if model is None:
        raise NotFound(f"unknown entity type {entity_type!r}")
    table = model.__table__
    memo: dict[Any, Any] = {}
    values: dict[int, dict[str, NormalizedValue]] = {}
    rejected: list[dict[str, Any]] = []
    for entity_id, finding in findings.items():
        normalized, refused = normalize_finding(entity_type, finding, memo)
        rejected.extend(refused)
        values[entity_id] = {item.field: item for item in normalized if item.field in table.c}
    fields = sorted({name for by_field in values.values() for name in by_field})
    if rejected:
        job.rejected_inputs = [*(job.rejected_inputs or []), *rejected]
    if not fields:
        return [], rejected, []

    proposer = _Proposer(session, job, settings, source_texts, hidden_texts)
    pending: list[tuple[int, Any, Any, str | None]] = []  # entity id, diff, assessment, new value text
    for row in _differing(session, table, fields, values):
        by_field = values[row.id]
        candidates = [by_field[name] for i, name in enumerate(fields) if row[len(fields) + 1 + i]]
        stored = {name: row[1 + i] for i, name in enumerate(fields)}
        for diff in diff_fields(entity_type, stored, candidates):
            pending.append((row.id, diff, proposer.assess(diff.normalized), dumps(diff.new)))
    if not pending:
        return [], rejected, []

    keys = [(entity_id, diff.field) for entity_id, diff, _, _ in pending]
    older = _older_pending(session, entity_type, keys)
    rows: list[dict[str, Any]] = []
    replaced: list[Any] = []
    notes: list[str] = []
    for entity_id, diff, (entry, _inputs), new_text in pending:
        previous = older.get((entity_id, diff.field))
        settled = settle(new_text, entry, previous, proposer.cap)
        if previous is not None and not settled.includes_new and settled.value == previous.new_value:
            _keep(session, previous, settled)
            notes.append(alternative_note(previous, new_text, entry))
            continue
        if previous is not None:
            replaced.append(previous)
        rows.append(
            {
                "job_id": job.job_id,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "parent_entity_type": entity_type,
                "parent_entity_id": entity_id,
                "is_new_entity": False,
                "field_name": diff.field,
                "old_value": dumps(diff.old),
                "new_value": settled.value,
                "change_type": diff.change_type,
                "status": ChangeStatus.pending.value,
                "confidence": settled.confidence,
                "confidence_components": settled.components,
                "source_url": settled.source_url,
                "source_id": settled.source_id,
                "evidence": settled.evidence,
                "alternatives": settled.alternatives or None,
            }
        )
    if not rows:
        return [], rejected, notes
    if replaced:
        # The partial unique index allows one pending change per field: retire the older ones first.
        session.execute(
            update(CollectionChange)
            .where(id_in(session, CollectionChange.id, [row.id for row in replaced]))
            .values(status=ChangeStatus.superseded)
            .execution_options(synchronize_session=False)
        )
    inserted = _insert_changes(session, rows)
    if replaced:
        new_by_key = {(r.entity_id, r.field_name): r.id for r in inserted}
        links = rows_table(
            session,
            "links",
            [("old_id", BigInteger()), ("new_id", BigInteger())],
            [(row.id, new_by_key[(row.entity_id, row.field_name)]) for row in replaced],
        )
        session.execute(
            update(CollectionChange)
            .where(CollectionChange.id == links.c.old_id)
            .values(superseded_by=links.c.new_id)
            .execution_options(synchronize_session=False)
        )
    return [r.id for r in inserted], rejected, notes


def _keep(session: Session, previous: Any, settled: Any) -> None:
    """A stronger pending change stays; it takes in the new reading as an alternative."""
    session.execute(
        update(CollectionChange)
        .where(CollectionChange.id == previous.id)
        .values(**kept_values(settled))
        .execution_options(synchronize_session=False)
    )
