"""Benchmark: detect and apply changes for a 10,000-home inventory, and pending-changes latency.

Run: ``.venv/bin/python -m bench.apply`` (PostgreSQL on 127.0.0.1; creates and drops its own database).

1. A builder inventory of 10,000 homes of which 30% changed price: the set-based path
   (``propose_updates_bulk`` + ``apply_changes``) beside two baselines on identical data in the same
   run: a plain batched ORM version (one IN-list read, one flush) and a naive loop that reads,
   proposes and applies one ORM object at a time.
2. Rolling the set-based path's job back (``rollback_job``), and applying new homes, with the
   statements each sends.
3. ``GET /{entity_type}/{id}/pending-changes`` latency p50/p95 with 1,000 and with 1,000,000 rows
   in collection_changes, and the EXPLAIN of its query.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

DB_NAME = f"artitec_bench_apply_{os.getpid()}"
DB_URL = f"postgresql+psycopg://root@127.0.0.1:5432/{DB_NAME}"
os.environ["ARTITEC_DATABASE_URL"] = DB_URL
os.environ.setdefault("ARTITEC_LOG_JSON", "false")
os.environ.setdefault("ARTITEC_LOG_LEVEL", "WARNING")
os.environ.setdefault("ARTITEC_BROKER_URL", "memory://")

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.database import create_database, drop_database  # noqa: E402


def drop_bench_database() -> None:
    from app.core.db import get_engine

    get_engine().dispose()
    drop_database(DB_URL)


# --- 1. detect + apply ------------------------------------------------------------------------------


def seed_inventory(session: Session, homes: int, name: str) -> tuple[int, list[int]]:
    from app.builders.models import BuilderProfile
    from app.properties.models import Property

    builder = BuilderProfile(name=name, website="https://www.perryhomes.com/")
    session.add(builder)
    session.flush()
    rows = [
        {
            "title": f"Lot {i}",
            "address1": f"{100 + i} Oak Street",
            "city": "Houston",
            "state": "TX",
            "price": 400_000.0 + i,
            "bedrooms": 3 + i % 3,
            "bathrooms": 2.5,
            "sqft": 2_000 + i % 1_000,
            "property_status": "available",
            "builder_id": builder.id,
        }
        for i in range(homes)
    ]
    ids = list(session.scalars(insert(Property).returning(Property.id, sort_by_parameter_order=True), rows))
    session.commit()
    return builder.id, ids


def inventory_findings(ids: list[int], changed_share: float) -> tuple[dict[int, Any], dict[str, str]]:
    """What the builder's site shows: every home, a share of them at a new price."""
    from app.research.findings import Evidence, Extractor, Finding, FoundValue

    findings: dict[int, Any] = {}
    texts: dict[str, str] = {}
    changed = {i for n, i in enumerate(ids) if n % 10 < round(changed_share * 10)}
    for n, home_id in enumerate(ids):
        url = f"https://www.perryhomes.com/homes/{n}"
        price = 400_000 + n - (5_000 if home_id in changed else 0)
        values = {
            "price": f"${price:,}",
            "bedrooms": str(3 + n % 3),
            "bathrooms": "2.5",
            "sqft": f"{2_000 + n % 1_000:,} sq ft",
            "property_status": "Available",
        }
        texts[url] = f"Lot {n} {100 + n} Oak Street. " + " ".join(values.values())
        findings[home_id] = Finding(
            kind="property",
            fields={
                k: FoundValue(value=v, evidence=Evidence(source_url=url, quote=v, extractor=Extractor.json_ld))
                for k, v in values.items()
            },
        )
    return findings, texts


def set_based(session: Session, job: Any, findings: dict[int, Any], texts: dict[str, str]) -> tuple[int, int]:
    from app.changes.apply import apply_changes
    from app.changes.bulk import propose_updates_bulk
    from app.core.config import get_settings

    ids, _, _ = propose_updates_bulk(session, job, "property", findings, texts, settings=get_settings())
    result = apply_changes(session, ids, actor="bench")
    session.commit()
    return len(ids), result.applied_changes


def naive(session: Session, job: Any, findings: dict[int, Any], texts: dict[str, str]) -> tuple[int, int]:
    """The same rules, one ORM object and one flush at a time."""
    from app.changes.confidence import compute_confidence
    from app.changes.diff import current_values, diff_fields, normalize_finding
    from app.changes.models import ChangeStatus, CollectionChange
    from app.changes.proposals import _Proposer
    from app.core.audit import AuditEvent
    from app.core.config import get_settings
    from app.properties.models import Property
    from app.research.normalize import dumps, loads, same_value, to_column

    proposer = _Proposer(session, job, get_settings(), texts)
    change_ids: list[int] = []
    for home_id, finding in findings.items():
        home = session.get(Property, home_id)
        values, _ = normalize_finding("property", finding)
        for diff in diff_fields("property", current_values("property", home), values):
            older = session.scalars(
                select(CollectionChange).where(
                    CollectionChange.entity_type == "property",
                    CollectionChange.entity_id == home_id,
                    CollectionChange.field_name == diff.field,
                    CollectionChange.status == ChangeStatus.pending,
                )
            ).first()
            if older is not None:
                older.status = ChangeStatus.superseded
                session.flush()
            entry, inputs = proposer.assess(diff.normalized)
            score, components = compute_confidence(
                source_reliability=inputs["source_reliability"],
                extractor=inputs["extractor"],
                found_in_source=inputs["found_in_source"],
            )
            change = CollectionChange(
                job_id=job.job_id,
                entity_type="property",
                entity_id=home_id,
                parent_entity_type="property",
                parent_entity_id=home_id,
                field_name=diff.field,
                old_value=dumps(diff.old),
                new_value=dumps(diff.new),
                change_type=diff.change_type,
                confidence=score,
                confidence_components=components,
                source_url=entry["source_url"],
                source_id=inputs["source_id"],
                evidence=[entry],
            )
            session.add(change)
            session.flush()
            change_ids.append(change.id)
    applied = 0
    for change_id in change_ids:
        change = session.get(CollectionChange, change_id, with_for_update=True)
        assert change is not None
        home = session.get(Property, change.entity_id, with_for_update=True)
        field = change.field_name or ""
        if same_value("property", field, getattr(home, field), loads(change.old_value)):
            setattr(home, field, to_column("property", field, loads(change.new_value)))
            change.status = ChangeStatus.applied
            session.add(AuditEvent(actor="bench", action="change.apply", target_type="property", target_id=home_id))
            session.flush()
            applied += 1
    session.commit()
    return len(change_ids), applied


def batched_orm(session: Session, job: Any, findings: dict[int, Any], texts: dict[str, str]) -> tuple[int, int]:
    """The same rules with plain ORM objects, batched: one IN-list read of homes and of older changes, one flush
    of the new changes; then one locked IN-list read of them and one flush of the writes and audit rows."""
    from app.changes.confidence import compute_confidence
    from app.changes.diff import current_values, diff_fields, normalize_finding
    from app.changes.models import ChangeStatus, CollectionChange
    from app.changes.proposals import _Proposer
    from app.core.audit import AuditEvent
    from app.core.config import get_settings
    from app.properties.models import Property
    from app.research.normalize import dumps, loads, same_value, to_column

    proposer = _Proposer(session, job, get_settings(), texts)
    homes = {h.id: h for h in session.scalars(select(Property).where(Property.id.in_(list(findings))))}
    older = {
        (c.entity_id, c.field_name): c
        for c in session.scalars(
            select(CollectionChange).where(
                CollectionChange.entity_type == "property",
                CollectionChange.entity_id.in_(list(findings)),
                CollectionChange.status == ChangeStatus.pending,
            )
        )
    }
    changes: list[Any] = []
    for home_id, finding in findings.items():
        values, _ = normalize_finding("property", finding)
        for diff in diff_fields("property", current_values("property", homes[home_id]), values):
            if (home_id, diff.field) in older:
                older[(home_id, diff.field)].status = ChangeStatus.superseded
            entry, inputs = proposer.assess(diff.normalized)
            score, components = compute_confidence(
                source_reliability=inputs["source_reliability"],
                extractor=inputs["extractor"],
                found_in_source=inputs["found_in_source"],
            )
            changes.append(
                CollectionChange(
                    job_id=job.job_id,
                    entity_type="property",
                    entity_id=home_id,
                    parent_entity_type="property",
                    parent_entity_id=home_id,
                    field_name=diff.field,
                    old_value=dumps(diff.old),
                    new_value=dumps(diff.new),
                    change_type=diff.change_type,
                    confidence=score,
                    confidence_components=components,
                    source_url=entry["source_url"],
                    source_id=inputs["source_id"],
                    evidence=[entry],
                )
            )
    session.add_all(changes)
    session.flush()
    ids = [c.id for c in changes]
    locked = list(session.scalars(select(CollectionChange).where(CollectionChange.id.in_(ids)).with_for_update()))
    list(session.scalars(select(Property).where(Property.id.in_(list(findings))).with_for_update()))
    applied = 0
    for change in locked:
        home = homes[change.entity_id or 0]
        field = change.field_name or ""
        if same_value("property", field, getattr(home, field), loads(change.old_value)):
            setattr(home, field, to_column("property", field, loads(change.new_value)))
            change.status = ChangeStatus.applied
            session.add(AuditEvent(actor="bench", action="change.apply", target_type="property", target_id=home.id))
            applied += 1
    session.flush()
    session.commit()
    return len(changes), applied


def bench_detect_apply(homes: int, changed_share: float) -> dict[str, float]:
    import app.changes.apply
    import app.changes.bulk
    import app.main  # noqa: F401  (imports and the suffix list load before any clock starts)
    from app.core.db import SessionFactory
    from app.jobs.models import CollectionJob
    from app.sources.bookkeeping import registered_domain

    registered_domain("https://www.perryhomes.com/")

    with SessionFactory() as session:
        _, fast_ids = seed_inventory(session, homes, "Perry Homes")
        _, batch_ids = seed_inventory(session, homes, "Perry Homes Batched")
        _, slow_ids = seed_inventory(session, homes, "Perry Homes Copy")
        fast_job = CollectionJob(entity_type="property", job_type="property_discovery", status="completed")
        batch_job = CollectionJob(entity_type="property", job_type="property_discovery", status="completed")
        slow_job = CollectionJob(entity_type="property", job_type="property_discovery", status="completed")
        session.add_all([fast_job, batch_job, slow_job])
        session.commit()
        fast_findings, fast_texts = inventory_findings(fast_ids, changed_share)
        batch_findings, batch_texts = inventory_findings(batch_ids, changed_share)
        slow_findings, slow_texts = inventory_findings(slow_ids, changed_share)

    with SessionFactory() as session:
        job = session.merge(fast_job)
        start = time.perf_counter()
        fast_detected, fast_applied = set_based(session, job, fast_findings, fast_texts)
        fast_seconds = time.perf_counter() - start
    with SessionFactory() as session:
        job = session.merge(batch_job)
        start = time.perf_counter()
        batch_detected, batch_applied = batched_orm(session, job, batch_findings, batch_texts)
        batch_seconds = time.perf_counter() - start
    with SessionFactory() as session:
        job = session.merge(slow_job)
        start = time.perf_counter()
        slow_detected, slow_applied = naive(session, job, slow_findings, slow_texts)
        slow_seconds = time.perf_counter() - start
    assert (fast_detected, fast_applied) == (slow_detected, slow_applied), (fast_applied, slow_applied)
    assert (fast_detected, fast_applied) == (batch_detected, batch_applied), (fast_applied, batch_applied)
    print(f"detect+apply, {homes:,} homes, {changed_share:.0%} changed: {fast_detected:,} changes found and applied")
    print(f"  set-based         : {fast_seconds:8.2f} s")
    print(f"  batched ORM       : {batch_seconds:8.2f} s  ({batch_seconds / fast_seconds:.1f}x the set-based time)")
    print(f"  naive loop        : {slow_seconds:8.2f} s  ({slow_seconds / fast_seconds:.1f}x the set-based time)")
    bench_rollback(fast_job.job_id, fast_detected)
    return {"fast": fast_seconds, "batched": batch_seconds, "slow": slow_seconds}


def _counting_statements(action: Any) -> tuple[int, float]:
    """Statements sent while ``action`` runs (a multi-row INSERT is one), and its time."""
    from sqlalchemy import event

    from app.core.db import get_engine

    sent: list[int] = []

    def count(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _ctx: Any, executemany: bool) -> None:
        sent.append(len(parameters) if executemany and isinstance(parameters, (list, tuple)) else 1)

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", count)
    start = time.perf_counter()
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return sum(sent), time.perf_counter() - start


def bench_rollback(job_id: str, changes: int) -> None:
    """Roll back the set-based job: the statements it sends, and its time."""
    from app.changes.rollback import rollback_job
    from app.core.db import SessionFactory

    with SessionFactory() as session:
        statements, seconds = _counting_statements(lambda: rollback_job(session, job_id, actor="bench"))
        session.commit()
    print(f"rollback of that job ({changes:,} applied changes): {statements} statements, {seconds:.2f} s")


def bench_new_homes(count: int) -> None:
    """Apply ``count`` new-home changes: the statements it sends, and its time."""
    from app.builders.models import BuilderProfile
    from app.changes.apply import apply_changes
    from app.changes.models import CollectionChange
    from app.core.db import SessionFactory
    from app.jobs.models import CollectionJob

    with SessionFactory() as session:
        builder = BuilderProfile(name="New Homes Builder")
        job = CollectionJob(entity_type="property", job_type="property_discovery", status="completed")
        session.add_all([builder, job])
        session.flush()
        rows = [
            {
                "job_id": job.job_id,
                "entity_type": "property",
                "parent_entity_type": "builder",
                "parent_entity_id": builder.id,
                "is_new_entity": True,
                "proposed_entity_data": {"title": f"Lot {n}", "price": 350_000 + n, "builder_id": builder.id},
                "change_type": "added",
                "status": "pending",
                "confidence": 0.9,
            }
            for n in range(count)
        ]
        ids = list(session.scalars(insert(CollectionChange).returning(CollectionChange.id), rows))
        session.commit()
        statements, seconds = _counting_statements(lambda: apply_changes(session, ids, actor="bench"))
        session.commit()
    print(f"apply {count:,} new homes: {statements} statements, {seconds:.2f} s")


# --- 3. pending-changes latency ----------------------------------------------------------------------

FILLER_SQL = """
INSERT INTO collection_changes (job_id, entity_type, entity_id, parent_entity_type, parent_entity_id,
    is_new_entity, field_name, old_value, new_value, change_type, status, confidence, created_at)
SELECT :job_id, 'property', 10000000 + g / 10, 'property', 10000000 + g / 10, false, 'price', '400000',
    '395000', 'modified', CASE WHEN g % 10 = 0 THEN 'pending' ELSE 'applied' END, 0.9, now()
FROM generate_series(1, :rows) AS g
"""


def _target_changes(session: Session, builder_id: int, job_id: str) -> None:
    """Twenty pending changes under one builder: its own fields and new homes."""
    from app.changes.models import CollectionChange

    rows = [
        {
            "job_id": job_id,
            "entity_type": "builder",
            "entity_id": builder_id,
            "parent_entity_type": "builder",
            "parent_entity_id": builder_id,
            "field_name": f"field_{i}",
            "old_value": '"a"',
            "new_value": '"b"',
            "change_type": "modified",
            "status": "pending",
            "confidence": 0.9,
        }
        for i in range(10)
    ] + [
        {
            "job_id": job_id,
            "entity_type": "property",
            "entity_id": None,
            "parent_entity_type": "builder",
            "parent_entity_id": builder_id,
            "is_new_entity": True,
            "proposed_entity_data": {"title": f"Lot {i}", "price": 400000 + i},
            "change_type": "added",
            "status": "pending",
            "confidence": 0.9,
        }
        for i in range(10)
    ]
    session.execute(insert(CollectionChange), rows)


def bench_latency(requests: int) -> None:
    from fastapi.testclient import TestClient

    from app.auth.models import Role, User
    from app.auth.tokens import issue_token
    from app.builders.models import BuilderProfile
    from app.changes.review_queue import pending_branches
    from app.core.config import get_settings
    from app.core.db import SessionFactory
    from app.jobs.models import CollectionJob
    from app.main import app

    with SessionFactory() as session:
        admin = User(email="bench@example.com", role=Role.admin)
        builder = BuilderProfile(name="Latency Homes")
        job = CollectionJob(entity_type="builder", job_type="update", status="completed")
        session.add_all([admin, builder, job])
        session.commit()
        headers = {"Authorization": f"Bearer {issue_token(admin, get_settings())}"}
        builder_id, job_id = builder.id, job.job_id
        explain_sqls = [
            str(
                branch.order_by("id")
                .limit(101)
                .compile(
                    dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
                    compile_kwargs={"literal_binds": True},
                )
            )
            for branch in pending_branches("builder", builder_id)
        ]

    client = TestClient(app)
    url = f"/api/v1/admin/builders/{builder_id}/pending-changes"
    results: dict[int, tuple[float, float]] = {}
    for total in (1_000, 1_000_000):
        with SessionFactory() as session:
            session.execute(text("TRUNCATE collection_changes RESTART IDENTITY"))
            _target_changes(session, builder_id, job_id)
            session.execute(text(FILLER_SQL), {"job_id": job_id, "rows": total - 20})
            session.commit()
        with SessionFactory() as session:
            session.connection().exec_driver_sql("ANALYZE collection_changes")
            session.commit()
            count = session.scalar(text("SELECT count(*) FROM collection_changes"))
        for _ in range(20):  # warm-up
            assert client.get(url, headers=headers).status_code == 200
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        body = response.json()
        assert len(body["pending_changes"]) == 10 and len(body["pending_new_entities"]) == 10
        cuts = statistics.quantiles(timings, n=100)
        results[total] = (cuts[49], cuts[94])
        print(f"pending-changes, {count:,} rows in collection_changes: p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms")
        if total == 1_000_000:
            with SessionFactory() as session:
                print("EXPLAIN of the pending-changes queries (one per side of its OR) at 1,000,000 rows:")
                for explain_sql in explain_sqls:
                    plan = session.execute(text("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + explain_sql)).scalars()
                    for line in plan:
                        print("   ", line)
    small, large = results[1_000], results[1_000_000]
    print(f"  p50 ratio 1M/1k: {large[0] / small[0]:.2f}x, p95 ratio: {large[1] / small[1]:.2f}x (target <= 2x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--homes", type=int, default=10_000)
    parser.add_argument("--changed", type=float, default=0.30)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    import app.models  # noqa: F401  (every table mapped before the first query)

    create_database(DB_URL)
    try:
        bench_detect_apply(args.homes, args.changed)
        bench_new_homes(100)
        bench_new_homes(1_000)
        bench_latency(args.requests)
    finally:
        drop_bench_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
