"""Set-based proposals for large inventories: one read, one supersede, one multi-row insert.

A builder's inventory refresh can bring thousands of homes. Row-at-a-time proposals cost several
round trips per home; here the records are read in one query, the older pending changes of the
same fields are superseded with one UPDATE, and the new changes go in with one multi-row INSERT.
The rules (normalization, diff, evidence check, confidence) are the same as ``proposals``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, String, bindparam, func, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from app.changes.confidence import compute_confidence
from app.changes.db import id_in
from app.changes.diff import ENTITY_MODELS, current_values, diff_fields, normalize_finding
from app.changes.models import ChangeStatus, CollectionChange
from app.changes.normalize import ENTITY_FIELDS, dumps
from app.changes.proposals import _Proposer
from app.core.errors import NotFound
from app.jobs.models import CollectionJob
from app.research.findings import Finding


def _key_in(session: Session, keys: list[tuple[int, str]]) -> ColumnElement[bool]:
    pair = tuple_(CollectionChange.entity_id, CollectionChange.field_name)
    if session.get_bind().dialect.name != "postgresql":
        return pair.in_(keys)
    ids = bindparam(None, [k[0] for k in keys], type_=ARRAY(BigInteger))
    fields = bindparam(None, [k[1] for k in keys], type_=ARRAY(String))
    return pair.in_(select(func.unnest(ids), func.unnest(fields)))


def propose_updates_bulk(
    session: Session,
    job: CollectionJob,
    entity_type: str,
    findings: Mapping[int, Finding],
    source_texts: dict[str, str],
) -> tuple[list[int], list[dict[str, Any]]]:
    """Field changes for many records of one type at once; returns the new change ids and rejected inputs."""
    model = ENTITY_MODELS.get(entity_type)
    if model is None:
        raise NotFound(f"unknown entity type {entity_type!r}")
    proposer = _Proposer(session, job, source_texts)
    table = model.__table__
    columns = [table.c[name] for name in ENTITY_FIELDS[entity_type] if name in table.c]
    records = {
        row.id: row for row in session.execute(select(table.c.id, *columns).where(id_in(session, table.c.id, findings)))
    }
    rows: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for entity_id, finding in findings.items():
        record = records.get(entity_id)
        if record is None:
            continue
        values, refused = normalize_finding(entity_type, finding)
        rejected.extend(refused)
        for diff in diff_fields(entity_type, current_values(entity_type, record), values):
            entry, inputs = proposer.assess(diff.normalized)
            score, components = compute_confidence(
                source_reliability=inputs["source_reliability"],
                extractor=inputs["extractor"],
                found_in_source=inputs["found_in_source"],
            )
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
                    "new_value": dumps(diff.new),
                    "change_type": diff.change_type,
                    "status": ChangeStatus.pending,
                    "confidence": score,
                    "confidence_components": components,
                    "source_url": entry["source_url"],
                    "source_id": inputs["source_id"],
                    "evidence": [entry],
                }
            )
    if not rows:
        return [], rejected
    keys = [(row["entity_id"], row["field_name"]) for row in rows]
    # One open change per (entity, field): retire the older pending ones before inserting.
    older = session.execute(
        update(CollectionChange)
        .where(
            CollectionChange.entity_type == entity_type,
            CollectionChange.status == ChangeStatus.pending,
            _key_in(session, keys),
        )
        .values(status=ChangeStatus.superseded)
        .returning(CollectionChange.id, CollectionChange.entity_id, CollectionChange.field_name)
        .execution_options(synchronize_session=False)
    ).all()
    inserted = session.execute(
        insert(CollectionChange).returning(
            CollectionChange.id, CollectionChange.entity_id, CollectionChange.field_name, sort_by_parameter_order=True
        ),
        rows,
    ).all()
    if older:
        new_by_key = {(r.entity_id, r.field_name): r.id for r in inserted}
        session.execute(
            update(CollectionChange).execution_options(synchronize_session=False),
            [{"id": r.id, "superseded_by": new_by_key[(r.entity_id, r.field_name)]} for r in older],
        )
    if rejected:
        job.rejected_inputs = [*(job.rejected_inputs or []), *rejected]
    return [r.id for r in inserted], rejected
